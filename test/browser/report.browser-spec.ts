import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { Meeting, MeetingAttendance, MeetingTeam } from '../../src/meetings/meeting.entity';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { Review, Submission, SubmissionVersion } from '../../src/submissions/submission.entity';
import { Team } from '../../src/teams/team.entity';
import { createPublishedTask } from '../utils/factories';
import { ARTIFACTS, type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;
const HOUR = 3_600_000;
const COURSE = 'Strengthening Education Systems from a Lifelong Learning Perspective';

/**
 * A workshop's worth of work for the demo course: two tasks, every team handing in (some late,
 * some asked for changes once or twice), feedback released after a few hours to a week, and
 * meetings held with attendance recorded.
 */
async function seedWork(rig: BrowserRig): Promise<number> {
  const { db } = rig.t;
  const [course] = await db.rows<{ id: number }>`SELECT id FROM courses WHERE title = ${COURSE}`;
  const courseId = Number(course.id);
  const phases = await db.rows<{
    id: number;
    startsOn: string;
  }>`SELECT id, starts_on AS "startsOn" FROM phases WHERE course_id = ${courseId} ORDER BY starts_on`;
  // Nine teams, as the largest workshops have, some with long names: the summary must still fit one page.
  await db.tx(async (em) => {
    for (const [country, city] of [
      ['BR', 'São Paulo and the Metropolitan Region'],
      ['IN', 'Kerala'],
      ['PE', ''],
      ['CD', 'Kinshasa'],
    ])
      await em
        .getRepository(Team)
        .save({ courseId, country, city, region: 'africa', deliverable: 'policy', timeZone: 'Africa/Kinshasa', createdAt: new Date() });
  });
  const teams = await db.rows<{ id: number }>`SELECT id FROM teams WHERE course_id = ${courseId} ORDER BY id`;
  const [expert] = await db.rows<{ id: number }>`SELECT id FROM users WHERE email = ${'expert@atelier.example'}`;
  const [fac] = await db.rows<{ id: number }>`SELECT id FROM users WHERE email = ${'facilitator@atelier.example'}`;
  const day = (phase: number, plus: number) => new Date(new Date(`${String(phases[phase].startsOn).slice(0, 10)}T02:00:00Z`).getTime() + plus * 24 * HOUR);
  const tasks = [
    await createPublishedTask(db, { courseId, phaseId: Number(phases[0].id), title: 'Country context analysis', position: 1 }),
    await createPublishedTask(db, { courseId, phaseId: Number(phases[2].id), title: 'Final policy draft', position: 2 }),
  ];
  const now = new Date();
  await db.tx(async (em) => {
    for (const [i, team] of teams.entries()) {
      for (const [k, task] of tasks.entries()) {
        const loops = (i + k) % 3;
        const sub = await em.getRepository(Submission).save(
          em.getRepository(Submission).create({
            taskId: task.id,
            ownerKey: `team:${team.id}`,
            teamId: Number(team.id),
            userId: null,
            status: 'accepted',
            draftText: 'Our work',
            draftRevision: loops + 1,
            draftUpdatedAt: now,
            draftUpdatedById: null,
            late: i === 1,
            dueAtOverride: null,
            cutOffAtOverride: null,
            createdAt: now,
            updatedAt: now,
          }),
        );
        for (let n = 1; n <= loops + 1; n++) {
          const submittedAt = k === 0 ? day(0, 2 + i + n * 3) : day(n === 1 ? 1 : 2, i + n);
          const v = await em.getRepository(SubmissionVersion).save({
            submissionId: sub.id,
            number: n,
            text: `v${n}`,
            note: '',
            authorId: null,
            submittedAt,
            late: i === 1 && n === 1,
            sharedAt: null,
            sharedById: null,
          });
          const releasedAt = new Date(submittedAt.getTime() + (6 + ((i * 17 + n * 29 + k * 11) % 150)) * HOUR);
          await em.getRepository(Review).save({
            versionId: v.id,
            reviewerId: Number(expert.id),
            decision: n <= loops ? 'changes' : 'accept',
            overall: 'Feedback',
            scores: '[]',
            releasedAt,
            createdAt: releasedAt,
            updatedAt: releasedAt,
          });
        }
      }
    }
    for (const [i, team] of teams.entries()) {
      const m = await em.getRepository(Meeting).save({
        courseId,
        kind: 'expert_consultation',
        title: 'Consultation',
        agenda: '',
        onlineLink: null,
        startsAt: day(0, 1 + i),
        endsAt: new Date(day(0, 1 + i).getTime() + HOUR),
        hostId: Number(expert.id),
        bookedBy: null,
        status: 'held',
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
      });
      await em.getRepository(MeetingTeam).save({ meetingId: m.id, teamId: Number(team.id) });
      await em.getRepository(MeetingAttendance).save({ meetingId: m.id, teamId: Number(team.id), userId: null, present: i !== 2 });
    }
    const plenary = await em.getRepository(Meeting).save({
      courseId,
      kind: 'plenary',
      title: 'Opening plenary',
      agenda: '',
      onlineLink: null,
      startsAt: day(1, 0),
      endsAt: new Date(day(1, 0).getTime() + 2 * HOUR),
      hostId: Number(fac.id),
      bookedBy: null,
      status: 'held',
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
    });
    for (const team of teams) await em.getRepository(MeetingAttendance).save({ meetingId: plenary.id, teamId: Number(team.id), userId: null, present: true });
  });
  return teams.length;
}

/** How many pages a PDF has (its page objects). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

run('in a browser: a facilitator reads the course report and prints its summary', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let teamCount: number;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    teamCount = await seedWork(rig);
  }, 60_000);

  afterAll(() => stopRig(rig));

  it('finds the report from the course, reads charts and tables, downloads a CSV, prints one A4 page; no accessibility violations', async () => {
    expect(teamCount).toBe(9);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    trackDocuments(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInAs(page, base, 'facilitator@atelier.example', DEMO_PASSWORD);
    await page.goto(`${base}/courses`);
    await page.getByRole('link', { name: COURSE }).first().click();
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Report' }).click();
    await page.waitForURL(/\/courses\/\d+\/report$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Course report');
    // Each chart is an image named by its title, with its table beside it.
    for (const name of ['Participation', 'Submissions per team and phase', 'Review turnaround', 'Changes requested per submission', 'Meetings held'])
      await expect(page.getByRole('img', { name }).count()).resolves.toBe(1);
    expect(await page.locator('table.report-table').count()).toBe(6);
    await check(page, 'report-1-page');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-1-page-top.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download “Submissions per team/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^atelier-report-workshop-\d+-submissions-\d{4}-\d{2}-\d{2}\.csv$/);

    await page.getByRole('link', { name: 'One-page summary to print' }).click();
    await page.waitForURL(/\/report\/summary$/);
    await check(page, 'report-2-summary');

    // As printed (A4 is 794 × 1123 CSS pixels): one page.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-3-summary-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'report-summary.pdf'), pdf);
    expect(pdfPages(pdf)).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    // A phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Back to the course report' }).click();
    await page.waitForURL(/\/report$/);
    await check(page, 'report-4-phone');
    // Nothing wider than the phone but the tables, which scroll inside their own box: the definitions stack.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    const meaning = page.locator('section[aria-labelledby="h-meaning"]');
    expect(await meaning.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth <= el.clientWidth)).toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  itPassesTheNuChecker(3);
});
