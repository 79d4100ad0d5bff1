import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../../src/seed/demo-seed';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { linkIn } from '../utils/mail-catcher';
import { browserAvailable, check as checkPage, itPassesTheNuChecker, launch, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

run('in a browser: admin invites a person, who accepts and signs in', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const visited: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.db);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every page the walk reaches is checked with axe-core, photographed and kept for the Nu checker. */
  async function check(page: Page, name: string) {
    visited.push(page.url());
    await checkPage(page, name);
  }

  it('walks the whole invitation flow with no accessibility violations', async () => {
    const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin')!;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    // 4xx answers (422 forms, the 403 page) are expected; any other console error is not.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && failures.push(m.text()));

    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await check(page, '01-sign-in');

    // A wrong password first: the form comes back with the message and the e-mail kept.
    await page.getByLabel('E-mail address').fill(admin.email);
    await page.getByLabel('Password').fill('not the right one');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('The e-mail address or password is not correct.');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(admin.email);
    await check(page, '02-sign-in-error');

    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/dashboard`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(`Welcome, ${admin.name}`);
    await check(page, '03-dashboard-admin');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invitations' }).click();
    await check(page, '04-invitations');

    await page.getByLabel('E-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Enter an e-mail address');
    await check(page, '05-invitations-error');

    await page.getByLabel('E-mail address').fill('tendai.moyo@mopse.gov.zw');
    await page.getByLabel('Role').selectOption('participant');
    await page.getByLabel('Personal message (optional)').fill('Welcome to the Zimbabwe team for the learning-cities workshop.');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Invitation sent to tendai.moyo@mopse.gov.zw');
    await check(page, '06-invitation-sent');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await check(page, '07-people');
    await page.getByRole('link', { name: DEMO_ACCOUNTS[1].name }).click();
    await check(page, '08-person');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);

    // The invitee follows the link from the e-mail.
    const mail = await t.mail.last('tendai.moyo@mopse.gov.zw');
    await page.goto(`${base}${linkIn(mail, '/invite/')}`);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Welcome to Atelier');
    await check(page, '09-accept');

    await page.getByLabel('Your name').fill('Tendai Moyo');
    await page.getByLabel('Your time zone').selectOption('Africa/Harare');
    await page.getByLabel('Preferred language').selectOption('en');
    await page.getByLabel('Password', { exact: true }).fill('msasa tree granite');
    await page.getByLabel('Repeat the password').fill('msasa tree granit');
    await page.getByRole('button', { name: 'Create my account' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('The two passwords are not the same.');
    expect(await page.getByLabel('Your name').inputValue()).toBe('Tendai Moyo');
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Africa/Harare');
    await check(page, '10-accept-error');

    await page.getByLabel('Password', { exact: true }).fill('msasa tree granite');
    await page.getByLabel('Repeat the password').fill('msasa tree granite');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL(`${base}/dashboard`);
    expect(await page.getByRole('status').innerText()).toContain('Welcome to Atelier, Tendai Moyo');
    await check(page, '11-dashboard-new-participant');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('E-mail address').fill('tendai.moyo@mopse.gov.zw');
    await page.getByLabel('Password').fill('msasa tree granite');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/dashboard`);
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).not.toContain('Invitations');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' }).click();
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Africa/Harare');
    await check(page, '12-account');

    await page.goto(`${base}/password/forgot`);
    await check(page, '13-forgot');
    await page.goto(`${base}/admin/users`);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Not allowed');
    await check(page, '14-forbidden');

    expect(failures).toEqual([]);
    expect(visited.length).toBeGreaterThanOrEqual(14);
    await context.close();
  }, 120_000);

  itPassesTheNuChecker(14);
});
