import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { Clock } from '../../src/meetings/clock';
import { createCourseWithTeams, KENYA, TEST_PASSWORD } from '../utils/factories';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** Thursday of the in-person week in Shanghai; the online phase after it opens on Saturday 26 Oct 2024. */
const NOW = new Date('2024-10-24T06:00:00Z');

run('in a browser: a facilitator in Berlin finds a time for two teams, schedules a peer exchange, and a member in Shanghai sees it in their zone', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let courseId: number;
  let facilitatorEmail: string;
  let memberEmail: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    jest.spyOn(rig.t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(rig.t.db, {
      course: { title: 'Learning Cities Academy' },
      facilitator: { name: 'Fatou Diallo', timeZone: 'Europe/Berlin' },
      teams: [
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { name: 'Li Wei', timeZone: 'Asia/Shanghai' },
          members: [{ name: 'Zhang Min', timeZone: 'Asia/Shanghai' }],
          experts: [{ name: 'Anke Weber', timeZone: 'Europe/Berlin' }],
        },
        { team: KENYA, leader: { name: 'Otieno Okoth', timeZone: 'Africa/Nairobi' }, members: [{ timeZone: 'Africa/Nairobi' }] },
      ],
    });
    courseId = made.course.id;
    facilitatorEmail = made.facilitator.email;
    memberEmail = made.teams[0].members[0].email;
  }, 60_000);

  afterAll(() => stopRig(rig));

  it('finds, schedules and shows the meeting, with no accessibility violations', async () => {
    const memberContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const member = await memberContext.newPage();
    trackDocuments(member);
    await signInAs(member, base, memberEmail, TEST_PASSWORD);
    await member.goto(`${base}/account`);
    await member.getByRole('link', { name: 'your working hours' }).click();
    await check(member, 's1-working-hours');
    await member.getByLabel('Your working day starts at').fill('09:00');
    await member.getByLabel('Your working day ends at').fill('17:00');
    // Every day cleared: refused at the days, and the boxes stay as the member left them (not re-ticked from the defaults).
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await member.getByLabel(day).uncheck();
    await member.getByRole('button', { name: 'Save working hours' }).click();
    expect(await member.getByRole('main').innerText()).toContain('Choose at least one working day.');
    await check(member, 's1-working-hours-no-day');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
      expect(await member.getByLabel(day).isChecked()).toBe(false);
    expect(await member.getByLabel('Your working day ends at').inputValue()).toBe('17:00');
    for (const day of ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday']) await member.getByLabel(day).check();
    await member.getByRole('button', { name: 'Save working hours' }).click();
    expect(await member.getByRole('main').innerText()).toContain('Your working hours have been saved.');
    expect(await member.getByRole('main').innerText()).toContain('Saved: 09:00 to 17:00, Sunday to Thursday.');

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, base, facilitatorEmail, TEST_PASSWORD);
    await page.goto(`${base}/courses/${courseId}`);
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Meetings' }).click();
    await check(page, 's2-meetings-empty');
    await page.getByRole('link', { name: 'Find a time' }).click();
    await check(page, 's3-finder-empty');
    await page.getByRole('button', { name: 'Find times' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Choose at least one team or person to find a time for.');
    await check(page, 's3-finder-nobody');
    await page.getByLabel('China — Shanghai').check();
    await page.getByLabel('Kenya').check();
    await page.getByLabel('Anke Weber (expert)').check();
    await page.getByLabel('Length').selectOption({ label: '60 minutes' });
    await page.getByRole('button', { name: 'Find times' }).click();
    const proposals = page.getByRole('region', { name: 'Proposed times' });
    expect(await proposals.innerText()).toContain('Inside everyone’s working hours');
    await check(page, 's4-finder-proposals');
    await proposals
      .getByRole('link', { name: /^Schedule this/ })
      .first()
      .click();
    await check(page, 's5-schedule-prefilled');
    expect(await page.getByLabel('China — Shanghai').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Schedule the meeting' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Give the meeting a title.');
    await check(page, 's6-schedule-error');
    await page.getByLabel('Title').fill('Peer exchange: financing learning cities');
    await page.getByLabel('Interpretation requested (optional)').fill('Chinese, Swahili');
    await page.getByLabel('Interpretation provided (optional)').fill('Chinese');
    await page.getByRole('button', { name: 'Schedule the meeting' }).click();
    await page.waitForURL(/\/meetings\/\d+$/);
    const meetingUrl = page.url();
    const main = await page.getByRole('main').innerText();
    expect(main).toContain('The meeting is scheduled');
    const berlinTime = /(\w{3} \d+ \w{3} \d{4}), (\d\d:\d\d)–(\d\d:\d\d) Berlin/.exec(main);
    expect(berlinTime).not.toBeNull();
    await check(page, 's7-meeting-facilitator');
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Meetings' }).click();
    expect(await page.getByRole('region', { name: 'Upcoming' }).innerText()).toContain('Peer exchange');
    await check(page, 's8-meetings-facilitator');

    await member.goto(`${base}/courses/${courseId}/meetings`);
    await member.getByRole('link', { name: 'Peer exchange: financing learning cities' }).click();
    expect(member.url()).toBe(meetingUrl);
    const seen = await member.getByRole('main').innerText();
    // Shanghai is 7 hours ahead of Berlin in winter (after 27 Oct), 6 before.
    expect(seen).toMatch(/\w{3} \d+ \w{3} \d{4}, \d\d:\d\d–\d\d:\d\d Shanghai · .* Berlin/);
    expect(seen).toContain('Interpretation requested');
    await check(member, 's9-meeting-member');
    await memberContext.close();
    await context.close();
  }, 120_000);

  itPassesTheNuChecker(9);
});
