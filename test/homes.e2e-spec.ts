import { jest } from '@jest/globals';
import { Clock } from '../src/meetings/clock';
import { Meeting, MeetingPerson, MeetingTeam } from '../src/meetings/meeting.entity';
import { Submission } from '../src/submissions/submission.entity';
import type { Task } from '../src/tasks/task.entity';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { addStaff, assignExpert, createCourseWithTeams, createPublishedTask, createUser, KENYA, releaseReview, signIn, submitWork } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';
import { countQueries } from './utils/query-counter';

/**
 * Thu 24 Oct 2024, 08:00 in Berlin (summer time, UTC+2), 14:00 at the venue (Shanghai): the
 * in-person week (21–25 Oct) is under way. Berlin leaves summer time on Sun 27 Oct.
 */
const NOW = new Date('2024-10-24T06:00:00Z');
const at = (iso: string) => new Date(iso);

/** The expert (Berlin) meets on Fridays, Saturdays and Mondays 10:00–12:00, 30-minute slots. */
const AVAILABILITY = {
  timeZone: 'Europe/Berlin',
  slotMinutes: '30',
  bufferMinutes: '15',
  minNoticeHours: '24',
  horizonDays: '30',
  maxPerTeam: '',
  weekly1Day: '5',
  weekly1Start: '10:00',
  weekly1End: '12:00',
  weekly2Day: '6',
  weekly2Start: '10:00',
  weekly2End: '12:00',
  weekly3Day: '1',
  weekly3Start: '10:00',
  weekly3End: '12:00',
  version: '0',
};

/** The part of the page between a heading's id and the next heading of the same level or higher. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const rest = html.slice(start);
  const end = rest.slice(10).search(/<h[23] /);
  return textOf(end < 0 ? rest : rest.slice(0, end + 10));
}

describe(`the team and expert panels on the home page (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let courseId: number;
  let base: string;
  let germany: number;
  let kenya: number;
  let vietnam: number;
  let leader: User;
  let member: User;
  let kenyaLeader: User;
  let vietLeader: User;
  let expert: User;
  let kenyaExpert: User;
  let facilitator: User;
  let phaseIds: number[];
  const tasks: Record<string, Task> = {};
  const agents = new Map<number, Agent>();
  const as = async (u: User) => {
    if (!agents.has(u.id)) {
      const a = agent(t.server);
      await signIn(a, u.email);
      agents.set(u.id, a);
    }
    return agents.get(u.id)!;
  };
  const home = async (u: User) => (await (await as(u)).get('/dashboard').expect(200)).text;
  const work = (task: string, teamId: number) => `${base}/tasks/${tasks[task].id}/submissions/team-${teamId}`;
  const meeting = async (title: string, startsAt: string, teamId: number, hostId: number, status: 'scheduled' | 'cancelled' = 'scheduled') =>
    t.db.tx(async (em) => {
      const start = at(startsAt);
      const m = await em.getRepository(Meeting).save(
        em.getRepository(Meeting).create({
          courseId,
          kind: 'expert_consultation',
          title,
          agenda: '',
          onlineLink: null,
          startsAt: start,
          endsAt: new Date(start.getTime() + 30 * 60_000),
          hostId,
          bookedBy: null,
          status,
          sequence: 0,
          version: 1,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      );
      await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId });
      return m;
    });
  const share = async (a: Agent, task: string, teamId: number) => {
    const page = await a.get(work(task, teamId)).expect(200);
    await a
      .post(`${work(task, teamId)}/versions/1/share`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), shared: '1' })
      .expect(303);
  };

  beforeAll(async () => {
    t = await createTestApp();
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => NOW);
    const made = await createCourseWithTeams(t.db, {
      teams: [
        {
          team: { country: 'DE', region: 'europe', timeZone: 'Europe/Berlin' },
          leader: { name: 'Greta Lang', timeZone: 'Europe/Berlin' },
          members: [{ name: 'Jonas Roth', timeZone: 'Europe/Berlin' }],
          experts: [{ name: 'Anke Weber', timeZone: 'Europe/Berlin' }],
        },
        { team: KENYA, leader: { name: 'Wanjiru Otieno' }, experts: [{ name: 'Kofi Mensah' }] },
        { team: { country: 'VN', timeZone: 'Asia/Ho_Chi_Minh' }, leader: { name: 'Lan Nguyen' } },
      ],
    });
    courseId = made.course.id;
    base = `/courses/${courseId}`;
    facilitator = made.facilitator;
    [germany, kenya, vietnam] = made.teams.map((x) => x.team.id);
    leader = made.teams[0].leader!;
    [member] = made.teams[0].members;
    [expert] = made.teams[0].experts;
    kenyaLeader = made.teams[1].leader!;
    [kenyaExpert] = made.teams[1].experts;
    vietLeader = made.teams[2].leader!;
    await assignExpert(t.db, vietnam, expert.id);

    phaseIds = made.phases.map((p) => p.id);
    const phaseId = phaseIds[1];
    const mk = async (title: string, dueAt: string, over: Partial<Task> = {}) =>
      (tasks[title] = await createPublishedTask(t.db, { courseId, phaseId, title, position: Object.keys(tasks).length, dueAt: at(dueAt), ...over }));
    await mk('Budget', '2024-10-22T09:00:00Z'); // overdue for everyone who has not handed it in
    await mk('Policy brief', '2024-10-28T11:00:00Z'); // Mon 28 Oct 12:00 Berlin (winter time) = 19:00 Shanghai
    await mk('Country context', '2024-10-25T09:00:00Z'); // extended for Germany to Wed 30 Oct
    await mk('Action plan', '2099-01-01T09:00:00Z');
    await mk('Reflection', '2024-10-29T09:00:00Z', { kind: 'individual' });

    const fac = await as(facilitator);
    const ext = await fac.get(work('Country context', germany)).expect(200);
    await fac
      .post(`${work('Country context', germany)}/extension`)
      .type('form')
      .send({ _csrf: csrfFrom(ext.text), dueDay: '2024-10-30', dueTime: '17:00', cutOffDay: '', cutOffTime: '' })
      .expect(303);

    // Germany: the action plan handed in, changes requested by their expert, and shared.
    await submitWork(await as(leader), work('Action plan', germany), { text: 'Our plan', note: 'first go' });
    await releaseReview(await as(expert), work('Action plan', germany), 'changes', 'Say who pays.');
    await share(await as(leader), 'Action plan', germany);
    // Kenya: the budget shared; the policy brief handed in, not shared.
    await submitWork(await as(kenyaLeader), work('Budget', kenya), { text: 'Kenyan budget' });
    await share(await as(kenyaLeader), 'Budget', kenya);
    await submitWork(await as(kenyaLeader), work('Policy brief', kenya), { text: 'Kenyan brief, not shared' });
    // Viet Nam (advised by Germany's expert too): the policy brief accepted, the country context waiting.
    await submitWork(await as(vietLeader), work('Policy brief', vietnam), { text: 'Brief' });
    await releaseReview(await as(expert), work('Policy brief', vietnam), 'accept', 'Good.');
    await submitWork(await as(vietLeader), work('Country context', vietnam), { text: 'Context' });

    await meeting('Germany with Anke Weber', '2024-10-28T09:00:00Z', germany, expert.id); // Mon 10:00 Berlin
    await meeting('Germany, called off', '2024-10-29T09:00:00Z', germany, expert.id, 'cancelled');
    await meeting('Germany, last week', '2024-10-17T09:00:00Z', germany, expert.id);
    await meeting('Kenya with Kofi Mensah', '2024-10-25T07:00:00Z', kenya, kenyaExpert.id);
    // Hosted by Kenya's expert, with Germany's expert taking part as a guest: one of her meetings too.
    const joined = await meeting('Kenya’s exchange with a guest', '2024-10-30T09:00:00Z', kenya, kenyaExpert.id);
    await t.db.tx((em) => em.getRepository(MeetingPerson).insert({ meetingId: joined.id, userId: expert.id, role: 'expert' }));

    const ex = await as(expert);
    const page = await ex.get(`${base}/availability`).expect(200);
    await ex
      .post(`${base}/availability`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...AVAILABILITY })
      .expect(303);
  }, 120_000);
  afterAll(() => t.close());

  it('shows the team leader the phase and the days left, in the team’s zone', async () => {
    const text = textOf(await home(leader));
    expect(text).toContain('In-person week (In person, 21 Oct 2024 – 25 Oct 2024): 1 day left , ends Fri 25 Oct 2024.');
    expect(text).toContain('You lead this team.');
    expect(text).toContain('Times are shown in the team’s zone (Berlin) and the venue’s (Shanghai).');
  });

  it('lists the next deadlines soonest first, overdue first, with each owner’s extension, in the team’s zone and the venue’s across the change from summer time', async () => {
    const list = section(await home(leader), `dl-${germany}`);
    const order = ['Budget', 'Policy brief', 'Reflection', 'Country context'].map((x) => list.indexOf(x));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(list).not.toContain('Action plan'); // handed in: feedback, not a deadline
    expect(list).toContain('Budget — overdue by 1 day 21 hours');
    expect(list).toContain('Tue 22 Oct 11:00 Berlin · 17:00 Shanghai (venue)');
    // 28 Oct 11:00 UTC is 12:00 in Berlin after the change (UTC+1), 19:00 in Shanghai; 4 days 5 hours of elapsed time from now.
    expect(list).toContain('Policy brief — due in 4 days 5 hours');
    expect(list).toContain('Mon 28 Oct 12:00 Berlin · 19:00 Shanghai (venue)');
    // The extension: 17:00 Shanghai on 30 Oct, 10:00 in Berlin.
    expect(list).toContain('Country context — due in 6 days 3 hours extended');
    expect(list).toContain('Wed 30 Oct 10:00 Berlin · 17:00 Shanghai (venue)');
    expect(list).toContain('Reflection (your own)');
  });

  it('gives the leader the feedback to act on, with the action; a member sees the deadlines but not the team’s feedback', async () => {
    const leaderHome = await home(leader);
    const fb = section(leaderHome, `fb-${germany}`);
    expect(fb).toContain('Action plan : changes requested');
    expect(fb).toContain('due in 27097 days 3 hours — Thu 1 Jan 2099 10:00 Berlin · 17:00 Shanghai (venue)');
    expect(leaderHome).toContain(`<a href="${work('Action plan', germany)}" class="button button--small">Revise and resubmit`);
    expect(fb).not.toContain('Policy brief');
    const memberHome = await home(member);
    expect(memberHome).toContain(`id="dl-${germany}"`);
    expect(section(memberHome, `fb-${germany}`)).toContain('Feedback asks for changes to Action plan : your team leader hands in the next version.');
    expect(textOf(memberHome)).not.toContain('You lead this team.');
    expect(memberHome).not.toContain('Revise and resubmit');
    expect(section(memberHome, `dl-${germany}`)).toContain('Policy brief — due in 4 days 5 hours');
  });

  it('says how long the feedback has waited from when changes were requested, whatever the team did to the draft since', async () => {
    const key = { taskId: tasks['Action plan'].id, ownerKey: `team:${germany}` };
    const before = await t.db.repo(Submission).findOneByOrFail(key);
    expect(before.status).toBe('changes_requested');
    expect(before.statusChangedAt).not.toBeNull(); // set by the workflow step
    // Saving the draft after the feedback moves the row's last change, not the status's.
    const a = await as(leader);
    const page = await a.get(work('Action plan', germany)).expect(200);
    const revision = /name="revision" value="(\d+)"/.exec(page.text)![1];
    await a
      .post(`${work('Action plan', germany)}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: 'Working on the budget', revision, action: 'save' })
      .expect(303);
    const saved = await t.db.repo(Submission).findOneByOrFail(key);
    expect(saved.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(saved.statusChangedAt).toEqual(before.statusChangedAt);
    // On the home's clock: changes requested three days ago, the draft saved an hour ago.
    await t.db.tx((em) =>
      em.getRepository(Submission).update(key, { statusChangedAt: new Date(NOW.getTime() - 3 * 86_400_000), updatedAt: new Date(NOW.getTime() - 3_600_000) }),
    );
    expect(textOf(section(await home(leader), `fb-${germany}`))).toContain('Action plan : changes requested 3 days ago.');
  });

  it('lists only the team’s upcoming meetings, not cancelled or past ones, in local time', async () => {
    const list = section(await home(leader), `mt-${germany}`);
    expect(list).toContain('Germany with Anke Weber');
    expect(list).toContain('Mon 28 Oct 2024, 10:00–10:30 Berlin');
    expect(list).not.toContain('called off');
    expect(list).not.toContain('last week');
    expect(list).not.toContain('Kofi');
    expect(list).toContain('Book an expert');
    expect(section(await home(member), `mt-${germany}`)).not.toContain('Book an expert');
  });

  it('shows the team’s own recent activity, never another team’s', async () => {
    const list = section(await home(leader), `ac-${germany}`);
    expect(list).toContain('Action plan : Submitted (version 1) — Greta Lang');
    expect(list).toContain('Action plan : Changes requested — Anke Weber');
    expect(list).toContain('Version 1 shared with the other teams (gallery)');
    expect(list).toContain('Country context : Extension granted');
    expect(list).not.toContain('Budget');
    expect(list).not.toContain('Accepted');
    expect(list).not.toContain('Policy brief');
  });

  it('shows what the team shared and what other teams shared, never unshared work', async () => {
    const list = section(await home(leader), `gl-${germany}`);
    const [ours, others] = list.split('By other teams');
    expect(ours).toContain('Action plan, version 1');
    expect(others).toContain('Budget, version 1 — Kenya');
    expect(others).not.toContain('Action plan');
    expect(list).not.toContain('Policy brief');
  });

  it('shows each team only its own panel', async () => {
    const kenyan = await home(kenyaLeader);
    expect(kenyan).toContain(`id="team-${kenya}"`);
    expect(kenyan).not.toContain(`id="team-${germany}"`);
    expect(section(kenyan, `gl-${kenya}`).split('By other teams')[1]).toContain('Action plan, version 1 — Germany');
    expect(section(kenyan, `mt-${kenya}`)).toContain('Kenya with Kofi Mensah');
    expect(section(kenyan, `mt-${kenya}`)).not.toContain('Anke');
    expect(section(kenyan, `ac-${kenya}`)).not.toContain('Action plan');
    for (const u of [facilitator, await createUser(t.db, { role: 'admin' })]) {
      const page = await home(u);
      expect(page).not.toContain('class="card panel"');
    }
  });

  it('shows the expert their meetings, the reviews assigned to them with age, their availability and their teams’ progress', async () => {
    const page = await home(expert);
    expect(page).not.toContain(`id="team-${germany}"`);
    const meetings = section(page, `exm-${courseId}`);
    expect(meetings).toContain('Germany with Anke Weber');
    // A meeting she takes part in without hosting it is hers too, in time order.
    expect(meetings).toContain('Kenya’s exchange with a guest');
    expect(meetings.indexOf('Germany with Anke Weber')).toBeLessThan(meetings.indexOf('Kenya’s exchange with a guest'));
    expect(meetings).not.toContain('Kofi');
    expect(meetings).not.toContain('called off');
    const reviews = section(page, `exr-${courseId}`);
    expect(reviews).toContain('1 submission waiting');
    expect(reviews).toContain('Viet Nam — Country context');
    expect(reviews).not.toContain('Kenya');
    const avail = section(page, `exa-${courseId}`);
    expect(avail).toContain('Weekly, in your zone (Berlin): Mon 10:00–12:00, Fri 10:00–12:00, Sat 10:00–12:00. Meetings of 30 minutes.');
    // The free slots are the ones a leader is offered on the booking page (the Monday 10:00 one is taken).
    const booking = await (await as(leader)).get(`${base}/meetings/book?expert=${expert.id}`).expect(200);
    const offered = (booking.text.match(/name="slot"/g) ?? []).length;
    expect(offered).toBeGreaterThan(0);
    expect(avail).toContain(`${offered} free slots to book now; the first Sat 26 Oct 2024 10:00 Berlin`);
    const teams = section(page, `ext-${courseId}`);
    expect(teams.indexOf('Germany')).toBeLessThan(teams.indexOf('Viet Nam'));
    expect(teams).not.toContain('Kenya');
    const [de, vn] = teams.split('Viet Nam');
    expect(de).toContain('0 of 4 team tasks accepted');
    expect(de).toContain('0 waiting for review · 1 with changes requested · 3 not handed in · 1 overdue');
    expect(vn).toContain('1 of 4 team tasks accepted');
    expect(vn).toContain('1 waiting for review · 0 with changes requested · 2 not handed in · 1 overdue');
    const kofi = await home(kenyaExpert);
    expect(section(kofi, `ext-${courseId}`)).toContain('Kenya');
    expect(section(kofi, `ext-${courseId}`)).not.toContain('Germany');
    expect(section(kofi, `exr-${courseId}`)).toContain('Kenya — Policy brief');
    expect(section(kofi, `exa-${courseId}`)).toContain('You have not published when you can meet yet');
  });

  it('costs the same number of queries with many more tasks, versions and meetings', async () => {
    // One page first: a flash message left by the work above is a one-time session write, not the page's.
    const cost = async (u: User) => {
      await (await as(u)).get('/dashboard').expect(200);
      return countQueries(t.db, async () => void (await (await as(u)).get('/dashboard').expect(200)));
    };
    const small = { leader: await cost(leader), expert: await cost(expert), member: await cost(member) };
    for (let i = 0; i < 12; i++) {
      const title = `Extra ${i}`;
      tasks[title] = await createPublishedTask(t.db, { courseId, phaseId: phaseIds[2], title, position: 10 + i, dueAt: at('2024-11-20T09:00:00Z') });
      await meeting(`Extra meeting ${i}`, `2024-11-${String(4 + i).padStart(2, '0')}T09:00:00Z`, germany, expert.id);
    }
    for (let i = 0; i < 4; i++) {
      await submitWork(await as(leader), work(`Extra ${i}`, germany), { text: `v ${i}` });
      await submitWork(await as(vietLeader), work(`Extra ${i}`, vietnam), { text: `v ${i}` });
      await share(await as(vietLeader), `Extra ${i}`, vietnam);
    }
    const large = { leader: await cost(leader), expert: await cost(expert), member: await cost(member) };
    expect(large).toEqual(small);
    if (process.env.PRINT_QUERY_COSTS) console.log(JSON.stringify(small));
    expect(small.leader).toBeLessThanOrEqual(23);
    expect(small.expert).toBeLessThanOrEqual(31);
  }, 120_000);

  it('counts an extended team task as not overdue in the expert’s progress, and lists in each panel only that workshop’s reviews', async () => {
    // Germany's budget (overdue since 22 Oct) extended to 30 Oct: no longer overdue for Germany, still for Viet Nam.
    const fac = await as(facilitator);
    const ext = await fac.get(work('Budget', germany)).expect(200);
    await fac
      .post(`${work('Budget', germany)}/extension`)
      .type('form')
      .send({ _csrf: csrfFrom(ext.text), dueDay: '2024-10-30', dueTime: '17:00', cutOffDay: '', cutOffTime: '' })
      .expect(303);
    // The expert also accompanies a team of a second workshop, whose work waits for them.
    const other = await createCourseWithTeams(t.db, {
      course: { title: 'Second workshop', startsOn: '2024-09-01', endsOn: '2025-06-30' },
      teams: [{ team: KENYA, leader: { name: 'Amani Njoroge' } }],
    });
    await addStaff(t.db, other.course.id, expert.id, 'expert');
    await assignExpert(t.db, other.teams[0].team.id, expert.id);
    const otherTask = await createPublishedTask(t.db, {
      courseId: other.course.id,
      phaseId: other.phases[1].id,
      title: 'Second budget',
      position: 0,
      dueAt: at('2024-11-20T09:00:00Z'),
    });
    await submitWork(await as(other.teams[0].leader!), `/courses/${other.course.id}/tasks/${otherTask.id}/submissions/team-${other.teams[0].team.id}`, {
      text: 'Budget',
    });

    const page = await home(expert);
    const [de, vn] = section(page, `ext-${courseId}`).split('Viet Nam');
    // (The tasks added above to count queries are due in November.)
    expect(de).toContain('1 with changes requested');
    expect(de).not.toContain('overdue');
    expect(vn).toContain('· 1 overdue');
    const reviews = section(page, `exr-${courseId}`);
    expect(reviews).toContain('9 submissions waiting'); // Viet Nam's country context and the extra tasks' work
    expect(reviews).not.toContain('Second budget');
    const second = section(page, `exr-${other.course.id}`);
    expect(second).toContain('1 submission waiting');
    expect(second).toContain('Kenya — Second budget');
    expect(second).not.toContain('Country context');
    expect(section(page, 'c-reviews')).toContain('10 submissions waiting for your feedback.');
  });
});
