import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { User } from '../../src/users/user.entity';
import type { TestApp } from '../utils/create-test-app';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** A participant makes their calendar feed address from their account and subscribes with it, axe-core clean. */
run('in a browser: the personal calendar feed', () => {
  let rig: BrowserRig | undefined;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let lan: User;

  beforeAll(async () => {
    rig = await startRig();
    ({ t, browser, base } = rig);
    lan = await t.db.repo(User).findOneByOrFail({ email: 'participant@atelier.example' });
  }, 60_000);

  afterAll(() => stopRig(rig));

  it('creates the feed address, shows it once, and the address serves the feed', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(5000);
    trackDocuments(page);
    await signInAs(page, base, lan.email, DEMO_PASSWORD);
    await page.goto(`${base}/account`);
    await page.getByRole('link', { name: 'calendar feed' }).click();
    await page.waitForURL(`${base}/account/calendar`);
    await check(page, 'calendar-feed-none');
    await page.getByRole('button', { name: 'Create feed address' }).click();
    await page.waitForURL(`${base}/account/calendar`);
    const address = await page.getByLabel('Feed address', { exact: true }).inputValue();
    expect(address).toMatch(/^http:\/\/atelier\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(await page.getByRole('link', { name: 'Open in your calendar app' }).getAttribute('href')).toBe(address.replace('http://', 'webcal://'));
    await check(page, 'calendar-feed-created');

    const feed = await page.request.get(`${base}${new URL(address).pathname}`, { headers: { cookie: '' } });
    expect(feed.status()).toBe(200);
    const text = await feed.text();
    expect(text).toContain(`X-WR-CALNAME:Atelier — ${lan.name}`);
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => String(e.getFirstPropertyValue('uid')))).toEqual(expect.arrayContaining([expect.stringMatching(/^task-\d+-due@atelier\.test$/)]));

    // Leaving and coming back: the address is not shown again, and can be replaced.
    await page.goto(`${base}/account/calendar`);
    expect(await page.getByLabel('Feed address', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Replace address' }).click();
    await page.waitForURL(`${base}/account/calendar`);
    expect(await page.getByLabel('Feed address', { exact: true }).inputValue()).not.toBe(address);
    await page.setViewportSize({ width: 390, height: 844 });
    await check(page, 'calendar-feed-replaced-phone');
    await page.close();
  });

  itPassesTheNuChecker(3);
});
