import { weekOf } from '../src/dashboards/course-dashboard.page';
import { Meeting, MeetingTeam } from '../src/meetings/meeting.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import {
  addMember,
  addStaff,
  assignExpert,
  createCourse,
  createTaskThroughApp,
  createTeam,
  createUser,
  releaseReview,
  signedIn,
  submitWork,
} from './utils/factories';
import type { Agent } from './utils/http';
import { countQueries } from './utils/query-counter';

/**
 * The course dashboard (page and CSV) costs the same with 2 teams, 2 tasks and 1 version as with 8
 * teams, 6 tasks and many versions, and as with ten more members in each team; the page's size
 * does not grow with the members.
 */
describe('the course dashboard uses a constant number of queries and stays light, whatever the number of members', () => {
  let t: TestApp;
  let fac: Agent;
  let expert: Agent;
  let courseId: number;
  let phaseId: number;
  let expertId: number;
  let n = 0;
  let tasks = 0;
  const COUNTRIES = ['KE', 'GH', 'NG', 'ET', 'UG', 'TZ', 'ID', 'TH', 'NP', 'LK', 'KH', 'MN'];
  const teams: { id: number; leader: Agent; leaderId: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases } = await createCourse(t.db);
    courseId = course.id;
    phaseId = phases[0].id;
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, courseId, f.id, 'facilitator');
    fac = await signedIn(t.server, f);
    const e = await createUser(t.db, { role: 'expert' });
    expertId = e.id;
    await addStaff(t.db, courseId, e.id, 'expert');
    expert = await signedIn(t.server, e);
  });
  afterAll(() => t.close());

  async function grow(teamCount: number, taskKinds: ('team' | 'individual')[], rounds: number) {
    for (let i = 0; i < teamCount; i++) {
      const team = await createTeam(t.db, courseId, { country: COUNTRIES[n++] });
      const leader = await createUser(t.db);
      await addMember(t.db, team.id, leader.id, 'leader');
      await addMember(t.db, team.id, (await createUser(t.db)).id);
      await assignExpert(t.db, team.id, expertId);
      teams.push({ id: team.id, leader: await signedIn(t.server, leader), leaderId: leader.id });
    }
    const made = [];
    for (const kind of taskKinds) made.push(await createTaskThroughApp(t.db, fac, courseId, { title: `Task ${++tasks}`, kind, phaseId: String(phaseId) }));
    // Work handed in, with feedback asking for changes, `rounds` times: more submissions and versions.
    for (const task of made)
      for (const team of teams.slice(0, 4)) {
        const base = `/courses/${courseId}/tasks/${task.id}/submissions/${task.kind === 'team' ? `team-${team.id}` : `person-${team.leaderId}`}`;
        for (let r = 0; r < rounds; r++) {
          await submitWork(team.leader, base, { text: `Version ${r + 1}` });
          if (r < rounds - 1) await releaseReview(fac, base, 'changes', 'More, please.');
        }
      }
    const week = weekOf(new Date(), 'UTC');
    const now = new Date();
    await t.db.tx(async (em) => {
      const m = await em.getRepository(Meeting).save({
        courseId,
        kind: 'expert_consultation',
        title: `Meeting ${tasks}`,
        agenda: '',
        onlineLink: null,
        startsAt: new Date(week.from.getTime() + 2 * 24 * 3600_000 + tasks * 3600_000),
        endsAt: new Date(week.from.getTime() + 2 * 24 * 3600_000 + tasks * 3600_000 + 1800_000),
        hostId: expertId,
        bookedBy: null,
        status: 'scheduled',
        sequence: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await em.getRepository(MeetingTeam).save(teams.map((x) => ({ meetingId: m.id, teamId: x.id })));
    });
  }

  async function costs(a: Agent) {
    const out: Record<string, number> = {};
    for (const p of ['', `?phase=${phaseId}&inactive=3`, '.csv'])
      out[p || '/'] = await countQueries(t.db, async () => void (await a.get(`/courses/${courseId}/dashboard${p}`).expect(200)));
    return out;
  }

  it('for the facilitator and for an expert', async () => {
    await grow(2, ['team', 'individual'], 1);
    const smallFac = await costs(fac);
    const smallExpert = await costs(expert);
    await grow(6, ['team', 'individual'], 2);
    expect(await costs(fac)).toEqual(smallFac);
    expect(await costs(expert)).toEqual(smallExpert);
    if (process.env.PRINT_QUERY_COSTS) console.log(JSON.stringify({ fac: smallFac, expert: smallExpert }));
    for (const v of [...Object.values(smallFac), ...Object.values(smallExpert)]) expect(v).toBeLessThanOrEqual(32); // the meetings read also loads the meetings' people (one more, constant)
    // Light on slow links, whatever the number of members: the page has a row per team (an
    // individual task's cell counts the members), so ten more people in each team add a few digits,
    // never a row each (decision 64; the CSV has the rows).
    const page = async () => (await fac.get(`/courses/${courseId}/dashboard`).set('Accept-Encoding', 'identity').expect(200)).text;
    const before = Buffer.byteLength(await page());
    const crowd: string[] = [];
    for (const team of teams)
      for (let i = 0; i < 10; i++) {
        const u = await createUser(t.db, { name: `Crowd member ${crowd.length + 1}` });
        crowd.push(u.name);
        await addMember(t.db, team.id, u.id);
      }
    const html = await page();
    const after = Buffer.byteLength(html);
    if (process.env.PRINT_QUERY_COSTS) console.log(`dashboard HTML: ${before} bytes, with ${crowd.length} more members ${after} bytes`);
    expect(after - before).toBeLessThan(400);
    expect(after).toBeLessThan(30_000);
    expect(html).not.toContain(crowd[0]);
    expect((await fac.get(`/courses/${courseId}/dashboard.csv`).expect(200)).text).toContain(crowd[0]);
    // The same queries with 96 people as with 16.
    expect(await costs(fac)).toEqual(smallFac);
    expect(await costs(expert)).toEqual(smallExpert);
  }, 180_000);
});
