import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { Clock } from '../../src/meetings/clock';
import { createCourseWithTeams, TEST_PASSWORD } from '../utils/factories';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** Thursday of the in-person week in Shanghai; the online phase after it opens on Saturday 26 Oct 2024. */
const NOW = new Date('2024-10-24T06:00:00Z');

run('in a browser: a team leader in Shanghai books a meeting with an expert in Nairobi, and each sees it in their own zone', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let courseId: number;
  let expertEmail: string;
  let leaderEmail: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    jest.spyOn(rig.t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(rig.t.db, {
      course: { title: 'Learning Cities Academy' },
      teams: [
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { name: 'Li Wei', timeZone: 'Asia/Shanghai' },
          members: [{ timeZone: 'Asia/Shanghai' }],
          experts: [{ name: 'Wanjiru Kamau', timeZone: 'Africa/Nairobi' }],
        },
      ],
    });
    courseId = made.course.id;
    expertEmail = made.teams[0].experts[0].email;
    leaderEmail = made.teams[0].leader!.email;
  }, 60_000);

  afterAll(() => stopRig(rig));

  it('publishes, books, and shows the meeting to both, with no accessibility violations', async () => {
    const expertContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const ex = await expertContext.newPage();
    trackDocuments(ex);
    await signInAs(ex, base, expertEmail, TEST_PASSWORD);
    await ex.goto(`${base}/courses/${courseId}/availability`);
    await ex.getByLabel('Weekly window 1: day').selectOption({ label: 'Tuesday' });
    await ex.getByLabel('Weekly window 1: from').fill('09:00');
    await ex.getByLabel('Weekly window 1: to').fill('11:00');
    await ex.getByRole('button', { name: 'Save availability' }).click();
    await ex.waitForURL(/\/availability#preview$/);

    const leaderContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await leaderContext.newPage();
    trackDocuments(page);
    await signInAs(page, base, leaderEmail, TEST_PASSWORD);
    await page.goto(`${base}/courses/${courseId}`);
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Meetings' }).click();
    await check(page, 'm1-meetings-empty');
    await page.getByRole('link', { name: 'Book a meeting with an expert' }).click();
    await check(page, 'm2-book-experts');
    await page.getByRole('link', { name: 'Wanjiru Kamau' }).click();
    // Tuesday 29 Oct, 09:00 in Nairobi (UTC+3) is 14:00 in Shanghai.
    const slot = page.getByLabel('Tue 29 Oct 14:00–14:30 Shanghai · Tue 29 Oct 09:00 Nairobi');
    await check(page, 'm3-book-slots');
    await slot.check();
    await page.getByRole('button', { name: 'Book this time' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Write what you would like to talk about.');
    expect(await slot.isChecked()).toBe(true);
    await check(page, 'm4-book-error');
    await page.getByLabel('Agenda').fill('Our draft policy brief: the financing section.');
    await page.getByLabel('Online meeting link (optional)').fill('https://meet.example.org/shanghai');
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.waitForURL(/\/meetings\/\d+$/);
    const meetingUrl = page.url();
    const main = await page.getByRole('main').innerText();
    expect(main).toContain('The meeting is booked');
    expect(main).toContain('Tue 29 Oct 2024, 14:00–14:30 Shanghai · Tue 29 Oct 09:00 Nairobi');
    await check(page, 'm5-meeting-leader');
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Meetings' }).click();
    expect(await page.getByRole('region', { name: 'Upcoming' }).innerText()).toContain('Tue 29 Oct 2024, 14:00–14:30 Shanghai');
    await check(page, 'm6-meetings-leader');

    await ex.goto(meetingUrl);
    expect(await ex.getByRole('main').innerText()).toContain('Tue 29 Oct 2024, 09:00–09:30 Nairobi · Tue 29 Oct 14:00 Shanghai');
    await check(ex, 'm7-meeting-expert');
    await ex.goto(`${base}/courses/${courseId}/meetings`);
    expect(await ex.getByRole('heading', { level: 1 }).innerText()).toBe('My meetings');
    await check(ex, 'm8-meetings-expert');

    // The leader moves the meeting to another of the expert's free times, then cancels it; each time with a reason.
    await page.goto(meetingUrl);
    const move = page.getByRole('region', { name: 'Move this meeting' });
    await move.getByRole('button', { name: 'Move the meeting' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Say why the meeting is moved.');
    await check(page, 'm9-move-error');
    await move.getByLabel('New time').selectOption({ label: '14:30–15:00 Shanghai · Tue 29 Oct 09:30 Nairobi' });
    await move.getByLabel('Why is it moved?').fill('Our minister joins us, and only from 14:30.');
    await move.getByRole('button', { name: 'Move the meeting' }).click();
    await page.waitForURL(meetingUrl);
    const moved = await page.getByRole('main').innerText();
    expect(moved).toContain('The meeting is moved');
    expect(moved).toContain('Rescheduled');
    expect(moved).toContain('Tue 29 Oct 2024, 14:30–15:00 Shanghai');
    expect(moved).toMatch(/Moved from\s+Tue 29 Oct 2024, 14:00–14:30 Shanghai/);
    expect(moved).toContain('Our minister joins us, and only from 14:30.');
    await check(page, 'm10-meeting-moved');
    const cancel = page.getByRole('region', { name: 'Cancel this meeting' });
    await cancel.getByLabel('Why is it cancelled?').fill('The brief is not ready; we will book again next month.');
    await cancel.getByRole('button', { name: 'Cancel the meeting' }).click();
    await page.waitForURL(meetingUrl);
    const cancelled = await page.getByRole('main').innerText();
    expect(cancelled).toContain('This meeting is cancelled.');
    expect(cancelled).toContain('The brief is not ready; we will book again next month.');
    expect(await page.getByRole('region', { name: 'Move this meeting' }).count()).toBe(0);
    await check(page, 'm11-meeting-cancelled');
    await leaderContext.close();
    await expertContext.close();
  }, 120_000);

  itPassesTheNuChecker(11);
});
