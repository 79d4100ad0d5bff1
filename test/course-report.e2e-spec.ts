import { jest } from '@jest/globals';
import { Phase } from '../src/courses/phase.entity';
import { DomainEvent } from '../src/events/domain-event.entity';
import { Invitation } from '../src/invitations/invitation.entity';
import { Clock } from '../src/meetings/clock';
import { Meeting, MeetingAttendance, MeetingTeam, type MeetingKind, type MeetingStatus } from '../src/meetings/meeting.entity';
import { shortLabel } from '../src/reports/svg-chart';
import { Review, Submission, SubmissionVersion } from '../src/submissions/submission.entity';
import { Team } from '../src/teams/team.entity';
import { TeamMember } from '../src/teams/team-member.entity';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, createUser, KENYA, releaseReview, signedIn, submitWork, type TeamWithPeople } from './utils/factories';
import { type Agent, csrfFrom, textOf } from './utils/http';
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

const unescapeHtml = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&#39;', "'")
    .replaceAll('&#x3D;', '=')
    .replaceAll('&#x60;', '`')
    .replaceAll('&amp;', '&')
    .trim();

/** The rows (head, body, foot) of the page's table with this caption, as text cells. */
function htmlTable(html: string, caption: string): string[][] {
  const tables = [...html.matchAll(/<table class="report-table">([\s\S]*?)<\/table>/g)].map((m) => m[1]);
  const table = tables.find((t) => unescapeHtml(t.match(/<caption>([\s\S]*?)<\/caption>/)![1]) === caption);
  if (!table) throw new Error(`no table "${caption}"`);
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => unescapeHtml(c[1])));
}

/** The chart of a section: the SVG text and its text nodes. */
function chartOf(html: string, id: string): { svg: string; texts: string[] } {
  const svg = html.match(new RegExp(`<svg [^>]*aria-labelledby="${id}-title ${id}-desc"[\\s\\S]*?</svg>`))?.[0];
  if (!svg) throw new Error(`no chart ${id}`);
  return { svg, texts: [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeHtml(m[1])) };
}

const HOUR = 3_600_000;

describe(`course report (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let otherCourseId: number;
  let phaseIds: number[];
  let viet: TeamWithPeople;
  let kenya: TeamWithPeople;
  let fac: User;
  let asFac: Agent;
  let asAdmin: Agent;
  let asExpert: Agent;
  let asLeader: Agent;
  let asMember: Agent;
  let asOtherFac: Agent;
  let reportUrl: string;
  const now = new Date();

  /** Moves a version's hand-in (and the release of its review) to fixed instants. */
  async function setTimes(submissionId: number, number: number, submittedAt: string, opts: { late?: boolean; releasedAfterHours?: number } = {}) {
    const v = await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId, number });
    await t.db.tx(async (em) => {
      await em.getRepository(SubmissionVersion).update(v.id, { submittedAt: new Date(submittedAt), late: opts.late ?? false });
      if (opts.releasedAfterHours !== undefined)
        await em.getRepository(Review).update({ versionId: v.id }, { releasedAt: new Date(new Date(submittedAt).getTime() + opts.releasedAfterHours * HOUR) });
    });
  }

  async function meeting(course: number, hostId: number, kind: MeetingKind, status: MeetingStatus, startsAt: string, teamIds: number[]) {
    return t.db.tx(async (em) => {
      const m = await em.getRepository(Meeting).save(
        em.getRepository(Meeting).create({
          courseId: course,
          kind,
          title: `${kind} ${startsAt}`,
          agenda: '',
          onlineLink: null,
          startsAt: new Date(startsAt),
          endsAt: new Date(new Date(startsAt).getTime() + HOUR),
          hostId,
          bookedBy: null,
          status,
          interpretationRequested: null,
          interpretationProvided: null,
          changeReason: null,
          notes: null,
          notesStatus: 'none',
          notesBy: null,
          sequence: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        }),
      );
      for (const teamId of teamIds) await em.getRepository(MeetingTeam).save({ meetingId: m.id, teamId });
      return m;
    });
  }

  async function attendance(meetingId: number, rows: { teamId?: number; userId?: number; present: boolean }[]) {
    await t.db.tx(async (em) => {
      for (const r of rows)
        await em.getRepository(MeetingAttendance).save({ meetingId, teamId: r.teamId ?? null, userId: r.userId ?? null, present: r.present });
    });
  }

  async function invitation(email: string, teamId: number, state: { acceptedBy?: number; revoked?: boolean } = {}) {
    await t.db.tx((em) =>
      em.getRepository(Invitation).save(
        em.getRepository(Invitation).create({
          email,
          role: 'participant',
          tokenHash: email.padEnd(64, '0').slice(0, 64),
          message: null,
          invitedById: fac.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + 14 * 24 * HOUR),
          lastSentAt: now,
          sendCount: 1,
          acceptedAt: state.acceptedBy ? now : null,
          acceptedUserId: state.acceptedBy ?? null,
          revokedAt: state.revoked ? now : null,
          teamId,
          teamRole: 'member',
          teamPosition: 'policymaker',
          teamLevel: 'national',
        }),
      ),
    );
  }

  beforeAll(async () => {
    t = await createTestApp();
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
    const a = await createCourseWithTeams(t.db, {
      facilitator: { name: 'Fatima Facilitator' },
      teams: [
        // A city a spreadsheet would read as a formula, and markup, in the team's name.
        { team: { city: '=SUM(1,2) <b>Hanoi</b>' }, leader: { name: 'Linh Leader' }, members: [{ name: 'Minh Member' }], experts: [{ name: 'Esi Expert' }] },
        { team: KENYA, leader: { name: 'Kamau Leader' } },
      ],
    });
    const b = await createCourseWithTeams(t.db, {
      course: { title: 'Other workshop' },
      facilitator: { name: 'Bola Facilitator' },
      teams: [{ leader: { name: 'Bo Leader' } }],
    });
    courseId = a.course.id;
    phaseIds = a.phases.map((p) => p.id);
    otherCourseId = b.course.id;
    reportUrl = `/courses/${courseId}/report`;
    [viet, kenya] = a.teams;
    fac = a.facilitator;
    const expert = viet.experts[0];
    asFac = await signedIn(t.server, fac);
    asAdmin = await signedIn(t.server, await createUser(t.db, { role: 'admin' }));
    asExpert = await signedIn(t.server, expert);
    asLeader = await signedIn(t.server, viet.leader!);
    asMember = await signedIn(t.server, viet.members[0]);
    asOtherFac = await signedIn(t.server, b.facilitator);
    const asKenya = await signedIn(t.server, kenya.leader!);

    const teamTask = await createTaskThroughApp(t.db, asFac, courseId, { title: 'Policy draft', phaseId: String(a.phases[0].id) });
    const ownTask = await createTaskThroughApp(t.db, asFac, courseId, { title: 'Reflection', kind: 'individual', phaseId: String(a.phases[2].id) });
    const vietBase = `/courses/${courseId}/tasks/${teamTask.id}/submissions/team-${viet.team.id}`;
    const kenyaBase = `/courses/${courseId}/tasks/${teamTask.id}/submissions/team-${kenya.team.id}`;
    const ownBase = `/courses/${courseId}/tasks/${ownTask.id}/submissions/person-${viet.members[0].id}`;

    // Viet Nam: changes requested twice, accepted, reopened by the facilitator, handed in again (waiting).
    await submitWork(asLeader, vietBase, { text: 'v1' });
    await releaseReview(asExpert, vietBase, 'changes', 'More on adult learning.');
    await submitWork(asLeader, vietBase, { text: 'v2' });
    await releaseReview(asExpert, vietBase, 'changes', 'And the budget.');
    await submitWork(asLeader, vietBase, { text: 'v3' });
    await releaseReview(asExpert, vietBase, 'accept', 'Good.');
    const page = await asFac.get(vietBase).expect(200);
    await asFac
      .post(`${vietBase}/reopen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), note: 'Align with the city strategy' })
      .expect(303);
    await submitWork(asLeader, vietBase, { text: 'v4' });
    // Kenya: accepted at once. Minh: individual work, accepted.
    await submitWork(asKenya, kenyaBase, { text: 'Kenya v1' });
    await releaseReview(asFac, kenyaBase, 'accept', 'Fine.');
    await submitWork(asMember, ownBase, { text: 'My reflection' });
    await releaseReview(asExpert, ownBase, 'accept', 'Thoughtful.');

    // Fixed times (Shanghai, UTC+8). Phases: online before to 20 Oct, in person 21–25 Oct, online after 26 Oct – 30 Nov.
    const vietSub = await t.db.repo(Submission).findOneByOrFail({ taskId: teamTask.id, teamId: viet.team.id });
    const kenyaSub = await t.db.repo(Submission).findOneByOrFail({ taskId: teamTask.id, teamId: kenya.team.id });
    const ownSub = await t.db.repo(Submission).findOneByOrFail({ taskId: ownTask.id, userId: viet.members[0].id });
    await setTimes(vietSub.id, 1, '2024-10-20T15:00:00Z', { late: true, releasedAfterHours: 10 }); // 23:00 on 20 Oct in Shanghai
    await setTimes(vietSub.id, 2, '2024-10-22T02:00:00Z', { releasedAfterHours: 30 });
    await setTimes(vietSub.id, 3, '2024-10-24T00:00:00Z', { releasedAfterHours: 50 });
    await setTimes(vietSub.id, 4, '2024-10-27T00:00:00Z');
    await setTimes(kenyaSub.id, 1, '2024-10-20T16:30:00Z', { releasedAfterHours: 100 }); // 00:30 on 21 Oct in Shanghai: in person
    await setTimes(ownSub.id, 1, '2024-12-05T00:00:00Z', { late: true, releasedAfterHours: 200 }); // after every phase

    // A phase title a spreadsheet would read as a formula.
    await t.db.tx((em) => em.getRepository(Phase).update(a.phases[2].id, { title: '=Online after' }));

    // Kenya's leader last did anything 20 days ago: not active.
    await t.db.tx((em) => em.getRepository(DomainEvent).update({ actorId: kenya.leader!.id }, { occurredAt: new Date(now.getTime() - 20 * 24 * HOUR) }));

    // Invitations: two into this course's teams (one accepted), one withdrawn, one into the other course.
    await invitation('new-viet@example.org', viet.team.id);
    await invitation('joined-kenya@example.org', kenya.team.id, { acceptedBy: kenya.leader!.id });
    await invitation('withdrawn@example.org', viet.team.id, { revoked: true });
    await invitation('elsewhere@example.org', b.teams[0].team.id);

    // Meetings: two consultations held with attendance, a plenary held without, one scheduled, one cancelled; one held elsewhere.
    const c1 = await meeting(courseId, expert.id, 'expert_consultation', 'held', '2024-10-22T02:00:00Z', [viet.team.id]);
    await attendance(c1.id, [{ teamId: viet.team.id, present: true }]);
    const c2 = await meeting(courseId, expert.id, 'expert_consultation', 'held', '2024-10-23T02:00:00Z', [kenya.team.id]);
    await attendance(c2.id, [
      { teamId: kenya.team.id, present: false },
      { userId: kenya.leader!.id, present: true },
      { userId: viet.leader!.id, present: false },
    ]);
    await meeting(courseId, fac.id, 'plenary', 'held', '2024-10-24T02:00:00Z', [viet.team.id, kenya.team.id]);
    await meeting(courseId, expert.id, 'expert_consultation', 'scheduled', '2024-11-02T02:00:00Z', [viet.team.id]);
    await meeting(courseId, expert.id, 'expert_consultation', 'cancelled', '2024-11-03T02:00:00Z', [kenya.team.id]);
    const elsewhere = await meeting(otherCourseId, b.facilitator.id, 'plenary', 'held', '2024-10-24T02:00:00Z', [b.teams[0].team.id]);
    await attendance(elsewhere.id, [{ teamId: b.teams[0].team.id, present: true }]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const vietName = () => 'Viet Nam — =SUM(1,2) <b>Hanoi</b>';

  describe('who may see it', () => {
    const paths = () => [reportUrl, `${reportUrl}/summary`, `${reportUrl}/submissions.csv`];

    it('answers the course’s managers', async () => {
      for (const p of paths()) {
        await asFac.get(p).expect(200);
        await asAdmin.get(p).expect(200);
      }
    });

    it.each([
      ['the team’s expert', () => asExpert],
      ['a team leader', () => asLeader],
      ['a member', () => asMember],
      ['another course’s facilitator', () => asOtherFac],
    ])('is 404 for %s', async (_who, as) => {
      for (const p of paths()) await as().get(p).expect(404);
    });

    it('is 404 for a table that does not exist', async () => {
      await asFac.get(`${reportUrl}/secrets.csv`).expect(404);
      await asFac.get(`/courses/${courseId}/report/..%2Fsummary.csv`).expect(404);
    });

    it('is linked from the course header for managers only', async () => {
      expect((await asFac.get(`/courses/${courseId}`).expect(200)).text).toContain(`href="${reportUrl}"`);
      expect((await asLeader.get(`/courses/${courseId}`).expect(200)).text).not.toContain(`href="${reportUrl}"`);
      expect((await asFac.get(`/courses/${courseId}/setup`).expect(200)).text).toContain(`href="${reportUrl}"`);
    });
  });

  describe('the numbers', () => {
    let html: string;
    beforeAll(async () => {
      html = (await asFac.get(reportUrl).expect(200)).text;
    });

    it('is a light page', () => {
      expect(Buffer.byteLength(html)).toBeLessThan(60_000);
    });

    it('counts participation', () => {
      expect(htmlTable(html, 'Participation')).toEqual([
        ['Who', 'People'],
        ['Invited', '2'],
        ['Accepted', '1'],
        ['Team members', '3'],
        ['Team members active in the last 14 days', '2'],
        ['Staff active in the last 14 days', '2'],
      ]);
    });

    it('counts submissions per team in the phase of their first version, late ones, individual work with the person’s team', () => {
      expect(htmlTable(html, 'Submissions per team and phase (counted in the phase of their first version)')).toEqual([
        ['Team', 'Online before', 'In-person week', '=Online after', 'Outside the phases', 'Total', 'Late'],
        ['Kenya', '0', '1', '0', '0', '1', '0'],
        [vietName(), '1', '0', '0', '1', '2', '2'],
        ['All teams', '1', '1', '0', '1', '3', '2'],
      ]);
    });

    it('measures review turnaround: median and 90th percentile of hand-in to release', () => {
      // Released after 10, 30, 50, 100 and 200 hours; Viet Nam's fourth version waits.
      expect(htmlTable(html, 'Review turnaround: versions by time from hand-in to released feedback')).toEqual([
        ['Turnaround', 'Versions'],
        ['Within 1 day', '1'],
        ['1 to 2 days', '1'],
        ['2 to 3 days', '1'],
        ['3 to 7 days', '1'],
        ['More than 7 days', '1'],
        ['Reviewed', '5'],
      ]);
      const key = Object.fromEntries(htmlTable(html, 'Key figures').slice(1));
      expect(key['Review turnaround, median (hours)']).toBe('50');
      expect(key['Review turnaround, 90th percentile (hours)']).toBe('160');
      expect(key['Versions waiting for feedback']).toBe('1');
      expect(key['Versions handed in']).toBe('6');
      expect(textOf(html)).toContain('Median 50 hours, 90th percentile 160 hours, over 5 reviewed versions; 1 waiting for feedback.');
    });

    it('counts changes-requested loops per submission, and reopening apart', () => {
      expect(htmlTable(html, 'Changes requested per submission')).toEqual([
        ['Times changes were requested', 'Submissions'],
        ['None', '2'],
        ['One', '0'],
        ['Two', '1'],
        ['Three or more', '0'],
        ['Handed in', '3'],
      ]);
      const key = Object.fromEntries(htmlTable(html, 'Key figures').slice(1));
      expect(key['Changes requested per submission (mean)']).toBe('0.7');
      expect(key['Submissions reopened after acceptance']).toBe('1');
    });

    it('counts meetings held and attendance (not scheduled, cancelled or other courses’ meetings)', () => {
      expect(htmlTable(html, 'Meetings held and attendance')).toEqual([
        [
          'Kind',
          'Held',
          'With attendance recorded',
          'Teams present',
          'Teams recorded',
          'Team attendance',
          'People present',
          'People recorded',
          'People attendance',
        ],
        ['Expert consultations', '2', '2', '1', '2', '50%', '1', '2', '50%'],
        ['Plenaries', '1', '0', '0', '0', '–', '0', '0', '–'],
        ['All meetings', '3', '2', '1', '2', '50%', '1', '2', '50%'],
      ]);
    });

    it('draws each chart as an image with a title and description, with the table’s numbers', () => {
      for (const id of ['participation', 'submissions', 'turnaround', 'loops', 'meetings']) {
        const { svg } = chartOf(html, `chart-${id}`);
        expect(svg).toMatch(/role="img"/);
        expect(svg).toMatch(new RegExp(`<title id="chart-${id}-title">[^<]+</title><desc id="chart-${id}-desc">[^<]+</desc>`));
      }
      const pairs = (texts: string[]) => Array.from({ length: texts.length / 2 }, (_, i) => [texts[2 * i], texts[2 * i + 1]]);
      expect(pairs(chartOf(html, 'chart-participation').texts)).toEqual(
        htmlTable(html, 'Participation')
          .slice(1)
          .map(([w, n]) => [
            w
              .replace('Team members active in the last 14 days', 'Members active (14 days)')
              .replace('Staff active in the last 14 days', 'Staff active (14 days)'),
            n,
          ]),
      );
      expect(pairs(chartOf(html, 'chart-turnaround').texts)).toEqual(
        htmlTable(html, 'Review turnaround: versions by time from hand-in to released feedback').slice(1, -1),
      );
      expect(pairs(chartOf(html, 'chart-loops').texts)).toEqual(htmlTable(html, 'Changes requested per submission').slice(1, -1));
      // Stacked: a legend naming the phases, then per team its label and total.
      const sub = chartOf(html, 'chart-submissions');
      expect(sub.texts.slice(0, 4)).toEqual(['Online before', 'In-person week', '=Online after', 'Outside the phases']);
      expect(pairs(sub.texts.slice(4))).toEqual([
        ['Kenya', '1'],
        [shortLabel(vietName()), '2'],
      ]);
      expect(sub.svg).not.toContain('<b>');
      expect(html).not.toContain('<b>Hanoi');
    });

    it('gives every table as CSV, equal to the table on the page, formulas defused', async () => {
      for (const [key, caption] of [
        ['key-figures', 'Key figures'],
        ['participation', 'Participation'],
        ['submissions', 'Submissions per team and phase (counted in the phase of their first version)'],
        ['turnaround', 'Review turnaround: versions by time from hand-in to released feedback'],
        ['loops', 'Changes requested per submission'],
        ['meetings', 'Meetings held and attendance'],
      ]) {
        const res = await asFac.get(`${reportUrl}/${key}.csv`).expect(200);
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(res.headers['content-disposition']).toMatch(
          new RegExp(`^attachment; filename="atelier-report-workshop-${courseId}-${key}-\\d{4}-\\d\\d-\\d\\d\\.csv"$`),
        );
        expect(res.text.startsWith('\uFEFF')).toBe(true);
        const rows = parseCsv(res.text.slice(1));
        const onPage = htmlTable(html, caption).map((r) => r.map((c) => (/^[=+\-@]/.test(c) ? `'${c}` : c)));
        expect(rows).toEqual(onPage);
      }
      const csv = (await asFac.get(`${reportUrl}/submissions.csv`)).text;
      expect(csv).toContain(`"Viet Nam — =SUM(1,2) <b>Hanoi</b>"`);
      expect(csv).toContain(`,'=Online after,`);
      expect(parseCsv(csv.slice(1)).every((r) => r.every((c) => !/^[=+\-@]/.test(c)))).toBe(true);
    });
  });

  it('prints a one-page summary without the site’s navigation', async () => {
    const html = (await asFac.get(`${reportUrl}/summary`).expect(200)).text;
    expect(html).toContain('/public/css/report-summary.css');
    expect(html).not.toContain('class="tabs"');
    expect(html).not.toContain('class="site-header"');
    expect(htmlTable(html, 'Meetings held and attendance').at(-1)).toEqual(['All meetings', '3', '2', '1', '2', '50%', '1', '2', '50%']);
    expect(chartOf(html, 'chart-submissions').svg).toContain('role="img"');
  });

  it('counts at the edges of the definitions: first release of two, exactly 24 hours, unreleased reviews, changes once per version', async () => {
    const e = await createCourseWithTeams(t.db, {
      course: { title: 'Edge workshop' },
      teams: [
        { leader: {}, experts: [{}] },
        { team: KENYA, leader: {} },
      ],
    });
    const asEdgeFac = await signedIn(t.server, e.facilitator);
    const [one, two] = e.teams;
    const task = await createTaskThroughApp(t.db, asEdgeFac, e.course.id, { title: 'Edge task', phaseId: String(e.phases[0].id) });
    const base = (team: TeamWithPeople) => `/courses/${e.course.id}/tasks/${task.id}/submissions/team-${team.team.id}`;
    const asOne = await signedIn(t.server, one.leader!);
    const asTwo = await signedIn(t.server, two.leader!);
    // One: v1 gets changes from the expert and (directly) from the facilitator, released exactly 24 h after hand-in (the earlier);
    // v2 has only a draft asking for changes. Two: accepted 24 h and 1 ms after hand-in.
    await submitWork(asOne, base(one), { text: 'v1' });
    await releaseReview(await signedIn(t.server, one.experts[0]), base(one), 'changes', 'More.');
    await submitWork(asOne, base(one), { text: 'v2' });
    await submitWork(asTwo, base(two), { text: 'v1' });
    await releaseReview(asEdgeFac, base(two), 'accept', 'Fine.');
    const handIn = new Date('2024-10-10T08:00:00Z');
    const [subOne, subTwo] = await Promise.all([one, two].map((x) => t.db.repo(Submission).findOneByOrFail({ taskId: task.id, teamId: x.team.id })));
    const v = (submissionId: number, number: number) => t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId, number });
    const [one1, one2, two1] = [await v(subOne.id, 1), await v(subOne.id, 2), await v(subTwo.id, 1)];
    await t.db.tx(async (em) => {
      const reviews = em.getRepository(Review);
      for (const x of [one1, one2, two1]) await em.getRepository(SubmissionVersion).update(x.id, { submittedAt: handIn });
      await reviews.update({ versionId: one1.id }, { releasedAt: new Date(handIn.getTime() + 30 * HOUR) });
      await reviews.update({ versionId: two1.id }, { releasedAt: new Date(handIn.getTime() + 24 * HOUR + 1) });
      const review = (versionId: number, releasedAt: Date | null) =>
        reviews.save(
          reviews.create({
            versionId,
            reviewerId: e.facilitator.id,
            decision: 'changes',
            overall: 'Also.',
            scores: '[]',
            releasedAt,
            createdAt: now,
            updatedAt: now,
          }),
        );
      await review(one1.id, new Date(handIn.getTime() + 24 * HOUR));
      await review(one2.id, null);
    });
    const html = (await asEdgeFac.get(`/courses/${e.course.id}/report`).expect(200)).text;
    expect(htmlTable(html, 'Review turnaround: versions by time from hand-in to released feedback')).toEqual([
      ['Turnaround', 'Versions'],
      ['Within 1 day', '1'],
      ['1 to 2 days', '1'],
      ['2 to 3 days', '0'],
      ['3 to 7 days', '0'],
      ['More than 7 days', '0'],
      ['Reviewed', '2'],
    ]);
    expect(htmlTable(html, 'Changes requested per submission')).toEqual([
      ['Times changes were requested', 'Submissions'],
      ['None', '1'],
      ['One', '1'],
      ['Two', '0'],
      ['Three or more', '0'],
      ['Handed in', '2'],
    ]);
    const key = Object.fromEntries(htmlTable(html, 'Key figures').slice(1));
    expect(key['Versions handed in']).toBe('3');
    expect(key['Versions waiting for feedback']).toBe('1');
    expect(key['Review turnaround, median (hours)']).toBe('24');
    expect(key['Review turnaround, 90th percentile (hours)']).toBe('24');
    expect(key['Changes requested per submission (mean)']).toBe('0.5');
    expect(key['Submissions reopened after acceptance']).toBe('0');
  });

  it('costs the same number of queries with more teams, work and meetings', async () => {
    // One page first each time: a flash message left by the set-up is a one-time session write, not the report's.
    const measure = async () => {
      await asFac.get(reportUrl).expect(200);
      return countQueries(t.db, () => asFac.get(reportUrl).expect(200));
    };
    const before = await measure();
    const extra: Team[] = [];
    for (const country of ['PE', 'BR', 'IN'])
      extra.push(
        await t.db.tx((em) =>
          em
            .getRepository(Team)
            .save({ courseId, country, city: '', region: 'asia-pacific', deliverable: 'policy', timeZone: 'Asia/Shanghai', createdAt: now }),
        ),
      );
    const task = await createTaskThroughApp(t.db, asFac, courseId, { title: 'Another task', phaseId: String(phaseIds[0]) });
    for (const team of extra) {
      const leader = await createUser(t.db, {});
      await t.db.tx((em) =>
        em
          .getRepository(TeamMember)
          .save({ teamId: team.id, userId: leader.id, teamRole: 'leader', position: 'policymaker', level: 'national', createdAt: now }),
      );
      const as = await signedIn(t.server, leader);
      const base = `/courses/${courseId}/tasks/${task.id}/submissions/team-${team.id}`;
      await submitWork(as, base, { text: 'work' });
      await releaseReview(asFac, base, 'changes', 'More.');
      await submitWork(as, base, { text: 'more work' });
    }
    const m = await meeting(
      courseId,
      fac.id,
      'peer_exchange',
      'held',
      '2024-10-25T02:00:00Z',
      extra.map((x) => x.id),
    );
    await attendance(
      m.id,
      extra.map((x) => ({ teamId: x.id, present: true })),
    );
    const after = await measure();
    expect(after).toBe(before);
    // The request's own (session, person, course access, unread count) and nine for the report's facts (15 in all when written).
    expect(before).toBeLessThanOrEqual(16);
  });
});
