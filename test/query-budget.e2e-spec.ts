import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn } from './utils/factories';
import { type Agent, agent, submitForm } from './utils/http';
import { countQueries } from './utils/query-counter';

/** A page costs the same number of queries whether it lists three rows or forty. */
describe('pages use a constant number of queries', () => {
  let t: TestApp;
  let a: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t.db, { role: 'admin' });
    a = agent(t.server);
    await signIn(a, admin.email);
  });
  afterAll(() => t.close());

  async function cost(path: string) {
    return countQueries(t.db, async () => {
      await a.get(path).expect(200);
    });
  }

  it('people list and invitation list', async () => {
    for (let i = 0; i < 3; i++) await createUser(t.db);
    for (let i = 0; i < 3; i++) await submitForm(a, '/invitations', '/invitations', { email: `few${i}@example.org`, role: 'participant' });
    const fewUsers = await cost('/admin/users');
    const fewInvitations = await cost('/invitations');

    for (let i = 0; i < 37; i++) await createUser(t.db);
    for (let i = 0; i < 37; i++) await submitForm(a, '/invitations', '/invitations', { email: `many${i}@example.org`, role: 'participant' });
    expect(await cost('/admin/users')).toBe(fewUsers);
    expect(await cost('/invitations')).toBe(fewInvitations);
    // One query of these is the header's unread notifications count (every signed-in page).
    expect(fewUsers).toBeLessThanOrEqual(7);
    expect(fewInvitations).toBeLessThanOrEqual(7);
  });

  it('home and account pages stay small', async () => {
    // Each includes the header's unread notifications count (one query).
    expect(await cost('/dashboard')).toBeLessThanOrEqual(9);
    expect(await cost('/account')).toBeLessThanOrEqual(4);
  });
});
