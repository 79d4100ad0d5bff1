import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Course } from '../../src/courses/course.entity';
import { Phase } from '../../src/courses/phase.entity';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { createTaskThroughApp, signIn as signInAgent } from '../utils/factories';
import { agent } from '../utils/http';
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
const WORKSHOP = 'Strengthening Education Systems from a Lifelong Learning Perspective';

run('in a browser: a facilitator follows a workshop from its dashboard, on a wide screen and on a phone', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    // An individual task in the first phase, so the matrix has members' counts (the demo has none).
    const { db } = rig.t;
    const course = await db.repo(Course).findOneByOrFail({ title: WORKSHOP });
    const first = (await db.repo(Phase).find({ where: { courseId: course.id }, order: { startsOn: 'ASC', id: 'ASC' } }))[0];
    const fac = agent(rig.t.server);
    await signInAgent(fac, 'facilitator@atelier.example', DEMO_PASSWORD);
    await createTaskThroughApp(db, fac, course.id, { title: 'Personal learning journal', kind: 'individual', phaseId: String(first.id) });
  }, 60_000);

  afterAll(() => stopRig(rig));

  const signInAs = (page: Page, email: string) => signInWith(page, base, email, DEMO_PASSWORD);

  it('opens the dashboard from the course tabs, filters by phase, downloads CSV, and reads on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    trackDocuments(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInAs(page, 'facilitator@atelier.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workshops' }).click();
    await page.getByRole('link', { name: WORKSHOP }).first().click();
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(/\/courses\/\d+\/dashboard$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Dashboard');
    const matrix = page.getByRole('region', { name: /Teams × tasks/ });
    const teamRows = matrix.locator('tr.matrix-team');
    expect(await teamRows.count()).toBeGreaterThan(1);
    const allColumns = await matrix.locator('thead th').count();
    // Every team task's cell says its status in words; an individual task's cell counts the members
    // in words and links to the task, where each member's work is listed.
    for (const cell of await teamRows.first().locator('td.cell:not(.cell--summary)').allInnerTexts())
      expect(cell).toMatch(/Not started|Draft|Submitted|In review|Changes requested|Resubmitted|Accepted/);
    const counts = teamRows.first().locator('td.cell--summary');
    expect(await counts.count()).toBeGreaterThan(0);
    expect(await counts.first().innerText()).toMatch(/^Of \d+ members?: ✓ \d+ accepted, ● \d+ submitted, ○ \d+ open/);
    // One row per team, however many members: no member has a row of their own.
    expect(await matrix.locator('tbody tr').count()).toBe(await teamRows.count());
    await counts.first().getByRole('link').click();
    await page.waitForURL(/\/courses\/\d+\/tasks\/\d+$/);
    expect(await page.getByRole('heading', { level: 2, name: 'Every participant' }).count()).toBe(1);
    await page.goBack();
    await check(page, 'dashboard-1-wide');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-1-wide-top.png') });

    // Only the first phase's tasks.
    await page.getByLabel('Phase').selectOption({ label: 'Online phase: preparing the country context' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/phase=\d+/);
    expect(await page.getByRole('heading', { level: 2, name: /Teams and tasks: Online phase/ }).count()).toBe(1);
    const phaseColumns = await matrix.locator('thead th').count();
    expect(phaseColumns).toBeLessThan(allColumns);
    expect(await matrix.locator('thead').innerText()).toContain('Country context analysis');
    expect(await matrix.locator('thead').innerText()).not.toContain('Final implementation plan');
    await check(page, 'dashboard-2-phase');

    // The same rows as CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download this table as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^atelier-dashboard-workshop-\d+-phase-\d+-\d{4}-\d{2}-\d{2}\.csv$/);

    // A bad number of days (the browser's own check stops the form; an address typed or bookmarked
    // reaches the server): the message at the field, the page still there.
    const bad = new URL(page.url());
    bad.searchParams.set('inactive', '0');
    await page.goto(bad.toString());
    expect(await page.getByRole('alert').innerText()).toContain('Enter a whole number of days from 1 to 90.');
    expect(await page.getByLabel('Quiet after (days)').inputValue()).toBe('0');
    expect(await teamRows.count()).toBeGreaterThan(1);
    await check(page, 'dashboard-3-bad-days');

    // A phone: the matrix scrolls sideways inside its region, the team names stay in view.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}${new URL(page.url()).pathname}`);
    const box = await matrix.evaluate((el: { scrollWidth: number; clientWidth: number }) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client);
    // The page itself does not scroll sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await matrix.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await matrix.evaluate((el: { scrollLeft: number }) => {
      el.scrollLeft += 300;
    });
    const firstTeam = teamRows.first().locator('th');
    const at = await firstTeam.boundingBox();
    expect(at!.x).toBeGreaterThanOrEqual(0);
    expect(at!.x).toBeLessThan(40);
    expect(await matrix.evaluate((el: { scrollLeft: number }) => el.scrollLeft)).toBeGreaterThan(0);
    await check(page, 'dashboard-4-phone');
    await matrix.evaluate((el: { scrollLeft: number }) => {
      el.scrollLeft = 0;
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-4-phone-top.png') });

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('an expert sees the teams they advise only; a participant is not shown the tab', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, 'expert@atelier.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workshops' }).click();
    await page.getByRole('link', { name: WORKSHOP }).first().click();
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(/\/courses\/\d+\/dashboard$/);
    expect(await page.locator('.lead').innerText()).toContain('every team you advise');
    await check(page, 'dashboard-5-expert');
    await context.close();
  }, 120_000);

  itPassesTheNuChecker(5);
});
