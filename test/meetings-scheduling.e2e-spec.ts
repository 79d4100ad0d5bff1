import { jest } from '@jest/globals';
import ICAL from 'ical.js';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Clock } from '../src/meetings/clock';
import { Meeting, MeetingPerson, MeetingTeam } from '../src/meetings/meeting.entity';
import { WorkingHours } from '../src/meetings/working-hours.entity';
import { HOURS_ORDER } from '../src/meetings/working-hours.service';
import { Notification } from '../src/notifications/notification.entity';
import { NotificationsWorker } from '../src/notifications/notifications.worker';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { addStaff, createCourse, createCourseWithTeams, createTeam, createUser, KENYA, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';
import { countQueries } from './utils/query-counter';

/** Thu 24 Oct 2024 (the in-person week; online after it from Sat 26 Oct). Berlin leaves summer time on Sun 27 Oct at 03:00 CEST. */
const NOW = new Date('2024-10-24T06:00:00Z');

describe(`meetings a facilitator schedules, the slot finder and working hours (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let base: string;
  let facilitator: User;
  let expert: User;
  let expert2: User;
  let berlinLeader: User;
  let berlinMember: User;
  let shanghaiMember: User;
  let kenyaLeader: User;
  let fijiLeader: User;
  let otherFacilitator: User;
  let otherExpert: User;
  let teamIds: { berlin: number; shanghai: number; kenya: number; fiji: number };
  let otherTeamId: number;
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
          team: { country: 'DE', city: 'Hamburg', region: 'europe', timeZone: 'Europe/Berlin' },
          leader: { timeZone: 'Europe/Berlin' },
          members: [{ timeZone: 'Europe/Berlin' }],
          experts: [{ timeZone: 'Europe/Berlin', name: 'Anke Weber' }],
        },
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { timeZone: 'Asia/Shanghai' },
          members: [{ timeZone: 'Asia/Shanghai' }],
          experts: [{ timeZone: 'Africa/Nairobi', name: 'Wanjiru Kamau' }],
        },
        { team: KENYA, leader: { timeZone: 'Africa/Nairobi' } },
        { team: { country: 'FJ', city: '', region: 'asia-pacific', timeZone: 'Pacific/Fiji' }, leader: { timeZone: 'Pacific/Fiji' } },
      ],
    });
    courseId = made.course.id;
    base = `/courses/${courseId}`;
    facilitator = made.facilitator;
    [expert] = made.teams[0].experts;
    [expert2] = made.teams[1].experts;
    berlinLeader = made.teams[0].leader!;
    [berlinMember] = made.teams[0].members;
    [shanghaiMember] = made.teams[1].members;
    kenyaLeader = made.teams[2].leader!;
    fijiLeader = made.teams[3].leader!;
    teamIds = { berlin: made.teams[0].team.id, shanghai: made.teams[1].team.id, kenya: made.teams[2].team.id, fiji: made.teams[3].team.id };
    const other = await createCourse(t.db, { title: 'Another workshop' });
    otherFacilitator = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, other.course.id, otherFacilitator.id, 'facilitator');
    otherExpert = await createUser(t.db, { role: 'expert' });
    await addStaff(t.db, other.course.id, otherExpert.id, 'expert');
    otherTeamId = (await createTeam(t.db, other.course.id)).id;
  });
  afterAll(() => t.close());

  const fields = (over: Record<string, string | string[]> = {}) => ({
    kind: 'peer_exchange',
    title: 'Peer exchange: city learning festivals',
    host: String(expert.id),
    teams: [String(teamIds.berlin), String(teamIds.shanghai)],
    people: [String(expert2.id)],
    date: '2024-10-28',
    time: '10:00',
    duration: '60',
    agenda: 'What worked, what did not',
    link: 'https://meet.example.org/festivals',
    interpretationRequested: 'French, Chinese',
    interpretationProvided: 'Chinese',
    ...over,
  });
  const post = async (u: User, body: Record<string, string | string[]>, csrf?: string) => {
    const a = await as(u);
    const token = csrf ?? csrfFrom((await a.get(`${base}/meetings`)).text);
    return a
      .post(`${base}/meetings/new`)
      .type('form')
      .send({ _csrf: token, ...body });
  };
  const counts = async () => [await t.db.repo(Meeting).count(), await t.db.repo(DomainEvent).countBy({ kind: 'meeting.scheduled' })];

  describe('working hours', () => {
    it('are 08:00–20:00 until the person sets their own on a page linked from their account', async () => {
      const a = await as(fijiLeader);
      expect((await a.get('/account').expect(200)).text).toContain('href="/account/working-hours"');
      const page = await a.get('/account/working-hours').expect(200);
      expect(textOf(page.text)).toContain('08:00 to 20:00, Monday to Friday is assumed');
      expect(page.text).toContain('value="08:00"');
      const res = await a
        .post('/account/working-hours')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), start: '09:00', end: '12:00', days: ['', '1', '2', '3', '4', '5'] });
      expect(res.status).toBe(303);
      expect(await t.db.repo(WorkingHours).findOneByOrFail({ userId: fijiLeader.id })).toMatchObject({ startsMinute: 540, endsMinute: 720, days: '12345' });
      expect((await a.get('/account/working-hours')).text).toContain('value="12:00"');
    });

    it('are worked on the days the person ticks, Monday to Friday until they do', async () => {
      const a = await as(shanghaiMember);
      const page = await a.get('/account/working-hours').expect(200);
      expect(textOf(page.text)).toContain('08:00 to 20:00, Monday to Friday is assumed');
      // A browser sends nothing for a box left clear: the group's hidden empty value names the field even when every box is clear.
      expect(page.text).toContain('<input type="hidden" name="days" value="">');
      const ticked = [...page.text.matchAll(/name="days" value="(\d)" checked/g)].map((m) => m[1]);
      expect(ticked).toEqual(['1', '2', '3', '4', '5']);
      // Sunday to Thursday, ticked in any order (the hidden empty value is what the form always sends first).
      const res = await a
        .post('/account/working-hours')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), start: '08:30', end: '16:30', days: ['', '7', '4', '1', '2', '3'] });
      expect(res.status).toBe(303);
      expect(await t.db.repo(WorkingHours).findOneByOrFail({ userId: shanghaiMember.id })).toMatchObject({ days: '12347' });
      const saved = await a.get('/account/working-hours');
      expect(textOf(saved.text)).toContain('Saved: 08:30 to 16:30, Sunday to Thursday.');
      expect([...saved.text.matchAll(/name="days" value="(\d)" checked/g)].map((m) => m[1])).toEqual(['1', '2', '3', '4', '7']);
    });

    it('refuses a form without the days field with one message at the days (not one per rule), nothing stored', async () => {
      const a = await as(berlinMember);
      const page = await a.get('/account/working-hours');
      const res = await a
        .post('/account/working-hours')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), start: '08:00', end: '17:00' });
      expect(res.status).toBe(422);
      expect(textOf(res.text).match(/Choose (at least one working day|your working days from the list)/g)).toEqual([
        'Choose at least one working day',
        'Choose at least one working day',
      ]); // once in the summary, once at the field
      expect(await t.db.repo(WorkingHours).countBy({ userId: berlinMember.id })).toBe(0);
    });

    it('refuses a form with no day ticked at the days, showing the boxes as the person left them, nothing stored', async () => {
      const a = await as(berlinMember);
      const page = await a.get('/account/working-hours');
      const res = await a
        .post('/account/working-hours')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), start: '08:00', end: '25:00', days: '' });
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain('Choose at least one working day.');
      expect(res.text).toContain('id="f-days-error"');
      expect(res.text).toContain('href="#f-days"');
      // The defaults (Monday to Friday) are not ticked again behind the person's back.
      expect(res.text).not.toMatch(/name="days" value="\d" checked/);
      expect(res.text).toContain('value="25:00"');
      expect(await t.db.repo(WorkingHours).countBy({ userId: berlinMember.id })).toBe(0);
    });

    it.each([
      ['an end before the start', { start: '17:00', end: '09:00' }, 'end', HOURS_ORDER],
      ['an end equal to the start', { start: '09:00', end: '09:00' }, 'end', HOURS_ORDER],
      ['a start that is not HH:MM', { start: '9 am', end: '17:00' }, 'start', 'Enter the time your working day starts as HH:MM'],
      ['an end that is not a time', { start: '09:00', end: '25:00' }, 'end', 'Enter the time your working day ends as HH:MM'],
      ['a day that is not a weekday', { start: '09:00', end: '17:00', days: ['1', '8'] }, 'days', 'Choose your working days from the list.'],
      ['a day with a NUL byte', { start: '09:00', end: '17:00', days: ['1\u0000'] }, 'days', 'an invisible NUL character'],
      [
        'more days than a week has',
        { start: '09:00', end: '17:00', days: ['1', '2', '3', '4', '5', '6', '7', '1'] },
        'days',
        'Choose your working days from the list.',
      ],
    ])('refuses %s with 422 at the field, the values kept, nothing stored', async (_what, fields, field, message) => {
      const body = { days: ['1', '2', '3', '4', '5'], ...fields };
      const a = await as(kenyaLeader);
      const page = await a.get('/account/working-hours');
      const res = await a
        .post('/account/working-hours')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...body });
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain(message);
      expect(res.text).toContain(`id="f-${field}-error"`);
      expect(res.text).toContain(`value="${body.end}"`);
      expect(await t.db.repo(WorkingHours).countBy({ userId: kenyaLeader.id })).toBe(0);
    });
  });

  describe('who may schedule', () => {
    it('lets the course’s facilitator open the form and the finder, and links them from the meetings list', async () => {
      const a = await as(facilitator);
      const list = await a.get(`${base}/meetings`).expect(200);
      expect(list.text).toContain(`href="${base}/meetings/new"`);
      expect(list.text).toContain(`href="${base}/meetings/find"`);
      await a.get(`${base}/meetings/new`).expect(200);
      await a.get(`${base}/meetings/find`).expect(200);
    });

    it('answers 404 to experts, leaders, members and another course’s facilitator, and stores nothing', async () => {
      const before = await counts();
      for (const u of [expert, berlinLeader, berlinMember, otherFacilitator]) {
        const a = await as(u);
        await a.get(`${base}/meetings/new`).expect(404);
        await a.get(`${base}/meetings/find?teams=${teamIds.berlin}`).expect(404);
        const token = csrfFrom((await a.get('/account')).text);
        expect((await post(u, fields(), token)).status).toBe(404);
        if (u !== otherFacilitator) expect((await a.get(`${base}/meetings`).expect(200)).text).not.toContain(`${base}/meetings/new`);
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('scheduling', () => {
    it('schedules a peer exchange: the meeting, its teams, its people and meeting.scheduled; host, members and people are told, not the facilitator', async () => {
      const res = await post(facilitator, fields());
      expect(res.status).toBe(303);
      const meeting = await t.db.repo(Meeting).findOneByOrFail({ title: 'Peer exchange: city learning festivals' });
      expect(res.headers.location).toBe(`${base}/meetings/${meeting.id}`);
      expect(meeting).toMatchObject({
        courseId,
        kind: 'peer_exchange',
        hostId: expert.id,
        bookedBy: facilitator.id,
        status: 'scheduled',
        interpretationRequested: 'French, Chinese',
        interpretationProvided: 'Chinese',
        onlineLink: 'https://meet.example.org/festivals',
      });
      // Mon 28 Oct 10:00 Berlin is winter time (UTC+1).
      expect(meeting.startsAt.toISOString()).toBe('2024-10-28T09:00:00.000Z');
      expect(meeting.endsAt.toISOString()).toBe('2024-10-28T10:00:00.000Z');
      expect((await t.db.repo(MeetingTeam).findBy({ meetingId: meeting.id })).map((x) => x.teamId).sort()).toEqual([teamIds.berlin, teamIds.shanghai].sort());
      expect(await t.db.repo(MeetingPerson).findBy({ meetingId: meeting.id })).toMatchObject([{ userId: expert2.id, role: 'expert' }]);
      const event = await t.db.repo(DomainEvent).findOneByOrFail({ kind: 'meeting.scheduled' });
      expect(typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload).toEqual({
        meetingId: meeting.id,
        title: meeting.title,
        kind: 'peer_exchange',
        startsAt: '2024-10-28T09:00:00.000Z',
        hostId: expert.id,
        teamIds: [teamIds.berlin, teamIds.shanghai],
        personIds: [expert2.id],
      });

      await t.app.get(NotificationsWorker).dispatchEvents(NOW);
      const told = (await t.db.repo(Notification).findBy({ kind: 'meeting_booked' })).map((n) => n.userId).sort((a, b) => a - b);
      expect(told).toEqual(expect.arrayContaining([expert.id, expert2.id, berlinLeader.id, berlinMember.id, shanghaiMember.id]));
      expect(told).not.toContain(facilitator.id);
      expect(told).not.toContain(kenyaLeader.id);
    });

    it('shows it to the host, the extra expert and the teams’ members, each in their zone, with kind and interpretation; 404 for other teams', async () => {
      const meeting = await t.db.repo(Meeting).findOneByOrFail({ title: 'Peer exchange: city learning festivals' });
      const href = `${base}/meetings/${meeting.id}`;
      for (const u of [facilitator, expert, expert2, berlinLeader, berlinMember, shanghaiMember]) {
        const a = await as(u);
        await a.get(href).expect(200);
        await a.get(`${href}.ics`).expect(200);
        expect(textOf((await a.get(`${base}/meetings`)).text)).toContain(meeting.title);
      }
      const shown = textOf((await (await as(shanghaiMember)).get(href)).text);
      expect(shown).toContain('Mon 28 Oct 2024, 17:00–18:00 Shanghai');
      expect(shown).toContain('Mon 28 Oct 10:00 Berlin');
      expect(shown).toContain('Mon 28 Oct 12:00 Nairobi'); // the extra expert's zone
      expect(shown).toContain('Peer exchange');
      expect(shown).toContain('Interpretation requested French, Chinese');
      expect(shown).toContain('Interpretation provided Chinese');
      expect(shown).toContain('Also taking part Wanjiru Kamau');
      expect(shown).toContain('Host Anke Weber');
      const list = textOf((await (await as(facilitator)).get(`${base}/meetings`)).text);
      expect(list).toContain('Provided: Chinese; Requested: French, Chinese');
      for (const u of [kenyaLeader, fijiLeader, otherFacilitator]) {
        await (await as(u)).get(href).expect(404);
        await (await as(u)).get(`${href}.ics`).expect(404);
      }
      expect(textOf((await (await as(kenyaLeader)).get(`${base}/meetings`)).text)).not.toContain(meeting.title);
    });

    it('writes an invitation whose organizer is the host and whose attendees are the members and the extra people', async () => {
      const meeting = await t.db.repo(Meeting).findOneByOrFail({ title: 'Peer exchange: city learning festivals' });
      const res = await (await as(berlinMember)).get(`${base}/meetings/${meeting.id}.ics`).expect(200);
      const vevent = new ICAL.Component(ICAL.parse(res.text)).getFirstSubcomponent('vevent')!;
      expect(String(vevent.getFirstPropertyValue('organizer'))).toBe(`mailto:${expert.email}`);
      const attendees = vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()));
      expect(attendees).toEqual(expect.arrayContaining([expert2, berlinLeader, berlinMember, shanghaiMember].map((u) => `mailto:${u.email}`)));
      expect(attendees).not.toContain(`mailto:${expert.email}`);
      expect(attendees).toHaveLength(5); // two teams of a leader and a member each, and the extra expert
    });

    it('invites every team of the course to a plenary, whatever is ticked', async () => {
      const res = await post(
        facilitator,
        fields({ kind: 'plenary', title: 'Plenary: opening', teams: [], people: [], host: String(facilitator.id), date: '2024-11-04' }),
      );
      expect(res.status).toBe(303);
      const meeting = await t.db.repo(Meeting).findOneByOrFail({ title: 'Plenary: opening' });
      expect((await t.db.repo(MeetingTeam).findBy({ meetingId: meeting.id })).map((x) => x.teamId).sort((a, b) => a - b)).toEqual(
        Object.values(teamIds).sort((a, b) => a - b),
      );
      await (await as(fijiLeader)).get(`${base}/meetings/${meeting.id}`).expect(200);
    });

    it('shows a meeting across Berlin’s change from summer time at the right local time to Berlin, Shanghai, Nairobi and Fiji', async () => {
      // Sun 27 Oct 01:30 Berlin is still summer time (23:30 UTC on the 26th); two hours later the clocks have gone back, so it ends at 02:30 Berlin.
      const res = await post(
        facilitator,
        fields({
          kind: 'plenary',
          title: 'Plenary across the change',
          host: String(facilitator.id),
          people: [],
          date: '2024-10-27',
          time: '01:30',
          duration: '120',
        }),
      );
      expect(res.status).toBe(303);
      const meeting = await t.db.repo(Meeting).findOneByOrFail({ title: 'Plenary across the change' });
      expect(meeting.startsAt.toISOString()).toBe('2024-10-26T23:30:00.000Z');
      expect(meeting.endsAt.toISOString()).toBe('2024-10-27T01:30:00.000Z');
      const href = `${base}/meetings/${meeting.id}`;
      const seen = async (u: User) => textOf((await (await as(u)).get(href).expect(200)).text);
      expect(await seen(berlinMember)).toContain('Sun 27 Oct 2024, 01:30–02:30 Berlin');
      expect(await seen(shanghaiMember)).toContain('Sun 27 Oct 2024, 07:30–09:30 Shanghai');
      expect(await seen(kenyaLeader)).toContain('Sun 27 Oct 2024, 02:30–04:30 Nairobi');
      expect(await seen(fijiLeader)).toContain('Sun 27 Oct 2024, 11:30–13:30 Fiji');
      expect(await seen(fijiLeader)).toContain('Sun 27 Oct 01:30 Berlin');
    });

    it.each([
      ['no title', { title: '  ' }, 'title', 'Give the meeting a title.'],
      ['an unknown kind', { kind: 'party' }, 'kind', 'Choose the kind of meeting.'],
      ['a host who is not of the course', { host: 'OTHER_EXPERT' }, 'host', 'Choose a facilitator or an expert of this course'],
      ['a host who is a participant', { host: 'BERLIN_LEADER' }, 'host', 'Choose a facilitator or an expert of this course'],
      ['a team of another course', { teams: ['OTHER_TEAM', 'BERLIN'] }, 'teams', 'Choose teams of this course.'],
      ['a peer exchange with no team', { teams: [] }, 'teams', 'Choose at least two teams for a peer exchange.'],
      ['a peer exchange with one team', { teams: ['BERLIN'] }, 'teams', 'Choose at least two teams for a peer exchange.'],
      ['an extra person not of the course', { people: ['OTHER_EXPERT'] }, 'people', 'Choose people from the course’s facilitators and experts.'],
      ['a day that is not a date', { date: '2024-02-30' }, 'date', 'Enter the day of the meeting'],
      ['a time that is not HH:MM', { time: '25:00' }, 'time', 'Enter the start time as HH:MM'],
      ['a time in the past', { date: '2024-10-24', time: '07:00' }, 'time', 'That time has passed'],
      [
        'a time the clocks skip (Berlin, 30 Mar 2025 02:30)',
        { date: '2025-03-30', time: '02:30' },
        'time',
        '02:30 does not exist on 2025-03-30 in Europe/Berlin',
      ],
      ['no length', { duration: '0' }, 'duration', 'Enter how long the meeting lasts'],
      ['a length ending before it starts', { duration: '-30' }, 'duration', 'Enter how long the meeting lasts'],
      ['a link that is not https', { link: 'http://meet.example.org/x' }, 'link', 'Enter a link starting with https://'],
      ['a host already in another meeting then', { date: '2024-10-28', time: '10:30', people: [] }, 'host', 'Anke Weber already has a meeting at that time'],
      [
        'an extra expert already in another meeting then',
        { host: 'FACILITATOR', date: '2024-10-28', time: '09:30' },
        'people',
        'Wanjiru Kamau already has a meeting at that time',
      ],
      ['the host’s meeting starting at the same time', { host: 'EXPERT2', people: ['EXPERT'], time: '10:00' }, 'host', 'already has a meeting at that time'],
    ])('refuses %s with 422 at the field, the values kept, nothing stored', async (_what, over, field, message) => {
      const ids: Record<string, string> = {
        OTHER_EXPERT: String(otherExpert.id),
        BERLIN_LEADER: String(berlinLeader.id),
        OTHER_TEAM: String(otherTeamId),
        BERLIN: String(teamIds.berlin),
        FACILITATOR: String(facilitator.id),
        EXPERT: String(expert.id),
        EXPERT2: String(expert2.id),
      };
      const resolved = Object.fromEntries(Object.entries(over).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => ids[x] ?? x) : (ids[v] ?? v)]));
      const before = await counts();
      const res = await post(facilitator, fields({ title: 'Kept title', ...resolved, ...(field === 'title' ? resolved : {}) }));
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain(message);
      expect(res.text).toContain(`id="f-${field}-error"`);
      if (field !== 'title') expect(res.text).toContain('value="Kept title"');
      expect(res.text).toContain('What worked, what did not');
      expect(await counts()).toEqual(before);
    });
  });

  describe('at the same moment', () => {
    it('of 6 simultaneous schedulings of one host at overlapping times (same start or not), exactly one wins', async () => {
      const before = await counts();
      const token = csrfFrom((await (await as(facilitator)).get(`${base}/meetings`)).text);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          post(facilitator, fields({ title: `Race ${i}`, people: [], date: '2024-11-12', time: i % 2 ? '14:00' : '14:30', duration: '60' }), token),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([303, 422, 422, 422, 422, 422]);
      for (const r of results.filter((x) => x.status === 422)) expect(textOf(r.text)).toContain('Anke Weber already has a meeting');
      expect(await counts()).toEqual([before[0] + 1, before[1] + 1]);
    });
  });

  describe('the slot finder', () => {
    it('says at the teams when the form is sent with nobody ticked; opening the page says nothing', async () => {
      const a = await as(facilitator);
      const first = await a.get(`${base}/meetings/find`).expect(200);
      expect(first.text).not.toContain('error-summary');
      // What a browser sends with no box ticked: each group's hidden empty value.
      const res = await a.get(`${base}/meetings/find?teams=&people=&duration=60&weeks=2&kind=peer_exchange`).expect(200);
      const text = textOf(res.text);
      expect(res.text).toContain('class="error-summary"');
      expect(res.text).toContain('href="#f-teams"');
      expect(res.text).toContain('id="f-teams-error"');
      expect(text).toContain('Choose at least one team or person to find a time for.');
      expect(text).not.toContain('Proposed times');
    });

    it('ranks the times inside most people’s hours first and names who would be outside theirs, with a link that prefills the form', async () => {
      const a = await as(facilitator);
      const url = `${base}/meetings/find?teams=${teamIds.berlin}&teams=${teamIds.fiji}&people=${expert2.id}&duration=60&weeks=1&kind=peer_exchange`;
      const page = await a.get(url).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('Proposed times');
      // Fiji's leader works 09:00–12:00 Fiji (21:00–24:00 UTC): nobody in Hamburg is at work then, so someone is always outside.
      expect(text).toMatch(/\d+ of \d+ people inside their working hours/);
      expect(text).toMatch(/Outside their hours or busy: (Germany — Hamburg|Fiji) \(/);
      expect(text).toContain('outside working hours');
      const hrefs = [...page.text.matchAll(/href="([^"]*\/meetings\/new\?[^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&').replaceAll('&#x3D;', '='));
      expect(hrefs.length).toBeGreaterThan(1);
      const first = new URL(hrefs[0], 'http://x').searchParams;
      expect(first.getAll('teams')).toEqual([String(teamIds.berlin), String(teamIds.fiji)]);
      expect(first.getAll('people')).toEqual([String(expert2.id)]);
      // Every proposal is after now, within the online phase, not overlapping the expert's meetings.
      const form = await a.get(hrefs[0]).expect(200);
      expect(form.text).toContain(`value="${first.get('time')}"`);
      expect(form.text).toContain(`value="${first.get('date')}"`);
    });

    it('proposes first a time inside everyone’s hours when there is one, and shows each participant’s local time', async () => {
      const page = await (await as(facilitator)).get(`${base}/meetings/find?teams=${teamIds.berlin}&teams=${teamIds.kenya}&duration=60&weeks=1`).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('Inside everyone’s working hours');
      // Everyone works Monday to Friday on their own calendar: no weekend is proposed when weekdays fit.
      expect(text).not.toMatch(/(Sat 26|Sun 27) Oct 2024, \d\d:\d\d–/);
      expect(text.indexOf('Inside everyone’s working hours')).toBeLessThan(
        text.search(/\d+ of \d+ people inside/) === -1 ? Infinity : text.search(/\d+ of \d+ people inside/),
      );
      expect(text).toMatch(/Germany — Hamburg \w{3} \d+ \w{3} \d\d:\d\d–\d\d:\d\d Berlin/);
      expect(text).toMatch(/Kenya \w{3} \d+ \w{3} \d\d:\d\d–\d\d:\d\d Nairobi/);
    });

    it('reads a constant number of queries whatever the number of teams and people', async () => {
      const a = await as(facilitator);
      const one = await countQueries(t.db, () => a.get(`${base}/meetings/find?teams=${teamIds.berlin}&people=${expert.id}&duration=60&weeks=2`).expect(200));
      const all = await countQueries(t.db, () =>
        a
          .get(
            `${base}/meetings/find?${Object.values(teamIds)
              .map((id) => `teams=${id}`)
              .join('&')}&people=${expert.id}&people=${expert2.id}&duration=60&weeks=2`,
          )
          .expect(200),
      );
      expect(all).toBe(one);
    });

    it('keeps to each person’s working days: a team that works at weekends is proposed the weekend first', async () => {
      const a = await as(facilitator);
      const url = `${base}/meetings/find?teams=${teamIds.kenya}&duration=60&weeks=1`;
      // Monday to Friday by default: nothing before Monday 28 October is inside the Kenya team's hours.
      const before = textOf((await a.get(url).expect(200)).text);
      expect(before).toMatch(/Kenya (Mon|Tue|Wed|Thu) \d+ Oct \d\d:\d\d–\d\d:\d\d Nairobi/);
      expect(before).not.toMatch(/Kenya (Sat 26|Sun 27) Oct/);
      const k = await as(kenyaLeader);
      const page = await k.get('/account/working-hours');
      await k
        .post('/account/working-hours')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), start: '09:00', end: '17:00', days: ['', '6', '7'] })
        .expect(303);
      try {
        const after = textOf((await a.get(url).expect(200)).text);
        expect(after).toContain('Inside everyone’s working hours (1 person)');
        expect(after).toMatch(/Kenya (Sat 26|Sun 27) Oct \d\d:\d\d–\d\d:\d\d Nairobi/);
        expect(after).not.toMatch(/Kenya (Mon|Tue|Wed|Thu|Fri) \d+ Oct/);
      } finally {
        await t.db.tx((em) => em.getRepository(WorkingHours).delete({ userId: kenyaLeader.id }));
      }
    });
  });
});
