import type { Browser, Page } from 'playwright-core';
import { Course } from '../../src/courses/course.entity';
import { Phase } from '../../src/courses/phase.entity';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { Submission, SubmissionVersion } from '../../src/submissions/submission.entity';
import { Task } from '../../src/tasks/task.entity';
import { Team } from '../../src/teams/team.entity';
import type { TestApp } from '../utils/create-test-app';
import {
  type BrowserRig,
  browserAvailable,
  check,
  itPassesTheNuChecker,
  screenshot,
  signInAs as signInWith,
  startRig,
  stopRig,
  trackDocuments,
} from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** The value once it passes the check (or the last one after a few seconds). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The team leader's submission page in Chromium, with and without JavaScript: feedback first,
 * nothing typed lost, any two versions compared, and autosave as an enhancement.
 */
run('in a browser: the team leader’s submission page', () => {
  let rig: BrowserRig | undefined;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let course: Course;
  let team: Team;

  beforeAll(async () => {
    rig = await startRig();
    ({ t, browser, base } = rig);
    course = await t.db.repo(Course).findOneByOrFail({ title: 'Strengthening Education Systems from a Lifelong Learning Perspective' });
    team = await t.db.repo(Team).findOneByOrFail({ courseId: course.id, country: 'VN' });
  }, 60_000);

  afterAll(() => stopRig(rig));

  const signInAs = (page: Page, email: string) => signInWith(page, base, email, DEMO_PASSWORD);
  /**
   * A browser that runs none of the app's scripts. (JavaScript itself stays on so that axe-core can
   * be evaluated; the app's only scripts are its own files under /public/js/, which are refused.)
   */
  async function withoutScripts() {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.route('**/public/js/**', (route) => route.abort());
    return context;
  }
  const subOf = (taskId: number) => t.db.repo(Submission).findOneByOrFail({ taskId, ownerKey: `team:${team.id}` });

  it('without JavaScript: feedback comes first, the typed text is what gets submitted, any two versions compare', async () => {
    const task = await t.db.repo(Task).findOneByOrFail({ courseId: course.id, title: 'Draft policy outline' });
    const url = `${base}/courses/${course.id}/tasks/${task.id}/submissions/team-${team.id}`;
    const context = await withoutScripts();
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, 'participant@atelier.example');
    await page.goto(url);

    // The released feedback is on the first screen, with what it asks for and a way to the full text.
    const summary = page.getByRole('region', { name: 'Changes requested on version 1' });
    expect(await summary.innerText()).toContain('Please add a budget');
    expect(await summary.innerText()).toContain('No budget yet.');
    const box = await summary.boundingBox();
    expect(box!.y + box!.height).toBeLessThan(900);
    await page.screenshot({ path: 'test-artifacts/60-leader-feedback-first-screen.png' });
    await check(page, '61-leader-feedback-waiting');
    await summary.getByRole('link', { name: 'Full feedback with the rubric' }).click();
    expect(page.url()).toMatch(/#review-\d+$/);

    // Typed, never saved, then "Submit this version": version 2 holds exactly the typed text.
    const typed = '# Lifelong learning for all\n\n## Budget\n\n2 million USD over five years.\n\n## Who does what\n\n- The ministry leads\n- Provinces deliver';
    await page.getByLabel('Text', { exact: true }).fill(typed);
    await page.getByLabel('Note for the reviewers (optional, sent with the version)').fill('Budget and responsibilities');
    await page.getByRole('button', { name: 'Submit this version' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('Submitted as version 2');
    const v2 = await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: (await subOf(task.id)).id, number: 2 });
    expect(v2.text).toBe(typed);
    expect(v2.note).toBe('Budget and responsibilities');

    // A refused submit (version 2 is waiting for review) keeps what was typed.
    await page.goto(url);
    expect(await page.getByRole('button', { name: 'Submit this version' }).count()).toBe(0);

    // Compare any two versions with the form; the text is shown as written, with marks.
    await page.getByLabel('From version').selectOption('1');
    await page.getByLabel('To version').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const changes = page.locator('.diff').first();
    expect(await changes.locator('h3, h4').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Who does what')]));
    expect(await changes.locator('li').count()).toBeGreaterThanOrEqual(2);
    expect(await changes.innerText()).not.toContain('## ');
    await check(page, '62-compare-rendered');
    await context.close();
  }, 120_000);

  it('without JavaScript: the preview’s Submit submits the editor’s text, and a refused submit keeps it', async () => {
    const phase = await t.db
      .repo(Phase)
      .findOneByOrFail({ id: (await t.db.repo(Task).findOneByOrFail({ courseId: course.id, title: 'Draft policy outline' })).phaseId });
    const task = await t.db.tx((em) =>
      em.getRepository(Task).save(
        em.getRepository(Task).create({
          courseId: course.id,
          phaseId: phase.id,
          position: 90,
          title: 'Reflection on the first phase',
          instructions: 'What did your team learn?',
          kind: 'team',
          opensAt: new Date(Date.now() - 86400_000),
          dueAt: new Date(Date.now() + 7 * 86400_000),
          cutOffAt: null,
          expectsText: true,
          expectsFiles: false,
          allowedTypes: '',
          maxFiles: 0,
          rubric: '',
          audience: 'all',
          status: 'published',
          createdAt: new Date(),
          updatedAt: new Date(),
        }),
      ),
    );
    const url = `${base}/courses/${course.id}/tasks/${task.id}/submissions/team-${team.id}`;
    const context = await withoutScripts();
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, 'participant@atelier.example');
    await page.goto(url);
    await page.getByRole('button', { name: 'Submit this version' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('The draft is empty');
    await page.getByLabel('Text', { exact: true }).fill('**We learned** to plan with the provinces.');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.getByRole('region', { name: 'Preview (not saved yet)' }).innerText()).toContain('We learned');
    expect(await page.getByLabel('Text', { exact: true }).inputValue()).toBe('**We learned** to plan with the provinces.');
    await check(page, '63-preview-with-submit');
    await page.getByRole('button', { name: 'Submit this version' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('Submitted as version 1');
    expect((await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: (await subOf(task.id)).id, number: 1 })).text).toBe(
      '**We learned** to plan with the provinces.',
    );
    await context.close();
  }, 120_000);

  it('course home: the leader sees the team’s own work and due dates; the expert each team they accompany', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, 'participant@atelier.example');
    await page.goto(`${base}/courses/${course.id}`);
    const tasks = page.getByRole('region', { name: /^Tasks/ });
    expect(await tasks.innerText()).toMatch(/Draft policy outline — due .*(Changes requested|Resubmitted)/);
    await check(page, '66-course-home-leader');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, 'expert@atelier.example');
    await page.goto(`${base}/courses/${course.id}`);
    const forExpert = await page.getByRole('region', { name: /^Tasks/ }).innerText();
    expect(forExpert).not.toContain('Not started\nDraft policy outline');
    expect(forExpert).toMatch(/Viet Nam: (Changes requested|Resubmitted)/);
    await check(page, '67-course-home-expert');
    await context.close();
  }, 120_000);

  it('with JavaScript: the draft is saved every 30 seconds when changed and on leaving; a conflict stops autosave with a clear message', async () => {
    const online = await t.db.repo(Phase).findOneByOrFail({ courseId: course.id, kind: 'online' });
    const task = await t.db.tx((em) =>
      em.getRepository(Task).save(
        em.getRepository(Task).create({
          courseId: course.id,
          phaseId: online.id,
          position: 91,
          title: 'Stakeholder map',
          instructions: 'Who takes part?',
          kind: 'team',
          opensAt: new Date(Date.now() - 86400_000),
          dueAt: new Date(Date.now() + 7 * 86400_000),
          cutOffAt: null,
          expectsText: true,
          expectsFiles: false,
          allowedTypes: '',
          maxFiles: 0,
          rubric: '',
          audience: 'all',
          status: 'published',
          createdAt: new Date(),
          updatedAt: new Date(),
        }),
      ),
    );
    const url = `${base}/courses/${course.id}/tasks/${task.id}/submissions/team-${team.id}`;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    await page.clock.install();
    await signInAs(page, 'participant@atelier.example');
    await page.goto(url);
    const text = page.getByLabel('Text', { exact: true });
    const status = page.locator('.autosave-status');

    // Nothing changed: nothing is saved.
    await page.clock.runFor(31_000);
    expect(await t.db.repo(Submission).countBy({ taskId: task.id })).toBe(0);

    await text.fill('Ministry of Education; provinces;');
    await page.clock.runFor(31_000);
    expect(
      await eventually(
        () => status.innerText(),
        (x) => x.startsWith('Draft saved'),
      ),
    ).toMatch(/^Draft saved at \d\d:\d\d\.$/);
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect((await subOf(task.id)).draftText).toBe('Ministry of Education; provinces;');
    await check(page, '64-autosaved');

    // A manual save right after an autosave uses the new revision: no false conflict.
    await text.fill('Ministry of Education; provinces; community learning centres.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect(await page.getByRole('status').first().innerText()).toContain('Draft saved.');

    // Leaving the page saves what was typed.
    await text.fill('Ministry; provinces; centres; employers.');
    await page.goto(`${base}/courses/${course.id}`);
    expect(
      await eventually(
        async () => (await subOf(task.id)).draftText,
        (x) => x.includes('employers'),
      ),
    ).toBe('Ministry; provinces; centres; employers.');

    // Someone else saves in between: autosave says so and stops; nothing is overwritten.
    await page.goto(url);
    // (Minh, a member of the team, saves from his own browser.)
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signInWith(otherPage, base, 'tran.van.minh@atelier.example', DEMO_PASSWORD);
    await otherPage.goto(url);
    await otherPage.getByLabel('Text', { exact: true }).fill('Saved by a team mate');
    await otherPage.getByRole('button', { name: 'Save draft' }).click();
    expect(await otherPage.getByRole('status').first().innerText()).toContain('Draft saved.');
    await other.close();
    await text.fill('My own words');
    await page.clock.runFor(31_000);
    expect(
      await eventually(
        () => status.innerText(),
        (x) => x.includes('Someone'),
      ),
    ).toContain('Someone else saved this draft');
    expect(await status.innerText()).toContain('Autosave has stopped');
    await text.fill('My own words, more of them');
    await page.clock.runFor(31_000);
    expect((await subOf(task.id)).draftText).toBe('Saved by a team mate');
    await check(page, '65-autosave-conflict');
    await screenshot(page, '65-autosave-conflict');
    await context.close();
  }, 120_000);

  itPassesTheNuChecker(7);
});
