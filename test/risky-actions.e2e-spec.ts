import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

/** Actions that are hard to undo ask first, and their forms start from values that pass. */
describe('risky actions', () => {
  let t: TestApp;
  let fac: Agent;
  let leader: Agent;
  let courseId: number;
  let teamId: number;
  let phaseId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases } = await createCourse(t.db);
    courseId = course.id;
    phaseId = phases[0].id;
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, courseId, f.id, 'facilitator');
    const team = await createTeam(t.db, courseId, { country: 'VN' });
    teamId = team.id;
    const l = await createUser(t.db, { name: 'Lan' });
    await addMember(t.db, team.id, l.id, 'leader');
    [fac, leader] = [agent(t.server), agent(t.server)];
    await signIn(fac, f.email);
    await signIn(leader, l.email);
  });
  afterAll(() => t.close());

  async function publishedTask(title: string, over: Record<string, string> = {}) {
    const fields = {
      title,
      phaseId: String(phaseId),
      kind: 'team',
      instructions: 'Write it.',
      opensDay: '2024-09-01',
      opensTime: '09:00',
      dueDay: '2099-10-15',
      dueTime: '17:00',
      cutOffDay: '',
      cutOffTime: '',
      expectsText: 'on',
      maxFiles: '0',
      rubric: '',
      audience: 'all',
      ...over,
    };
    expect((await submitForm(fac, `/courses/${courseId}/tasks/new`, `/courses/${courseId}/tasks`, fields)).status).toBe(303);
    const task = await t.db.repo(Task).findOneByOrFail({ courseId, title });
    const page = `/courses/${courseId}/tasks/${task.id}`;
    expect((await submitForm(fac, page, `${page}/status`, { status: 'published' })).status).toBe(303);
    return { task, page };
  }

  it('takes a published task back to draft only from a page that says what it does to the teams’ work', async () => {
    const { task, page } = await publishedTask('Stakeholder map');
    const sub = `${page}/submissions/team-${teamId}`;
    const form = await leader.get(sub).expect(200);
    expect(
      (
        await leader
          .post(`${sub}/draft`)
          .type('form')
          .send({ _csrf: csrfFrom(form.text), text: 'Ministry; provinces.', revision: '0', action: 'save' })
      ).status,
    ).toBe(303);

    // The task page links to the confirmation; the one-click form is gone.
    const shown = await fac.get(page).expect(200);
    expect(shown.text).toContain(`<a class="button button--secondary" href="${page}/unpublish">Back to draft…</a>`);
    expect(shown.text).not.toContain('name="status" value="draft"');
    // A bare POST (an old page, a replayed form) changes nothing and leads to the confirmation.
    const bare = await fac
      .post(`${page}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), status: 'draft' });
    expect(bare.status).toBe(303);
    expect(bare.headers.location).toBe(`${page}/unpublish`);
    expect((await t.db.repo(Task).findOneByOrFail({ id: task.id })).status).toBe('published');

    const confirm = await fac.get(`${page}/unpublish`).expect(200);
    const text = textOf(confirm.text);
    expect(text).toContain('Take “Stakeholder map” back to draft?');
    expect(text).toContain('Teams no longer see the task');
    expect(text).toContain('Nobody can save or submit work for it until you publish it again.');
    expect(text).toContain(
      'Work under way: 1 draft in progress, 0 submissions handed in. Nothing is deleted: drafts, files, versions, feedback and discussion are kept',
    );
    const done = await fac
      .post(`${page}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text), status: 'draft', confirm: 'yes' });
    expect(done.status).toBe(303);
    expect((await t.db.repo(Task).findOneByOrFail({ id: task.id })).status).toBe('draft');
    await leader.get(sub).expect(404);
    // Others may not even see the confirmation.
    await leader.get(`${page}/unpublish`).expect(404);
  });

  it('starts the extension form from values that pass: the cut-off is left empty, the current one named', async () => {
    const { page } = await publishedTask('Action plan', { dueDay: '2024-09-20', dueTime: '17:00', cutOffDay: '2024-09-27', cutOffTime: '17:00' });
    const sub = `${page}/submissions/team-${teamId}`;
    const html = (await fac.get(sub).expect(200)).text;
    const value = (name: string) => html.match(new RegExp(`name="${name}" type="[a-z]+" value="([^"]*)"`))![1];
    expect([value('dueDay'), value('dueTime'), value('cutOffDay'), value('cutOffTime')]).toEqual(['2024-09-20', '17:00', '', '']);
    expect(textOf(html)).toContain('Now Fri 27 Sept 2024, 17:00 (Asia/Shanghai). Leave both empty for no cut-off');
    // Granting an extension past the old cut-off with the form as it comes: accepted.
    const res = await fac
      .post(`${sub}/extension`)
      .type('form')
      .send({ _csrf: csrfFrom(html), dueDay: '2024-10-10', dueTime: value('dueTime'), cutOffDay: value('cutOffDay'), cutOffTime: value('cutOffTime') });
    expect(res.status).toBe(303);
    expect(textOf((await fac.get(sub)).text)).toContain('Extension granted');
  });
});
