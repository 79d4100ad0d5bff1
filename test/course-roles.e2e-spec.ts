import { Task } from '../src/tasks/task.entity';
import type { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, assignExpert, createCourse, createTaskThroughApp, createTeam, createUser, signIn, submitWork } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

/** Course roles work only while the site role allows them: demotion takes effect at once, restoring restores. */
describe('course roles follow the site role', () => {
  let t: TestApp;
  let courseId: number;
  let taskId: number;
  let teamId: number;
  let facilitator: User;
  let expert: User;
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases } = await createCourse(t.db);
    courseId = course.id;
    const admin = await createUser(t.db, { role: 'admin', name: 'Mariam Okafor' });
    facilitator = await createUser(t.db, { role: 'facilitator', name: 'Chen Jing' });
    const other = await createUser(t.db, { role: 'facilitator' });
    expert = await createUser(t.db, { role: 'expert', name: 'Raúl Valdés' });
    const leader = await createUser(t.db);
    await addStaff(t.db, courseId, facilitator.id, 'facilitator');
    await addStaff(t.db, courseId, other.id, 'facilitator');
    await addStaff(t.db, (await createCourse(t.db, { status: 'draft' })).course.id, facilitator.id, 'facilitator');
    await addStaff(t.db, courseId, expert.id, 'expert');
    teamId = (await createTeam(t.db, courseId)).id;
    await addMember(t.db, teamId, leader.id, 'leader');
    await assignExpert(t.db, teamId, expert.id);
    for (const [k, u] of Object.entries({ admin, facilitator, other, expert, leader })) {
      agents[k] = agent(t.server);
      await signIn(agents[k], u.email);
    }
    const task = await createTaskThroughApp(t.db, agents.other, courseId, {
      title: 'Policy outline',
      phaseId: String(phases[0].id),
      instructions: 'Write it.',
    });
    taskId = task.id;
    await submitWork(agents.leader, sub(), { text: 'Our outline' });
  });
  afterAll(() => t.close());

  const sub = () => `/courses/${courseId}/tasks/${taskId}/submissions/team-${teamId}`;

  async function setRole(user: User, role: string) {
    const page = await agents.admin.get(`/admin/users/${user.id}`).expect(200);
    const res = await agents.admin
      .post(`/admin/users/${user.id}/role`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), role });
    expect(res.status).toBe(303);
    return textOf((await agents.admin.get(`/admin/users/${user.id}`)).text);
  }

  /** What the facilitator can reach of the course's management. */
  async function management(a: Agent) {
    const token = csrfFrom((await a.get('/dashboard')).text);
    return {
      setup: (await a.get(`/courses/${courseId}/setup`)).status,
      newTask: (await a.get(`/courses/${courseId}/tasks/new`)).status,
      zip: (await a.get(`/courses/${courseId}/tasks/${taskId}/download.zip`)).status,
      publish: (await a.post(`/courses/${courseId}/tasks/${taskId}/status`).type('form').send({ _csrf: token, status: 'draft' })).status,
      submission: (await a.get(sub())).status,
    };
  }

  it('the People page tells the administrator what a role change would put on hold', async () => {
    const page = textOf((await agents.admin.get(`/admin/users/${facilitator.id}`)).text);
    expect(page).toContain('Chen Jing manages 2 workshops.');
    expect(page).toContain('As a participant, Chen Jing would lose the management of 2 workshops.');
    expect(page).toContain('As an expert, Chen Jing would lose the management of 2 workshops.');
    expect(page).not.toContain('As an administrator');
  });

  it('a facilitator made participant no longer manages the course (404), and gets it back when restored', async () => {
    expect(await management(agents.facilitator)).toEqual({ setup: 200, newTask: 200, zip: 200, publish: 303, submission: 200 });
    await submitForm(agents.other, `/courses/${courseId}/tasks/${taskId}`, `/courses/${courseId}/tasks/${taskId}/status`, { status: 'published' });

    const after = await setRole(facilitator, 'participant');
    expect(after).toContain('Chen Jing is now participant. On hold until the role is restored: the management of 2 workshops.');
    expect(await management(agents.facilitator)).toEqual({ setup: 404, newTask: 404, zip: 404, publish: 404, submission: 404 });
    expect((await t.db.repo(Task).findOneByOrFail({ id: taskId })).status).toBe('published');
    expect(textOf((await agents.facilitator.get('/courses')).text)).not.toContain('Empowering Cities');
    expect(textOf((await agents.other.get(`/courses/${courseId}/people`)).text)).toMatch(/Chen Jing .* on hold: now participant on Atelier/);

    await setRole(facilitator, 'facilitator');
    expect(await management(agents.facilitator)).toEqual({ setup: 200, newTask: 200, zip: 200, publish: 303, submission: 200 });
    await submitForm(agents.other, `/courses/${courseId}/tasks/${taskId}`, `/courses/${courseId}/tasks/${taskId}/status`, { status: 'published' });
  });

  it('a facilitator made expert does not manage either', async () => {
    await setRole(facilitator, 'expert');
    expect(await management(agents.facilitator)).toMatchObject({ setup: 404, zip: 404, publish: 404 });
    expect(textOf((await agents.facilitator.get('/reviews').expect(200)).text)).not.toContain('Policy outline');
    await setRole(facilitator, 'facilitator');
  });

  it('an expert made participant can no longer see or review the team’s work; restored, they can', async () => {
    const review = async () => ({
      page: (await agents.expert.get(`${sub()}/review`)).status,
      queue: textOf((await agents.expert.get('/reviews')).text).includes('Policy outline'),
    });
    expect(await review()).toEqual({ page: 200, queue: true });

    expect(await setRole(expert, 'participant')).toContain('On hold until the role is restored: their expert role in 1 workshop.');
    expect((await agents.expert.get(sub())).status).toBe(404);
    expect((await agents.expert.get(`${sub()}/review`)).status).toBe(404);
    const token = csrfFrom((await agents.expert.get('/dashboard')).text);
    const post = await agents.expert
      .post(`${sub()}/review`)
      .type('form')
      .send({ _csrf: token, versionNumber: '1', overall: 'Fine', decision: 'accept', action: 'release' });
    expect(post.status).toBe(404);
    expect((await agents.expert.get(`/courses/${courseId}`)).status).toBe(404);

    await setRole(expert, 'expert');
    expect(await review()).toEqual({ page: 200, queue: true });
  });
});
