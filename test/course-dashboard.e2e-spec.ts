import { weekOf } from '../src/dashboards/course-dashboard.page';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Meeting, MeetingTeam } from '../src/meetings/meeting.entity';
import { Submission, SubmissionVersion } from '../src/submissions/submission.entity';
import type { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, releaseReview, signedIn, submitWork, type TeamWithPeople } from './utils/factories';
import { type Agent, submitForm, textOf } from './utils/http';

/** A page's text as read: tags dropped (textOf), and the space a dropped tag leaves before a comma or colon removed. */
const read = (html: string) => textOf(html).replace(/ ([,:])/g, '$1');

/** The rows of the dashboard's matrix as a person reads them: each cell's text, the status signs (aria-hidden) left out. */
export function matrixOf(html: string): string[][] {
  const table = html.match(/<table class="matrix">([\s\S]*?)<\/table>/)?.[1];
  if (!table) return [];
  const body = table.match(/<tbody>([\s\S]*?)<\/tbody>/)![1];
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<(th|td)[^>]*>([\s\S]*?)<\/\1>/g)].map((c) =>
      read(c[2].replace(/<span aria-hidden="true">[\s\S]*?<\/span>/g, '').replace(/<svg[\s\S]*?<\/svg>/g, '')),
    ),
  );
}

/** An RFC 4180 reader: quoted fields, doubled quotes, CRLF line ends; a leading BOM dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const DAY = 24 * 3600_000;

describe('the course dashboard', () => {
  let t: TestApp;
  let courseId: number;
  let fac: Agent;
  let expertA: Agent;
  let leaderA: Agent;
  let memberA: Agent;
  let kenya: TeamWithPeople;
  let ghana: TeamWithPeople;
  let nepal: TeamWithPeople;
  let facilitator: User;
  let phases: { id: number; title: string }[];
  const ids = { past: 0, brief: 0, reflection: 0 };
  const sub = (taskId: number, owner: string) => `/courses/${courseId}/tasks/${taskId}/submissions/${owner}`;

  beforeAll(async () => {
    t = await createTestApp();
    const made = await createCourseWithTeams(t.db, {
      teams: [
        {
          team: { country: 'KE', timeZone: 'Africa/Nairobi' },
          leader: { name: 'Amina Leader' },
          members: [{ name: 'Baraka Member' }],
          experts: [{ name: 'Eva Expert' }],
        },
        {
          team: { country: 'GH', timeZone: 'Africa/Accra' },
          leader: { name: 'Kofi Leader' },
          members: [{ name: 'Ama Member' }],
          experts: [{ name: 'Otto Expert' }],
        },
        { team: { country: 'NP', timeZone: 'Asia/Kathmandu' }, leader: { name: 'Sita Leader' } },
      ],
    });
    courseId = made.course.id;
    phases = made.phases;
    facilitator = made.facilitator;
    [kenya, ghana, nepal] = made.teams;
    fac = await signedIn(t.server, facilitator);
    expertA = await signedIn(t.server, kenya.experts[0]);
    leaderA = await signedIn(t.server, kenya.leader!);
    memberA = await signedIn(t.server, kenya.members[0]);
    const leaderB = await signedIn(t.server, ghana.leader!);
    const expertB = await signedIn(t.server, ghana.experts[0]);

    // A team task of the first phase, due long ago (no cut-off): Kenya hands in late, Ghana never
    // (overdue), Nepal has an extension to 2099 (neither).
    ids.past = (await createTaskThroughApp(t.db, fac, courseId, { title: 'Situation analysis', phaseId: String(phases[0].id), dueDay: '2024-10-01' })).id;
    // A team task of the second phase (its title looks like a formula), due in 2099.
    ids.brief = (await createTaskThroughApp(t.db, fac, courseId, { title: '=Policy brief', phaseId: String(phases[1].id) })).id;
    // An individual task of the first phase, due long ago.
    ids.reflection = (
      await createTaskThroughApp(t.db, fac, courseId, { title: 'Reflection', phaseId: String(phases[0].id), kind: 'individual', dueDay: '2024-10-01' })
    ).id;

    await submitWork(leaderA, sub(ids.past, `team-${kenya.team.id}`), { text: 'Late analysis' });
    const ext = sub(ids.past, `team-${nepal.team.id}`);
    expect((await submitForm(fac, ext, `${ext}/extension`, { dueDay: '2099-02-01', dueTime: '17:00', cutOffDay: '', cutOffTime: '' })).status).toBe(303);

    // Kenya's brief: changes asked, handed in again, accepted, then reopened.
    const brief = sub(ids.brief, `team-${kenya.team.id}`);
    await submitWork(leaderA, brief, { text: 'Brief v1' });
    await releaseReview(expertA, brief, 'changes', 'More on funding.');
    await submitWork(leaderA, brief, { text: 'Brief v2' });
    await releaseReview(expertA, brief, 'accept', 'Good.');
    expect((await submitForm(fac, brief, `${brief}/reopen`, { note: 'One more table.' })).status).toBe(303);
    // Ghana's brief: handed in, accepted.
    const ghanaBrief = sub(ids.brief, `team-${ghana.team.id}`);
    await submitWork(leaderB, ghanaBrief, { text: 'Ghana brief' });
    await releaseReview(expertB, ghanaBrief, 'accept', 'Fine.');

    // Individual extensions: Ama's reflection to 2099 (not overdue), Baraka's to a day already past (overdue all the same).
    for (const person of [ghana.members[0], kenya.members[0]]) {
      const url = sub(ids.reflection, `person-${person.id}`);
      expect((await submitForm(fac, url, `${url}/extension`, { dueDay: '2099-02-01', dueTime: '17:00', cutOffDay: '', cutOffTime: '' })).status).toBe(303);
    }
    await t.db.tx((em) =>
      em.getRepository(Submission).update({ taskId: ids.reflection, userId: kenya.members[0].id }, { dueAtOverride: new Date('2025-01-15T12:00:00Z') }),
    );
    await submitWork(leaderA, sub(ids.reflection, `person-${kenya.leader!.id}`), { text: 'What I learnt' });
    await submitWork(leaderB, sub(ids.reflection, `person-${ghana.leader!.id}`), { text: 'My reflection' });

    // Kenya's late analysis has waited three days and a bit: the oldest in the queue.
    const s = await t.db.repo(Submission).findOneByOrFail({ taskId: ids.past, teamId: kenya.team.id });
    await t.db.tx((em) => em.getRepository(SubmissionVersion).update({ submissionId: s.id }, { submittedAt: new Date(Date.now() - 3 * DAY - 3600_000) }));
    // Nepal's leader last did something ten days ago.
    await t.db.tx((em) =>
      em.getRepository(DomainEvent).save({
        kind: 'comment.posted',
        actorId: nepal.leader!.id,
        courseId,
        subjectType: 'submission',
        subjectId: null,
        payload: '{}',
        occurredAt: new Date(Date.now() - 10 * DAY),
        dispatchedAt: new Date(),
      }),
    );
    // Meetings: one this week (in the facilitator's zone), one in two months.
    const week = weekOf(new Date(), facilitator.timeZone);
    const now = new Date();
    const meeting = (title: string, startsAt: Date, hostId: number, teamId: number) =>
      t.db.tx(async (em) => {
        const m = await em.getRepository(Meeting).save({
          courseId,
          kind: 'expert_consultation',
          title,
          agenda: '',
          onlineLink: null,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 1800_000),
          hostId,
          bookedBy: null,
          status: 'scheduled',
          sequence: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        await em.getRepository(MeetingTeam).save({ meetingId: m.id, teamId });
      });
    await meeting('Kenya check-in', new Date(week.from.getTime() + 3 * DAY + 9 * 3600_000), kenya.experts[0].id, kenya.team.id);
    await meeting('Ghana check-in', new Date(week.from.getTime() + 3 * DAY + 10 * 3600_000), ghana.experts[0].id, ghana.team.id);
    await meeting('Far away', new Date(Date.now() + 60 * DAY), kenya.experts[0].id, kenya.team.id);
  }, 120_000);
  afterAll(() => t.close());

  const url = (q = '') => `/courses/${courseId}/dashboard${q}`;

  it('shows each team’s work per task (status, late, overdue, reopened, extended, versions, linked) and counts its members’ individual work', async () => {
    const res = await fac.get(url()).expect(200);
    const rows = matrixOf(res.text);
    // One row per team: an individual task's cell counts the members (Kofi handed in late, Ama not
    // yet but her extension runs to 2099; Amina late, Baraka's extension has run out), and links to
    // the task's overview, where each member's work is listed.
    expect(rows).toEqual([
      [
        'Ghana',
        '1 accepted, 1 submitted, 2 open',
        'Not started, overdue',
        'Accepted, 1 version',
        'Of 2 members: 0 accepted, 1 submitted, 1 open, 1 late, 1 version',
      ],
      [
        'Kenya',
        '0 accepted, 3 submitted, 1 open',
        'Submitted, late, 1 version',
        'Changes requested, reopened, 2 versions',
        'Of 2 members: 0 accepted, 1 submitted, 1 open, 1 late, 1 overdue, 1 version',
      ],
      ['Nepal', '0 accepted, 0 submitted, 3 open', 'Not started, extended', 'Not started', 'Of 1 member: 0 accepted, 0 submitted, 1 open, 1 overdue'],
    ]);
    // Each team cell links to the work, and the status is a word beside a sign, never colour alone.
    expect(res.text).toContain(`<a href="${sub(ids.brief, `team-${kenya.team.id}`)}">Changes requested</a>`);
    expect(res.text).toMatch(/<span aria-hidden="true">✓ <\/span><a [^>]+>Accepted<\/a>/);
    // The members' counts link to the task's overview, which lists each member's work with its status.
    expect(res.text).toContain(`Of <a href="/courses/${courseId}/tasks/${ids.reflection}">2 members</a>:`);
    expect(res.text).toMatch(
      /<span aria-hidden="true">○<\/span> 1 open, <strong class="mark--late">1 late<\/strong>, <strong class="mark--overdue">1 overdue<\/strong>/,
    );
    const overview = await fac.get(`/courses/${courseId}/tasks/${ids.reflection}`).expect(200);
    expect(overview.text).toContain(sub(ids.reflection, `person-${kenya.members[0].id}`));
    expect(read(overview.text)).toMatch(/Baraka Member Kenya Not started/);
    // No member has a row of their own on the page (they are in the CSV).
    expect(res.text).not.toContain('Baraka Member');
    // The progress bar says it in words too.
    expect(textOf(res.text)).toContain('0 accepted, 3 submitted, 1 open');
    // A link from the course's tabs.
    expect(res.text).toContain(`<a href="/courses/${courseId}/dashboard" aria-current="page">Dashboard</a>`);
    expect((await fac.get(`/courses/${courseId}`)).text).toContain(`href="/courses/${courseId}/dashboard"`);
  });

  it('counts what waits for feedback and names the oldest with its age', async () => {
    const text = read((await fac.get(url()).expect(200)).text);
    // Kenya's analysis, Amina's and Kofi's reflections.
    expect(text).toContain('3 submissions wait for feedback');
    expect(text).toMatch(/Oldest: Kenya — Situation analysis, waiting 3 days/);
  });

  it('lists this week’s meetings only', async () => {
    const text = textOf((await fac.get(url()).expect(200)).text);
    expect(text).toContain('Kenya check-in');
    expect(text).toContain('Ghana check-in');
    expect(text).not.toContain('Far away');
  });

  it('lists the teams quiet for N days, N from the form', async () => {
    const quiet = async (q: string) => {
      const html = (await fac.get(url(q)).expect(200)).text;
      return [...(html.match(/<h2 id="quiet-heading">[\s\S]*?<\/section>/)?.[0] ?? '').matchAll(/<li><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1]);
    };
    expect(await quiet('')).toEqual(['Nepal']);
    expect(await quiet('?inactive=9')).toEqual(['Nepal']);
    expect(await quiet('?inactive=11')).toEqual([]);
    expect(textOf((await fac.get(url('?inactive=9'))).text)).toContain('last active 10 days ago');
  });

  it('filters by phase, on the page and in the CSV', async () => {
    const res = await fac.get(url(`?phase=${phases[1].id}`)).expect(200);
    const rows = matrixOf(res.text);
    // Only the brief: no individual task shown, so no members' rows.
    expect(rows).toEqual([
      ['Ghana', '1 accepted, 0 submitted, 0 open', 'Accepted, 1 version'],
      ['Kenya', '0 accepted, 1 submitted, 0 open', 'Changes requested, reopened, 2 versions'],
      ['Nepal', '0 accepted, 0 submitted, 1 open', 'Not started'],
    ]);
    expect(res.text).toContain(`href="/courses/${courseId}/dashboard.csv?phase&#x3D;${phases[1].id}"`);
    const csv = parseCsv((await fac.get(url(`.csv?phase=${phases[1].id}`)).expect(200)).text);
    expect(csv[0]).toEqual(['Team', 'Person', 'Accepted', 'Submitted', 'Open', "'=Policy brief"]);
    expect(csv.slice(1).map((r) => r[5])).toEqual(rows.map((r) => r[2]));
  });

  it('gives the matrix as CSV: the page’s team rows, each followed by a row per member (the full data)', async () => {
    const page = matrixOf((await fac.get(url()).expect(200)).text);
    const res = await fac.get(url('.csv')).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="atelier-dashboard-workshop-${courseId}-\\d{4}-\\d\\d-\\d\\d\\.csv"`));
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    expect(res.text).toMatch(/\r\n$/);
    const csv = parseCsv(res.text);
    expect(csv[0]).toEqual(['Team', 'Person', 'Accepted', 'Submitted', 'Open', 'Situation analysis', "'=Policy brief", 'Reflection']);
    const teamRows = csv
      .slice(1)
      .filter(([, person]) => !person)
      .map(([team, , a, s, o, ...cells]) => [team, `${a} accepted, ${s} submitted, ${o} open`, ...cells]);
    expect(teamRows).toEqual(page);
    expect(csv.slice(1).map(([team, person, , , , ...cells]) => [person ? `${team}: ${person}` : team, ...cells])).toEqual([
      ['Ghana', ...page[0].slice(2)],
      ['Ghana: Ama Member', '', '', 'Not started, extended'],
      ['Ghana: Kofi Leader', '', '', 'Submitted, late, 1 version'],
      ['Kenya', ...page[1].slice(2)],
      ['Kenya: Amina Leader', '', '', 'Submitted, late, 1 version'],
      ['Kenya: Baraka Member', '', '', 'Not started, overdue, extended'],
      ['Nepal', ...page[2].slice(2)],
      ['Nepal: Sita Leader', '', '', 'Not started, overdue'],
    ]);
  });

  it('refuses bad filters at their field (422), the page still shown, nothing filtered silently', async () => {
    for (const [q, field, message] of [
      ['?inactive=0', 'inactive', 'Enter a whole number of days from 1 to 90.'],
      ['?inactive=91', 'inactive', 'Enter a whole number of days from 1 to 90.'],
      ['?inactive=abc', 'inactive', 'Enter a whole number of days from 1 to 90.'],
      ['?phase=99999', 'phase', 'Choose a phase from the list.'],
      ['?phase=x', 'phase', 'Choose a phase from the list.'],
    ]) {
      const res = await fac.get(url(q)).expect(422);
      expect(res.text).toContain(`id="f-${field}-error"`);
      expect(textOf(res.text)).toContain(message);
      // The matrix is still there, with the defaults.
      expect(matrixOf(res.text)).toHaveLength(3);
      expect(res.text).toContain('Quiet for 7 days or more');
      await fac.get(url(`.csv${q}`)).expect(422);
    }
    // What was typed is shown again, and the page says what it shows meanwhile.
    const typed = await fac.get(url('?inactive=abc')).expect(422);
    expect(typed.text).toContain('value="abc"');
    expect(read(typed.text)).toContain('Until the field above is corrected, the dashboard shows the teams quiet for 7 days.');
    // A good field is kept while the other is corrected.
    const mixed = await fac.get(url(`?phase=${phases[1].id}&inactive=0`)).expect(422);
    expect(matrixOf(mixed.text)).toHaveLength(3);
    expect(mixed.text).toMatch(new RegExp(`<option value="${phases[1].id}" selected>`));
  });

  it('shows an expert only the teams they advise, everywhere on the page', async () => {
    const res = await expertA.get(url()).expect(200);
    const rows = matrixOf(res.text);
    expect(rows.map((r) => r[0])).toEqual(['Kenya']);
    const text = read(res.text);
    expect(text).not.toMatch(/Ghana|Kofi|Nepal/);
    // The queue as the review queue gives it to this expert: their teams' team work (Kenya's analysis)
    // and their members' individual work (Amina's reflection).
    expect(text).toContain('2 submissions wait for feedback');
    expect(text).toMatch(/Oldest: Kenya — Situation analysis, waiting 3 days/);
    // Meetings: the one they host.
    expect(text).toContain('Kenya check-in');
    const csv = parseCsv((await expertA.get(url('.csv')).expect(200)).text);
    expect(csv.slice(1).map((r) => r[0])).toEqual(['Kenya', 'Kenya', 'Kenya']);
  });

  it('is not there for participants (404), nor linked for them', async () => {
    for (const a of [leaderA, memberA]) {
      await a.get(url()).expect(404);
      await a.get(url('.csv')).expect(404);
      expect((await a.get(`/courses/${courseId}`)).text).not.toContain(`/courses/${courseId}/dashboard`);
    }
  });
});
