import ICAL from 'ical.js';
import { CalendarFeed } from '../src/calendar/calendar-feed.entity';
import { ProgrammeSession } from '../src/courses/programme-session.entity';
import { Meeting, MeetingPerson, MeetingTeam } from '../src/meetings/meeting.entity';
import { RateLimitRow } from '../src/rate-limit/rate-limit.entity';
import type { Database } from '../src/database/database.service';
import { createTestApp, type TestApp } from './utils/create-test-app';
import {
  addMember,
  createCourse,
  createCourseWithTeams,
  createTaskThroughApp,
  createTeam,
  createUser,
  KENYA,
  signedIn,
  type TeamWithPeople,
} from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm } from './utils/http';
import { countQueries } from './utils/query-counter';

function parse(ics: string) {
  const comp = new ICAL.Component(ICAL.parse(ics));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return comp;
}

function events(ics: string) {
  return parse(ics)
    .getAllSubcomponents('vevent')
    .map((e) => new ICAL.Event(e));
}

async function addSession(db: Database, phaseId: number, title: string, startsAt: string, endsAt: string) {
  return db.tx((em) =>
    em.getRepository(ProgrammeSession).save(
      em.getRepository(ProgrammeSession).create({
        phaseId,
        kind: 'plenary',
        title,
        room: 'Hall A',
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        chairs: '',
        speakers: '',
        interpretationLanguages: '',
        description: '',
      }),
    ),
  );
}

/** Creates the person's feed address through the page, as they would, and returns its path. */
async function createFeed(a: Agent, action = '/account/calendar'): Promise<string> {
  const res = await submitForm(a, '/account/calendar', action, {});
  expect(res.status).toBe(303);
  const page = (await a.get('/account/calendar').expect(200)).text;
  const m = page.match(/value="http:\/\/atelier\.test(\/calendar\/[A-Za-z0-9_-]{43}\.ics)"/);
  if (!m) throw new Error('no feed address on the page');
  return m[1];
}

describe('personal calendar feed', () => {
  let t: TestApp;
  let fac: Agent;
  let vn: TeamWithPeople;
  let ke: TeamWithPeople;
  let keLeader: Agent;
  let courseId: number;
  let inPersonId: number;
  let onlineId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const made = await createCourseWithTeams(t.db, {
      course: { timeZone: 'Europe/Berlin', venueCity: 'Hamburg', title: 'Learning Cities, Hamburg' },
      teams: [{ leader: { name: 'Lan Nguyen' } }, { team: KENYA, leader: { name: 'Wanjiru Kamau' }, members: [{}], experts: [{ name: 'Ana Expert' }] }],
    });
    courseId = made.course.id;
    inPersonId = made.phases[1].id;
    onlineId = made.phases[0].id;
    [vn, ke] = made.teams;
    fac = await signedIn(t.server, made.facilitator);
    keLeader = await signedIn(t.server, ke.leader!);
    // Before, across and after the change back to winter time in Berlin (03:00 → 02:00 on 27 Oct 2024).
    ids.before = (await addSession(t.db, inPersonId, 'Opening', '2024-10-26T08:00:00Z', '2024-10-26T09:30:00Z')).id; // 10:00 CEST
    ids.night = (await addSession(t.db, inPersonId, 'Night walk', '2024-10-26T23:30:00Z', '2024-10-27T03:00:00Z')).id; // 01:30 CEST → 04:00 CET
    ids.after = (await addSession(t.db, inPersonId, 'Closing', '2024-10-28T09:00:00Z', '2024-10-28T10:00:00Z')).id; // 10:00 CET
    ids.all = (await createTaskThroughApp(t.db, fac, courseId, { title: 'Action plan', phaseId: String(onlineId), dueDay: '2099-03-10', dueTime: '17:00' })).id;
    ids.kenyaOnly = (
      await createTaskThroughApp(t.db, fac, courseId, {
        title: 'Kenya brief',
        phaseId: String(onlineId),
        audience: 'selected',
        teamIds: [String(ke.team.id)],
        dueDay: '2099-03-11',
      })
    ).id;
    ids.reflection = (
      await createTaskThroughApp(t.db, fac, courseId, { title: 'Reflection', phaseId: String(onlineId), kind: 'individual', dueDay: '2099-03-12' })
    ).id;
    ids.draft = (await createTaskThroughApp(t.db, fac, courseId, { title: 'Not yet', phaseId: String(onlineId), dueDay: '2099-03-13' }, { publish: false })).id;
    // A course none of these people are in.
    const other = await createCourse(t.db, { title: 'Elsewhere' });
    await addSession(t.db, other.phases[1].id, 'Someone else’s session', '2024-10-22T01:00:00Z', '2024-10-22T02:00:00Z');
  });
  afterAll(() => t.close());

  it('a participant’s feed: their course’s sessions in its zone, and the deadlines meant for them, read back by ical.js', async () => {
    const a = await signedIn(t.server, vn.leader!);
    const path = await createFeed(a);
    const res = await agent(t.server).get(path).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/^private/);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const cal = parse(res.text);
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Atelier — Lan Nguyen');
    const evs = events(res.text);
    const byUid = new Map(evs.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual(
      [
        `programme-session-${ids.before}@atelier.test`,
        `programme-session-${ids.night}@atelier.test`,
        `programme-session-${ids.after}@atelier.test`,
        `task-${ids.all}-due@atelier.test`,
        `task-${ids.reflection}-due@atelier.test`,
      ].sort(),
    );
    const iso = (uid: string, end = false) => (end ? byUid.get(uid)!.endDate : byUid.get(uid)!.startDate).toJSDate().toISOString();
    expect(byUid.get(`programme-session-${ids.before}@atelier.test`)!.startDate.zone?.tzid).toBe('Europe/Berlin');
    expect(iso(`programme-session-${ids.before}@atelier.test`)).toBe('2024-10-26T08:00:00.000Z');
    expect(iso(`programme-session-${ids.night}@atelier.test`)).toBe('2024-10-26T23:30:00.000Z');
    expect(iso(`programme-session-${ids.night}@atelier.test`, true)).toBe('2024-10-27T03:00:00.000Z');
    expect(iso(`programme-session-${ids.after}@atelier.test`)).toBe('2024-10-28T09:00:00.000Z');
    // 17:00 in Berlin in March 2099 (winter time) is 16:00 UTC.
    expect(iso(`task-${ids.all}-due@atelier.test`)).toBe('2099-03-10T16:00:00.000Z');
    const due = byUid.get(`task-${ids.all}-due@atelier.test`)!;
    expect(due.summary).toBe('Due: Action plan');
    expect(due.component.getFirstPropertyValue('url')).toBe(`http://atelier.test/courses/${courseId}/tasks/${ids.all}`);
    expect(due.sequence).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toContain('Someone else');
    expect(res.text).not.toContain('Kenya brief');
    expect(res.text).not.toContain('Not yet');
  });

  it('keeps every UID stable across two fetches', async () => {
    const path = await createFeed(keLeader);
    const first = events((await agent(t.server).get(path).expect(200)).text).map((e) => e.uid);
    const second = events((await agent(t.server).get(path).expect(200)).text).map((e) => e.uid);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(first).toContain(`task-${ids.kenyaOnly}-due@atelier.test`); // their own team’s selected-audience task
  });

  it('an extension moves the team’s deadline in its members’ feeds, not in another team’s', async () => {
    const base = `/courses/${courseId}/tasks/${ids.all}/submissions/team-${ke.team.id}`;
    const page = await fac.get(base).expect(200);
    await fac
      .post(`${base}/extension`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), dueDay: '2099-03-20', dueTime: '09:00', cutOffDay: '', cutOffTime: '' })
      .expect(303);
    const member = await signedIn(t.server, ke.members[0]);
    const kePath = await createFeed(member);
    const keDue = events((await agent(t.server).get(kePath).expect(200)).text).find((e) => e.uid === `task-${ids.all}-due@atelier.test`)!;
    expect(keDue.startDate.toJSDate().toISOString()).toBe('2099-03-20T08:00:00.000Z');
    const vnPath = await createFeed(await signedIn(t.server, vn.leader!), '/account/calendar/replace');
    const vnDue = events((await agent(t.server).get(vnPath).expect(200)).text).find((e) => e.uid === `task-${ids.all}-due@atelier.test`)!;
    expect(vnDue.startDate.toJSDate().toISOString()).toBe('2099-03-10T16:00:00.000Z');
  });

  it('staff see every published task’s due time in their courses', async () => {
    for (const person of [ke.experts[0]]) {
      const path = await createFeed(await signedIn(t.server, person));
      const uids = events((await agent(t.server).get(path).expect(200)).text).map((e) => e.uid);
      expect(uids).toEqual(
        expect.arrayContaining([`task-${ids.all}-due@atelier.test`, `task-${ids.kenyaOnly}-due@atelier.test`, `task-${ids.reflection}-due@atelier.test`]),
      );
      expect(uids).not.toContain(`task-${ids.draft}-due@atelier.test`);
    }
    const path = await createFeed(fac);
    const ics = (await agent(t.server).get(path).expect(200)).text;
    const due = events(ics).find((e) => e.uid === `task-${ids.all}-due@atelier.test`)!;
    expect(due.startDate.toJSDate().toISOString()).toBe('2099-03-10T16:00:00.000Z'); // the task's own time, not one team's extension
    expect(ics).toContain(`programme-session-${ids.night}@atelier.test`);
  });

  it('lists the person’s meetings (host, team, listed) with SEQUENCE and STATUS through a move and a cancellation; a replaced address still 404s', async () => {
    const expert = ke.experts[0];
    const guest = await createUser(t.db, { name: 'Guest Speaker' });
    const meeting = await t.db.tx(async (em) => {
      const m = await em.getRepository(Meeting).save({
        courseId,
        kind: 'other' as const,
        title: 'Kenya check-in',
        agenda: 'Where the action plan stands',
        onlineLink: 'https://meet.example.org/kenya',
        startsAt: new Date('2099-05-04T09:00:00Z'),
        endsAt: new Date('2099-05-04T10:00:00Z'),
        hostId: expert.id,
        bookedBy: null,
        status: 'scheduled' as const,
        sequence: 0,
        version: 1,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: ke.team.id });
      await em.getRepository(MeetingPerson).insert({ meetingId: m.id, userId: guest.id, role: 'guest' });
      return m;
    });
    const uid = `meeting-${meeting.id}@atelier.test`;
    const feeds = new Map<string, string>();
    for (const [who, person] of [
      ['host', expert],
      ['team member', ke.members[0]],
      ['listed guest', guest],
      ['other team', vn.leader!],
    ] as const)
      feeds.set(who, await createFeed(await signedIn(t.server, person), '/account/calendar/replace'));
    const meetingIn = async (who: string) => {
      const e = events((await agent(t.server).get(feeds.get(who)!).expect(200)).text).find((x) => x.uid === uid);
      return (
        e && { sequence: e.sequence, status: e.component.getFirstPropertyValue('status'), start: e.startDate.toJSDate().toISOString(), summary: e.summary }
      );
    };
    for (const who of ['host', 'team member', 'listed guest'])
      expect([who, await meetingIn(who)]).toEqual([who, { sequence: 0, status: 'CONFIRMED', start: '2099-05-04T09:00:00.000Z', summary: 'Kenya check-in' }]);
    expect(await meetingIn('other team')).toBeUndefined();

    const href = `/courses/${courseId}/meetings/${meeting.id}`;
    const moved = await submitForm(fac, href, `${href}/reschedule`, { version: '1', day: '2099-05-06', time: '14:00', reason: 'Closer to the deadline' });
    expect(moved.status).toBe(303);
    const after = await t.db.repo(Meeting).findOneByOrFail({ id: meeting.id });
    for (const who of ['host', 'team member', 'listed guest'])
      expect([who, await meetingIn(who)]).toEqual([who, { sequence: 1, status: 'CONFIRMED', start: after.startsAt.toISOString(), summary: 'Kenya check-in' }]);
    expect(after.startsAt.toISOString().slice(0, 10)).toBe('2099-05-06');

    expect((await submitForm(fac, href, `${href}/cancel`, { version: '2', cancelReason: 'Postponed' })).status).toBe(303);
    for (const who of ['host', 'team member', 'listed guest'])
      expect([who, await meetingIn(who)]).toEqual([who, { sequence: 2, status: 'CANCELLED', start: after.startsAt.toISOString(), summary: 'Kenya check-in' }]);

    // The guest replaces their address: the old one answers 404 and names nothing.
    const old = feeds.get('listed guest')!;
    await createFeed(await signedIn(t.server, guest), '/account/calendar/replace');
    const gone = await agent(t.server).get(old);
    expect(gone.status).toBe(404);
    expect(gone.text).not.toContain('Kenya check-in');
  });

  it('replacing the address stops the old one at once; turning the feed off stops it too', async () => {
    const u = await createUser(t.db);
    const a = await signedIn(t.server, u);
    const old = await createFeed(a);
    await agent(t.server).get(old).expect(200);
    const fresh = await createFeed(a, '/account/calendar/replace');
    expect(fresh).not.toBe(old);
    await agent(t.server).get(old).expect(404);
    await agent(t.server).get(fresh).expect(200);
    // The address is shown once: a later visit does not show it again.
    expect((await a.get('/account/calendar').expect(200)).text).not.toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics/);
    expect(await submitForm(a, '/account/calendar', '/account/calendar/off', {}).then((r) => r.status)).toBe(303);
    await agent(t.server).get(fresh).expect(404);
    expect(await t.db.repo(CalendarFeed).countBy({ userId: u.id })).toBe(0);
  });

  it('stores only the token’s hash, one feed per person', async () => {
    const u = await createUser(t.db);
    const a = await signedIn(t.server, u);
    const path = await createFeed(a);
    await createFeed(a, '/account/calendar/replace');
    const rows = await t.db.repo(CalendarFeed).findBy({ userId: u.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].tokenHash).not.toContain(path.slice(10, 53));
  });

  it.each([
    ['malformed', '/calendar/not-a-token.ics'],
    ['unknown but well-formed', `/calendar/${'A'.repeat(43)}.ics`],
    ['with a NUL', `/calendar/${'A'.repeat(20)}%00${'A'.repeat(22)}.ics`],
    ['10 KB long', `/calendar/${'A'.repeat(10_240)}.ics`],
    ['without .ics', `/calendar/${'A'.repeat(43)}`],
    ['with a path in it', `/calendar/..%2F..%2Fetc%2Fpasswd.ics`],
  ])('a %s token answers 404 with nothing about why', async (_label, path) => {
    const res = await agent(t.server).get(path);
    expect(res.status).toBe(404);
    expect(res.text).not.toMatch(/token|revoked|hash|stack/i);
  });

  it('a deactivated person’s feed answers 404', async () => {
    const u = await createUser(t.db);
    const path = await createFeed(await signedIn(t.server, u));
    await t.db.tx((em) => em.getRepository('User').update({ id: u.id }, { active: false }));
    await agent(t.server).get(path).expect(404);
  });

  it('a participant in a course not yet published sees nothing of it', async () => {
    const { course, phases } = await createCourse(t.db, { status: 'draft', title: 'Draft course' });
    await addSession(t.db, phases[1].id, 'Draft session', '2024-10-22T01:00:00Z', '2024-10-22T02:00:00Z');
    const u = await createUser(t.db);
    await addMember(t.db, (await createTeam(t.db, course.id)).id, u.id, 'member');
    const path = await createFeed(await signedIn(t.server, u));
    expect((await agent(t.server).get(path).expect(200)).text).not.toContain('Draft session');
  });

  describe('the account page, by who asks', () => {
    it('signed out: to sign-in, and the buttons do nothing', async () => {
      const res = await agent(t.server).get('/account/calendar');
      expect([302, 303]).toContain(res.status);
      expect(res.headers.location).toMatch(/^\/sign-in/);
      for (const action of ['/account/calendar', '/account/calendar/replace', '/account/calendar/off']) {
        expect([302, 303, 403]).toContain((await agent(t.server).post(action).type('form').send({})).status);
      }
    });

    it('any signed-in person sees their own page; a POST without the CSRF token is refused and changes nothing', async () => {
      const u = await createUser(t.db);
      const a = await signedIn(t.server, u);
      const page = (await a.get('/account/calendar').expect(200)).text;
      expect(page).toContain('Create feed address');
      for (const action of ['/account/calendar', '/account/calendar/replace', '/account/calendar/off']) {
        await a.post(action).type('form').send({}).expect(403);
      }
      expect(await t.db.repo(CalendarFeed).countBy({ userId: u.id })).toBe(0);
    });

    it('the account page links to it', async () => {
      const a = await signedIn(t.server, await createUser(t.db));
      expect((await a.get('/account').expect(200)).text).toContain('href="/account/calendar"');
    });
  });

  it('costs the same number of queries with 1 course, 3 sessions and 4 tasks as with 4 courses, 40 sessions and 24 tasks', async () => {
    const person = await createUser(t.db, { role: 'expert' });
    const measure = async () => {
      const path = await createFeed(await signedIn(t.server, person), '/account/calendar/replace');
      return countQueries(t.db, () => agent(t.server).get(path).expect(200));
    };
    await addMember(t.db, vn.team.id, person.id, 'member');
    const small = await measure();
    for (let c = 0; c < 3; c++) {
      const made = await createCourseWithTeams(t.db, { course: { title: `Course ${c}` }, teams: [{ leader: {} }, { team: KENYA, leader: {} }] });
      await addMember(t.db, made.teams[0].team.id, person.id, 'member');
      const m = await signedIn(t.server, made.facilitator);
      for (let i = 0; i < 12; i++) await addSession(t.db, made.phases[1].id, `S${c}-${i}`, '2024-10-22T01:00:00Z', '2024-10-22T02:00:00Z');
      // Meetings: one they host, one of their team.
      await t.db.tx(async (em) => {
        for (const [i, hostId] of [person.id, made.facilitator.id].entries()) {
          const at = new Date(Date.UTC(2099, 6, 1 + c * 2 + i, 9));
          const m = await em.getRepository(Meeting).save({
            ...{ courseId: made.course.id, kind: 'other' as const, title: `M${c}-${i}`, agenda: '', onlineLink: null, hostId, bookedBy: null },
            ...{ startsAt: at, endsAt: new Date(at.getTime() + 3600_000), status: 'scheduled' as const, sequence: 0, version: 1, createdAt: at, updatedAt: at },
          });
          await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: made.teams[0].team.id });
        }
      });
      for (let i = 0; i < 3; i++) await createTaskThroughApp(t.db, m, made.course.id, { title: `T${c}-${i}`, phaseId: String(made.phases[0].id) });
      for (let i = 0; i < 3; i++)
        await createTaskThroughApp(t.db, m, made.course.id, {
          title: `Sel${c}-${i}`,
          phaseId: String(made.phases[0].id),
          audience: 'selected',
          teamIds: [String(made.teams[0].team.id)],
        });
    }
    const large = await measure();
    expect(
      (
        await agent(t.server)
          .get(await createFeed(await signedIn(t.server, person), '/account/calendar/replace'))
          .expect(200)
      ).text,
    ).toContain('M2-1');
    expect(large).toBe(small);
    expect(small).toBeGreaterThanOrEqual(7); // the counter sees the feed's reads
    expect(large).toBeLessThanOrEqual(10);
  });
});

describe('personal calendar feed: guessing addresses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT_PER_IP: '3' });
  });
  afterAll(() => t.close());

  it('counts misses per address: over the limit 429 with Retry-After, while a good address keeps working and costs no write', async () => {
    const path = await createFeed(await signedIn(t.server, await createUser(t.db)));
    for (let i = 0; i < 3; i++)
      await agent(t.server)
        .get(`/calendar/${'B'.repeat(43)}.ics`)
        .expect(404);
    const refused = await agent(t.server).get(`/calendar/${'B'.repeat(43)}.ics`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const hits = async () => (await t.db.repo(RateLimitRow).find()).map((r) => r.hits);
    const before = await hits();
    await agent(t.server).get(path).expect(200);
    await agent(t.server).get(path).expect(200);
    expect(await hits()).toEqual(before); // the limit's counter is written on misses only
  });
});
