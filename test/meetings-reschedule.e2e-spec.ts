import { jest } from '@jest/globals';
import ICAL from 'ical.js';
import { In } from 'typeorm';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Clock } from '../src/meetings/clock';
import { Meeting, MeetingPerson, MeetingTeam } from '../src/meetings/meeting.entity';
import { BEGUN_ALREADY, CANCELLED_ALREADY, HOST_BUSY, IN_THE_PAST, JUST_BOOKED, NOT_OFFERED, SAME_TIME, TOO_CLOSE } from '../src/meetings/meetings.service';
import { Notification } from '../src/notifications/notification.entity';
import { NotificationsWorker } from '../src/notifications/notifications.worker';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { assignExpert, createCourseWithTeams, createUser, KENYA, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';

/** Thu 24 Oct 2024, the in-person week in Shanghai (21–25 Oct); the online phase after it runs 26 Oct – 30 Nov. Berlin leaves summer time on Sun 27 Oct. */
const NOW = new Date('2024-10-24T06:00:00Z');

/** The expert (Berlin) meets on Fridays, Saturdays and Mondays 10:00–12:00, 30-minute slots, 15 minutes between meetings, a day's notice, 30 days ahead. */
const AVAILABILITY = {
  timeZone: 'Europe/Berlin',
  slotMinutes: '30',
  bufferMinutes: '15',
  minNoticeHours: '24',
  horizonDays: '30',
  maxPerTeam: '',
  weekly1Day: '5',
  weekly1Start: '10:00',
  weekly1End: '12:00',
  weekly2Day: '6',
  weekly2Start: '10:00',
  weekly2End: '12:00',
  weekly3Day: '1',
  weekly3Start: '10:00',
  weekly3End: '12:00',
  version: '0',
};

/** Sat 26 Oct 10:30 Berlin (summer time) = 16:30 Shanghai. */
const SAT_1030 = '2024-10-26T08:30:00.000Z';
/** Mon 28 Oct 10:00 Berlin (winter time) = 17:00 Shanghai. */
const MON_1000 = '2024-10-28T09:00:00.000Z';
/** Mon 28 Oct 11:00 Berlin. */
const MON_1100 = '2024-10-28T10:00:00.000Z';

describe(`rescheduling and cancelling meetings (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let courseTitle: string;
  let base: string;
  let expert: User;
  let leader: User;
  let member: User;
  let leader2: User;
  let leader3: User;
  let facilitator: User;
  let otherExpert: User;
  let guest: User;
  let shanghaiTeamId: number;
  let kenyaTeamId: number;
  const agents = new Map<number, Agent>();

  const as = async (u: User) => {
    if (!agents.has(u.id)) {
      const a = agent(t.server);
      await signIn(a, u.email);
      agents.set(u.id, a);
    }
    return agents.get(u.id)!;
  };

  beforeAll(async () => {
    t = await createTestApp();
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(t.db, {
      facilitator: { timeZone: 'Europe/Berlin', name: 'Fatou Facilitator' },
      teams: [
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { timeZone: 'Asia/Shanghai', name: 'Li Wei' },
          members: [{ timeZone: 'Asia/Shanghai', name: 'Zhang Min' }],
          experts: [{ timeZone: 'Europe/Berlin', name: 'Anke Weber' }],
        },
        { team: KENYA, leader: {}, experts: [{ name: 'Other Expert' }] },
        { team: {}, leader: {} },
      ],
    });
    courseId = made.course.id;
    courseTitle = made.course.title;
    base = `/courses/${courseId}`;
    facilitator = made.facilitator;
    [expert] = made.teams[0].experts;
    leader = made.teams[0].leader!;
    [member] = made.teams[0].members;
    leader2 = made.teams[1].leader!;
    [otherExpert] = made.teams[1].experts;
    leader3 = made.teams[2].leader!;
    shanghaiTeamId = made.teams[0].team.id;
    kenyaTeamId = made.teams[1].team.id;
    await assignExpert(t.db, kenyaTeamId, expert.id);
    guest = await createUser(t.db, { name: 'Guest Speaker', timeZone: 'America/New_York' });

    const ex = await as(expert);
    const page = await ex.get(`${base}/availability`);
    await ex
      .post(`${base}/availability`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...AVAILABILITY })
      .expect(303);
  });
  afterAll(() => t.close());

  const token = async (u: User) => csrfFrom((await (await as(u)).get(`${base}/meetings`)).text);
  const book = async (u: User, slot: string, team = shanghaiTeamId) =>
    (await as(u))
      .post(`${base}/meetings/book`)
      .type('form')
      .send({ _csrf: await token(u), expert: String(expert.id), team: String(team), slot, agenda: 'Our policy brief', link: '' });
  const meetingAt = (startsAt: string) => t.db.repo(Meeting).findOneByOrFail({ hostId: expert.id, startsAt: new Date(startsAt), status: 'scheduled' });
  const reload = (id: number) => t.db.repo(Meeting).findOneByOrFail({ id });
  /** Meeting changes recorded (sign-ins are events too, so only these kinds count here). */
  const events = () => t.db.repo(DomainEvent).countBy({ kind: In(['meeting.rescheduled', 'meeting.cancelled']) });
  const move = async (u: User, m: Meeting, body: Record<string, string>, csrf?: string) =>
    (await as(u))
      .post(`${base}/meetings/${m.id}/reschedule`)
      .type('form')
      .send({ _csrf: csrf ?? (await token(u)), version: String(m.version), reason: 'The minister is travelling that day', ...body });
  const cancel = async (u: User, m: Meeting, body: Record<string, string> = {}, csrf?: string) =>
    (await as(u))
      .post(`${base}/meetings/${m.id}/cancel`)
      .type('form')
      .send({ _csrf: csrf ?? (await token(u)), version: String(m.version), cancelReason: 'The brief is not ready', ...body });

  /** A meeting another helper's page will schedule; here written directly: the facilitator hosts it, the Shanghai team and a guest take part. */
  async function plenary(title: string, startsAt: string, minutes = 60): Promise<Meeting> {
    return t.db.tx(async (em) => {
      const m = await em.getRepository(Meeting).save({
        courseId,
        kind: 'plenary' as const,
        title,
        agenda: 'Progress of every team',
        onlineLink: null,
        startsAt: new Date(startsAt),
        endsAt: new Date(new Date(startsAt).getTime() + minutes * 60_000),
        hostId: facilitator.id,
        bookedBy: null,
        status: 'scheduled' as const,
        sequence: 0,
        version: 1,
        createdAt: NOW,
        updatedAt: NOW,
      });
      await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: shanghaiTeamId });
      await em.getRepository(MeetingPerson).insert({ meetingId: m.id, userId: guest.id, role: 'guest' });
      return m;
    });
  }

  describe('an expert consultation', () => {
    let m: Meeting;
    beforeAll(async () => {
      expect((await book(leader, SAT_1030)).status).toBe(303);
      m = await meetingAt(SAT_1030);
      await t.db.tx((em) => em.getRepository(MeetingPerson).insert({ meetingId: m.id, userId: guest.id, role: 'guest' }));
    });

    it('offers the leader the expert’s other free slots in the leader’s zone (the expert’s beside), not the meeting’s own time; no forms for a member', async () => {
      const page = await (await as(leader)).get(`${base}/meetings/${m.id}`).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('Move this meeting');
      expect(text).toContain('Cancel this meeting');
      expect(text).toContain('17:00–17:30 Shanghai · Mon 28 Oct 10:00 Berlin');
      expect(page.text).toContain(`value="${MON_1000}"`);
      expect(page.text).not.toContain(`value="${SAT_1030}"`);
      // The meeting itself is not busy for its own move: the slot right after it is offered (booking pages keep it out, for the break).
      expect(page.text).toContain('value="2024-10-26T09:00:00.000Z"');
      const seen = await (await as(member)).get(`${base}/meetings/${m.id}`).expect(200);
      expect(textOf(seen.text)).not.toContain('Move this meeting');
      expect(seen.text).not.toContain('/reschedule');
    });

    it('lets no one else move or cancel it (404), and a signed-out person is sent to sign in; nothing stored', async () => {
      const before = await events();
      for (const u of [member, leader2, leader3, otherExpert]) {
        expect([u.name, (await move(u, m, { slot: MON_1000 })).status]).toEqual([u.name, 404]);
        expect([u.name, (await cancel(u, m)).status]).toEqual([u.name, 404]);
        // An invalid form from someone who may not change the meeting is a 404 too, never the form's messages.
        expect([u.name, (await move(u, m, { slot: MON_1000, reason: '' })).status]).toEqual([u.name, 404]);
      }
      const out = agent(t.server);
      const page = await out.get(`${base}/meetings/${m.id}`);
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(/^\/sign-in/);
      expect([401, 403]).toContain(
        (await out.post(`${base}/meetings/${m.id}/reschedule`).type('form').send({ version: '1', reason: 'x', slot: MON_1000 })).status,
      );
      expect([401, 403]).toContain((await out.post(`${base}/meetings/${m.id}/cancel`).type('form').send({ version: '1', cancelReason: 'x' })).status);
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ status: 'scheduled', sequence: 0, version: 1 });
    });

    it.each([
      ['no reason', { reason: '  ' }, 'reason', 'Say why the meeting is moved.'],
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason', 'Keep the reason under 500 characters.'],
      ['no time', { slot: '' }, 'slot', 'Choose one of the free times.'],
      ['the meeting’s own time', { slot: SAT_1030 }, 'slot', NOT_OFFERED],
      ['a time off the grid', { slot: '2024-10-28T09:10:00.000Z' }, 'slot', NOT_OFFERED],
      ['a time in the past', { slot: '2024-10-21T08:00:00.000Z' }, 'slot', NOT_OFFERED],
      ['a time outside the online phases', { slot: '2024-10-25T08:00:00.000Z' }, 'slot', NOT_OFFERED],
    ])('refuses %s with 422 at the field, the reason kept, nothing stored', async (_what, body, field, message) => {
      const before = await events();
      const res = await move(leader, m, { slot: MON_1000, ...body });
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain(message);
      expect(res.text).toContain(`id="f-${field}-error"`);
      if (!('reason' in body)) expect(res.text).toContain('The minister is travelling that day');
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ status: 'scheduled', sequence: 0, version: 1 });
    });

    it('names every missing field of a form sent empty at once: the free time and the reason', async () => {
      const page = await (await as(leader)).get(`${base}/meetings/${m.id}`);
      expect(page.text).toContain('<input type="hidden" name="times" value="slot">');
      const before = await events();
      const res = await move(leader, m, { times: 'slot', slot: '', reason: '' });
      expect(res.status).toBe(422);
      const text = textOf(res.text);
      expect(text).toContain('Choose one of the free times.');
      expect(text).toContain('Say why the meeting is moved.');
      expect(res.text).toContain('id="f-slot-error"');
      expect(res.text).toContain('id="f-reason-error"');
      expect(await events()).toBe(before);
    });

    it('refuses a form that says it showed neither kind of time: 422, nothing stored', async () => {
      const before = await events();
      for (const [times, message] of [
        ['other', 'Send the form from the meeting’s page.'],
        ['x'.repeat(10_000), 'Send the form from the meeting’s page.'],
        ['slot\u0000', 'an invisible NUL character'],
      ]) {
        const res = await move(leader, m, { times, slot: MON_1000 });
        expect(res.status).toBe(422);
        expect(textOf(res.text)).toContain(message);
      }
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ status: 'scheduled', sequence: 0, version: 1 });
    });

    it('refuses a slot another meeting of the expert took meanwhile (or its break): 422, nothing stored', async () => {
      expect((await book(leader2, MON_1000, kenyaTeamId)).status).toBe(303);
      const before = await events();
      for (const [slot, message] of [
        [MON_1000, JUST_BOOKED],
        ['2024-10-28T09:30:00.000Z', TOO_CLOSE],
      ]) {
        const res = await move(leader, m, { slot });
        expect(res.status).toBe(422);
        expect(textOf(res.text)).toContain(message);
      }
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ startsAt: new Date(SAT_1030), sequence: 0, version: 1 });
    });

    it('moves it: new time, status, SEQUENCE and version up, the reason, and meeting.rescheduled with its people; the page says from when', async () => {
      const res = await move(leader, m, { slot: MON_1100, reason: 'The minister is travelling that day' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${base}/meetings/${m.id}`);
      const after = await reload(m.id);
      expect(after).toMatchObject({ status: 'rescheduled', sequence: 1, version: 2, changeReason: 'The minister is travelling that day' });
      expect(after.startsAt.toISOString()).toBe(MON_1100);
      expect(after.endsAt.toISOString()).toBe('2024-10-28T10:30:00.000Z');
      const event = await t.db.repo(DomainEvent).findOneByOrFail({ kind: 'meeting.rescheduled', subjectId: m.id });
      expect(event.actorId).toBe(leader.id);
      expect(JSON.parse(event.payload)).toEqual({
        meetingId: m.id,
        title: m.title,
        from: SAT_1030,
        startsAt: MON_1100,
        sequence: 1,
        reason: 'The minister is travelling that day',
        hostId: expert.id,
        teamIds: [shanghaiTeamId],
        personIds: [guest.id],
      });
      const page = textOf((await (await as(member)).get(res.headers.location).expect(200)).text);
      expect(page).toContain('Rescheduled');
      expect(page).toContain('Moved from Sat 26 Oct 2024, 16:30–17:00 Shanghai');
      expect(page).toContain('Why it was moved The minister is travelling that day');
      expect(page).toContain('Mon 28 Oct 2024, 18:00–18:30 Shanghai');
      // The old time is free again for everyone booking.
      const booking = await (await as(leader)).get(`${base}/meetings/book?expert=${expert.id}`);
      expect(booking.text).toContain(`value="${SAT_1030}"`);
    });

    it('tells the expert, the team’s members and the guest (not the leader who moved it), with both times in each one’s zone and the reason', async () => {
      await t.app.get(NotificationsWorker).dispatchEvents(NOW);
      const told = (await t.db.repo(Notification).findBy({ kind: 'meeting_rescheduled' })).map((n) => n.userId).sort((a, b) => a - b);
      expect(told).toEqual([expert.id, member.id, guest.id].sort((a, b) => a - b));
      const mail = await t.db.repo(OutboxMessage).findOneByOrFail({ userId: member.id, subject: `[${courseTitle}] Meeting moved: “${m.title}”` });
      expect(mail.text).toContain('Li Wei moved');
      expect(mail.text).toMatch(/It was: Sat 26 Oct 2024, 16:30 \(Asia\/Shanghai\)/);
      expect(mail.text).toMatch(/It is now: Mon 28 Oct 2024, 18:00 \(Asia\/Shanghai\)/);
      expect(mail.text).toContain('Reason: The minister is travelling that day');
      const guestMail = await t.db.repo(OutboxMessage).findOneByOrFail({ userId: guest.id });
      expect(guestMail.text).toMatch(/It was: Sat 26 Oct 2024, 04:30 \(America\/New_York\)/);
    });

    it('a form opened before the move is stale: 409 with the conflict notice and the form as typed; nothing stored', async () => {
      const before = await events();
      const stale = { ...m, version: 1 };
      const res = await move(expert, stale, { slot: '2024-11-01T09:00:00.000Z', reason: 'My own reason' });
      expect(res.status).toBe(409);
      const text = textOf(res.text);
      expect(text).toContain('Someone else saved this meeting while you were editing it');
      expect(res.text).toContain('My own reason');
      expect(res.text).toContain('name="version" value="2"');
      expect((await cancel(facilitator, stale)).status).toBe(409);
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ sequence: 1, version: 2, startsAt: new Date(MON_1100) });
    });

    it('cancels it with a reason: the time is free to book again; it cannot be moved or cancelled again', async () => {
      const current = await reload(m.id);
      const before = await events();
      expect((await cancel(leader, current, { cancelReason: ' ' })).status).toBe(422);
      expect(await events()).toBe(before);
      const res = await cancel(expert, current, { cancelReason: 'I am ill' });
      expect(res.status).toBe(303);
      expect(await reload(m.id)).toMatchObject({ status: 'cancelled', sequence: 2, version: 3, changeReason: 'I am ill' });
      const event = await t.db.repo(DomainEvent).findOneByOrFail({ kind: 'meeting.cancelled', subjectId: m.id });
      expect(event.actorId).toBe(expert.id);
      expect(JSON.parse(event.payload)).toEqual({
        meetingId: m.id,
        title: m.title,
        startsAt: MON_1100,
        sequence: 2,
        reason: 'I am ill',
        hostId: expert.id,
        teamIds: [shanghaiTeamId],
        personIds: [guest.id],
      });
      const page = await (await as(leader)).get(`${base}/meetings/${m.id}`).expect(200);
      expect(textOf(page.text)).toContain('This meeting is cancelled.');
      expect(textOf(page.text)).toContain('Why it was cancelled I am ill');
      // In the list it says so beside its title, not only in the last column (off screen on a phone).
      const list = (await (await as(leader)).get(`${base}/meetings`).expect(200)).text;
      const row = list.split('<tr>').find((r) => r.includes(`href="${base}/meetings/${m.id}"`))!;
      expect(row).toMatch(/<th scope="row"><a [^>]+>[^<]+<\/a> <span class="badge badge--revoked">Cancelled<\/span><\/th>/);
      expect(page.text).not.toContain('/reschedule');

      const n = await events();
      const cancelled = await reload(m.id);
      for (const res2 of [await cancel(leader, cancelled), await move(leader, cancelled, { slot: '2024-11-01T09:00:00.000Z' })]) {
        expect(res2.status).toBe(422);
        expect(textOf(res2.text)).toContain(CANCELLED_ALREADY);
      }
      expect(await events()).toBe(n);
      expect(await reload(m.id)).toMatchObject({ sequence: 2, version: 3 });

      await t.app.get(NotificationsWorker).dispatchEvents(NOW);
      const told = (await t.db.repo(Notification).findBy({ kind: 'meeting_cancelled' })).map((x) => x.userId).sort((a, b) => a - b);
      expect(told).toEqual([leader.id, member.id, guest.id].sort((a, b) => a - b));

      // Its slot (and the partial unique index) let another team book the same start now.
      expect((await book(leader2, MON_1100, kenyaTeamId)).status).toBe(303);
      expect(await t.db.repo(Meeting).countBy({ hostId: expert.id, startsAt: new Date(MON_1100) })).toBe(2);
    });
  });

  it('the host expert moves their consultation, and a facilitator (manager) cancels it', async () => {
    const slot = '2024-11-08T09:00:00.000Z'; // Fri 8 Nov 10:00 Berlin
    expect((await book(leader, slot)).status).toBe(303);
    const m = await meetingAt(slot);
    expect((await move(expert, m, { slot: '2024-11-08T10:00:00.000Z', reason: 'A clash at the institute' })).status).toBe(303);
    expect(await reload(m.id)).toMatchObject({ status: 'rescheduled', sequence: 1, version: 2, startsAt: new Date('2024-11-08T10:00:00.000Z') });
    expect((await cancel(facilitator, await reload(m.id), { cancelReason: 'The expert left the programme' })).status).toBe(303);
    expect(await reload(m.id)).toMatchObject({ status: 'cancelled', sequence: 2, version: 3, changeReason: 'The expert left the programme' });
  });

  it('the .ics keeps one UID through book → move → cancel; SEQUENCE 0, 1, 2; METHOD REQUEST, then CANCEL with STATUS:CANCELLED (read by ical.js)', async () => {
    const slot = '2024-11-01T09:00:00.000Z'; // Fri 1 Nov 10:00 Berlin
    expect((await book(leader, slot)).status).toBe(303);
    const m = await meetingAt(slot);
    const read = async () => {
      const res = await (await as(member)).get(`${base}/meetings/${m.id}.ics`).expect(200);
      const cal = new ICAL.Component(ICAL.parse(res.text));
      const vevent = cal.getFirstSubcomponent('vevent')!;
      const e = new ICAL.Event(vevent);
      return {
        method: cal.getFirstPropertyValue('method'),
        uid: e.uid,
        sequence: e.sequence,
        status: vevent.getFirstPropertyValue('status'),
        start: e.startDate.toJSDate().toISOString(),
      };
    };
    const booked = await read();
    expect(booked).toMatchObject({ method: 'REQUEST', sequence: 0, status: 'CONFIRMED', start: slot });
    expect(booked.uid).toMatch(new RegExp(`^meeting-${m.id}@`));
    expect((await move(leader, m, { slot: '2024-11-01T10:00:00.000Z' })).status).toBe(303);
    expect(await read()).toEqual({ ...booked, sequence: 1, start: '2024-11-01T10:00:00.000Z' });
    expect((await cancel(leader, await reload(m.id))).status).toBe(303);
    expect(await read()).toEqual({ ...booked, method: 'CANCEL', sequence: 2, status: 'CANCELLED', start: '2024-11-01T10:00:00.000Z' });
  });

  describe('a meeting that is not a consultation (here a plenary the facilitator hosts)', () => {
    it('is moved by a manager to a day and time in their zone, across the change from summer time; the leader of its team may not (404)', async () => {
      const m = await plenary('Plenary one', '2024-10-26T08:00:00.000Z'); // Sat 10:00 Berlin (summer time)
      const page = await (await as(facilitator)).get(`${base}/meetings/${m.id}`).expect(200);
      expect(page.text).toContain('name="day" type="date" value="2024-10-26"');
      expect(page.text).toContain('name="time" type="time" value="10:00"');
      expect(textOf(page.text)).toContain('keeps its length (60 minutes)');
      expect((await move(leader, m, { day: '2024-10-27', time: '10:00' })).status).toBe(404);
      expect((await cancel(leader, m)).status).toBe(404);
      const res = await move(facilitator, m, { day: '2024-10-27', time: '10:00' });
      expect(res.status).toBe(303);
      const after = await reload(m.id);
      expect(after.startsAt.toISOString()).toBe('2024-10-27T09:00:00.000Z'); // 10:00 CET
      expect(after.endsAt.toISOString()).toBe('2024-10-27T10:00:00.000Z');
      expect(after).toMatchObject({ status: 'rescheduled', sequence: 1, version: 2 });
    });

    it.each([
      [
        'a time the clocks skip (Berlin, 30 Mar 2025 02:30)',
        { day: '2025-03-30', time: '02:30' },
        'time',
        '02:30 does not exist on 2025-03-30 in Europe/Berlin',
      ],
      ['a time in the past', { day: '2024-10-23', time: '10:00' }, 'day', IN_THE_PAST],
      ['its own time', { day: '2024-11-09', time: '10:00' }, 'time', SAME_TIME],
      ['a time overlapping another meeting of the host', { day: '2024-11-10', time: '10:30' }, 'time', HOST_BUSY],
      ['no day', { day: '', time: '10:00' }, 'day', 'Enter the new day'],
      ['a day that does not exist', { day: '2024-02-30', time: '10:00' }, 'day', 'Enter the new day'],
      ['no reason', { day: '2024-11-12', time: '10:00', reason: '' }, 'reason', 'Say why the meeting is moved.'],
    ])('refuses %s with 422 at the field, nothing stored', async (_what, body, field, message) => {
      const m = await plenary(`Plenary ${field} ${Math.random()}`, '2024-11-09T09:00:00.000Z'); // Sat 9 Nov 10:00 Berlin
      const other = await plenary(`Blocker ${Math.random()}`, '2024-11-10T09:00:00.000Z'); // Sun 10 Nov 10:00–11:00 Berlin
      const before = await events();
      const res = await move(facilitator, m, body);
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain(message);
      expect(res.text).toContain(`id="f-${field}-error"`);
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ status: 'scheduled', sequence: 0, version: 1 });
      await t.db.tx((em) => em.getRepository(Meeting).delete([m.id, other.id]));
    });

    it('names every missing field of a form sent empty at once: the day, the time and the reason', async () => {
      const m = await plenary(`Plenary empty ${Math.random()}`, '2024-11-09T09:00:00.000Z');
      const page = await (await as(facilitator)).get(`${base}/meetings/${m.id}`);
      expect(page.text).toContain('<input type="hidden" name="times" value="day">');
      const before = await events();
      const res = await move(facilitator, m, { times: 'day', day: '', time: '', reason: '' });
      expect(res.status).toBe(422);
      const text = textOf(res.text);
      for (const message of ['Enter the new day as YYYY-MM-DD', 'Enter the new time as HH:MM', 'Say why the meeting is moved.'])
        expect(text).toContain(message);
      for (const field of ['day', 'time', 'reason']) expect(res.text).toContain(`id="f-${field}-error"`);
      expect(await events()).toBe(before);
      expect(await reload(m.id)).toMatchObject({ status: 'scheduled', sequence: 0, version: 1 });
      await t.db.tx((em) => em.getRepository(Meeting).delete([m.id]));
    });

    it('a meeting that has begun can no longer change', async () => {
      const m = await plenary('Already on', '2024-10-24T05:30:00.000Z');
      const res = await move(facilitator, m, { day: '2024-11-20', time: '10:00' });
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain(BEGUN_ALREADY);
      expect((await cancel(facilitator, m)).status).toBe(422);
      expect(await reload(m.id)).toMatchObject({ status: 'scheduled', sequence: 0 });
    });

    it('of six simultaneous moves of the host’s meetings onto overlapping (not identical) times, exactly one wins', async () => {
      const ms: Meeting[] = [];
      for (let i = 0; i < 6; i++) ms.push(await plenary(`Race ${i}`, `2024-11-${String(13 + i).padStart(2, '0')}T09:00:00.000Z`));
      const csrf = await token(facilitator);
      const before = await events();
      // Thu 28 Nov 10:00, 10:10 … 10:50 Berlin: each 60 minutes, so every pair overlaps.
      const results = await Promise.all(ms.map((m, i) => move(facilitator, m, { day: '2024-11-28', time: `10:${i}0` }, csrf)));
      expect(results.map((r) => r.status).sort()).toEqual([303, 422, 422, 422, 422, 422]);
      for (const r of results.filter((x) => x.status === 422)) expect(textOf(r.text)).toContain(HOST_BUSY);
      expect(await events()).toBe(before + 1);
      const rows = await t.db.repo(Meeting).findBy(ms.map((m) => ({ id: m.id })));
      expect(rows.filter((r) => r.status === 'rescheduled')).toHaveLength(1);
    });
  });

  it('of a booking and a move of the same expert onto neighbouring slots (within the break), exactly one wins each time', async () => {
    // Five rounds, on the expert's Saturdays and Mondays in November: a booking of 10:00 and a move of another meeting to 10:30.
    const days = ['2024-11-02', '2024-11-04', '2024-11-09', '2024-11-11', '2024-11-16'];
    const homes = ['2024-11-15T10:00:00.000Z', '2024-11-22T10:00:00.000Z', '2024-11-22T09:00:00.000Z', '2024-11-18T10:00:00.000Z', '2024-11-18T09:00:00.000Z'];
    const csrf2 = await token(leader2);
    const csrf1 = await token(leader);
    for (const [i, day] of days.entries()) {
      expect((await book(leader, homes[i])).status).toBe(303);
      const m = await meetingAt(homes[i]);
      const ten = new Date(`${day}T09:00:00.000Z`).toISOString(); // 10:00 Berlin (winter time)
      const half = new Date(`${day}T09:30:00.000Z`).toISOString();
      const [booked, moved] = await Promise.all([
        (await as(leader2))
          .post(`${base}/meetings/book`)
          .type('form')
          .send({ _csrf: csrf2, expert: String(expert.id), team: String(kenyaTeamId), slot: ten, agenda: 'Race', link: '' }),
        move(leader, m, { slot: half }, csrf1),
      ]);
      expect([day, [booked.status, moved.status].sort()]).toEqual([day, [303, 422]]);
    }
  });
});
