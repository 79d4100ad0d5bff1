import { jest } from '@jest/globals';
import { In } from 'typeorm';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Clock } from '../src/meetings/clock';
import { NOTES_MAX } from '../src/meetings/dto/records.dto';
import { Meeting, MeetingAction, MeetingAttendance, MeetingPerson, MeetingTeam, type MeetingStatus } from '../src/meetings/meeting.entity';
import { BEFORE_START, FINAL_STAYS_FINAL, NOT_A_MEETING_TEAM, NOT_IN_LIST } from '../src/meetings/meeting-records.service';
import { Notification } from '../src/notifications/notification.entity';
import { NotificationsWorker } from '../src/notifications/notifications.worker';
import { Task, TaskTeam } from '../src/tasks/task.entity';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { addStaff, createCourseWithTeams, createUser, KENYA, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';
import { countQueries } from './utils/query-counter';

/** Mon 28 Oct 2024 12:00 UTC: the consultation of 09:00 UTC is over, next week's has not begun. */
const NOW = new Date('2024-10-28T12:00:00Z');

describe(`after a meeting: attendance, notes, action items (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let base: string;
  let facilitator: User;
  let expert: User;
  let otherExpert: User;
  let leader: User;
  let member: User;
  let kenyaLeader: User;
  let mongoliaLeader: User;
  let guest: User;
  let otherFacilitator: User;
  let shanghaiId: number;
  let kenyaId: number;
  let mongoliaId: number;
  let held: Meeting;
  let upcoming: Meeting;
  let cancelled: Meeting;
  const agents = new Map<number, Agent>();

  const as = async (u: User) => {
    if (!agents.has(u.id)) {
      const a = agent(t.server);
      await signIn(a, u.email);
      agents.set(u.id, a);
    }
    return agents.get(u.id)!;
  };

  async function meeting(title: string, startsAt: string, status: MeetingStatus, teamIds: number[]) {
    return t.db.tx(async (em) => {
      const start = new Date(startsAt);
      const m = await em.getRepository(Meeting).save(
        em.getRepository(Meeting).create({
          courseId,
          kind: 'expert_consultation',
          title,
          agenda: 'The financing section',
          onlineLink: null,
          startsAt: start,
          endsAt: new Date(start.getTime() + 3600_000),
          hostId: expert.id,
          bookedBy: leader.id,
          status,
          sequence: 0,
          version: 1,
          notesStatus: 'none',
          notes: null,
          notesBy: null,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      );
      await em.getRepository(MeetingTeam).insert(teamIds.map((teamId) => ({ meetingId: m.id, teamId })));
      return m;
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(t.db, {
      teams: [
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { name: 'Li Wei', timeZone: 'Asia/Shanghai' },
          members: [{ name: 'Zhang Min', timeZone: 'Asia/Shanghai' }],
          experts: [{ name: 'Anke Weber', timeZone: 'Europe/Berlin' }],
        },
        { team: KENYA, leader: { name: 'Wanjiru Kamau' }, experts: [{ name: 'Other Expert' }] },
        { team: { country: 'MN', timeZone: 'Asia/Ulaanbaatar' }, leader: { name: 'Bolormaa Dorj' } },
      ],
    });
    courseId = made.course.id;
    base = `/courses/${courseId}`;
    facilitator = made.facilitator;
    [expert] = made.teams[0].experts;
    [otherExpert] = made.teams[1].experts;
    leader = made.teams[0].leader!;
    [member] = made.teams[0].members;
    kenyaLeader = made.teams[1].leader!;
    mongoliaLeader = made.teams[2].leader!;
    shanghaiId = made.teams[0].team.id;
    kenyaId = made.teams[1].team.id;
    mongoliaId = made.teams[2].team.id;
    guest = await createUser(t.db, { name: 'Gita Guest' });
    const other = await createCourseWithTeams(t.db, { course: { title: 'Another workshop' }, teams: [] });
    otherFacilitator = other.facilitator;
    await addStaff(t.db, other.course.id, expert.id, 'expert');

    held = await meeting('Shanghai and Kenya with Anke Weber', '2024-10-28T09:00:00Z', 'scheduled', [shanghaiId, kenyaId]);
    await t.db.tx((em) => em.getRepository(MeetingPerson).insert({ meetingId: held.id, userId: guest.id, role: 'guest' }));
    upcoming = await meeting('Next week', '2024-11-04T09:00:00Z', 'scheduled', [shanghaiId]);
    cancelled = await meeting('Called off', '2024-10-27T09:00:00Z', 'cancelled', [shanghaiId]);
  });
  afterAll(() => t.close());

  const href = (m: Meeting) => `${base}/meetings/${m.id}`;
  const version = async (m: Meeting) => (await t.db.repo(Meeting).findOneByOrFail({ id: m.id })).version;
  const token = async (u: User) => csrfFrom((await (await as(u)).get('/account').expect(200)).text);
  const post = async (u: User, path: string, body: Record<string, string | string[]>) =>
    (await as(u))
      .post(path)
      .type('form')
      .send({ _csrf: await token(u), ...body });
  const stored = async () => ({
    attendance: await t.db.repo(MeetingAttendance).count(),
    actions: await t.db.repo(MeetingAction).count(),
    tasks: await t.db.repo(Task).count(),
    events: await t.db.repo(DomainEvent).countBy({ subjectType: In(['meeting', 'task']) }),
    meetings: (await t.db.repo(Meeting).find({ order: { id: 'ASC' } })).map((m) => [m.status, m.version, m.notes, m.notesStatus]),
  });

  describe('who may record (404 for anyone else, nothing stored)', () => {
    const routes = () =>
      [
        ['attendance', `${href(held)}/attendance`, { present: `team-${shanghaiId}`, version: '1' }],
        ['notes', `${href(held)}/notes`, { notes: 'Notes', status: 'draft', version: '1' }],
        ['an action item', `${href(held)}/actions`, { actionText: 'Send the budget table', actionTeam: String(shanghaiId) }],
      ] as const;
    it.each([
      ['another expert of the course', () => otherExpert],
      ['the team’s leader', () => leader],
      ['a member of the team', () => member],
      ['a facilitator of another course', () => otherFacilitator],
    ])('refuses %s on every route', async (_who, who) => {
      const before = await stored();
      for (const [, path, body] of routes()) expect([path, (await post(who(), path, body)).status]).toEqual([path, 404]);
      expect(await stored()).toEqual(before);
    });

    it('shows the forms to the host and the facilitator only', async () => {
      for (const u of [expert, facilitator]) {
        const page = await (await as(u)).get(href(held)).expect(200);
        expect(page.text).toContain(`action="${href(held)}/attendance"`);
        expect(page.text).toContain(`action="${href(held)}/notes"`);
        expect(page.text).toContain(`action="${href(held)}/actions"`);
      }
      for (const u of [leader, member, kenyaLeader]) {
        const page = await (await as(u)).get(href(held)).expect(200);
        expect(page.text).not.toContain(`${href(held)}/attendance"`);
        expect(page.text).not.toContain(`${href(held)}/notes"`);
        expect(textOf(page.text)).toContain('Attendance Not recorded yet.');
      }
    });
  });

  describe('attendance', () => {
    it('refuses before the meeting has begun (422), and for a cancelled meeting (409), nothing stored', async () => {
      const hostView = textOf((await (await as(expert)).get(href(upcoming)).expect(200)).text);
      expect(hostView).toContain('Attendance, notes and action items can be recorded here once the meeting has begun.');
      expect(hostView).not.toContain('Save attendance');
      const memberView = textOf((await (await as(member)).get(href(upcoming)).expect(200)).text);
      expect(memberView).not.toContain('Attendance');
      expect(memberView).not.toContain('once the meeting has begun');
      const before = await stored();
      const early = await post(expert, `${href(upcoming)}/attendance`, { present: `team-${shanghaiId}`, version: '1' });
      expect(early.status).toBe(422);
      expect(textOf(early.text)).toContain(BEFORE_START);
      const off = await post(facilitator, `${href(cancelled)}/attendance`, { present: `team-${shanghaiId}`, version: '1' });
      expect(off.status).toBe(409);
      expect(textOf(off.text)).toContain('This meeting was cancelled');
      expect((await post(facilitator, `${href(cancelled)}/notes`, { notes: 'x', status: 'draft', version: '1' })).status).toBe(409);
      expect(await stored()).toEqual(before);
    });

    it('refuses a box not in the list (422 at the field), nothing stored', async () => {
      const before = await stored();
      const res = await post(expert, `${href(held)}/attendance`, { present: [`team-${shanghaiId}`, `team-${mongoliaId}`], version: '1' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="f-present-error"/);
      expect(textOf(res.text)).toContain(NOT_IN_LIST);
      expect(await stored()).toEqual(before);
    });

    it('records who was there as the host: the meeting is held, meeting.held recorded, everyone in it reads the list', async () => {
      const page = await (await as(expert)).get(href(held));
      expect(page.text).toContain(`value="user-${guest.id}"`);
      const res = await (
        await as(expert)
      )
        .post(`${href(held)}/attendance`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), present: [`team-${shanghaiId}`, `user-${leader.id}`, `user-${expert.id}`, `user-${guest.id}`], version: '1' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${href(held)}#attendance`);
      const m = await t.db.repo(Meeting).findOneByOrFail({ id: held.id });
      expect([m.status, m.version]).toEqual(['held', 2]);
      const rows = await t.db.repo(MeetingAttendance).findBy({ meetingId: held.id });
      const present = (r: MeetingAttendance) => (r.teamId !== null ? `team-${r.teamId}` : `user-${r.userId}`) + (r.present ? '+' : '-');
      expect(rows.map(present).sort()).toEqual(
        [
          `team-${shanghaiId}+`,
          `team-${kenyaId}-`,
          `user-${leader.id}+`,
          `user-${member.id}-`,
          `user-${kenyaLeader.id}-`,
          `user-${expert.id}+`,
          `user-${guest.id}+`,
        ].sort(),
      );
      const event = await t.db.repo(DomainEvent).findOneByOrFail({ kind: 'meeting.held' });
      expect(JSON.parse(event.payload)).toEqual({ meetingId: held.id, title: held.title, teamsPresent: 1, peoplePresent: 3 });
      expect(event.actorId).toBe(expert.id);
      const read = textOf((await (await as(member)).get(href(held)).expect(200)).text);
      expect(read).toContain('Status Held');
      expect(read).toContain('1 team and 3 people present');
      expect(read).toContain('China — Shanghai (team) Present');
      expect(read).toContain('Kenya (team) Absent');
      expect(read).toContain('Zhang Min Absent');
      expect(read).toContain('Li Wei Present');
      expect(read).toContain('Gita Guest (Guest) Present');
    });

    it('sends a stale form to the conflict page with the ticks kept; saving again with the new version replaces the set', async () => {
      const before = await stored();
      const res = await post(facilitator, `${href(held)}/attendance`, { present: [`team-${kenyaId}`, `user-${kenyaLeader.id}`], version: '1' });
      expect(res.status).toBe(409);
      expect(textOf(res.text)).toContain('Someone else saved this meeting’s attendance while you were editing it');
      expect(res.text).toMatch(new RegExp(`value="team-${kenyaId}" checked`));
      expect(res.text).not.toMatch(new RegExp(`value="team-${shanghaiId}" checked`));
      expect(res.text).toContain('name="version" value="2"');
      expect(await stored()).toEqual(before);
      const again = await post(facilitator, `${href(held)}/attendance`, { present: [`team-${kenyaId}`, `user-${kenyaLeader.id}`], version: '2' });
      expect(again.status).toBe(303);
      const rows = await t.db.repo(MeetingAttendance).findBy({ meetingId: held.id, present: true });
      expect(rows.map((r) => r.teamId ?? r.userId).sort()).toEqual([kenyaId, kenyaLeader.id].sort());
      expect(await t.db.repo(MeetingAttendance).countBy({ meetingId: held.id })).toBe(7);
    });
  });

  describe('notes', () => {
    it('refuses empty or too long notes at the field (422), the text kept, nothing stored', async () => {
      const before = await stored();
      const v = String(await version(held));
      const empty = await post(expert, `${href(held)}/notes`, { notes: '   ', status: 'draft', version: v });
      expect(empty.status).toBe(422);
      expect(empty.text).toMatch(/id="f-notes-error"/);
      const long = await post(expert, `${href(held)}/notes`, { notes: 'x'.repeat(NOTES_MAX + 1), status: 'draft', version: v });
      expect(long.status).toBe(422);
      expect(textOf(long.text)).toContain('Keep the notes under 20,000 characters.');
      expect(long.text).toContain('x'.repeat(100));
      expect(await stored()).toEqual(before);
    });

    it('keeps a draft from the teams; made final, everyone in the meeting reads it and is told (not the one who did it)', async () => {
      const v = await version(held);
      const draft = await post(expert, `${href(held)}/notes`, { notes: '## Decisions\n\n* Budget table by **Friday**', status: 'draft', version: String(v) });
      expect(draft.status).toBe(303);
      expect(await t.db.repo(DomainEvent).countBy({ kind: 'meeting.notes_finalised' })).toBe(0);
      for (const u of [expert, facilitator]) {
        const page = await (await as(u)).get(href(held));
        expect(page.text).toContain('<h3>Decisions</h3>');
        expect(textOf(page.text)).toContain('Draft Only the host and the facilitators see these notes');
      }
      for (const u of [leader, member, kenyaLeader]) {
        const page = await (await as(u)).get(href(held));
        expect(page.text).not.toContain('Decisions');
        expect(textOf(page.text)).toContain('Notes No notes yet.');
      }

      const final = await post(facilitator, `${href(held)}/notes`, {
        notes: '## Decisions\n\n* Budget table by **Friday**',
        status: 'final',
        version: String(v + 1),
      });
      expect(final.status).toBe(303);
      const m = await t.db.repo(Meeting).findOneByOrFail({ id: held.id });
      expect([m.notesStatus, m.notesBy]).toEqual(['final', facilitator.id]);
      const event = await t.db.repo(DomainEvent).findOneByOrFail({ kind: 'meeting.notes_finalised' });
      expect(JSON.parse(event.payload)).toEqual({
        meetingId: held.id,
        title: held.title,
        hostId: expert.id,
        teamIds: [shanghaiId, kenyaId],
        personIds: [guest.id],
      });
      for (const u of [leader, member, kenyaLeader]) {
        const page = await (await as(u)).get(href(held));
        expect(page.text).toContain('<strong>Friday</strong>');
        expect(page.text).not.toContain('badge--draft');
      }
      await t.app.get(NotificationsWorker).dispatchEvents(NOW);
      const told = (await t.db.repo(Notification).findBy({ kind: 'meeting_notes' })).map((n) => n.userId).sort((a, b) => a - b);
      expect(told).toEqual([expert.id, leader.id, member.id, kenyaLeader.id, guest.id].sort((a, b) => a - b));
    });

    it('keeps final notes final: a correction is a new version, no second event; a draft is refused', async () => {
      const v = await version(held);
      const refused = await post(expert, `${href(held)}/notes`, { notes: 'Back to draft', status: 'draft', version: String(v) });
      expect(refused.status).toBe(422);
      expect(textOf(refused.text)).toContain(FINAL_STAYS_FINAL);
      const fixed = await post(expert, `${href(held)}/notes`, { notes: '## Decisions\n\n* Budget table by **Thursday**', status: 'final', version: String(v) });
      expect(fixed.status).toBe(303);
      const m = await t.db.repo(Meeting).findOneByOrFail({ id: held.id });
      expect([m.notesStatus, m.version, m.notesBy]).toEqual(['final', v + 1, expert.id]);
      expect(await t.db.repo(DomainEvent).countBy({ kind: 'meeting.notes_finalised' })).toBe(1);
      expect((await (await as(member)).get(href(held))).text).toContain('<strong>Thursday</strong>');
    });

    it('of two people editing the notes, the second gets the conflict page with their text kept', async () => {
      const ex = await as(expert);
      const fac = await as(facilitator);
      const [a, b] = [await ex.get(href(held)), await fac.get(href(held))];
      const v = await version(held);
      expect(a.text).toContain(`name="version" value="${v}"`);
      const first = await ex
        .post(`${href(held)}/notes`)
        .type('form')
        .send({ _csrf: csrfFrom(a.text), notes: 'The expert’s version', status: 'final', version: String(v) });
      expect(first.status).toBe(303);
      const second = await fac
        .post(`${href(held)}/notes`)
        .type('form')
        .send({ _csrf: csrfFrom(b.text), notes: 'The facilitator’s version', status: 'final', version: String(v) });
      expect(second.status).toBe(409);
      const text = textOf(second.text);
      expect(text).toContain('Someone else saved this meeting’s notes while you were editing it');
      expect(text).toContain('Notes The expert’s version The facilitator’s version');
      expect(second.text).toMatch(/<textarea id="f-notes" name="notes"[^>]*>The facilitator’s version<\/textarea>/);
      expect(second.text).toContain(`name="version" value="${v + 1}"`);
      expect((await t.db.repo(Meeting).findOneByOrFail({ id: held.id })).notes).toBe('The expert’s version');
    });
  });

  describe('action items', () => {
    it.each([
      ['empty text', { actionText: '  ', actionTeam: 'SHANGHAI' }, 'actionText', 'Write the action item.'],
      ['text over 500 characters', { actionText: 'y'.repeat(501), actionTeam: 'SHANGHAI' }, 'actionText', 'Keep the action item under 500 characters.'],
      ['a team not in the meeting', { actionText: 'Do it', actionTeam: 'MONGOLIA' }, 'actionTeam', NOT_A_MEETING_TEAM],
      ['no team', { actionText: 'Do it', actionTeam: '' }, 'actionTeam', 'Choose the team the action item is for.'],
    ])('refuses %s (422 at the field), nothing stored', async (_what, body, field, message) => {
      const before = await stored();
      const team = body.actionTeam === 'SHANGHAI' ? String(shanghaiId) : body.actionTeam === 'MONGOLIA' ? String(mongoliaId) : body.actionTeam;
      const res = await post(expert, `${href(held)}/actions`, { ...body, actionTeam: team });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`id="f-${field}-error"`));
      expect(textOf(res.text)).toContain(message);
      expect(await stored()).toEqual(before);
    });

    it('adds an action item as the host; only a facilitator makes it a task, for that team only, linked back to the meeting', async () => {
      expect((await post(expert, `${href(held)}/actions`, { actionText: 'Send the budget table to the expert', actionTeam: String(shanghaiId) })).status).toBe(
        303,
      );
      const action = await t.db.repo(MeetingAction).findOneByOrFail({ meetingId: held.id, text: 'Send the budget table to the expert' });
      expect([action.teamId, action.createdBy, action.taskId]).toEqual([shanghaiId, expert.id, null]);
      const taskPath = `${href(held)}/actions/${action.id}/task`;
      expect(textOf((await (await as(member)).get(href(held))).text)).toContain('Send the budget table to the expert — for China — Shanghai');

      const before = await stored();
      for (const u of [expert, otherExpert, leader, member, otherFacilitator]) {
        await (await as(u)).get(taskPath).expect(404);
        expect((await post(u, taskPath, { title: 'Budget table', dueDay: '2024-11-05', dueTime: '17:00', publish: 'on' })).status).toBe(404);
      }
      const past = await post(facilitator, taskPath, { title: 'Budget table', dueDay: '2024-10-01', dueTime: '17:00', publish: 'on' });
      expect(past.status).toBe(422);
      expect(past.text).toMatch(/id="f-dueDay-error"/);
      const untitled = await post(facilitator, taskPath, { title: '', dueDay: '2024-11-05', dueTime: '17:00' });
      expect(untitled.status).toBe(422);
      expect(untitled.text).toMatch(/id="f-title-error"/);
      expect(await stored()).toEqual(before);

      const form = await (await as(facilitator)).get(taskPath).expect(200);
      expect(form.text).toContain('value="Send the budget table to the expert"');
      expect(form.text).toContain('value="2024-11-04"'); // a week after the meeting
      const made = await post(facilitator, taskPath, { title: 'Budget table', dueDay: '2024-11-05', dueTime: '17:00', publish: 'on' });
      expect(made.status).toBe(303);
      const task = await t.db.repo(Task).findOneByOrFail({ title: 'Budget table', courseId });
      expect(task).toMatchObject({ status: 'published', audience: 'selected', kind: 'team', expectsText: true });
      expect(task.dueAt.toISOString()).toBe('2024-11-05T09:00:00.000Z'); // 17:00 Shanghai
      expect(task.instructions).toContain(`[Shanghai and Kenya with Anke Weber](${href(held)})`);
      expect((await t.db.repo(TaskTeam).findBy({ taskId: task.id })).map((l) => l.teamId)).toEqual([shanghaiId]);
      expect((await t.db.repo(MeetingAction).findOneByOrFail({ id: action.id })).taskId).toBe(task.id);
      expect(await t.db.repo(DomainEvent).countBy({ kind: 'task.published', subjectId: task.id })).toBe(1);

      // The team sees the task and its link; another team of the meeting sees the item but not the task; a team outside sees neither.
      const seen = await (await as(member)).get(href(held));
      expect(seen.text).toContain(`<a href="${base}/tasks/${task.id}">Budget table</a>`);
      await (await as(member)).get(`${base}/tasks/${task.id}`).expect(200);
      const kenya = await (await as(kenyaLeader)).get(href(held));
      expect(textOf(kenya.text)).toContain('Send the budget table to the expert — for China — Shanghai Made into a task for the team.');
      expect(kenya.text).not.toContain(`/tasks/${task.id}`);
      await (await as(kenyaLeader)).get(`${base}/tasks/${task.id}`).expect(404);
      await (await as(mongoliaLeader)).get(`${base}/tasks/${task.id}`).expect(404);
      await (await as(mongoliaLeader)).get(href(held)).expect(404);

      // Once only.
      const tasks = await t.db.repo(Task).count();
      expect((await post(facilitator, taskPath, { title: 'Budget table again', dueDay: '2024-11-05', dueTime: '17:00' })).status).toBe(409);
      expect(await t.db.repo(Task).count()).toBe(tasks);
    });

    it('makes a draft task when not published: the facilitator sees it, the team does not', async () => {
      expect((await post(facilitator, `${href(held)}/actions`, { actionText: 'Invite the ministry', actionTeam: String(kenyaId) })).status).toBe(303);
      const action = await t.db.repo(MeetingAction).findOneByOrFail({ text: 'Invite the ministry' });
      expect(
        (await post(facilitator, `${href(held)}/actions/${action.id}/task`, { title: 'Ministry invitation', dueDay: '2024-11-08', dueTime: '12:00' })).status,
      ).toBe(303);
      const task = await t.db.repo(Task).findOneByOrFail({ title: 'Ministry invitation' });
      expect(task.status).toBe('draft');
      expect((await (await as(facilitator)).get(href(held))).text).toContain(`/tasks/${task.id}">Ministry invitation</a> (draft)`);
      expect((await (await as(kenyaLeader)).get(href(held))).text).not.toContain(`/tasks/${task.id}`);
      await (await as(kenyaLeader)).get(`${base}/tasks/${task.id}`).expect(404);
    });
  });

  it('shows the meeting page with a constant number of queries, whatever the number of people, action items and tasks', async () => {
    const a = await as(facilitator);
    const before = await countQueries(t.db, () => a.get(href(held)).expect(200));
    const more = await createUser(t.db, { name: 'Another Guest' });
    await t.db.tx(async (em) => {
      await em.getRepository(MeetingPerson).insert({ meetingId: held.id, userId: more.id, role: 'expert' });
      await em.getRepository(MeetingAttendance).insert({ meetingId: held.id, teamId: null, userId: more.id, present: true });
      for (let i = 0; i < 4; i++)
        await em
          .getRepository(MeetingAction)
          .insert({ meetingId: held.id, teamId: kenyaId, text: `Extra ${i}`, taskId: null, createdBy: null, createdAt: NOW });
    });
    const after = await countQueries(t.db, () => a.get(href(held)).expect(200));
    expect(after).toBe(before);
    expect(textOf((await a.get(href(held))).text)).toContain('Another Guest (Expert) Present');
  });
});
