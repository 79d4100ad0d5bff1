import { Invitation } from '../src/invitations/invitation.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

/**
 * Who sees and acts on which invitation: administrators all; a facilitator those they sent and
 * those into teams of the courses they manage; anything else answers 404, as elsewhere.
 */
describe('invitations: who sees and acts on which', () => {
  let t: TestApp;
  const agents: Record<string, Agent> = {};
  const inv: Record<string, number> = {};
  const emails: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t.db, { role: 'admin' });
    const f1 = await createUser(t.db, { role: 'facilitator' });
    const f2 = await createUser(t.db, { role: 'facilitator' });
    const c1 = (await createCourse(t.db, { title: 'Course one' })).course;
    const c2 = (await createCourse(t.db, { title: 'Course two' })).course;
    await addStaff(t.db, c1.id, f1.id, 'facilitator');
    await addStaff(t.db, c2.id, f2.id, 'facilitator');
    const team1 = await createTeam(t.db, c1.id);
    const team2 = await createTeam(t.db, c2.id);
    for (const [k, u] of Object.entries({ admin, f1, f2 })) {
      agents[k] = agent(t.server);
      await signIn(agents[k], u.email);
    }
    const invite = (who: string, email: string, role: string) => submitForm(agents[who], '/invitations', '/invitations', { email, role });
    const intoTeam = (who: string, courseId: number, teamId: number, email: string) =>
      submitForm(agents[who], `/courses/${courseId}/teams/${teamId}`, `/courses/${courseId}/teams/${teamId}/members`, {
        email,
        teamRole: 'member',
        position: 'policymaker',
        level: 'national',
      });
    const made = {
      adminPlain: await invite('admin', 'admin-plain@example.org', 'facilitator'),
      adminTeam1: await intoTeam('admin', c1.id, team1.id, 'admin-team1@example.org'),
      f1Plain: await invite('f1', 'f1-plain@example.org', 'expert'),
      f2Team2: await intoTeam('f2', c2.id, team2.id, 'f2-team2@example.org'),
      f2Plain: await invite('f2', 'f2-plain@example.org', 'participant'),
    };
    for (const [key, res] of Object.entries(made)) {
      expect(res.status).toBe(303);
      const email = `${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}@example.org`;
      inv[key] = (await t.db.repo(Invitation).findOneByOrFail({ email })).id;
      emails[key] = email;
    }
  });
  afterAll(() => t.close());

  const expected: Record<string, string[]> = {
    admin: ['adminPlain', 'adminTeam1', 'f1Plain', 'f2Team2', 'f2Plain'],
    f1: ['adminTeam1', 'f1Plain'],
    f2: ['f2Team2', 'f2Plain'],
  };

  it.each(Object.keys(expected))('%s lists exactly the invitations they may act on', async (who) => {
    const list = textOf((await agents[who].get('/invitations').expect(200)).text);
    for (const key of Object.keys(inv)) expect({ key, listed: list.includes(emails[key]) }).toEqual({ key, listed: expected[who].includes(key) });
  });

  it('resend and withdraw: 303 on their own, 404 (not 403) on the others, which stay unchanged', async () => {
    const results: Record<string, Record<string, number>> = {};
    for (const action of ['resend', 'revoke'] as const) {
      for (const who of ['f1', 'f2', 'admin']) {
        const token = csrfFrom((await agents[who].get('/invitations')).text);
        for (const key of Object.keys(inv)) {
          const before = await t.db.repo(Invitation).findOneByOrFail({ id: inv[key] });
          const res = await agents[who].post(`/invitations/${inv[key]}/${action}`).type('form').send({ _csrf: token });
          (results[`${who} ${action}`] ??= {})[key] = res.status;
          if (res.status === 404) expect(await t.db.repo(Invitation).findOneByOrFail({ id: inv[key] })).toEqual(before);
        }
      }
    }
    const allowed = (who: string) => Object.fromEntries(Object.keys(inv).map((k) => [k, expected[who].includes(k) ? 303 : 404]));
    expect(results).toEqual({
      'f1 resend': allowed('f1'),
      'f2 resend': allowed('f2'),
      'admin resend': allowed('admin'),
      'f1 revoke': allowed('f1'),
      'f2 revoke': allowed('f2'),
      'admin revoke': allowed('admin'),
    });
  });
});
