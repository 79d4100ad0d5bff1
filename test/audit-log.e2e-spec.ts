import { DomainEvent } from '../src/events/domain-event.entity';
import { EventsService } from '../src/events/events.service';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import {
  createCourseWithTeams,
  createTaskThroughApp,
  createUser,
  releaseReview,
  signedIn,
  submitWork,
  TEST_PASSWORD,
  type TeamWithPeople,
} from './utils/factories';
import { type Agent, agent, submitForm, textOf } from './utils/http';
import { linkIn } from './utils/mail-catcher';
import { countQueries } from './utils/query-counter';

/** RFC 4180 CSV back into rows (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Attribute values as a browser reads them (Handlebars escapes "=" as &#x3D;). */
const decoded = (html: string) => html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');

describe(`audit log (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let admin: User;
  let facA: User;
  let facB: User;
  let courseA: number;
  let courseB: number;
  let teamA: TeamWithPeople;
  let asAdmin: Agent;
  let asFacA: Agent;
  let asFacB: Agent;
  let asLeader: Agent;
  let asMember: Agent;
  let asExpert: Agent;
  let oddPerson: User;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t.db, { role: 'admin', name: 'Ada Admin', timeZone: 'Pacific/Auckland' });
    const a = await createCourseWithTeams(t.db, {
      course: { title: 'Learning cities, "2026", Pacific' },
      facilitator: { name: 'Fatima Facilitator' },
      teams: [{ leader: { name: 'Leila Leader' }, members: [{ name: 'Mo Member' }], experts: [{ name: 'Esi Expert' }] }],
    });
    const b = await createCourseWithTeams(t.db, { course: { title: 'Other workshop' }, facilitator: { name: 'Bola Facilitator' }, teams: [] });
    courseA = a.course.id;
    courseB = b.course.id;
    facA = a.facilitator;
    facB = b.facilitator;
    teamA = a.teams[0];
    asAdmin = await signedIn(t.server, admin);
    asFacA = await signedIn(t.server, facA);
    asFacB = await signedIn(t.server, facB);
    asLeader = await signedIn(t.server, teamA.leader!);
    asMember = await signedIn(t.server, teamA.members[0]);
    asExpert = await signedIn(t.server, teamA.experts[0]);

    // Work in course A: a task, a submission, feedback asking for changes, a comment.
    const task = await createTaskThroughApp(t.db, asFacA, courseA, { title: 'Policy draft', phaseId: String(a.phases[0].id) });
    const base = `/courses/${courseA}/tasks/${task.id}/submissions/team-${teamA.team.id}`;
    await submitWork(asLeader, base, { text: 'Our draft' });
    await releaseReview(asExpert, base, 'changes', 'Say more.');
    expect((await submitForm(asLeader, base, `${base}/messages`, { body: 'Thanks!' })).status).toBe(303);
    // Course B: a task of its own.
    await createTaskThroughApp(t.db, asFacB, courseB, { title: 'Task of the other workshop', phaseId: String(b.phases[0].id) });

    // Secrets that must never show: an invitation link, a password-reset link, typed addresses.
    const inv = await submitForm(asFacA, `/courses/${courseA}/teams/${teamA.team.id}`, `/courses/${courseA}/teams/${teamA.team.id}/members`, {
      email: 'secret-invitee@example.org',
      teamRole: 'member',
      position: 'policymaker',
      level: 'national',
    });
    expect(inv.status).toBe(303);
    await asFacA.get('/dashboard').expect(200); // shows (and so clears) the flash naming the address typed
    const invLink = linkIn(await t.mail.last('secret-invitee@example.org'), '/invite/');
    secrets.push(invLink.split('/').pop()!, 'secret-invitee@example.org');
    const resetFor = await createUser(t.db, { name: 'Rita Reset', email: 'rita-reset@example.org' });
    await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: resetFor.email });
    const resetLink = linkIn(await t.mail.last(resetFor.email), '/password/reset/');
    secrets.push(resetLink.split('/').pop()!);
    expect((await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: 'typo-person@example.org', password: 'guessed-password-1' })).status).toBe(422);
    expect((await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: resetFor.email, password: 'wrong-password-2' })).status).toBe(422);
    secrets.push('typo-person@example.org', 'guessed-password-1', 'wrong-password-2', TEST_PASSWORD, resetFor.email);

    // Someone whose name a spreadsheet would read as a formula signs in.
    oddPerson = await createUser(t.db, { name: '=HYPERLINK("http://evil.example")', role: 'admin' });
    await signedIn(t.server, oddPerson);
  });
  afterAll(() => t.close());

  const page = async (a: Agent, path: string, status = 200) => {
    const res = await a.get(path);
    expect([path, res.status]).toEqual([path, status]);
    return res;
  };

  it('shows administrators every event, with readable sentences, names and a link to the subject', async () => {
    const res = await page(asAdmin, '/admin/audit');
    const text = textOf(res.text);
    expect(res.text).toContain('href="/admin/audit" aria-current="page">Audit log</a>');
    expect(text).toMatch(/Released feedback on version 1 of ‘Policy draft’ \([^)]+\) — changes requested/);
    expect(text).toContain('Published the task ‘Task of the other workshop’');
    expect(text).toContain('Esi Expert');
    expect(text).toContain('Failed sign-in with an e-mail address that has no account');
    expect(text).toContain('Failed sign-in to Rita Reset’s account — wrong password');
    expect(text).toContain('Not signed in');
    expect(text).toMatch(/Invited someone as a participant to /);
    expect(res.text).toContain(`href="/courses/${courseA}/tasks/`); // the work's page
    expect(res.text).toContain('(Pacific/Auckland)'); // the admin's zone
  });

  it('shows a facilitator their course’s events only, with the course zone beside theirs; another course’s log is 404', async () => {
    const res = await page(asFacA, `/courses/${courseA}/audit`);
    const text = textOf(res.text);
    expect(text).toContain('Released feedback on version 1');
    expect(text).toContain('Submitted version 1 of ‘Policy draft’');
    expect(text).not.toContain('Task of the other workshop');
    expect(text).not.toContain('Signed in'); // account events belong to no course
    expect(text).toMatch(/\d\d:\d\d \(Africa\/Nairobi\) \w{3} \d+ \w{3} \d{4}, \d\d:\d\d \(Asia\/Shanghai\)/);
    // Naming another course in the address changes nothing: a course's log is that course's.
    expect(textOf((await page(asFacA, `/courses/${courseA}/audit?course=${courseB}`)).text)).not.toContain('Task of the other workshop');
    await page(asFacA, `/courses/${courseB}/audit`, 404);
    await page(asFacA, `/courses/${courseB}/audit.csv`, 404);
    await page(asFacB, `/courses/${courseA}/audit`, 404);
    await page(asFacA, '/admin/audit', 403);
    await page(asFacA, '/admin/audit.csv', 403);
    // The set-up page links to it; the header has no site-wide log for a facilitator.
    expect((await page(asFacA, `/courses/${courseA}/setup`)).text).toContain(`href="/courses/${courseA}/audit"`);
    expect(res.text).not.toContain('href="/admin/audit"');
  });

  it('is not for participants, experts or people signed out', async () => {
    for (const a of [asLeader, asMember, asExpert]) {
      await page(a, `/courses/${courseA}/audit`, 404);
      await page(a, `/courses/${courseA}/audit.csv`, 404);
      await page(a, '/admin/audit', 403);
      await page(a, '/admin/audit.csv', 403);
    }
    const anon = await agent(t.server).get('/admin/audit');
    expect(anon.status).toBe(303);
    expect((await agent(t.server).get(`/courses/${courseA}/audit`)).status).toBe(303);
  });

  it('has no route that edits or deletes an event', async () => {
    const before = await t.db.repo(DomainEvent).count();
    for (const path of ['/admin/audit', `/courses/${courseA}/audit`, '/admin/audit/1', '/admin/audit/1/delete']) {
      const res = await asAdmin.post(path).type('form').send({});
      expect([403, 404]).toContain(res.status);
      expect((await asAdmin.delete(path)).status).not.toBe(200);
    }
    expect(await t.db.repo(DomainEvent).count()).toBe(before);
  });

  it('filters by course, person and kind', async () => {
    const byCourse = textOf((await page(asAdmin, `/admin/audit?course=${courseB}`)).text);
    expect(byCourse).toContain('Task of the other workshop');
    expect(byCourse).not.toContain('Policy draft');
    expect(byCourse).toMatch(/1 event matching these filters/);

    const expert = teamA.experts[0];
    const byPerson = await page(asAdmin, `/admin/audit?person=${expert.id}`);
    const rows = [...byPerson.text.matchAll(/<tr>\s*<td class="audit-when"><time/g)];
    expect(rows.length).toBeGreaterThanOrEqual(2); // signed in, released feedback
    expect(textOf(byPerson.text)).not.toContain('Leila Leader Submitted');
    expect(byPerson.text).toMatch(new RegExp(`<option value="${expert.id}" selected>Esi Expert</option>`));

    const byKind = await page(asFacA, `/courses/${courseA}/audit?kind=review.released`);
    const kindText = textOf(byKind.text);
    expect(kindText).toContain('Released feedback');
    expect(kindText).not.toContain('Submitted version');
    expect(byKind.text).toContain('<option value="review.released" selected>Feedback released</option>');
    expect(byKind.text).toContain('<optgroup label="Work and feedback">');
    expect(byKind.text).not.toContain('<optgroup label="Accounts and sign-in">'); // not on a course's log

    const system = textOf((await page(asAdmin, '/admin/audit?person=system')).text);
    expect(system).toContain('Failed sign-in');
    expect(system).not.toContain('Released feedback');
  });

  it('filters by days in the viewer’s zone, both days included', async () => {
    const events = t.app.get(EventsService);
    // Auckland is UTC+13 in January: 10:59 UTC is 23:59 on the 1st there, 11:01 UTC is 00:01 on the 2nd.
    await t.db.tx(async (em) => {
      for (const [title, at] of [
        ['Late on the first', '2030-01-01T10:59:00Z'],
        ['Early on the second', '2030-01-01T11:01:00Z'],
      ] as const) {
        await events.record(em, {
          kind: 'task.published',
          actorId: facA.id,
          courseId: courseA,
          subject: { type: 'task', id: 999_999 },
          payload: { title },
          occurredAt: new Date(at),
        });
      }
    });
    const first = textOf((await page(asAdmin, '/admin/audit?from=2030-01-01&to=2030-01-01')).text);
    expect(first).toContain('Late on the first');
    expect(first).not.toContain('Early on the second');
    const second = textOf((await page(asAdmin, '/admin/audit?from=2030-01-02')).text);
    expect(second).toContain('Early on the second');
    expect(second).not.toContain('Late on the first');
    // The facilitator (Nairobi, UTC+3) sees both on the 1st.
    const nairobi = textOf((await page(asFacA, `/courses/${courseA}/audit?from=2030-01-01&to=2030-01-01`)).text);
    expect(nairobi).toContain('Late on the first');
    expect(nairobi).toContain('Early on the second');
    await t.db.tx((em) => em.getRepository(DomainEvent).delete({ subjectId: 999_999 })); // test data only
  });

  it('answers bad filters with 422, the message at each field and the values kept (page and CSV alike)', async () => {
    const res = await page(asAdmin, '/admin/audit?kind=nope&person=abc&course=999999&from=2026-13-01&to=yesterday', 422);
    expect(res.text).toMatch(/id="f-kind-error"[^>]*>.*Choose a kind of event from the list/);
    expect(res.text).toMatch(/id="f-person-error"[^>]*>.*Choose a person from the list/);
    expect(res.text).toMatch(/id="f-course-error"[^>]*>.*Choose a workshop from the list/);
    expect(res.text).toMatch(/id="f-from-error"[^>]*>.*Enter a date as year-month-day/);
    expect(res.text).toMatch(/id="f-to-error"[^>]*>.*Enter a date as year-month-day/);
    expect(res.text).toContain('value="2026-13-01"');
    expect(res.text).toContain('value="yesterday"');
    expect(res.text).toContain('Correct the filters above to see the events.');
    expect(res.text).not.toContain('<table');

    const order = await page(asFacA, `/courses/${courseA}/audit?from=2026-03-02&to=2026-03-01&kind=review.released`, 422);
    expect(order.text).toMatch(/id="f-to-error"[^>]*>.*The last day must be on or after the first day/);
    expect(order.text).toContain('<option value="review.released" selected>');
    expect(order.text).toContain('value="2026-03-02"');
    // An account kind is not a course's: refused there.
    await page(asFacA, `/courses/${courseA}/audit?kind=user.signed_in`, 422);
    await page(asAdmin, '/admin/audit?page=0', 422);
    await page(asAdmin, '/admin/audit?page=abc', 422);
    await page(asAdmin, '/admin/audit?kind=a&kind=b', 422);
    const csv = await page(asAdmin, '/admin/audit.csv?from=tomorrow', 422);
    expect(csv.headers['content-type']).toMatch(/text\/html/);
    // Someone else's course: 404 first, whatever the filters.
    await page(asFacB, `/courses/${courseA}/audit?kind=nope`, 404);
    // Unknown parameters (tracking tags) are not filters: ignored.
    await page(asAdmin, '/admin/audit?utm_source=newsletter');
  });

  describe('with many events', () => {
    let total: number;
    beforeAll(async () => {
      // Copies of the events so far (every kind of look-up on every page), 130 of them, older than the rest.
      const rows = await t.db.repo(DomainEvent).find({ order: { id: 'ASC' } });
      const copies = Array.from({ length: 130 }, (_, i) => {
        const { id: _id, ...e } = rows[i % rows.length];
        void _id;
        return { ...e, occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000) };
      });
      await t.db.tx((em) => em.getRepository(DomainEvent).insert(copies));
      total = await t.db.repo(DomainEvent).count();
    });

    it('pages through them, 50 at a time, newest first, keeping the filters', async () => {
      const first = await page(asAdmin, '/admin/audit');
      expect([...first.text.matchAll(/<tr>\s*<td class="audit-when"><time/g)]).toHaveLength(50);
      expect(textOf(first.text)).toContain(`Events 1–50 of ${total}`);
      // A full page stays light: HTML and the stylesheet together well under 60 KB.
      const css = await asAdmin.get('/public/css/site.css').expect(200);
      expect(Buffer.byteLength(first.text) + Buffer.byteLength(css.text)).toBeLessThan(60_000);
      expect(first.text).toContain('<nav class="pagination" aria-label="Pages">');
      expect(decoded(first.text)).toContain('href="/admin/audit?page=2" rel="next"');
      const last = Math.ceil(total / 50);
      const end = await page(asAdmin, `/admin/audit?page=${last}`);
      expect([...end.text.matchAll(/<tr>\s*<td class="audit-when"><time/g)]).toHaveLength(total - (last - 1) * 50);
      expect(end.text).not.toContain('rel="next"');
      expect(textOf(end.text)).toContain(`Page ${last} of ${last}`);
      // Newest first: the copies (2025) come after the recent events.
      const times = [...first.text.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]);
      expect([...times].sort().reverse()).toEqual(times);
      // Filters stay in the page links.
      const filtered = decoded((await page(asAdmin, '/admin/audit?to=2099-12-31&page=2')).text);
      expect(filtered).toContain('href="/admin/audit?to=2099-12-31" rel="prev"');
      expect(filtered).toContain('href="/admin/audit?to=2099-12-31&page=3" rel="next"');
      expect(filtered).toContain('href="/admin/audit.csv?to=2099-12-31" download');
      // Past the end: a short note and a way back, not an error.
      expect(textOf((await page(asAdmin, '/admin/audit?page=999')).text)).toContain('There are fewer pages of events than that.');
    });

    it('exports the filtered events as CSV, escaped, formula-safe and parsed back whole', async () => {
      const res = await asAdmin
        .get('/admin/audit.csv')
        .buffer(true)
        .parse((r, cb) => {
          let data = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (data += c));
          r.on('end', () => cb(null, data));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="atelier-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
      const body = res.body as string;
      expect(body.startsWith('\uFEFF')).toBe(true);
      const rows = parseCsv(body.slice(1));
      expect(rows[0]).toEqual(['Time (UTC)', 'Time (Pacific/Auckland)', 'Who', 'What', 'Kind', 'Workshop', 'Link']);
      expect(rows).toHaveLength(total + 1);
      expect(rows.every((r) => r.length === 7)).toBe(true);
      // Newest first, in UTC and in the viewer's zone.
      const times = rows.slice(1).map((r) => r[0]);
      expect([...times].sort().reverse()).toEqual(times);
      const feedback = rows.find((r) => r[3].startsWith('Released feedback'))!;
      expect(feedback[2]).toBe('Esi Expert');
      expect(feedback[4]).toBe('Feedback released');
      expect(feedback[5]).toBe('Learning cities, "2026", Pacific'); // commas and quotes survive the round trip
      expect(feedback[6]).toMatch(new RegExp(`^http://[^/]+/courses/${courseA}/tasks/\\d+/submissions/team-${teamA.team.id}$`));
      // A name a spreadsheet would run is defused; the raw text shows the quoting.
      expect(rows.find((r) => r[2].includes('HYPERLINK'))![2]).toBe(`'=HYPERLINK("http://evil.example")`);
      expect(body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

      const course = parseCsv((await asFacA.get(`/courses/${courseA}/audit.csv?kind=submission.submitted`).expect(200)).text.slice(1));
      expect(course.length).toBeGreaterThan(1);
      expect(course.slice(1).every((r) => r[4] === 'Work submitted' && r[5].startsWith('Learning cities'))).toBe(true);
    });

    it('never shows tokens, passwords or typed e-mail addresses, in the page or the CSV', async () => {
      const pages = [
        (await page(asAdmin, '/admin/audit')).text,
        (await page(asAdmin, '/admin/audit?page=2')).text,
        (await page(asAdmin, '/admin/audit?person=system')).text,
        (await page(asFacA, `/courses/${courseA}/audit`)).text,
        (await asAdmin.get('/admin/audit.csv').expect(200)).text,
      ];
      expect(secrets.length).toBeGreaterThanOrEqual(6);
      for (const html of pages) for (const s of secrets) expect(html).not.toContain(s);
      for (const html of pages) expect(html).not.toMatch(/[\w.+-]+@example\.org/);
    });

    it('costs the same number of queries for a page, whatever the number of events', async () => {
      const cost = (a: Agent, path: string) =>
        countQueries(t.db, async () => {
          await a.get(path).expect(200);
        });
      const paths: [Agent, string][] = [
        [asAdmin, '/admin/audit'],
        [asAdmin, '/admin/audit?page=2'],
        [asFacA, `/courses/${courseA}/audit`],
        [asAdmin, `/admin/audit?course=${courseA}&kind=review.released`],
      ];
      const before = [];
      for (const [a, p] of paths) before.push(await cost(a, p));
      await t.db.tx(async (em) => {
        const rows = await em.getRepository(DomainEvent).find({ take: 40 });
        await em.getRepository(DomainEvent).insert(rows.map(({ id: _id, ...e }) => ({ ...e, occurredAt: new Date() })));
      });
      const after = [];
      for (const [a, p] of paths) after.push(await cost(a, p));
      expect(after).toEqual(before);
      for (const n of before) expect(n).toBeLessThanOrEqual(14);
      // The CSV reads in chunks: a constant number of queries per 500 events.
      const csv = await countQueries(t.db, async () => {
        await asAdmin.get('/admin/audit.csv').expect(200);
      });
      expect(csv).toBeLessThanOrEqual(16);
    });
  });
});
