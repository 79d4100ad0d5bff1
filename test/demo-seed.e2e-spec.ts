import { In, MoreThan } from 'typeorm';
import { Course } from '../src/courses/course.entity';
import { CourseMember } from '../src/courses/course-member.entity';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Availability } from '../src/meetings/availability.entity';
import { Meeting, MeetingAction, MeetingAttendance, MeetingPerson, MeetingTeam } from '../src/meetings/meeting.entity';
import { Notification } from '../src/notifications/notification.entity';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo-seed';
import { DEMO_EXPERTS, MEETINGS_COURSE } from '../src/seed/demo-meetings';
import { Task, TaskTeam } from '../src/tasks/task.entity';
import { Team } from '../src/teams/team.entity';
import { TeamExpert } from '../src/teams/team-expert.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { signIn } from './utils/factories';
import { agent, textOf } from './utils/http';

/** The demo data: experts in four zones, their availability and meetings; seeding twice adds nothing. */
describe(`the demo seed (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  const now = new Date();

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.db, now);
  }, 60_000);
  afterAll(() => t.close());

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        [User, Course, CourseMember, Team, TeamExpert, Availability, Meeting, MeetingTeam, MeetingPerson, MeetingAttendance, MeetingAction, Task, TaskTeam].map(
          async (e) => [e.name, await t.db.repo<object>(e).count()] as const,
        ),
      ),
    );

  it('adds experts in Berlin, Shanghai, Nairobi and Fiji who advise demo teams and have published availability', async () => {
    const course = await t.db.repo(Course).findOneByOrFail({ title: MEETINGS_COURSE });
    const experts = await t.db.repo(User).findBy({ email: In(DEMO_EXPERTS.map((x) => x.email)) });
    expect(experts.map((u) => [u.timeZone, u.role]).sort()).toEqual(
      [
        ['Africa/Nairobi', 'expert'],
        ['Asia/Shanghai', 'expert'],
        ['Europe/Berlin', 'expert'],
        ['Pacific/Fiji', 'expert'],
      ].sort(),
    );
    for (const u of experts) {
      expect(await t.db.repo(CourseMember).findOneByOrFail({ courseId: course.id, userId: u.id })).toMatchObject({ role: 'expert' });
      expect(await t.db.repo(TeamExpert).countBy({ userId: u.id })).toBe(2);
      expect(await t.db.repo(Availability).existsBy({ courseId: course.id, userId: u.id })).toBe(true);
    }
  });

  it('adds meetings: two held with attendance, final notes and action items (one a task), booked ones to come, one cancelled, one peer exchange', async () => {
    const course = await t.db.repo(Course).findOneByOrFail({ title: MEETINGS_COURSE });
    const meetings = await t.db.repo(Meeting).findBy({ courseId: course.id });
    const held = meetings.filter((m) => m.status === 'held');
    expect(held).toHaveLength(2);
    for (const m of held) {
      expect(m.endsAt < now).toBe(true);
      expect(m.notesStatus).toBe('final');
      expect(await t.db.repo(MeetingAttendance).countBy({ meetingId: m.id, present: true })).toBeGreaterThan(1);
      expect(await t.db.repo(MeetingAction).countBy({ meetingId: m.id })).toBeGreaterThan(0);
    }
    const [action] = await t.db.repo(MeetingAction).findBy({ meetingId: In(held.map((m) => m.id)), taskId: MoreThan(0) });
    const task = await t.db.repo(Task).findOneByOrFail({ id: action.taskId! });
    expect(task).toMatchObject({ audience: 'selected', status: 'published', kind: 'team' });
    expect(task.instructions).toContain(`/courses/${course.id}/meetings/${action.meetingId}`);
    expect((await t.db.repo(TaskTeam).findBy({ taskId: task.id })).map((l) => l.teamId)).toEqual([action.teamId]);

    const upcoming = meetings.filter((m) => m.status === 'scheduled' && m.startsAt > now);
    expect(upcoming.filter((m) => m.kind === 'expert_consultation').length).toBeGreaterThanOrEqual(3);
    const cancelled = meetings.filter((m) => m.status === 'cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].changeReason).toMatch(/\w/);
    const peer = meetings.find((m) => m.kind === 'peer_exchange')!;
    const facilitator = await t.db.repo(User).findOneByOrFail({ email: 'facilitator@atelier.example' });
    expect(peer.hostId).toBe(facilitator.id);
    expect(await t.db.repo(MeetingTeam).countBy({ meetingId: peer.id })).toBe(3);
    // Every meeting is inside the workshop's dates.
    for (const m of meetings) expect(m.startsAt.toISOString().slice(0, 10) >= course.startsOn).toBe(true);
  });

  it('shows them: a team leader reads the final notes and the task, and can book an expert’s free slots', async () => {
    const course = await t.db.repo(Course).findOneByOrFail({ title: MEETINGS_COURSE });
    const a = agent(t.server);
    await signIn(a, 'participant@atelier.example', DEMO_PASSWORD);
    const list = textOf((await a.get(`/courses/${course.id}/meetings`).expect(200)).text);
    expect(list).toContain('Viet Nam with Anke Weber');
    expect(list).toContain('Peer exchange: financing lifelong learning in Asia-Pacific');
    const held = await t.db.repo(Meeting).findOneByOrFail({ courseId: course.id, status: 'held', title: 'Viet Nam with Anke Weber' });
    const page = await a.get(`/courses/${course.id}/meetings/${held.id}`).expect(200);
    expect(page.text).toContain('<strong>financing</strong>');
    expect(textOf(page.text)).toContain('Task: Costed table of the main measures');
    expect(textOf(page.text)).toContain('Tran Van Minh Absent');
    const anke = await t.db.repo(User).findOneByOrFail({ email: 'anke.weber@atelier.example' });
    const book = await a.get(`/courses/${course.id}/meetings/book?expert=${anke.id}`).expect(200);
    expect(book.text).toMatch(/name="slot" value="\d{4}-/);
  });

  it('records the demo’s hand-ins and feedback as the services would, so the report counts the people active, and nobody is notified of them', async () => {
    const course = await t.db.repo(Course).findOneByOrFail({ title: MEETINGS_COURSE });
    const events = await t.db.repo(DomainEvent).findBy({ courseId: course.id, kind: In(['submission.submitted', 'review.released']) });
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.occurredAt < now).toBe(true);
      expect(e.dispatchedAt).not.toBeNull();
    }
    expect(await t.db.repo(Notification).count()).toBe(0);
    const a = agent(t.server);
    await signIn(a, 'facilitator@atelier.example', DEMO_PASSWORD);
    const report = textOf((await a.get(`/courses/${course.id}/report`).expect(200)).text);
    const leaders = new Set(events.filter((e) => e.kind === 'submission.submitted').map((e) => e.actorId)).size;
    const reviewers = new Set(events.filter((e) => e.kind === 'review.released').map((e) => e.actorId)).size;
    expect(leaders).toBeGreaterThan(1);
    expect(report).toContain(`Team members active in the last 14 days ${leaders}`);
    expect(report).toMatch(new RegExp(`Staff active in the last 14 days (\\d+)`));
    expect(Number(/Staff active in the last 14 days (\d+)/.exec(report)![1])).toBeGreaterThanOrEqual(reviewers);
  });

  it('adds nothing when run again', async () => {
    const before = await counts();
    expect(await seedDemo(t.db, now)).toBe(0);
    expect(await seedDemo(t.db, new Date(now.getTime() + 3 * 86400_000))).toBe(0);
    expect(await counts()).toEqual(before);
  });
});
