import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EventsService } from '../../src/events/events.service';
import type { NewEvent } from '../../src/events/event-kinds';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import {
  ARTIFACTS,
  type BrowserRig,
  browserAvailable,
  check,
  itPassesTheNuChecker,
  signInAs as signInWith,
  startRig,
  stopRig,
  trackDocuments,
} from './browser';

const run = browserAvailable() ? describe : describe.skip;

/**
 * A history for the demo workshops, as the app would have recorded it over three weeks: tasks
 * published, work submitted, feedback released, comments, resources, sign-ins, people managed.
 */
async function recordHistory(rig: BrowserRig): Promise<number> {
  const { db } = rig.t;
  const events = rig.t.app.get(EventsService);
  const users = await db.rows<{ id: number; role: string }>`SELECT id, role FROM users ORDER BY id`;
  const tasks = await db.rows<{ id: number; courseId: number; title: string }>`SELECT id, course_id AS "courseId", title FROM tasks ORDER BY id`;
  const subs = await db.rows<{
    id: number;
    taskId: number;
    teamId: number;
  }>`SELECT id, task_id AS "taskId", team_id AS "teamId" FROM submissions WHERE team_id IS NOT NULL ORDER BY id`;
  const resources = await db.rows<{
    id: number;
    courseId: number;
    title: string;
    kind: string;
  }>`SELECT id, course_id AS "courseId", title, kind FROM resources ORDER BY id`;
  const courseOf = new Map(tasks.map((t) => [Number(t.id), Number(t.courseId)]));
  const admin = Number(users.find((u) => u.role === 'admin')!.id);
  const facilitator = Number(users.find((u) => u.role === 'facilitator')!.id);
  const expert = Number(users.find((u) => u.role === 'expert')!.id);
  const participants = users.filter((u) => u.role === 'participant').map((u) => Number(u.id));

  const list: NewEvent[] = [];
  for (const t of tasks)
    list.push({
      kind: 'task.published',
      actorId: facilitator,
      courseId: Number(t.courseId),
      subject: { type: 'task', id: Number(t.id) },
      payload: { title: t.title },
    });
  for (const r of resources)
    list.push({
      kind: 'resource.added',
      actorId: facilitator,
      courseId: Number(r.courseId),
      subject: { type: 'resource', id: Number(r.id) },
      payload: { title: r.title, kind: r.kind },
    });
  for (const [i, s] of subs.entries()) {
    const courseId = courseOf.get(Number(s.taskId))!;
    const author = participants[i % participants.length];
    const sub = { type: 'submission', id: Number(s.id) };
    list.push({ kind: 'submission.submitted', actorId: author, courseId, subject: sub, payload: { taskId: Number(s.taskId), version: 1, late: i % 5 === 4 } });
    list.push({
      kind: 'comment.posted',
      actorId: author,
      courseId,
      subject: { type: 'message', id: 1000 + i },
      payload: { submissionId: Number(s.id), taskId: Number(s.taskId) },
    });
    list.push({
      kind: 'review.released',
      actorId: i % 2 ? expert : facilitator,
      courseId,
      subject: { type: 'review', id: 2000 + i },
      payload: { submissionId: Number(s.id), taskId: Number(s.taskId), version: 1, decision: i % 3 ? 'changes' : 'accept' },
    });
  }
  for (const id of [admin, facilitator, expert, ...participants])
    list.push({ kind: 'user.signed_in', actorId: id, subject: { type: 'user', id }, payload: {} });
  list.push({ kind: 'user.sign_in_failed', actorId: null, subject: { type: 'user', id: null }, payload: { reason: 'unknown_account' } });
  list.push({ kind: 'user.role_changed', actorId: admin, subject: { type: 'user', id: expert }, payload: { from: 'participant', to: 'expert' } });
  list.push({ kind: 'invitation.sent', actorId: admin, subject: { type: 'invitation', id: 1 }, payload: { role: 'facilitator', teamId: null, sendCount: 1 } });
  const start = Date.now() - 21 * 86_400_000;
  await db.tx(async (em) => {
    for (const [i, e] of list.entries()) await events.record(em, { ...e, occurredAt: new Date(start + (i * 21 * 86_400_000) / list.length) });
  });
  return list.length;
}

run('in a browser: an administrator reads the audit log; a facilitator reads their workshop’s', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let recorded: number;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    recorded = await recordHistory(rig);
  }, 60_000);

  afterAll(() => stopRig(rig));

  const signInAs = (page: Page, email: string) => signInWith(page, base, email, DEMO_PASSWORD);
  const rowCount = (page: Page) => page.locator('table.audit tbody tr').count();

  it('filters, pages, refuses a bad filter with the values kept, and exports CSV, with no accessibility violations', async () => {
    expect(recorded).toBeGreaterThan(50);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    trackDocuments(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInAs(page, 'admin@atelier.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`${base}/admin/audit`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Audit log');
    expect(await rowCount(page)).toBe(50);
    await check(page, 'audit-1-admin');
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-1-admin-top.png') }); // what one sees first

    // Next page, then back.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: /Next/ }).click();
    await page.waitForURL(/page=2/);
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toContain('Page 2 of');
    await check(page, 'audit-2-page-2');

    // Feedback released in one workshop.
    await page.getByLabel('Workshop').selectOption({ label: 'Strengthening Education Systems from a Lifelong Learning Perspective' });
    await page.getByLabel('What happened').selectOption('review.released');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/kind=review\.released/);
    const whats = await page.locator('table.audit tbody tr td:nth-child(3)').allInnerTexts();
    expect(whats.length).toBeGreaterThan(0);
    for (const w of whats) expect(w).toMatch(/^Released feedback on version 1 of ‘.+’ \(.+\) — (changes requested|accepted)/);
    expect(await page.getByLabel('What happened').inputValue()).toBe('review.released');
    await check(page, 'audit-3-filtered');

    // The filtered set as CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download these events as CSV/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^atelier-audit-\d{4}-\d{2}-\d{2}\.csv$/);

    // A reversed date range: the form comes back with the message at the field and what was typed.
    await page.getByLabel('From (day)').fill('2026-03-02');
    await page.getByLabel('To (day, included)').fill('2026-03-01');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('The last day must be on or after the first day.');
    expect(await page.getByLabel('To (day, included)').inputValue()).toBe('2026-03-01');
    expect(await page.getByLabel('What happened').inputValue()).toBe('review.released');
    await check(page, 'audit-4-bad-filter');
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-4-bad-filter-top.png') });
    await page.getByRole('link', { name: 'Clear filters' }).click();
    expect(await rowCount(page)).toBe(50);

    // A facilitator finds their workshop's log from its set-up page.
    const fac = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const facPage = await fac.newPage();
    trackDocuments(facPage);
    await signInAs(facPage, 'facilitator@atelier.example');
    await facPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workshops' }).click();
    await facPage.getByRole('link', { name: 'Strengthening Education Systems from a Lifelong Learning Perspective' }).first().click();
    await facPage.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Set-up' }).click();
    await facPage.getByRole('link', { name: /Audit log/ }).click();
    await facPage.waitForURL(/\/courses\/\d+\/audit$/);
    expect(await facPage.getByRole('navigation', { name: 'Main' }).innerText()).not.toContain('Audit log');
    expect(await facPage.locator('table.audit tbody tr').count()).toBeGreaterThan(5);
    await check(facPage, 'audit-5-course');
    await facPage.screenshot({ path: path.join(ARTIFACTS, 'audit-5-course-top.png') });

    // A phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/audit?kind=submission.submitted`);
    await check(page, 'audit-6-phone');

    expect(errors).toEqual([]);
    await fac.close();
    await context.close();
  }, 180_000);

  itPassesTheNuChecker(6);
});
