import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, createUser, KENYA, signedIn } from './utils/factories';
import { type Agent, csrfFrom, submitForm } from './utils/http';
import { countQueries } from './utils/query-counter';

describe('tasks and submissions: who may and who may not', () => {
  let t: TestApp;
  let courseId: number;
  let taskId: number;
  let teamA: number;
  let teamB: number;
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const {
      course,
      phases,
      facilitator: fac,
      teams,
    } = await createCourseWithTeams(t.db, {
      teams: [
        { team: { country: 'VN' }, leader: {}, members: [{}] },
        { team: KENYA, leader: {}, experts: [{}] },
      ],
    });
    courseId = course.id;
    teamA = teams[0].team.id;
    teamB = teams[1].team.id;
    const stranger = await createUser(t.db);
    const otherFac = await createUser(t.db, { role: 'facilitator' });
    const users = {
      fac,
      leader: teams[0].leader!,
      member: teams[0].members[0],
      otherLeader: teams[1].leader!,
      expertOther: teams[1].experts[0],
      stranger,
      otherFac,
    };
    for (const [k, u] of Object.entries(users)) agents[k] = await signedIn(t.server, u);
    // Made but not published: the first test publishes it.
    taskId = (
      await createTaskThroughApp(
        t.db,
        agents.fac,
        courseId,
        {
          title: 'Policy outline',
          phaseId: String(phases[0].id),
          kind: 'team',
          instructions: 'Write it.',
          opensDay: '2024-09-01',
          opensTime: '09:00',
          dueDay: '2099-01-01',
          dueTime: '17:00',
          cutOffDay: '',
          cutOffTime: '',
          expectsText: 'on',
          expectsFiles: '',
          maxFiles: '0',
          rubric: '',
          audience: 'all',
        },
        { publish: false },
      )
    ).id;
  });
  afterAll(() => t.close());

  const sub = (team: number) => `/courses/${courseId}/tasks/${taskId}/submissions/team-${team}`;

  it('hides a draft task from teams until it is published', async () => {
    await agents.leader.get(`/courses/${courseId}/tasks/${taskId}`).expect(404);
    await agents.leader.get(sub(teamA)).expect(404);
    await submitForm(agents.fac, `/courses/${courseId}/tasks/${taskId}`, `/courses/${courseId}/tasks/${taskId}/status`, { status: 'published' });
    await agents.leader.get(`/courses/${courseId}/tasks/${taskId}`).expect(200);
  });

  it.each([
    ['fac', 200, 200, 200, 200],
    ['leader', 200, 404, 404, 404],
    ['member', 200, 404, 404, 404],
    ['otherLeader', 404, 200, 404, 404],
    ['expertOther', 404, 200, 404, 404],
    ['stranger', 404, 404, 404, 404],
    ['otherFac', 404, 404, 404, 404],
  ])('%s: own team %s, other team %s, new-task form %s, ZIP %s', async (who, own, other, form, zip) => {
    const a = agents[who];
    expect((await a.get(sub(teamA))).status).toBe(own);
    expect((await a.get(sub(teamB))).status).toBe(other);
    const expectedForm = who === 'fac' ? 200 : form;
    expect((await a.get(`/courses/${courseId}/tasks/new`)).status).toBe(expectedForm);
    expect((await a.get(`/courses/${courseId}/tasks/${taskId}/download.zip`)).status).toBe(zip);
  });

  it('refuses writes from people who may not make them, storing nothing', async () => {
    const token = csrfFrom((await agents.stranger.get('/dashboard')).text);
    for (const path of ['draft', 'submit', 'review', 'reopen', 'extension', 'messages', 'versions/1/share']) {
      const res = await agents.stranger
        .post(`${sub(teamA)}/${path}`)
        .type('form')
        .send({ _csrf: token, text: 'x', revision: '0', note: '', body: 'x', shared: '1' });
      expect([404, 422]).toContain(res.status);
    }
    const memberToken = csrfFrom((await agents.member.get(sub(teamA))).text);
    await agents.member
      .post(`${sub(teamA)}/reopen`)
      .type('form')
      .send({ _csrf: memberToken, note: '' })
      .expect(404);
    await agents.member.post(`/courses/${courseId}/tasks/${taskId}/edit`).type('form').send({ _csrf: memberToken }).expect(404);
    await agents.member.post(`/courses/${courseId}/tasks/${taskId}/status`).type('form').send({ _csrf: memberToken, status: 'draft' }).expect(404);
    expect((await t.db.repo(Task).findOneByOrFail({ id: taskId })).status).toBe('published');
  });

  it('uses a constant number of queries on task and submission pages', async () => {
    const cost = (a: Agent, path: string) => countQueries(t.db, async () => void (await a.get(path).expect(200)));
    const measure = async () => [
      await cost(agents.leader, `/courses/${courseId}/tasks`),
      await cost(agents.leader, sub(teamA)),
      await cost(agents.fac, `/courses/${courseId}/tasks/${taskId}`),
      await cost(agents.fac, '/reviews'),
    ];
    // History grows: saves, messages, a submitted version and a review with changes requested each round.
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const p = await agents.leader.get(sub(teamA));
        const rev = p.text.match(/name="revision" value="(\d+)"/)![1];
        await agents.leader
          .post(`${sub(teamA)}/draft`)
          .type('form')
          .send({ _csrf: csrfFrom(p.text), text: `Draft ${n}-${i}`, revision: rev, action: 'save' })
          .expect(303);
        await agents.leader
          .post(`${sub(teamA)}/messages`)
          .type('form')
          .send({ _csrf: csrfFrom(p.text), body: `Message ${n}-${i}` })
          .expect(303);
      }
      const p = await agents.leader.get(sub(teamA));
      await agents.leader
        .post(`${sub(teamA)}/submit`)
        .type('form')
        .send({ _csrf: csrfFrom(p.text), note: '', revision: p.text.match(/name="revision" value="(\d+)"/)![1] })
        .expect(303);
      const f = await agents.fac.get(`${sub(teamA)}/review`);
      const number = f.text.match(/name="versionNumber" value="(\d+)"/)![1];
      await agents.fac
        .post(`${sub(teamA)}/review`)
        .type('form')
        .send({ _csrf: csrfFrom(f.text), versionNumber: number, overall: 'More detail', decision: 'changes', action: 'release' })
        .expect(303);
    };
    await round(1);
    const small = await measure();
    await round(5);
    await round(5);
    expect(await measure()).toEqual(small);
    for (const n of small) expect(n).toBeLessThanOrEqual(20);
  });
});
