import { Resource } from '../src/resources/resource.entity';
import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, submitForm } from './utils/http';
import { countQueries } from './utils/query-counter';

/** The task pages (list, a team task, an individual task, back to draft) cost the same with 2 teams or 12. */
describe('task pages use a constant number of queries', () => {
  let t: TestApp;
  let fac: Agent;
  let member: Agent;
  let courseId: number;
  let teamTaskId: number;
  let personTaskId: number;
  let n = 0;

  const COUNTRIES = ['KE', 'GH', 'NG', 'ET', 'UG', 'TZ', 'ID', 'TH', 'NP', 'LK', 'KH', 'MN', 'PH', 'MY', 'BD', 'PK'];

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases } = await createCourse(t.db);
    courseId = course.id;
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, courseId, f.id, 'facilitator');
    fac = agent(t.server);
    await signIn(fac, f.email);
    await fac.get('/dashboard').expect(200); // the first page stores the session's CSRF token: a one-time write, not the page's
    const p = await createUser(t.db);
    await addMember(t.db, (await createTeam(t.db, courseId, { country: 'VN' })).id, p.id, 'leader');
    member = agent(t.server);
    await signIn(member, p.email);
    await member.get('/dashboard').expect(200);
    const r = await t.db.tx((em) =>
      em.getRepository(Resource).save(
        em.getRepository(Resource).create({
          courseId,
          phaseId: null,
          title: 'Handbook',
          kind: 'link',
          description: '',
          url: 'https://example.org',
          fileKey: null,
          fileName: null,
          fileType: null,
          fileSize: null,
          fileSha256: null,
          createdById: null,
          createdAt: new Date(),
        }),
      ),
    );
    const base = `/courses/${courseId}/tasks`;
    const fields = {
      phaseId: String(phases[0].id),
      instructions: 'Do it.',
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
    };
    await submitForm(fac, `${base}/new`, base, { ...fields, title: 'Country context', kind: 'team', resourceIds: [String(r.id)] });
    await submitForm(fac, `${base}/new`, base, { ...fields, title: 'Reflection', kind: 'individual' });
    teamTaskId = (await t.db.repo(Task).findOneByOrFail({ title: 'Country context' })).id;
    personTaskId = (await t.db.repo(Task).findOneByOrFail({ title: 'Reflection' })).id;
    for (const id of [teamTaskId, personTaskId]) await submitForm(fac, `${base}/${id}`, `${base}/${id}/status`, { status: 'published' });
    await fac.get('/dashboard').expect(200); // shows (and so clears) the last form's flash message: a one-time session write
  });
  afterAll(() => t.close());

  async function grow(teams: number) {
    for (let i = 0; i < teams; i++) {
      const team = await createTeam(t.db, courseId, { country: COUNTRIES[n++] });
      await addMember(t.db, team.id, (await createUser(t.db)).id, 'leader');
      await addMember(t.db, team.id, (await createUser(t.db)).id);
    }
  }

  async function costs(a: Agent, who: 'fac' | 'member') {
    const pages = ['', '/tasks', `/tasks/${teamTaskId}`, `/tasks/${personTaskId}`, ...(who === 'fac' ? [`/tasks/${teamTaskId}/unpublish`] : [])];
    const out: Record<string, number> = {};
    for (const p of pages) out[p || '/'] = await countQueries(t.db, async () => void (await a.get(`/courses/${courseId}${p}`).expect(200)));
    return out;
  }

  it('for facilitators and for team members', async () => {
    await grow(2);
    const smallFac = await costs(fac, 'fac');
    const smallMember = await costs(member, 'member');
    await grow(10);
    expect(await costs(fac, 'fac')).toEqual(smallFac);
    expect(await costs(member, 'member')).toEqual(smallMember);
    if (process.env.PRINT_QUERY_COSTS) console.log(JSON.stringify({ fac: smallFac, member: smallMember }));
    // The course home with tasks under way costs 21 for a facilitator (as before the task pages moved); the task pages 10–13.
    for (const v of [...Object.values(smallFac), ...Object.values(smallMember)]) expect(v).toBeLessThanOrEqual(24);
  });
});
