import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { Clock } from '../../src/meetings/clock';
import { Meeting, MeetingTeam } from '../../src/meetings/meeting.entity';
import { Submission, SubmissionEvent, SubmissionVersion } from '../../src/submissions/submission.entity';
import type { Task } from '../../src/tasks/task.entity';
import { assignExpert, createCourseWithTeams, createPublishedTask, KENYA, releaseReview, signIn, submitWork, TEST_PASSWORD } from '../utils/factories';
import { type Agent, agent, csrfFrom } from '../utils/http';
import { type BrowserRig, browserAvailable, check, itPassesTheNuChecker, signInAs, startRig, stopRig, trackDocuments } from './browser';

const run = browserAvailable() ? describe : describe.skip;

/** Thursday of the in-person week in Shanghai, 08:00 in Berlin (summer time); Berlin turns its clocks back on Sunday. */
const NOW = new Date('2024-10-24T06:00:00Z');

run('in a browser: a team leader and an expert open their home pages', () => {
  let rig: BrowserRig | undefined;
  let browser: Browser;
  let base: string;
  let courseId: number;
  let emails: { leader: string; member: string; expert: string };

  beforeAll(async () => {
    rig = await startRig();
    ({ browser, base } = rig);
    const { t } = rig;
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(t.db, {
      course: { title: 'Learning Cities Academy' },
      teams: [
        {
          team: { country: 'DE', region: 'europe', timeZone: 'Europe/Berlin' },
          leader: { name: 'Greta Lang', timeZone: 'Europe/Berlin' },
          members: [{ name: 'Jonas Roth', timeZone: 'Europe/Berlin' }],
          experts: [{ name: 'Anke Weber', timeZone: 'Europe/Berlin' }],
        },
        { team: KENYA, leader: { name: 'Wanjiru Otieno' } },
        { team: { country: 'VN', timeZone: 'Asia/Ho_Chi_Minh' }, leader: { name: 'Lan Nguyen' } },
      ],
    });
    courseId = made.course.id;
    const [de, ke, vn] = made.teams.map((x) => x.team.id);
    const expert = made.teams[0].experts[0];
    await assignExpert(t.db, vn, expert.id);
    emails = { leader: made.teams[0].leader!.email, member: made.teams[0].members[0].email, expert: expert.email };
    const as = async (email: string) => {
      const a = agent(t.server);
      await signIn(a, email);
      return a;
    };
    const tasks: Record<string, Task> = {};
    const phaseId = made.phases[1].id;
    for (const [title, due, kind] of [
      ['Budget outline', '2024-10-24T16:00:00Z', 'team'],
      ['Policy brief', '2024-10-28T11:00:00Z', 'team'],
      ['Personal reflection', '2024-10-29T09:00:00Z', 'individual'],
      ['Action plan', '2024-11-15T09:00:00Z', 'team'],
    ] as const)
      tasks[title] = await createPublishedTask(t.db, { courseId, phaseId, title, position: Object.keys(tasks).length, dueAt: new Date(due), kind });
    const work = (task: string, team: number) => `/courses/${courseId}/tasks/${tasks[task].id}/submissions/team-${team}`;
    const share = async (a: Agent, task: string, team: number) => {
      const page = await a.get(work(task, team));
      await a
        .post(`${work(task, team)}/versions/1/share`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), shared: '1' });
    };
    const leader = await as(emails.leader);
    const ex = await as(emails.expert);
    await submitWork(leader, work('Action plan', de), { text: 'Our first plan', note: 'First draft for feedback' });
    await releaseReview(ex, work('Action plan', de), 'changes', 'Say who pays for each step.');
    await share(leader, 'Action plan', de);
    const kenya = await as(made.teams[1].leader!.email);
    await submitWork(kenya, work('Budget outline', ke), { text: 'Kenyan budget' });
    await share(kenya, 'Budget outline', ke);
    const viet = await as(made.teams[2].leader!.email);
    await submitWork(viet, work('Policy brief', vn), { text: 'Brief' });
    await submitWork(viet, work('Budget outline', vn), { text: 'Budget' });
    // The work happened over the past days, not in the test's second.
    const events = await t.db.repo(SubmissionEvent).find({ order: { id: 'ASC' } });
    await t.db.tx(async (em) => {
      for (const [i, e] of events.entries())
        await em.getRepository(SubmissionEvent).update({ id: e.id }, { at: new Date(NOW.getTime() - (events.length - i) * 7 * 3_600_000) });
      await em
        .getRepository(Submission)
        .createQueryBuilder()
        .update()
        .set({ updatedAt: new Date(NOW.getTime() - 40 * 3_600_000) })
        .execute();
      for (const v of await em.getRepository(SubmissionVersion).find())
        await em
          .getRepository(SubmissionVersion)
          .update(
            { id: v.id },
            { submittedAt: new Date(NOW.getTime() - 30 * 3_600_000 - v.id * 3_600_000), sharedAt: v.sharedAt && new Date(NOW.getTime() - 20 * 3_600_000) },
          );
      for (const [title, start, team] of [
        ['Germany with Anke Weber', '2024-10-28T09:00:00Z', de],
        ['Viet Nam with Anke Weber', '2024-10-26T08:00:00Z', vn],
      ] as const) {
        const m = await em.getRepository(Meeting).save(
          em.getRepository(Meeting).create({
            courseId,
            kind: 'expert_consultation',
            title,
            agenda: 'Our draft',
            onlineLink: null,
            startsAt: new Date(start),
            endsAt: new Date(new Date(start).getTime() + 30 * 60_000),
            hostId: expert.id,
            bookedBy: null,
            status: 'scheduled',
            sequence: 0,
            version: 1,
            createdAt: NOW,
            updatedAt: NOW,
          }),
        );
        await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: team });
      }
    });
    const form = await ex.get(`/courses/${courseId}/availability`);
    await ex
      .post(`/courses/${courseId}/availability`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        timeZone: 'Europe/Berlin',
        slotMinutes: '30',
        bufferMinutes: '15',
        minNoticeHours: '24',
        horizonDays: '30',
        maxPerTeam: '2',
        weekly1Day: '1',
        weekly1Start: '10:00',
        weekly1End: '12:00',
        weekly2Day: '3',
        weekly2Start: '14:00',
        weekly2End: '16:00',
        version: '0',
      });
  }, 120_000);

  afterAll(() => stopRig(rig));

  it('the leader sees the team panel and acts on feedback; a member sees the team view; on a phone too', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, base, emails.leader, TEST_PASSWORD);
    const main = await page.getByRole('main').innerText();
    expect(main).toContain('In-person week');
    expect(main).toContain('Budget outline — due in 10 hours');
    expect(main).toContain('Mon 28 Oct 12:00 Berlin · 19:00 Shanghai (venue)');
    await check(page, 'h1-leader-home');
    await page.getByRole('link', { name: 'Revise and resubmit Action plan' }).click();
    await page.waitForURL(/\/submissions\/team-\d+$/);
    await check(page, 'h2-leader-feedback');
    await context.close();

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p2 = await phone.newPage();
    trackDocuments(p2);
    await signInAs(p2, base, emails.member, TEST_PASSWORD);
    const memberView = await p2.getByRole('main').innerText();
    expect(memberView).toContain('your team leader hands in the next version');
    expect(memberView).not.toContain('Revise and resubmit');
    await check(p2, 'h3-member-home-phone');
    await phone.close();
  }, 60_000);

  it('the expert sees meetings, reviews with age, availability and the teams’ progress', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    trackDocuments(page);
    await signInAs(page, base, emails.expert, TEST_PASSWORD);
    const main = await page.getByRole('main').innerText();
    expect(main).toContain('2 submissions waiting');
    expect(main).toContain('Weekly, in your zone (Berlin): Mon 10:00–12:00, Wed 14:00–16:00');
    await check(page, 'h4-expert-home');
    await page.getByRole('link', { name: 'Viet Nam — Policy brief' }).click();
    await page.waitForURL(/\/submissions\/team-\d+$/);
    await check(page, 'h5-expert-review');
    await context.close();
  }, 60_000);

  itPassesTheNuChecker(5);
});
