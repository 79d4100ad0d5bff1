import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Clock } from '../../src/meetings/clock';
import { assignExpert, createCourseWithTeams, KENYA, TEST_PASSWORD } from '../utils/factories';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** Thursday of the in-person week in Shanghai; the online phase after it opens on Saturday 26 Oct 2024. */
const NOW = new Date('2024-10-24T06:00:00Z');

run('in a browser: an expert in Nairobi publishes their availability and sees the slots teams can book', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let courseId: number;
  let expertEmail: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    jest.spyOn(rig.t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(rig.t.db, {
      course: { title: 'Learning Cities Academy' },
      teams: [
        { team: { ...KENYA, city: 'Nairobi' }, experts: [{ name: 'Wanjiru Kamau', timeZone: 'Africa/Nairobi' }] },
        { team: { country: 'VN', city: 'Hue', timeZone: 'Asia/Ho_Chi_Minh' } },
        { team: { country: 'FJ', city: 'Suva', region: 'asia-pacific', timeZone: 'Pacific/Fiji' } },
      ],
    });
    courseId = made.course.id;
    const expert = made.teams[0].experts[0];
    for (const t of made.teams.slice(1)) await assignExpert(rig.t.db, t.team.id, expert.id);
    expertEmail = expert.email;
  }, 60_000);

  afterAll(() => stopRig(rig));

  const flashText = async (page: Page) => (await page.getByRole('status').first().innerText()).trim();

  it('fills the form, is told what to correct, saves and reads the preview, with no accessibility violations', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInAs(page, base, expertEmail, TEST_PASSWORD);
    await page.goto(`${base}/courses/${courseId}`);
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'My availability' }).click();
    await page.waitForURL(/\/availability$/);
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Africa/Nairobi');
    await check(page, 'a1-availability-empty');

    await page.getByLabel('Weekly window 1: day').selectOption({ label: 'Tuesday' });
    await page.getByLabel('Weekly window 1: from').fill('09:00');
    await page.getByLabel('Weekly window 1: to').fill('12:00');
    await page.getByLabel('Weekly window 2: day').selectOption({ label: 'Thursday' });
    await page.getByLabel('Weekly window 2: from').fill('14:00');
    await page.getByLabel('Weekly window 2: to').fill('16:00');
    await page.getByLabel('One-off window 1: day').fill('2024-10-30');
    await page.getByLabel('One-off window 1: from').fill('10:00');
    await page.getByLabel('One-off window 1: to').fill('09:00');
    await page.getByLabel('Day off 1', { exact: true }).fill('2024-11-05');
    await page.getByLabel('Meeting length (minutes)').fill('45');
    await page.getByRole('button', { name: 'Save availability' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('The window must end after it starts (10:00) on the same day.');
    expect(await page.getByLabel('Weekly window 2: from').inputValue()).toBe('14:00');
    expect(await page.getByLabel('Meeting length (minutes)').inputValue()).toBe('45');
    await check(page, 'a2-availability-error');

    await page.getByLabel('One-off window 1: to').fill('11:30');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.waitForURL(/\/availability#preview$/);
    expect(await flashText(page)).toContain('Your availability has been saved');
    const preview = await page.getByRole('region', { name: 'The next slots teams can book' }).innerText();
    // Tuesday 29 Oct, 09:00 in Nairobi (UTC+3) is 14:00 in Shanghai, 18:00 in Fiji and 13:00 in Hue.
    expect(preview).toContain('Tue 29 Oct 2024');
    expect(preview).toContain('09:00–09:45 Nairobi · 14:00 Shanghai · 18:00 Fiji · 13:00 Ho Chi Minh');
    expect(preview).toContain('Wed 30 Oct 2024');
    expect(preview).not.toContain('Tue 5 Nov 2024');
    await check(page, 'a3-availability-saved');

    // The same form open in a second tab, saved after the first: the conflict notice, nothing lost or overwritten.
    const other = await context.newPage();
    trackDocuments(other);
    await other.goto(page.url());
    await page.getByLabel('Meeting length (minutes)').fill('60');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await page.waitForURL(/#preview$/);
    await other.getByLabel('Break between meetings (minutes)').fill('5');
    await other.getByRole('button', { name: 'Save availability' }).click();
    expect(await other.getByRole('heading', { level: 2 }).first().innerText()).toBe(
      'Someone else saved this availability (perhaps you, in another tab or window) while you were editing it',
    );
    expect(await other.getByLabel('Break between meetings (minutes)').inputValue()).toBe('5');
    expect(await other.getByLabel('Meeting length (minutes)').inputValue()).toBe('45');
    await check(other, 'a5-availability-conflict');
    await other.close();

    // On a phone: the page itself does not scroll sideways; each slot stays on its lines.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await check(page, 'a4-availability-phone');

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  itPassesTheNuChecker(5);
});
