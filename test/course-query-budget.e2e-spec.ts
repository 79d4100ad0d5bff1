import { ProgrammeSession } from '../src/courses/programme-session.entity';
import { Resource, ResourceTag } from '../src/resources/resource.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent } from './utils/http';
import { countQueries } from './utils/query-counter';

/** Course pages cost the same number of queries with 2 teams or 12, 3 resources or 30, 2 sessions or 20. */
describe('course pages use a constant number of queries', () => {
  let t: TestApp;
  let fac: Agent;
  let member: Agent;
  let courseId: number;
  let inPersonId: number;
  let teamId: number;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases } = await createCourse(t.db);
    courseId = course.id;
    inPersonId = phases[1].id;
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, courseId, f.id, 'facilitator');
    fac = agent(t.server);
    await signIn(fac, f.email);
    await fac.get('/dashboard').expect(200); // the first page stores the session's CSRF token: a one-time write, not the page's
    const p = await createUser(t.db);
    teamId = (await createTeam(t.db, courseId, { country: 'VN' })).id;
    await addMember(t.db, teamId, p.id, 'leader');
    member = agent(t.server);
    await signIn(member, p.email);
    await member.get('/dashboard').expect(200);
  });
  afterAll(() => t.close());

  const COUNTRIES = ['KE', 'GH', 'NG', 'ET', 'UG', 'TZ', 'ID', 'TH', 'NP', 'LK', 'KH', 'MN', 'PH', 'MY', 'BD', 'PK', 'IN', 'LA', 'MM', 'BT'];

  async function grow(teams: number, resources: number, sessions: number) {
    for (let i = 0; i < teams; i++) {
      const team = await createTeam(t.db, courseId, { country: COUNTRIES[n++] });
      await addMember(t.db, team.id, (await createUser(t.db)).id, 'leader');
      await addMember(t.db, team.id, (await createUser(t.db)).id);
    }
    await t.db.tx(async (em) => {
      for (let i = 0; i < resources; i++) {
        const r = await em.getRepository(Resource).save(
          em.getRepository(Resource).create({
            courseId,
            phaseId: null,
            title: `Resource ${n}-${i}`,
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
        );
        await em.getRepository(ResourceTag).insert([{ resourceId: r.id, tag: `Theme ${i % 4}` }]);
      }
      for (let i = 0; i < sessions; i++) {
        const start = new Date(Date.UTC(2024, 9, 21 + (i % 5), 1 + Math.floor(i / 5), 0));
        await em.getRepository(ProgrammeSession).save(
          em.getRepository(ProgrammeSession).create({
            phaseId: inPersonId,
            kind: 'plenary',
            title: `Session ${n}-${i}`,
            room: `Room ${n}-${i}`,
            startsAt: start,
            endsAt: new Date(start.getTime() + 30 * 60_000),
            chairs: '',
            speakers: '',
            interpretationLanguages: 'zh',
            description: '',
          }),
        );
      }
    });
  }

  const PAGES = (who: 'fac' | 'member') =>
    who === 'fac'
      ? ['', '/setup', '/programme', '/teams', `/teams/${teamId}`, '/resources', '/people']
      : ['', '/programme', '/teams', `/teams/${teamId}`, '/resources'];

  async function costs(a: Agent, who: 'fac' | 'member') {
    const out: Record<string, number> = {};
    for (const p of PAGES(who)) out[p || '/'] = await countQueries(t.db, async () => void (await a.get(`/courses/${courseId}${p}`).expect(200)));
    out['/courses'] = await countQueries(t.db, async () => void (await a.get('/courses').expect(200)));
    return out;
  }

  it('for facilitators and for team members', async () => {
    await grow(2, 3, 2);
    const smallFac = await costs(fac, 'fac');
    const smallMember = await costs(member, 'member');
    await grow(10, 27, 18);
    expect(await costs(fac, 'fac')).toEqual(smallFac);
    expect(await costs(member, 'member')).toEqual(smallMember);
    for (const v of [...Object.values(smallFac), ...Object.values(smallMember)]) expect(v).toBeLessThanOrEqual(20);
  });
});
