import { jest } from '@jest/globals';
import { Availability, AvailabilityDayOff, AvailabilityOneOffWindow, AvailabilityWeeklyWindow } from '../src/meetings/availability.entity';
import { Clock } from '../src/meetings/clock';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { addStaff, assignExpert, createCourse, createCourseWithTeams, createUser, KENYA, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';
import { countQueries } from './utils/query-counter';

/** 24 Oct 2024: the in-person week in Shanghai; the online phase after it starts on Saturday 26 Oct. Berlin leaves summer time on Sunday 27 Oct. */
const NOW = new Date('2024-10-24T06:00:00Z');

/** The form as an expert in Berlin fills it in: Mondays and Saturdays 10:00–11:00, one Tuesday afternoon, a Saturday off. */
function fields(over: Record<string, string> = {}): Record<string, string> {
  return {
    timeZone: 'Europe/Berlin',
    slotMinutes: '30',
    bufferMinutes: '0',
    minNoticeHours: '24',
    horizonDays: '30',
    maxPerTeam: '',
    weekly1Day: '1',
    weekly1Start: '10:00',
    weekly1End: '11:00',
    weekly2Day: '6',
    weekly2Start: '10:00',
    weekly2End: '11:00',
    weekly3Day: '',
    weekly3Start: '',
    weekly3End: '',
    oneOff1Date: '2024-10-29',
    oneOff1Start: '14:00',
    oneOff1End: '15:00',
    dayOff1: '2024-11-02',
    dayOff2: '2024-11-02',
    ...over,
  };
}

describe(`expert availability (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let base: string;
  let expert: User;
  let ex: Agent;
  let vietNamTeamId: number;
  let people: { facilitator: User; leader: User; member: User; otherExpert: User };

  beforeAll(async () => {
    t = await createTestApp();
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(t.db, {
      teams: [{ team: KENYA, leader: {}, members: [{}], experts: [{ timeZone: 'Europe/Berlin', name: 'Anke Weber' }] }, { team: {} }],
    });
    courseId = made.course.id;
    base = `/courses/${courseId}`;
    expert = made.teams[0].experts[0];
    vietNamTeamId = made.teams[1].team.id;
    const other = await createCourse(t.db, { title: 'Another workshop' });
    const otherExpert = await createUser(t.db, { role: 'expert' });
    await addStaff(t.db, other.course.id, otherExpert.id, 'expert');
    people = { facilitator: made.facilitator, leader: made.teams[0].leader!, member: made.teams[0].members[0], otherExpert };
    ex = agent(t.server);
    await signIn(ex, expert.email);
  });
  afterAll(() => t.close());

  const stored = async () => {
    const row = await t.db.repo(Availability).findOneBy({ courseId, userId: expert.id });
    if (!row) return null;
    const [weekly, oneOff, daysOff] = await Promise.all([
      t.db.repo(AvailabilityWeeklyWindow).find({ where: { availabilityId: row.id }, order: { weekday: 'ASC' } }),
      t.db.repo(AvailabilityOneOffWindow).findBy({ availabilityId: row.id }),
      t.db.repo(AvailabilityDayOff).findBy({ availabilityId: row.id }),
    ]);
    return {
      version: row.version,
      zone: row.timeZone,
      rules: [row.slotMinutes, row.bufferMinutes, row.minNoticeMinutes, row.horizonDays, row.maxPerTeam],
      weekly: weekly.map((w) => `${w.weekday} ${w.startTime}-${w.endTime}`),
      oneOff: oneOff.map((w) => `${w.day} ${w.startTime}-${w.endTime}`),
      daysOff: daysOff.map((d) => d.day),
    };
  };

  const post = async (a: Agent, body: Record<string, string>) => {
    const page = await a.get(`${base}/availability`);
    return a
      .post(`${base}/availability`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...body });
  };

  it('opens empty for an expert, in their account zone, linked from the course tabs', async () => {
    const home = await ex.get(base).expect(200);
    expect(home.text).toContain(`href="${base}/availability"`);
    const page = await ex.get(`${base}/availability`).expect(200);
    expect(page.text).toMatch(/<option selected>Europe\/Berlin/);
    expect(page.text).toContain('name="version" value="0"');
    expect(textOf(page.text)).toContain('Nothing published yet');
  });

  it('saves the availability and previews the next slots in the expert, venue and team zones, across the change from summer time', async () => {
    const res = await post(ex, { ...fields(), version: '0' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base}/availability#preview`);
    expect(await stored()).toEqual({
      version: 1,
      zone: 'Europe/Berlin',
      rules: [30, 0, 24 * 60, 30, null],
      weekly: ['1 10:00-11:00', '6 10:00-11:00'],
      oneOff: ['2024-10-29 14:00-15:00'],
      daysOff: ['2024-11-02'],
    });
    const page = await ex.get(`${base}/availability`).expect(200);
    const text = textOf(page.text);
    // Nothing in the in-person week; Saturday in summer time (UTC+2): 08:00 UTC is 16:00 in Shanghai, 11:00 in Nairobi.
    expect(text).not.toContain('Fri 25 Oct 2024');
    expect(text).toContain('Sat 26 Oct 2024 10:00–10:30 Berlin · 16:00 Shanghai · 11:00 Nairobi 10:30–11:00 Berlin · 16:30 Shanghai · 11:30 Nairobi');
    // Monday after the change (UTC+1): still 10:00 in Berlin, an hour later everywhere else.
    expect(text).toContain('Mon 28 Oct 2024 10:00–10:30 Berlin · 17:00 Shanghai · 12:00 Nairobi');
    expect(text).toContain('Tue 29 Oct 2024 14:00–14:30 Berlin · 21:00 Shanghai · 16:00 Nairobi');
    // The day off is left out; the next Monday is there.
    expect(text).not.toContain('Sat 2 Nov 2024');
    expect(text).toContain('Mon 4 Nov 2024 10:00–10:30 Berlin');
    expect(page.text).toContain('<time datetime="2024-10-26T08:00:00.000Z">');
    // The form shows what was saved.
    expect(page.text).toContain('name="version" value="1"');
    expect(page.text).toMatch(/id="f-weekly2Day" name="weekly2Day"[^>]*>.*<option value="6" selected>Saturday/);
    expect(page.text).toContain('id="f-oneOff1Date" name="oneOff1Date" type="date" value="2024-10-29"');
  });

  it('offers two empty rows after the last filled one, without JavaScript: saving or a refused form opens more', async () => {
    const rows = (html: string) => (html.match(/id="f-weekly\d+Day"/g) ?? []).length;
    const page = await ex.get(`${base}/availability`);
    expect(rows(page.text)).toBe(4);
    expect(page.text).not.toContain('name="weekly5Day"');
    const res = await post(ex, { ...fields({ weekly4Day: '3', weekly4Start: '09:00', weekly4End: 'noon' }), version: '1' });
    expect(res.status).toBe(422);
    expect(rows(res.text)).toBe(6);
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ['a weekly window ending before it starts', { weekly1End: '09:00' }, 'weekly1End', 'The window must end after it starts (10:00) on the same day.'],
    ['a weekly window ending when it starts', { weekly1End: '10:00' }, 'weekly1End', 'The window must end after it starts (10:00) on the same day.'],
    ['a start that is not a time', { weekly2Start: '9am' }, 'weekly2Start', 'Enter the start as hours and minutes, e.g. 09:00.'],
    ['a window without its day', { weekly3Start: '08:00', weekly3End: '09:00' }, 'weekly3Day', 'Choose the day of the week.'],
    ['a weekday that does not exist', { weekly1Day: '8' }, 'weekly1Day', 'Choose the day of the week.'],
    [
      'a one-off window in the in-person week',
      { oneOff1Date: '2024-10-25' },
      'oneOff1Date',
      "Fri 25 Oct 2024 is outside the course's online phases (1 Sept 2024 – 20 Oct 2024; 26 Oct 2024 – 30 Nov 2024).",
    ],
    [
      'a one-off window on a day already past',
      { oneOff1Date: '2024-10-10' },
      'oneOff1Date',
      'Thu 10 Oct 2024 has passed: choose a day from today (Thu 24 Oct 2024) on.',
    ],
    ['a one-off window after the course', { oneOff1Date: '2024-12-10' }, 'oneOff1Date', "Tue 10 Dec 2024 is outside the course's online phases"],
    ['a one-off day that is not a date', { oneOff1Date: '2024-02-30' }, 'oneOff1Date', 'Enter the day as a date, e.g. 2025-10-21.'],
    ['a one-off window ending before it starts', { oneOff1End: '13:00' }, 'oneOff1End', 'The window must end after it starts (14:00) on the same day.'],
    ['a day off that is not a date', { dayOff1: '31/10/2024' }, 'dayOff1', 'Enter the day off as a date, e.g. 2025-10-21.'],
    ['a slot too short', { slotMinutes: '10' }, 'slotMinutes', 'Enter the length of a meeting in minutes, from 15 to 240.'],
    ['a slot too long', { slotMinutes: '241' }, 'slotMinutes', 'Enter the length of a meeting in minutes, from 15 to 240.'],
    ['a negative break', { bufferMinutes: '-5' }, 'bufferMinutes', 'Enter the break between meetings in minutes, from 0 to 120.'],
    ['more than 14 days of notice', { minNoticeHours: '337' }, 'minNoticeHours', 'Enter the notice you need in hours, from 0 to 336 (14 days).'],
    ['a horizon of no days', { horizonDays: '0' }, 'horizonDays', 'Enter how many days ahead teams may book, from 1 to 120.'],
    ['a limit of no meetings', { maxPerTeam: '0' }, 'maxPerTeam', 'Enter the most meetings one team may book with you, from 1 to 50'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone', 'Choose your time zone from the list.'],
  ];

  it.each(bad)('refuses %s: 422, the message at the field, the values kept, nothing stored', async (_, over, field, message) => {
    const before = await stored();
    const res = await post(ex, { ...fields({ weekly1Day: '2', oneOff1Start: '14:00', ...over }), version: String(before!.version) });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(message);
    expect(res.text).toContain(`href="#f-${field}"`);
    expect(res.text).toMatch(new RegExp(`id="f-${field}-error"`));
    expect(res.text).toMatch(new RegExp(`id="f-${field}" name="${field}"[^>]*aria-invalid="true"`));
    // Kept: what was typed, the bad value included (the time zone picker offers only known zones).
    for (const [name, value] of Object.entries(over)) {
      if (name === 'timeZone' || (name.endsWith('Day') && name.startsWith('weekly'))) continue;
      expect(res.text).toContain(`name="${name}" type="${/Date|dayOff/.test(name) ? 'date' : /Start|End/.test(name) ? 'time' : 'number'}" value="${value}"`);
    }
    if (!over.weekly1Day) expect(res.text).toMatch(/id="f-weekly1Day" name="weekly1Day"[^>]*>.*<option value="2" selected>Tuesday/);
    expect(await stored()).toEqual(before);
  });

  it('detects an edit from a page opened before the last save: 409, the typed values kept, nothing overwritten', async () => {
    const before = await stored();
    const version = String(before!.version);
    const first = await post(ex, { ...fields({ slotMinutes: '45' }), version });
    expect(first.status).toBe(303);
    const saved = await stored();
    expect(saved!.version).toBe(before!.version + 1);
    const stale = await post(ex, { ...fields({ slotMinutes: '60', weekly1Start: '08:00' }), version });
    expect(stale.status).toBe(409);
    const text = textOf(stale.text);
    expect(text).toContain('Someone else saved this availability (perhaps you, in another tab or window) while you were editing it');
    expect(text).toMatch(/Meeting length \(minutes\) 45 60/);
    expect(stale.text).toContain('name="slotMinutes" type="number" value="60"');
    expect(stale.text).toContain(`name="version" value="${saved!.version}"`);
    expect(await stored()).toEqual(saved);
  });

  it('lets exactly one of several simultaneous saves from the same version through', async () => {
    const before = await stored();
    const page = await ex.get(`${base}/availability`);
    const csrf = csrfFrom(page.text);
    const results = await Promise.all(
      [15, 20, 25, 30, 35].map((m) =>
        ex
          .post(`${base}/availability`)
          .type('form')
          .send({ _csrf: csrf, ...fields({ bufferMinutes: String(m) }), version: String(before!.version) }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([303, 409, 409, 409, 409]);
    const after = await stored();
    expect(after!.version).toBe(before!.version + 1);
  });

  it('refuses a save without the CSRF token and stores nothing', async () => {
    const before = await stored();
    const res = await ex
      .post(`${base}/availability`)
      .type('form')
      .send({ ...fields({ slotMinutes: '90' }), version: String(before!.version) });
    expect(res.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('keeps the page to a constant number of queries, however many windows and teams', async () => {
    const page = () => ex.get(`${base}/availability`).expect(200);
    const few = await countQueries(t.db, page);
    const before = await stored();
    const many: Record<string, string> = { ...fields(), version: String(before!.version) };
    for (let n = 1; n <= 10; n++)
      Object.assign(many, { [`weekly${n}Day`]: String(((n - 1) % 7) + 1), [`weekly${n}Start`]: '07:00', [`weekly${n}End`]: '19:00' });
    for (let n = 1; n <= 10; n++)
      Object.assign(many, { [`oneOff${n}Date`]: `2024-11-${String(10 + n)}`, [`oneOff${n}Start`]: '20:00', [`oneOff${n}End`]: '21:00' });
    for (let n = 1; n <= 10; n++) many[`dayOff${n}`] = `2024-11-${String(n).padStart(2, '0')}`;
    expect((await post(ex, many)).status).toBe(303);
    await assignExpert(t.db, vietNamTeamId, expert.id);
    const after = await ex.get(`${base}/availability`);
    expect(textOf(after.text)).toMatch(/Berlin · \d\d:\d\d Shanghai · \d\d:\d\d Nairobi · \d\d:\d\d Ho Chi Minh/);
    expect(await countQueries(t.db, page)).toBe(few);
    // Light on slow links: every row open and a full preview in four zones stay under 40 KB of HTML (with the 15 KB style sheet, under 60 KB).
    expect(Buffer.byteLength(after.text)).toBeLessThan(40_000);
  });

  describe('who may open and save it', () => {
    const tryAs = async (who: User | null) => {
      const a = agent(t.server);
      if (who) await signIn(a, who.email);
      const csrf = csrfFrom((await a.get(who ? '/account' : '/sign-in')).text);
      const get = await a.get(`${base}/availability`);
      const postRes = await a
        .post(`${base}/availability`)
        .type('form')
        .send({ _csrf: csrf, ...fields({ slotMinutes: '120' }), version: '0' });
      return { get, post: postRes };
    };

    it.each([
      ['an expert of another course', 'otherExpert'],
      ['a team leader', 'leader'],
      ['a team member', 'member'],
    ] as const)('answers 404 to %s, for the page and the form, and stores nothing', async (_, key) => {
      const before = await stored();
      const res = await tryAs(people[key]);
      expect(res.get.status).toBe(404);
      expect(res.post.status).toBe(404);
      expect(await stored()).toEqual(before);
      expect(await t.db.repo(Availability).countBy({ userId: people[key].id })).toBe(0);
      const home = await (async () => {
        const a = agent(t.server);
        await signIn(a, people[key].email);
        return a.get(base);
      })();
      expect(home.text).not.toContain(`${base}/availability`);
    });

    it('sends a signed-out visitor to sign in', async () => {
      await agent(t.server)
        .get(`${base}/availability`)
        .expect(303)
        .expect('location', `/sign-in?next=${encodeURIComponent(`${base}/availability`)}`);
    });

    it('lets a facilitator of the course publish their own availability', async () => {
      const res = await tryAs(people.facilitator);
      expect(res.get.status).toBe(200);
      expect(res.post.status).toBe(303);
      expect(await t.db.repo(Availability).countBy({ courseId, userId: people.facilitator.id })).toBe(1);
    });
  });
});
