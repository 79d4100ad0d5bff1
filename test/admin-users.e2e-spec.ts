import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';

describe('admin: people', () => {
  let t: TestApp;
  let admin: User;
  let a: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t.db, { role: 'admin', name: 'Ada Admin' });
    a = agent(t.server);
    await signIn(a, admin.email);
  });
  afterAll(() => t.close());

  async function post(path: string, fields: Record<string, string> = {}) {
    const page = await a.get('/dashboard');
    return a
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields });
  }

  it('lists and searches people by name, e-mail, role and status, a page at a time', async () => {
    await createUser(t.db, { name: 'Zanele Dlamini', email: 'zanele@education.gov.za', role: 'expert' });
    await createUser(t.db, { name: 'Bui Van An', role: 'participant', active: false });
    const all = await a.get('/admin/users').expect(200);
    expect(textOf(all.text)).toContain('Zanele Dlamini');
    const byName = await a.get('/admin/users?q=zanele');
    expect(textOf(byName.text)).toContain('zanele@education.gov.za');
    expect(textOf(byName.text)).not.toContain('Bui Van An');
    const byMail = await a.get('/admin/users?q=EDUCATION.GOV.ZA');
    expect(textOf(byMail.text)).toContain('Zanele Dlamini');
    const byRole = await a.get('/admin/users?role=expert');
    const rows = textOf(byRole.text.split('<tbody>')[1] ?? '');
    expect(rows).toContain('Zanele Dlamini');
    expect(rows).not.toContain('Ada Admin');
    const inactive = await a.get('/admin/users?status=inactive');
    expect(textOf(inactive.text)).toContain('Bui Van An');
    expect(textOf(inactive.text)).not.toContain('Zanele');
    const none = await a.get('/admin/users?q=%25');
    expect(textOf(none.text)).toContain('Nobody matches this search');
    // A value that does not exist is left out of the filter: the list, not a page of validator text.
    const bad = await a.get('/admin/users?role=emperor');
    expect(bad.status).toBe(200);
    expect(textOf(bad.text)).not.toContain('must be');
    await a.get('/admin/users?utm_source=newsletter').expect(200); // unknown query parameters are ignored

    for (let i = 0; i < 30; i++) await createUser(t.db, { name: `Member ${String(i).padStart(2, '0')}` });
    const first = await a.get('/admin/users');
    expect(textOf(first.text)).toMatch(/Page 1 of 2/);
    expect(first.text).toMatch(/href="\/admin\/users\?page(=|&#x3D;)2"/);
    const second = await a.get('/admin/users?page=2');
    expect(textOf(second.text)).toMatch(/Page 2 of 2/);
  });

  it('changes a role, refusing an unknown role and an admin demoting themselves', async () => {
    const u = await createUser(t.db, { role: 'participant' });
    expect((await post(`/admin/users/${u.id}/role`, { role: 'facilitator' })).status).toBe(303);
    expect((await t.db.repo(User).findOneByOrFail({ id: u.id })).role).toBe('facilitator');
    const page = await a.get(`/admin/users/${u.id}`);
    expect(textOf(page.text)).toContain('is now facilitator');

    const bad = await post(`/admin/users/${u.id}/role`, { role: 'emperor' });
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain('Choose a role.');
    expect((await t.db.repo(User).findOneByOrFail({ id: u.id })).role).toBe('facilitator');

    const self = await post(`/admin/users/${admin.id}/role`, { role: 'participant' });
    expect(self.status).toBe(422);
    expect(textOf(self.text)).toContain('You cannot remove your own administrator role');
    expect((await t.db.repo(User).findOneByOrFail({ id: admin.id })).role).toBe('admin');
  });

  it('deactivates and reactivates, never the admin themselves', async () => {
    const u = await createUser(t.db);
    expect((await post(`/admin/users/${u.id}/deactivate`)).status).toBe(303);
    expect(await t.db.repo(User).findOneByOrFail({ id: u.id })).toMatchObject({ active: false });
    expect((await post(`/admin/users/${u.id}/reactivate`)).status).toBe(303);
    expect(await t.db.repo(User).findOneByOrFail({ id: u.id })).toMatchObject({ active: true, deactivatedAt: null });
    await signIn(agent(t.server), u.email);

    const self = await post(`/admin/users/${admin.id}/deactivate`);
    expect(self.status).toBe(422);
    expect(textOf(self.text)).toContain('You cannot deactivate your own account.');
  });

  it('answers 404 for unknown people and ids that are not numbers', async () => {
    await a.get('/admin/users/999999').expect(404);
    await a.get('/admin/users/abc').expect(404);
    expect((await post('/admin/users/999999/deactivate')).status).toBe(404);
  });

  it('refuses every admin route to non-admins (403) and to anonymous visitors (sign-in)', async () => {
    const target = await createUser(t.db);
    for (const role of ['facilitator', 'expert', 'participant'] as const) {
      const who = await createUser(t.db, { role });
      const b = agent(t.server);
      await signIn(b, who.email);
      const home = await b.get('/dashboard');
      const csrf = csrfFrom(home.text);
      await b.get('/admin/users').expect(403);
      await b.get(`/admin/users/${target.id}`).expect(403);
      await b.post(`/admin/users/${target.id}/role`).type('form').send({ _csrf: csrf, role: 'admin' }).expect(403);
      await b.post(`/admin/users/${target.id}/deactivate`).type('form').send({ _csrf: csrf }).expect(403);
      await b.post(`/admin/users/${target.id}/reactivate`).type('form').send({ _csrf: csrf }).expect(403);
      await b.post(`/admin/users/${who.id}/role`).type('form').send({ _csrf: csrf, role: 'admin' }).expect(403);
      expect(textOf(home.text)).not.toContain('People');
    }
    expect(await t.db.repo(User).findOneByOrFail({ id: target.id })).toMatchObject({ role: 'participant', active: true });
    await agent(t.server).get('/admin/users').expect(303).expect('location', '/sign-in?next=%2Fadmin%2Fusers');
    await agent(t.server).post(`/admin/users/${target.id}/deactivate`).expect(403); // no session, no CSRF token
  });
});
