import { jest } from '@jest/globals';
import ICAL from 'ical.js';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Clock } from '../src/meetings/clock';
import { Meeting, MeetingTeam } from '../src/meetings/meeting.entity';
import { JUST_BOOKED, NOT_OFFERED, TOO_CLOSE } from '../src/meetings/meetings.service';
import { Notification } from '../src/notifications/notification.entity';
import { NotificationsWorker } from '../src/notifications/notifications.worker';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { addStaff, assignExpert, createCourse, createCourseWithTeams, createUser, KENYA, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';
import { countQueries } from './utils/query-counter';

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

/** Sat 26 Oct 10:30 Berlin (summer time, UTC+2) = 16:30 Shanghai. */
const SAT_1030 = '2024-10-26T08:30:00.000Z';
/** Mon 28 Oct 10:00 Berlin (winter time, UTC+1) = 17:00 Shanghai. */
const MON_1000 = '2024-10-28T09:00:00.000Z';

describe(`booking a meeting with an expert (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let base: string;
  let expert: User;
  let leader: User;
  let member: User;
  let leader2: User;
  let leader3: User;
  let facilitator: User;
  let otherExpert: User;
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
      teams: [
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { timeZone: 'Asia/Shanghai' },
          members: [{ timeZone: 'Asia/Shanghai' }],
          experts: [{ timeZone: 'Europe/Berlin', name: 'Anke Weber' }],
        },
        { team: KENYA, leader: {} },
        { team: {}, leader: {} },
      ],
    });
    courseId = made.course.id;
    base = `/courses/${courseId}`;
    facilitator = made.facilitator;
    [expert] = made.teams[0].experts;
    leader = made.teams[0].leader!;
    [member] = made.teams[0].members;
    leader2 = made.teams[1].leader!;
    leader3 = made.teams[2].leader!;
    shanghaiTeamId = made.teams[0].team.id;
    kenyaTeamId = made.teams[1].team.id;
    await assignExpert(t.db, kenyaTeamId, expert.id);
    const other = await createCourse(t.db, { title: 'Another workshop' });
    otherExpert = await createUser(t.db, { role: 'expert' });
    await addStaff(t.db, other.course.id, otherExpert.id, 'expert');

    const ex = await as(expert);
    const page = await ex.get(`${base}/availability`);
    const saved = await ex
      .post(`${base}/availability`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...AVAILABILITY });
    expect(saved.status).toBe(303);
  });
  afterAll(() => t.close());

  const bookingPage = (u: User) => as(u).then((a) => a.get(`${base}/meetings/book?expert=${expert.id}`));
  const post = async (u: User, body: Record<string, string>, csrf?: string) => {
    const a = await as(u);
    const token = csrf ?? csrfFrom((await a.get(`${base}/meetings`)).text);
    return a
      .post(`${base}/meetings/book`)
      .type('form')
      .send({ _csrf: token, expert: String(expert.id), team: String(shanghaiTeamId), agenda: 'Our policy brief, section 2', link: '', ...body });
  };
  const count = () => t.db.repo(Meeting).count();

  it('shows the leader the expert’s free slots in the team’s zone with the expert’s beside, across the change from summer time', async () => {
    const list = await (await as(leader)).get(`${base}/meetings/book`).expect(200);
    expect(list.text).toContain(`href="${base}/meetings/book?expert&#x3D;${expert.id}"`);
    const page = await bookingPage(leader);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain('Sat 26 Oct 16:30–17:00 Shanghai · Sat 26 Oct 10:30 Berlin');
    expect(text).toContain('Mon 28 Oct 17:00–17:30 Shanghai · Mon 28 Oct 10:00 Berlin');
    expect(page.text).toContain(`value="${SAT_1030}"`);
  });

  it('books a free slot: the meeting, its team and the event are stored; the expert and the members are told, not the booker', async () => {
    const res = await post(leader, { slot: SAT_1030, link: 'https://meet.example.org/shanghai' });
    expect(res.status).toBe(303);
    const meeting = await t.db.repo(Meeting).findOneByOrFail({ hostId: expert.id });
    expect(res.headers.location).toBe(`${base}/meetings/${meeting.id}`);
    expect(meeting).toMatchObject({
      courseId,
      kind: 'expert_consultation',
      status: 'scheduled',
      sequence: 0,
      bookedBy: leader.id,
      onlineLink: 'https://meet.example.org/shanghai',
    });
    expect(meeting.startsAt.toISOString()).toBe(SAT_1030);
    expect(meeting.endsAt.toISOString()).toBe('2024-10-26T09:00:00.000Z');
    expect(await t.db.repo(MeetingTeam).findBy({ meetingId: meeting.id })).toMatchObject([{ teamId: shanghaiTeamId }]);
    const event = await t.db.repo(DomainEvent).findOneByOrFail({ kind: 'meeting.booked' });
    expect(typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload).toEqual({
      meetingId: meeting.id,
      title: meeting.title,
      startsAt: SAT_1030,
      expertId: expert.id,
      teamIds: [shanghaiTeamId],
    });

    await t.app.get(NotificationsWorker).dispatchEvents(NOW);
    const told = (await t.db.repo(Notification).findBy({ kind: 'meeting_booked' })).map((n) => n.userId).sort((a, b) => a - b);
    expect(told).toEqual([expert.id, member.id].sort((a, b) => a - b));

    const page = await (await as(leader)).get(res.headers.location).expect(200);
    expect(textOf(page.text)).toContain('The meeting is booked');
  });

  it('takes the slot, and the buffer around it, out of the free slots and the expert’s preview', async () => {
    const page = await bookingPage(leader);
    expect(page.text).not.toContain(`value="${SAT_1030}"`);
    expect(page.text).not.toContain('value="2024-10-26T08:00:00.000Z"');
    expect(page.text).not.toContain('value="2024-10-26T09:00:00.000Z"');
    expect(page.text).toContain('value="2024-10-26T09:30:00.000Z"');
    const preview = textOf((await (await as(expert)).get(`${base}/availability`)).text);
    expect(preview).toContain('Sat 26 Oct 2024 11:30–12:00 Berlin');
    expect(preview).not.toContain('10:30–11:00 Berlin · 16:30 Shanghai');
  });

  it.each([
    ['the slot just booked', SAT_1030, JUST_BOOKED],
    ['a slot inside the buffer', '2024-10-26T08:00:00.000Z', TOO_CLOSE],
    ['a slot in the past', '2024-10-21T08:00:00.000Z', NOT_OFFERED],
    ['a slot outside the online phases (the in-person week)', '2024-10-25T08:00:00.000Z', NOT_OFFERED],
    ['a slot off the grid', '2024-10-26T09:40:00.000Z', NOT_OFFERED],
    ['a slot beyond the horizon', '2024-11-23T09:00:00.000Z', NOT_OFFERED],
    ['no slot', '', 'Choose one of the free times.'],
    ['no slot chosen (no field at all, as a browser sends it)', null, 'Choose one of the free times.'],
  ])('refuses %s with 422 at the slot field, the form kept, nothing stored', async (_what, slot, message) => {
    const before = await count();
    const res = await post(leader, slot === null ? { agenda: 'Kept agenda' } : { slot, agenda: 'Kept agenda' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(message);
    expect(res.text).toContain('Kept agenda');
    expect(res.text).toMatch(/id="f-slot-error"/);
    // Each message once at the field and once in the summary, even where two rules fail together (no slot).
    expect(textOf(res.text).split(message).length - 1).toBe(2);
    expect(await count()).toBe(before);
  });

  it.each([
    ['an empty agenda', { agenda: '  ' }, 'Write what you would like to talk about.'],
    ['a link that is not https', { link: 'http://meet.example.org/x' }, 'Enter a link starting with https://'],
  ])('refuses %s with 422', async (_what, body, message) => {
    const before = await count();
    const res = await post(leader, { slot: '2024-10-26T09:30:00.000Z', ...body });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(message);
    expect(await count()).toBe(before);
  });

  it('of 10 simultaneous bookings of one slot (two teams’ leaders, the same leader several times), exactly one wins', async () => {
    const before = await count();
    const tokens = new Map<number, string>();
    for (const u of [leader, leader2]) tokens.set(u.id, csrfFrom((await (await as(u)).get(`${base}/meetings`)).text));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const u = i % 2 ? leader2 : leader;
        return post(u, { slot: MON_1000, team: String(u === leader ? shanghaiTeamId : kenyaTeamId) }, tokens.get(u.id));
      }),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([303, ...Array(9).fill(422)]);
    for (const r of results.filter((x) => x.status === 422)) expect(textOf(r.text)).toContain(JUST_BOOKED);
    expect(await count()).toBe(before + 1);
    expect(await t.db.repo(Meeting).countBy({ hostId: expert.id, startsAt: new Date(MON_1000) })).toBe(1);
  });

  it('of 10 simultaneous bookings of two neighbouring slots (within the break of each other), exactly one wins', async () => {
    const before = await count();
    const tokens = new Map<number, string>();
    for (const u of [leader, leader2]) tokens.set(u.id, csrfFrom((await (await as(u)).get(`${base}/meetings`)).text));
    // Sat 2 Nov 10:00 and 10:30 Berlin (winter time): different starts, so only the transaction's check keeps them apart.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const u = i % 2 ? leader2 : leader;
        const slot = i < 5 ? '2024-11-02T09:00:00.000Z' : '2024-11-02T09:30:00.000Z';
        return post(u, { slot, team: String(u === leader ? shanghaiTeamId : kenyaTeamId) }, tokens.get(u.id));
      }),
    );
    expect(results.map((r) => r.status).sort()).toEqual([303, ...Array(9).fill(422)]);
    expect(await count()).toBe(before + 1);
  });

  it('lets nobody but a leader of a team the expert advises book (404), nothing stored', async () => {
    const before = await count();
    expect((await bookingPage(member)).status).toBe(404);
    expect((await post(member, { slot: '2024-10-26T09:30:00.000Z' })).status).toBe(404);
    expect((await bookingPage(leader3)).status).toBe(404);
    expect((await post(leader3, { slot: '2024-10-26T09:30:00.000Z' })).status).toBe(404);
    expect((await post(leader3, { slot: '2024-10-26T09:30:00.000Z', team: String(kenyaTeamId) })).status).toBe(404);
    // Another team's leader cannot book for a team they do not lead.
    expect((await post(leader2, { slot: '2024-10-26T09:30:00.000Z', team: String(shanghaiTeamId) })).status).toBe(404);
    expect((await post(otherExpert, { slot: '2024-10-26T09:30:00.000Z' })).status).toBe(404);
    expect(await count()).toBe(before);
    // The member is told who books.
    expect(textOf((await (await as(member)).get(`${base}/meetings`).expect(200)).text)).toContain('Your team leader books meetings');
  });

  it('refuses a booking without the CSRF token', async () => {
    const before = await count();
    const res = await post(leader, { slot: '2024-10-26T09:30:00.000Z' }, 'forged');
    expect(res.status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('shows the meeting to its team, its expert and the facilitator, each in their zone; 404 for anyone else', async () => {
    const meeting = await t.db.repo(Meeting).findOneByOrFail({ startsAt: new Date(SAT_1030) });
    const href = `${base}/meetings/${meeting.id}`;
    for (const u of [leader, member, expert, facilitator]) {
      await (await as(u)).get(href).expect(200);
      await (await as(u)).get(`${href}.ics`).expect(200);
    }
    expect(textOf((await (await as(member)).get(href)).text)).toContain('Sat 26 Oct 2024, 16:30–17:00 Shanghai · Sat 26 Oct 10:30 Berlin');
    expect(textOf((await (await as(expert)).get(href)).text)).toContain('Sat 26 Oct 2024, 10:30–11:00 Berlin · Sat 26 Oct 16:30 Shanghai');
    for (const u of [leader2, leader3, otherExpert]) {
      await (await as(u)).get(href).expect(404);
      await (await as(u)).get(`${href}.ics`).expect(404);
    }
    const mine = textOf((await (await as(expert)).get(`${base}/meetings`)).text);
    expect(mine).toContain('My meetings');
    expect(mine).toContain(meeting.title);
    expect(textOf((await (await as(leader3)).get(`${base}/meetings`).expect(200)).text)).not.toContain(meeting.title);
  });

  it('downloads the meeting as an invitation ical.js reads: METHOD, UID, SEQUENCE, ORGANIZER, ATTENDEEs, times in UTC across the change', async () => {
    for (const [startsAt, end] of [
      [SAT_1030, '2024-10-26T09:00:00.000Z'],
      [MON_1000, '2024-10-28T09:30:00.000Z'],
    ]) {
      const meeting = await t.db.repo(Meeting).findOneByOrFail({ startsAt: new Date(startsAt) });
      const res = await (await as(expert)).get(`${base}/meetings/${meeting.id}.ics`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      const comp = new ICAL.Component(ICAL.parse(res.text));
      expect(comp.getFirstPropertyValue('method')).toBe('REQUEST');
      const vevent = comp.getFirstSubcomponent('vevent')!;
      const e = new ICAL.Event(vevent);
      expect(e.uid).toMatch(new RegExp(`^meeting-${meeting.id}@`));
      expect(e.sequence).toBe(0);
      expect(e.startDate.toJSDate().toISOString()).toBe(startsAt);
      expect(e.endDate.toJSDate().toISOString()).toBe(end);
      expect(String(vevent.getFirstPropertyValue('organizer'))).toBe(`mailto:${expert.email}`);
      const attendees = vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()));
      const team = meeting.bookedBy === leader2.id ? [leader2] : [leader, member];
      expect(attendees.sort()).toEqual(team.map((u) => `mailto:${u.email}`).sort());
    }
  });

  it('lists the meetings with a constant number of queries', async () => {
    const a = await as(facilitator);
    const one = await countQueries(t.db, () => a.get(`${base}/meetings`).expect(200));
    await t.db.tx(async (em) => {
      for (let i = 0; i < 5; i++) {
        const m = await em.getRepository(Meeting).save({
          courseId,
          kind: 'other' as const,
          title: `Extra ${i}`,
          agenda: '',
          onlineLink: null,
          startsAt: new Date(Date.UTC(2024, 10, 10 + i, 9)),
          endsAt: new Date(Date.UTC(2024, 10, 10 + i, 10)),
          hostId: otherExpert.id,
          bookedBy: null,
          status: 'scheduled' as const,
          sequence: 0,
          version: 1,
          createdAt: NOW,
          updatedAt: NOW,
        });
        await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: i % 2 ? kenyaTeamId : shanghaiTeamId });
      }
    });
    const six = await countQueries(t.db, () => a.get(`${base}/meetings`).expect(200));
    expect(six).toBe(one);
    expect(textOf((await a.get(`${base}/meetings`)).text)).toContain('Extra 4');
  });
});
