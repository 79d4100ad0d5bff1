import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { linkIn } from '../utils/mail-catcher';
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

run('in a browser: a facilitator sets up a workshop; a team leader finds it on the course home', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
  }, 60_000);

  afterAll(() => stopRig(rig));

  const signInAs = (page: Page, email: string) => signInWith(page, base, email, DEMO_PASSWORD);
  const flashText = async (page: Page) => (await page.getByRole('status').first().innerText()).trim();

  it('walks the set-up and the participant course home with no accessibility violations', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    trackDocuments(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await signInAs(page, 'facilitator@atelier.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workshops' }).click();
    await check(page, '20-workshops');
    await page.getByRole('link', { name: 'New workshop' }).click();
    await check(page, '21-new-workshop');

    await page.getByLabel('Title', { exact: true }).fill('Learning Cities Academy 2027');
    await page.getByLabel('Summary').fill('Municipal teams develop learning-city strategies.');
    await page.getByLabel('Organisers').fill('UIL and Shanghai Open University');
    await page.getByLabel('Campus or building').fill('Guoshun Campus');
    await page.getByLabel('City', { exact: true }).fill('Shanghai');
    await page.getByLabel('Country').selectOption('CN');
    await page.getByLabel('Time zone of the venue').selectOption('Asia/Shanghai');
    await page.getByLabel('First day of the course').fill('2027-03-01');
    await page.getByLabel('Last day of the course').fill('2027-05-31');
    await page.getByLabel('First day of the in-person week (optional)').fill('2027-04-12');
    await page.getByLabel('Last day of the in-person week (optional)').fill('2027-06-16');
    await page.getByLabel('Chinese').check();
    await page.getByRole('button', { name: 'Create the workshop' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('The phase must end on or before the last day of the course');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Learning Cities Academy 2027');
    expect(await page.getByLabel('Chinese').isChecked()).toBe(true);
    await check(page, '22-new-workshop-error');
    await page.getByLabel('Last day of the in-person week (optional)').fill('2027-04-16');
    await page.getByRole('button', { name: 'Create the workshop' }).click();
    await page.waitForURL(/\/courses\/\d+\/setup$/);
    const courseUrl = page.url().replace(/\/setup$/, '');
    expect(await flashText(page)).toContain('has been created as a draft');
    expect(await page.locator('.timeline').innerText()).toContain('In-person week');
    await check(page, '23-setup');

    // Phases are edited from the set-up page's timeline.
    await page.getByRole('link', { name: 'Edit phase In-person week' }).click();
    await page.waitForURL(/\/phases\/\d+\/edit$/);
    expect(await page.getByLabel('Title').inputValue()).toBe('In-person week');
    await check(page, '23b-phase-form');
    await page.getByLabel('Description').fill('Peer review of the drafts and site visits in Shanghai.');
    await page.getByRole('button', { name: 'Save phase' }).click();
    await page.waitForURL(/\/setup$/);
    expect(await flashText(page)).toContain('Phase “In-person week” saved.');
    expect(await page.locator('.timeline').innerText()).toContain('Peer review of the drafts and site visits in Shanghai.');

    // Two tabs edit the details; the later save shows both versions and keeps what was typed.
    const otherTab = await context.newPage();
    await page.goto(`${courseUrl}/edit`);
    await otherTab.goto(`${courseUrl}/edit`);
    await otherTab.getByLabel('Organisers').fill('UIL, Shanghai Open University and the city of Shanghai');
    await otherTab.getByRole('button', { name: 'Save details' }).click();
    await otherTab.waitForURL(/\/setup$/);
    await otherTab.close();
    await page.getByLabel('Summary').fill('Municipal teams develop and test learning-city strategies.');
    await page.getByRole('button', { name: 'Save details' }).click();
    expect(await page.getByRole('heading', { level: 2, name: 'Someone else saved this workshop while you were editing it' }).isVisible()).toBe(true);
    expect(await page.getByRole('table').innerText()).toContain('UIL, Shanghai Open University and the city of Shanghai');
    expect(await page.getByLabel('Summary').inputValue()).toBe('Municipal teams develop and test learning-city strategies.');
    await check(page, '23c-edit-conflict');
    await page.getByLabel('Organisers').fill('UIL, Shanghai Open University and the city of Shanghai');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.waitForURL(/\/setup$/);
    expect(await flashText(page)).toContain('The course details have been saved.');

    // Programme
    await page.getByRole('link', { name: 'Add a session to “In-person week”' }).first().click();
    await check(page, '24-session-form');
    await page.getByLabel('Title').fill('Opening plenary');
    await page.getByLabel('Day').selectOption('2027-04-12');
    await page.getByLabel('Starts at').fill('09:00');
    await page.getByLabel('Ends at').fill('10:30');
    await page.getByLabel('Room (optional)').fill('Hall A');
    await page.getByRole('button', { name: 'Add session' }).click();
    await page.waitForURL(/\/programme/);
    await page.getByRole('link', { name: 'Add a session to “In-person week”' }).first().click();
    await page.getByLabel('Kind of session').selectOption('round_table');
    await page.getByLabel('Title').fill('Round table in the same hall');
    await page.getByLabel('Day').selectOption('2027-04-12');
    await page.getByLabel('Starts at').fill('10:00');
    await page.getByLabel('Ends at').fill('11:00');
    await page.getByLabel('Room (optional)').fill('Hall A');
    await page.getByRole('button', { name: 'Add session' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Hall A is already booked for “Opening plenary” from 09:00 to 10:30.');
    await check(page, '25-session-clash');
    await page.getByLabel('Room (optional)').fill('Hall B');
    await page.getByRole('button', { name: 'Add session' }).click();
    await page.waitForURL(/\/programme/);
    await check(page, '26-programme');

    // People and teams
    await page.goto(`${courseUrl}/people`);
    await page.getByLabel('E-mail address of their Atelier account').fill('expert@atelier.example');
    await page.getByRole('button', { name: 'Add to the workshop' }).click();
    expect(await flashText(page)).toContain('has been added to the course as expert');
    await check(page, '27-people');

    await page.goto(`${courseUrl}/teams`);
    await page.getByLabel('Member State').selectOption('VN');
    await page.getByLabel('City (optional)').fill('Hue');
    await page.getByLabel('What the team develops').selectOption('learning_city_strategy');
    await page.getByLabel('Time zone the team works in').selectOption('Asia/Ho_Chi_Minh');
    await page.getByRole('button', { name: 'Add team' }).click();
    await page.waitForURL(/\/teams\/\d+$/);
    await page.getByLabel('E-mail address').fill('participant@atelier.example');
    await page.getByLabel('Role in the team').selectOption('leader');
    await page.getByRole('button', { name: 'Add to the team' }).click();
    expect(await flashText(page)).toContain('Nguyen Thi Lan has joined the team.');
    await page.getByLabel('Assign an expert of the workshop').selectOption({ label: 'Raúl Valdés (expert@atelier.example)' });
    await page.getByRole('button', { name: 'Assign' }).click();
    expect(await flashText(page)).toContain('Raúl Valdés now advises this team.');
    await check(page, '28-team');

    // Someone without an account is invited into the team: the invitation names it all.
    await page.getByLabel('E-mail address').fill('hoa.tran@hue.gov.vn');
    await page.getByLabel('Role in the team').selectOption('member');
    await page.getByRole('button', { name: 'Add to the team' }).click();
    expect(await flashText(page)).toContain('an invitation has been sent');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invitations' }).click();
    expect(await page.getByRole('table').innerText()).toMatch(
      /hoa\.tran@hue\.gov\.vn\s+Participant\s+Viet Nam — Hue team \(Member\), “Learning Cities Academy 2027”/,
    );
    await check(page, '28c-invitations');
    const invitee = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const invitePage = await invitee.newPage();
    trackDocuments(invitePage);
    await invitePage.goto(`${base}${linkIn(await rig!.t.mail.last('hoa.tran@hue.gov.vn'), '/invite/')}`);
    const invitation = await invitePage.locator('main').innerText();
    expect(invitation).toContain('to join the Viet Nam — Hue team as member in the workshop “Learning Cities Academy 2027” (1 Mar 2027 – 31 May 2027)');
    expect(invitation).toContain('The facilitators are still preparing the workshop');
    await check(invitePage, '28b-accept-team-invitation');
    await invitee.close();

    // Resources
    await page.goto(`${courseUrl}/resources/new`);
    await check(page, '29-resource-form');
    await page.getByLabel('Title').fill('Key Features of Learning Cities');
    await page.getByLabel('Web address').fill('https://www.uil.unesco.org/en/learning-cities');
    await page.getByLabel('Themes (optional)').fill('Key features of learning cities, SDG 11');
    await page.getByRole('button', { name: 'Add resource' }).click();
    await page.waitForURL(/\/resources$/);
    await check(page, '30-resources');

    // Publish
    await page.goto(`${courseUrl}/setup`);
    await page.getByRole('button', { name: 'Publish' }).click();
    expect(await flashText(page)).toContain('The course is published');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);

    // The team leader's view
    await signInAs(page, 'participant@atelier.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workshops' }).click();
    await check(page, '31-workshops-participant');
    await page.getByRole('link', { name: 'Learning Cities Academy 2027' }).click();
    const home = await page.locator('main').innerText();
    expect(home).toContain('The course has not started yet');
    expect(home).toContain('Viet Nam — Hue');
    expect(home).toContain('you lead this team');
    expect(home).toContain('Opening plenary');
    await check(page, '32-course-home');

    // On a phone (375 px) the header and the course tabs leave most of the first screen to the page:
    // a compact header, and tabs in one row that scrolls sideways (no JavaScript).
    await page.setViewportSize({ width: 375, height: 667 });
    await page.reload();
    await check(page, '32-phone-course-home');
    await page.screenshot({ path: `${ARTIFACTS}/32-phone-course-home-first-screen.png` });
    const tabs = page.getByRole('navigation', { name: 'Course' }).locator('ul');
    const tabsBox = (await tabs.boundingBox())!;
    const h1Box = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
    expect({ tabsBottom: tabsBox.y + tabsBox.height < 667 * 0.45, oneRow: tabsBox.height < 60, h1OnFirstScreen: h1Box.y + h1Box.height < 667 * 0.6 }).toEqual({
      tabsBottom: true,
      oneRow: true,
      h1OnFirstScreen: true,
    });
    expect(
      await page.evaluate(
        `(() => { const ul = document.querySelector('nav[aria-label="Course"] ul'); return ul.scrollWidth > ul.clientWidth && getComputedStyle(ul).overflowX === 'auto'; })()`,
      ),
    ).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true); // no sideways scrolling of the page itself
    // A tab beyond the screen's edge is reached by scrolling the row.
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Gallery' }).click();
    await page.waitForURL(/\/gallery$/);
    await check(page, '32-phone-gallery');
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goBack();
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Programme' }).click();
    await check(page, '33-programme-participant');
    // The printed timetable: one page per day of the in-person week.
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'programme.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(5);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('navigation', { name: 'Course' }).getByRole('link', { name: 'Teams' }).click();
    await check(page, '34-teams-participant');
    await page.getByRole('link', { name: 'Viet Nam — Hue' }).click();
    await check(page, '35-team-participant');
    await page.goto(`${courseUrl}/setup`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Page not found');

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  itPassesTheNuChecker(22);
});
