import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

/**
 * Input the database cannot store or look up must be refused before it reaches the database, the
 * same way on SQLite and PostgreSQL: a NUL byte in any text (PostgreSQL refuses it in text
 * columns) and ids outside PostgreSQL's integer range.
 */
describe('input the database cannot take', () => {
  let t: TestApp;
  let admin: User;
  let a: Agent;
  let courseId: number;
  let teamId: number;
  const HUGE = '99999999999'; // > 2^31 - 1
  const NUL_MESSAGE = 'contains a character that is not allowed';

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t.db, { role: 'admin', name: 'Admin Person' });
    a = agent(t.server);
    await signIn(a, admin.email);
    const { course } = await createCourse(t.db);
    courseId = course.id;
    teamId = (await createTeam(t.db, courseId)).id;
    await addMember(t.db, teamId, admin.id, 'leader');
  });
  afterAll(() => t.close());

  it('refuses a NUL byte on the sign-in form with 422 at the field, keeping the e-mail typed', async () => {
    const res = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: 'someone\u0000@example.org', password: 'whatever it is' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(NUL_MESSAGE);
    expect(res.text).toContain('value="someone@example.org"'); // kept, less the invisible character
    const pw = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: admin.email, password: 'pass\u0000word' });
    expect(pw.status).toBe(422);
    expect(textOf(pw.text)).toContain(NUL_MESSAGE);
  });

  it('refuses a NUL byte on the forgot-password form with 422 at the field', async () => {
    const res = await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: `${admin.email}\u0000` });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(NUL_MESSAGE);
    expect(res.text).toContain(`value="${admin.email}"`);
  });

  it('refuses a NUL byte in a signed-in form with 422 at the field, keeping the other values and storing nothing', async () => {
    const res = await submitForm(a, '/account', '/account', { name: 'New\u0000Name', timeZone: 'Asia/Ho_Chi_Minh', language: 'en' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(NUL_MESSAGE);
    expect(res.text).toContain('value="NewName"');
    expect(res.text).toMatch(/<option selected>Asia\/Ho_Chi_Minh/);
    expect((await t.db.repo(User).findOneByOrFail({ id: admin.id })).name).toBe('Admin Person');
  });

  it('refuses a NUL byte sent as JSON or in a path segment, and ignores one in a query string', async () => {
    const token = csrfFrom((await a.get('/account')).text);
    const json = await a
      .post('/account')
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .send({ name: 'X\u0000', timeZone: 'UTC', language: 'en' });
    expect(json.status).toBe(422);
    expect(json.body.errors.name[0]).toContain(NUL_MESSAGE);
    // a query string is lenient (house rule): the odd parameter is dropped, the page shows
    const query = await a.get('/admin/users?q=a%00b');
    expect(query.status).toBe(200);
    expect(textOf(query.text)).toContain('Admin Person');
    expect((await a.get('/invitations?status=pending%00')).status).toBe(200);
    expect((await a.get('/invite/abc%00def')).status).toBe(404);
    expect((await agent(t.server).get('/password/reset/abc%00def')).status).toBe(404);
    expect((await a.get(`/courses/${courseId}/tasks/1/submissions/team-1%00`)).status).toBe(404);
  });

  it.each([
    ['a course', () => `/courses/${HUGE}`],
    ['a course (negative)', () => '/courses/-1'],
    ['a course (not a number)', () => '/courses/abc'],
    ['a course (exponent)', () => '/courses/1e3'],
    ['a course (zero)', () => '/courses/0'],
    ['a course setup page', () => `/courses/${HUGE}/setup`],
    ['a team', () => `/courses/${courseId}/teams/${HUGE}`],
    ['a task', () => `/courses/${courseId}/tasks/${HUGE}`],
    ['a resource download', () => `/courses/${courseId}/resources/${HUGE}/download`],
    ['a gallery entry', () => `/courses/${courseId}/gallery/${HUGE}`],
    ['a person (admin)', () => `/admin/users/${HUGE}`],
    ['a submission of a huge task', () => `/courses/${courseId}/tasks/${HUGE}/submissions/team-${teamId}`],
    ['a submission of a huge team', () => `/courses/${courseId}/tasks/1/submissions/team-${HUGE}`],
    ['a phase edit page', () => `/courses/${courseId}/phases/${HUGE}/edit`],
  ])('answers 404 for an id out of range or not a number: %s', async (_name, path) => {
    const res = await a.get(path());
    expect(res.status).toBe(404);
    expect(textOf(res.text)).toContain('does not exist');
  });

  it('answers 404 for out-of-range ids in POST routes, also when the form is invalid', async () => {
    const token = csrfFrom((await a.get('/account')).text);
    expect((await a.post(`/admin/users/${HUGE}/deactivate`).type('form').send({ _csrf: token })).status).toBe(404);
    expect((await a.post(`/invitations/${HUGE}/resend`).type('form').send({ _csrf: token })).status).toBe(404);
    // invalid body + huge id: the page's context must not reach the database with the id either
    expect((await a.post(`/courses/${HUGE}/edit`).type('form').send({ _csrf: token, title: '' })).status).toBe(404);
    expect((await a.post(`/courses/${courseId}/teams/${HUGE}/edit`).type('form').send({ _csrf: token, country: '' })).status).toBe(404);
    expect((await a.post(`/courses/${HUGE}/teams`).type('form').send({ _csrf: token, country: '' })).status).toBe(404);
  });

  it('refuses an out-of-range number in a form field with 422 at the field', async () => {
    const res = await submitForm(a, `/courses/${courseId}/teams/${teamId}`, `/courses/${courseId}/teams/${teamId}/experts`, { userId: HUGE });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toMatch(/out of range|Choose an expert from the list/);
    const page = await a.get(`/admin/users?page=${HUGE}`);
    expect(page.status).toBe(200); // dropped, like any odd query parameter
  });
});
