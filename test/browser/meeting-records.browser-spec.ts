import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { Clock } from '../../src/meetings/clock';
import { Meeting, MeetingTeam } from '../../src/meetings/meeting.entity';
import { createCourseWithTeams, TEST_PASSWORD } from '../utils/factories';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** Mon 28 Oct 2024 12:00 UTC: the consultation of 10:00–11:00 Berlin (09:00 UTC) is over. */
const NOW = new Date('2024-10-28T12:00:00Z');

run('in a browser: the host expert records attendance and final notes, a team member reads them', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let meetingUrl: string;
  let expertEmail: string;
  let memberEmail: string;
  let facilitatorEmail: string;

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    jest.spyOn(rig.t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(rig.t.db, {
      course: { title: 'Learning Cities Academy' },
      facilitator: { name: 'Chen Jing', timeZone: 'Asia/Shanghai' },
      teams: [
        {
          team: { country: 'CN', city: 'Shanghai', region: 'asia-pacific', timeZone: 'Asia/Shanghai' },
          leader: { name: 'Li Wei', timeZone: 'Asia/Shanghai' },
          members: [{ name: 'Zhang Min', timeZone: 'Asia/Shanghai' }],
          experts: [{ name: 'Anke Weber', timeZone: 'Europe/Berlin' }],
        },
      ],
    });
    const [expert] = made.teams[0].experts;
    expertEmail = expert.email;
    memberEmail = made.teams[0].members[0].email;
    facilitatorEmail = made.facilitator.email;
    const meeting = await rig.t.db.tx(async (em) => {
      const m = await em.getRepository(Meeting).save(
        em.getRepository(Meeting).create({
          courseId: made.course.id,
          kind: 'expert_consultation',
          title: 'China — Shanghai with Anke Weber',
          agenda: 'Our learning-city strategy: the financing section.',
          onlineLink: 'https://meet.example.org/shanghai',
          startsAt: new Date('2024-10-28T09:00:00Z'),
          endsAt: new Date('2024-10-28T10:00:00Z'),
          hostId: expert.id,
          bookedBy: made.teams[0].leader!.id,
          status: 'scheduled',
          sequence: 0,
          version: 1,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      );
      await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: made.teams[0].team.id });
      return m;
    });
    meetingUrl = `${base}/courses/${made.course.id}/meetings/${meeting.id}`;
  }, 60_000);

  afterAll(() => stopRig(rig));

  it('records, makes final, and shows the record to the team, with no accessibility violations', async () => {
    const expertContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const ex = await expertContext.newPage();
    trackDocuments(ex);
    await signInAs(ex, base, expertEmail, TEST_PASSWORD);
    await ex.goto(meetingUrl);
    await check(ex, 'r1-meeting-host');

    await ex.getByLabel('The team China — Shanghai took part').check();
    await ex.getByLabel('Li Wei was present').check();
    await ex.getByLabel('Anke Weber (Host) was present').check();
    await ex.getByRole('button', { name: 'Save attendance' }).click();
    await ex.waitForURL(/#attendance$/);
    const afterAttendance = await ex.getByRole('main').innerText();
    expect(afterAttendance).toContain('Attendance saved. The meeting is marked as held.');
    expect(afterAttendance).toMatch(/Zhang Min\s+Absent/);
    expect(await ex.getByLabel('Li Wei was present').isChecked()).toBe(true);
    await check(ex, 'r2-attendance-saved');

    await ex.getByLabel('Notes (Markdown)').fill('## Agreed\n\n* A costed table of the measures by **Friday**.\n* Zhang Min sends the survey data.');
    await ex.getByRole('button', { name: 'Save draft' }).click();
    await ex.waitForURL(/#notes$/);
    expect(await ex.getByRole('region', { name: 'Notes' }).innerText()).toContain('Only the host and the facilitators see these notes');
    await check(ex, 'r3-notes-draft');

    // An action item without text comes back with the message at the field.
    await ex.getByRole('button', { name: 'Add action item' }).click();
    expect(await ex.getByRole('alert').innerText()).toContain('Write the action item.');
    await check(ex, 'r4-action-error');
    await ex.getByLabel('New action item').fill('Send the costed table to Anke Weber.');
    await ex.getByRole('button', { name: 'Add action item' }).click();
    await ex.waitForURL(/#actions$/);

    const memberContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const me = await memberContext.newPage();
    trackDocuments(me);
    await signInAs(me, base, memberEmail, TEST_PASSWORD);
    await me.goto(meetingUrl);
    const draftHidden = await me.getByRole('region', { name: 'Notes' }).innerText();
    expect(draftHidden).toContain('No notes yet.');
    expect(draftHidden).not.toContain('costed table');
    await check(me, 'r5-member-before-final');

    await ex.goto(meetingUrl);
    await ex.getByRole('button', { name: 'Save and make final' }).click();
    await ex.waitForURL(/#notes$/);
    expect(await ex.getByRole('main').innerText()).toContain('The notes are final');
    await check(ex, 'r6-notes-final');

    const facContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const fa = await facContext.newPage();
    trackDocuments(fa);
    await signInAs(fa, base, facilitatorEmail, TEST_PASSWORD);
    await fa.goto(meetingUrl);
    await fa.getByRole('link', { name: /Make it a task/ }).click();
    await check(fa, 'r7-make-task');
    await fa.getByLabel('Task title').fill('Costed table of the measures');
    await fa.getByLabel(/Publish it now/).check();
    await fa.getByRole('button', { name: 'Make the task' }).click();
    await fa.waitForURL(/#actions$/);
    expect(await fa.getByRole('main').innerText()).toContain('Task “Costed table of the measures” is published for the team.');

    await me.goto(meetingUrl);
    const main = await me.getByRole('main').innerText();
    expect(main).toContain('A costed table of the measures by Friday.');
    expect(main).toMatch(/Li Wei\s+Present/);
    expect(main).toContain('Task: Costed table of the measures');
    expect(await me.getByRole('heading', { name: 'Agreed', level: 3 }).count()).toBe(1);
    await check(me, 'r8-member-final');
    await me.getByRole('link', { name: 'Costed table of the measures' }).click();
    expect(await me.getByRole('main').innerText()).toContain('Agreed in the meeting');
    await check(me, 'r9-member-task');
    await Promise.all([expertContext.close(), memberContext.close(), facContext.close()]);
  }, 120_000);

  itPassesTheNuChecker(9);
});
