import type { Browser } from 'playwright-core';
import { NotificationDelivery, type NotificationDraft } from '../../src/notifications/notification-delivery';
import { NotificationsWorker } from '../../src/notifications/notifications.worker';
import { Notification } from '../../src/notifications/notification.entity';
import { Course } from '../../src/courses/course.entity';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { User } from '../../src/users/user.entity';
import type { TestApp } from '../utils/create-test-app';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** A participant's notifications and notification settings in Chromium, axe-core clean. */
run('in a browser: notifications and their settings', () => {
  let rig: BrowserRig | undefined;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let lan: User;

  beforeAll(async () => {
    rig = await startRig();
    ({ t, browser, base } = rig);
    lan = await t.db.repo(User).findOneByOrFail({ email: 'participant@atelier.example' });
    await t.app.get(NotificationsWorker).dispatchEvents();
    const course = await t.db.repo(Course).findOneByOrFail({ title: 'Strengthening Education Systems from a Lifelong Learning Perspective' });
    const titles = [
      'Changes requested on “Draft policy outline” (version 1)',
      'New task: “Country background paper”',
      'Chen Jing commented on Viet Nam’s “Draft policy outline”',
    ];
    const drafts: NotificationDraft[] = titles.map((title, i) => ({
      userId: lan.id,
      kind: 'task_published',
      courseId: course.id,
      title,
      href: `/courses/${course.id}`,
      dedupeKey: `browser:${i}`,
      lines: () => [],
    }));
    await t.db.tx((em) => t.app.get(NotificationDelivery).deliver(em, drafts, new Date()));
  }, 60_000);

  afterAll(() => stopRig(rig));

  it('lists notifications, unread marked in words, and marks them read', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(5000);
    trackDocuments(page);
    await signInAs(page, base, lan.email, DEMO_PASSWORD);
    const unread = await t.db.repo(Notification).countBy({ userId: lan.id });
    const link = page.locator('header a[href="/notifications"]');
    expect(await link.innerText()).toBe(`Notifications (${unread} unread)`);
    await link.click();
    await page.waitForURL(`${base}/notifications`);
    await check(page, 'notifications-list');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Notifications');
    await page.getByRole('button', { name: 'Mark as read: New task: “Country background paper”' }).click();
    await page.waitForURL(`${base}/notifications`);
    await page.getByRole('link', { name: `Notifications (${unread - 1} unread)` }).waitFor();
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.waitForURL(`${base}/notifications`);
    expect(await page.getByRole('link', { name: 'Notifications', exact: true }).count()).toBe(1);
    await check(page, 'notifications-read');
    await page.close();
  });

  it('changes a setting with labelled radio buttons', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(5000);
    trackDocuments(page);
    await signInAs(page, base, lan.email, DEMO_PASSWORD);
    await page.goto(`${base}/account/notifications`);
    await check(page, 'notification-settings');
    const group = page.getByRole('group', { name: 'Changes requested' });
    await group.getByLabel('Off').check();
    await page.getByRole('group', { name: 'New task published' }).getByLabel('Immediately').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`${base}/account/notifications`);
    expect(await page.getByRole('group', { name: 'Changes requested' }).getByLabel('Off').isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'New task published' }).getByLabel('Immediately').isChecked()).toBe(true);
    await check(page, 'notification-settings-saved');
    await page.close();
  });

  itPassesTheNuChecker(3);
});
