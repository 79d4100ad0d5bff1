import type { Browser, Page } from 'playwright-core';
import { OutboxWorker } from '../../src/outbox/outbox.worker';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs as signInWith, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

run('in a browser: an administrator finds an invitation the mail server refused and sends it again', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
  }, 60_000);

  afterAll(() => stopRig(rig));

  const signInAs = (page: Page, email: string) => signInWith(page, base, email, DEMO_PASSWORD);

  it('invites while the mail server refuses, sees the failed message on the outbox page, retries it, and the invitation arrives', async () => {
    const t = rig!.t;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInAs(page, 'admin@atelier.example');
    await page.goto(`${base}/invitations`);
    await page.getByLabel('E-mail address').fill('kwame.asante@ges.gov.gh');
    await page.getByRole('button', { name: /Send( the)? invitation/ }).click();
    await page.waitForURL(/\/invitations/);

    // The mail server refuses it; with one attempt allowed here, the message is failed at once.
    const worker = t.app.get(OutboxWorker);
    worker.maxAttempts = 1;
    t.mail.failNext = 1;
    await t.deliverMail();
    worker.maxAttempts = 8;

    await page.goto(`${base}/admin/outbox`);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('E-mail outbox');
    const row = page.getByRole('row', { name: /kwame\.asante@ges\.gov\.gh/ });
    expect(await row.innerText()).toMatch(/failed[\s\S]*550 Mailbox unavailable/);
    expect(await page.content()).not.toContain('/invite/');
    await check(page, '60-outbox-failed');

    await page.getByRole('button', { name: 'Send again to kwame.asante@ges.gov.gh' }).click();
    await page.waitForURL(`${base}/admin/outbox`);
    expect(await page.getByRole('status').first().innerText()).toContain('The message to kwame.asante@ges.gov.gh is queued to be sent again.');
    await check(page, '61-outbox-queued');

    await t.deliverMail();
    expect(t.mail.to('kwame.asante@ges.gov.gh')).toHaveLength(1);
    await page.reload();
    expect(await page.getByRole('row', { name: /kwame\.asante@ges\.gov\.gh/ }).innerText()).toMatch(/sent/);
    await check(page, '62-outbox-sent');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  itPassesTheNuChecker(3);
});
