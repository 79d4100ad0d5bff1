import type { Browser, Page } from 'playwright-core';
import { Course } from '../../src/courses/course.entity';
import { Task } from '../../src/tasks/task.entity';
import { Team } from '../../src/teams/team.entity';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import type { TestApp } from '../utils/create-test-app';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs as signInWith, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

run('in a browser: a team leader resubmits, a facilitator reviews with the rubric and accepts', () => {
  let rig: BrowserRig | undefined;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ t, browser, base } = rig);
  }, 60_000);

  afterAll(() => stopRig(rig));

  const signInAs = (page: Page, email: string) => signInWith(page, base, email, DEMO_PASSWORD);

  it('runs the loop with no accessibility violations', async () => {
    const course = await t.db.repo(Course).findOneByOrFail({ title: 'Strengthening Education Systems from a Lifelong Learning Perspective' });
    const task = await t.db.repo(Task).findOneByOrFail({ courseId: course.id, title: 'Draft policy outline' });
    const team = await t.db.repo(Team).findOneByOrFail({ courseId: course.id, country: 'VN' });
    const url = `${base}/courses/${course.id}/tasks/${task.id}/submissions/team-${team.id}`;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);

    // First half of the loop on a new task: the facilitator sets it, the leader drafts and
    // submits, the facilitator asks for changes.
    await signInAs(page, 'facilitator@atelier.example');
    await page.goto(`${base}/courses/${course.id}/tasks/new`);
    await check(page, '38-task-form');
    await page.getByLabel('Title').fill('Stakeholder map');
    await page.getByLabel('Instructions').fill('## Map\n\nWho takes part in lifelong learning in your country?');
    await page.getByRole('checkbox', { name: 'Files' }).uncheck();
    await page.getByRole('button', { name: 'Create task' }).click();
    await page.waitForURL(/\/tasks\/\d+$/);
    const newTaskUrl = page.url();
    await page.getByRole('button', { name: 'Publish task' }).click();
    await check(page, '39-task-published');
    // Hiding it again asks first, on a page that says what it does.
    await page.getByRole('link', { name: 'Back to draft…' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Take “Stakeholder map” back to draft?');
    await check(page, '39b-task-unpublish');
    await page.getByRole('link', { name: 'Keep it published' }).click();
    await page.waitForURL(newTaskUrl);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, 'participant@atelier.example');
    await page.goto(newTaskUrl);
    await page.getByRole('link', { name: 'Viet Nam', exact: true }).click();
    await page.getByLabel('Text').fill('Ministry of Education; provinces; community learning centres.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('button', { name: 'Submit this version' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('Submitted as version 1');
    const newSubmissionUrl = page.url();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, 'facilitator@atelier.example');
    await page.goto(`${newSubmissionUrl}/review`);
    await page.getByLabel('Overall feedback').fill('Add civil society and employers.');
    await page.getByRole('button', { name: 'Release feedback to the team' }).click();
    await page.waitForURL(newSubmissionUrl);
    expect(await page.locator('.status-line').innerText()).toContain('Changes requested');
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Second half on the demo task whose feedback asked for changes: resubmit, review, accept.
    await signInAs(page, 'participant@atelier.example');
    await page.goto(`${base}/courses/${course.id}/tasks`);
    await check(page, '40-tasks');
    await page.getByRole('link', { name: 'Draft policy outline' }).click();
    await check(page, '41-task');
    await page.getByRole('link', { name: 'Viet Nam' }).click();
    expect(page.url()).toBe(url);
    expect(await page.locator('.status-line').innerText()).toContain('Changes requested');
    await check(page, '42-submission-changes-requested');

    await page
      .getByLabel('Text')
      .fill('# Lifelong learning for all\n\n## Budget\n\n2 million USD over five years.\n\n## Responsibilities\n\nThe ministry leads; provinces deliver.');
    await page.getByRole('button', { name: 'Preview' }).click();
    // The page comes back at the preview, not at its top (where nothing would seem to have changed).
    await page.waitForURL(/\/draft#preview$/);
    const preview = page.getByRole('region', { name: 'Preview (not saved yet)' });
    expect(await preview.innerText()).toContain('Responsibilities');
    const box = (await preview.boundingBox())!; // relative to the viewport
    expect(box.y).toBeGreaterThan(-2);
    expect(box.y).toBeLessThan(page.viewportSize()!.height);
    await check(page, '43-preview');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('Draft saved.');
    await page.getByLabel('Note for the reviewers (optional, sent with the version)').fill('Budget and responsibilities added');
    await page.getByRole('button', { name: 'Submit this version' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('Submitted as version 2');
    expect(await page.locator('.status-line').innerText()).toContain('Resubmitted');
    await page.getByRole('link', { name: 'Compare version 1 with version 2' }).click();
    expect(await page.locator('.diff').first().innerText()).toContain('Responsibilities');
    await check(page, '44-compare');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, 'facilitator@atelier.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await check(page, '45-queue');
    await page.getByRole('link', { name: 'Viet Nam', exact: true }).click();
    await page.waitForURL(url);
    await page.getByRole('link', { name: 'Review version 2' }).click();
    await check(page, '46-review-form');
    await page.getByRole('button', { name: 'Release feedback to the team' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Choose a level for every criterion');
    await check(page, '47-review-error');
    for (const [i, level] of ['Strong', 'Strong', 'Good'].entries()) await page.locator(`#c-${i}-level`).selectOption({ value: level });
    await page.getByLabel('Overall feedback').fill('Clear, costed and ready for the in-person week.');
    await page.getByLabel('Decision').selectOption('accept');
    await page.getByRole('button', { name: 'Release feedback to the team' }).click();
    await page.waitForURL(url);
    expect(await page.locator('.status-line').innerText()).toContain('Accepted');
    await check(page, '48-accepted-facilitator');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, 'participant@atelier.example');
    await page.goto(url);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Feedback from Chen Jing on version 2: Accepted');
    expect(main).toContain('Clear, costed and ready for the in-person week.');
    await check(page, '49-accepted-team');
    await context.close();
  }, 180_000);

  itPassesTheNuChecker(13);
});
