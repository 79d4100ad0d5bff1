import { Submission } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, signedIn } from './utils/factories';
import { type Agent, csrfFrom, textOf } from './utils/http';

describe('individual tasks', () => {
  let t: TestApp;
  let fac: Agent;
  let lan: Agent;
  let minh: Agent;
  let lanId: number;
  let minhId: number;
  let taskId: number;
  let courseId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, { teams: [{ leader: { name: 'Lan' }, members: [{ name: 'Minh' }] }] });
    courseId = course.id;
    const l = teams[0].leader!;
    const m = teams[0].members[0];
    lanId = l.id;
    minhId = m.id;
    fac = await signedIn(t.server, facilitator);
    lan = await signedIn(t.server, l);
    minh = await signedIn(t.server, m);
    taskId = (
      await createTaskThroughApp(t.db, fac, courseId, {
        title: 'Personal reflection',
        phaseId: String(phases[0].id),
        kind: 'individual',
        instructions: 'What did you learn?',
        opensDay: '2024-09-01',
        opensTime: '09:00',
        dueDay: '2099-01-01',
        dueTime: '17:00',
        cutOffDay: '',
        cutOffTime: '',
        expectsText: 'on',
        maxFiles: '0',
        rubric: '',
        audience: 'all',
      })
    ).id;
  });
  afterAll(() => t.close());

  const url = (userId: number) => `/courses/${courseId}/tasks/${taskId}/submissions/person-${userId}`;

  it('each participant writes and submits their own; nobody else on the team sees it; facilitators see all', async () => {
    const taskPage = textOf((await minh.get(`/courses/${courseId}/tasks/${taskId}`)).text);
    expect(taskPage).toContain('Minh');
    expect(taskPage).not.toContain('Lan');
    const p = await minh.get(url(minhId)).expect(200);
    // Individual work speaks to the person, not to a team.
    expect(textOf(p.text)).toContain('Save often; submit when you are ready.');
    expect(textOf(p.text)).toContain('Between Minh and the reviewers.');
    expect(p.text).not.toContain('the team');
    await minh
      .post(`${url(minhId)}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(p.text), text: 'I learned about learning cities.', revision: '0', action: 'save' })
      .expect(303);
    const p2 = await minh.get(url(minhId));
    await minh
      .post(`${url(minhId)}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(p2.text), note: '', revision: '1' })
      .expect(303);
    expect(await t.db.repo(Submission).findOneByOrFail({ taskId, ownerKey: `user:${minhId}` })).toMatchObject({
      status: 'submitted',
      userId: minhId,
      teamId: null,
    });
    const home = await minh.get(`/courses/${courseId}`).expect(200);
    expect(textOf(home.text)).toMatch(/Tasks Personal reflection — due .* · Submitted/);
    expect(home.text).toContain(`href="${url(minhId)}"`);
    expect(textOf((await lan.get(`/courses/${courseId}`)).text)).toMatch(/Personal reflection — due .* · Not started/);
    await lan.get(url(minhId)).expect(404); // even the team leader
    await minh.get(url(lanId)).expect(404);
    await fac.get(url(minhId)).expect(200);
    const overview = textOf((await fac.get(`/courses/${courseId}/tasks/${taskId}`)).text);
    // Each person with their team.
    expect(overview).toContain('Participant Team Status Last change Lan Viet Nam Not started');
    expect(overview).toMatch(/Minh Viet Nam Submitted/);
    const review = await fac.get(`${url(minhId)}/review`).expect(200);
    expect(textOf(review.text)).toContain('Minh sees your feedback only when you release it.');
    expect(textOf(review.text)).toContain('Release feedback to Minh');
    await fac.get(`/courses/${courseId}/tasks/${taskId}/submissions/person-999999`).expect(404);
    await fac.get(`/courses/${courseId}/tasks/${taskId}/submissions/team-1`).expect(404);
    await fac.get(`/courses/${courseId}/tasks/${taskId}/submissions/nonsense`).expect(404);
  });
});
