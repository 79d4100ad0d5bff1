import { CourseMember } from '../src/courses/course-member.entity';
import { Course } from '../src/courses/course.entity';
import { TeamExpert } from '../src/teams/team-expert.entity';
import { TeamMember } from '../src/teams/team-member.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, assignExpert, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent } from './utils/http';

/**
 * Every signed-in request reads the person, and every course page the person's places in the
 * course, afresh (decision 63): nothing remembered between requests may let a removed member, a
 * deactivated account or an unpublished course through, even for one more page.
 */
describe('access follows the database from one request to the next', () => {
  let t: TestApp;
  let courseId: number;
  let teamId: number;

  beforeAll(async () => {
    t = await createTestApp();
    courseId = (await createCourse(t.db)).course.id;
    teamId = (await createTeam(t.db, courseId)).id;
  });
  afterAll(() => t.close());

  async function member(): Promise<{ a: Agent; user: User }> {
    const user = await createUser(t.db);
    await addMember(t.db, teamId, user.id, 'leader');
    const a = agent(t.server);
    await signIn(a, user.email);
    return { a, user };
  }

  it('a team member taken out of the team gets 404 on the very next page, and access back when added again', async () => {
    const { a, user } = await member();
    await a.get(`/courses/${courseId}`).expect(200);
    await a.get(`/courses/${courseId}/teams/${teamId}`).expect(200);
    await t.db.tx((em) => em.getRepository(TeamMember).delete({ teamId, userId: user.id }));
    await a.get(`/courses/${courseId}`).expect(404);
    await a.get(`/courses/${courseId}/teams/${teamId}`).expect(404);
    await addMember(t.db, teamId, user.id, 'member');
    await a.get(`/courses/${courseId}`).expect(200);
  });

  it('an expert taken off the course, or off the team, loses what came with it at once', async () => {
    const expert = await createUser(t.db, { role: 'expert' });
    await addStaff(t.db, courseId, expert.id, 'expert');
    await assignExpert(t.db, teamId, expert.id);
    const a = agent(t.server);
    await signIn(a, expert.email);
    await a.get(`/courses/${courseId}/teams/${teamId}`).expect(200);
    await t.db.tx((em) => em.getRepository(TeamExpert).delete({ teamId, userId: expert.id }));
    await a.get(`/courses/${courseId}/teams/${teamId}`).expect(404);
    await a.get(`/courses/${courseId}`).expect(200); // still an expert of the course
    await t.db.tx((em) => em.getRepository(CourseMember).delete({ courseId, userId: expert.id }));
    await a.get(`/courses/${courseId}`).expect(404);
  });

  it('a facilitator taken off the course stops managing it on the next request', async () => {
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, courseId, f.id, 'facilitator');
    const a = agent(t.server);
    await signIn(a, f.email);
    await a.get(`/courses/${courseId}/setup`).expect(200);
    await t.db.tx((em) => em.getRepository(CourseMember).delete({ courseId, userId: f.id }));
    await a.get(`/courses/${courseId}/setup`).expect(404);
    await a.get(`/courses/${courseId}`).expect(404);
  });

  it('a course taken back to draft disappears for its participants at once', async () => {
    const { a } = await member();
    await a.get(`/courses/${courseId}`).expect(200);
    await t.db.tx((em) => em.getRepository(Course).update({ id: courseId }, { status: 'draft' }));
    try {
      await a.get(`/courses/${courseId}`).expect(404);
    } finally {
      await t.db.tx((em) => em.getRepository(Course).update({ id: courseId }, { status: 'published' }));
    }
    await a.get(`/courses/${courseId}`).expect(200);
  });

  it('an account deactivated behind the session (its rows left) is signed out on its next request', async () => {
    const { a, user } = await member();
    await a.get('/dashboard').expect(200);
    await t.db.tx((em) => em.getRepository(User).update({ id: user.id }, { active: false }));
    await a.get('/dashboard').expect(303).expect('location', '/sign-in?next=%2Fdashboard');
    await a.get(`/courses/${courseId}`).expect(303);
  });

  it('a site role changed behind the session counts on the next request', async () => {
    const { a, user } = await member();
    await a.get('/reviews').expect(403);
    await t.db.tx((em) => em.getRepository(User).update({ id: user.id }, { role: 'facilitator' }));
    await a.get('/reviews').expect(200);
  });

  it('a course id that is not a number, or too large, is 404, never 500', async () => {
    const { a } = await member();
    for (const id of ['abc', '99999999999999999999', '2147483648', '1e3', '-1', '0'])
      await a.get(`/courses/${id}`).expect((res) => expect(res.status).toBe(404));
  });
});
