import { Course } from '../src/courses/course.entity';
import { QUEUE_PAGE } from '../src/submissions/review-queue.service';
import { Submission, SubmissionVersion } from '../src/submissions/submission.entity';
import { Task, TaskTeam } from '../src/tasks/task.entity';
import { TeamMember } from '../src/teams/team-member.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { countQueries } from './utils/query-counter';
import { addMember, addStaff, assignExpert, createCourse, createTaskThroughApp, createTeam, createUser, signIn, submitWork } from './utils/factories';
import { type Agent, agent, submitForm, textOf } from './utils/http';

/** The review queue lists only what its links open: no titles of draft tasks or unpublished courses. */
describe('review queue', () => {
  let t: TestApp;
  const agents: Record<string, Agent> = {};

  async function course(title: string) {
    const { course, phases } = await createCourse(t.db, { title });
    const team = await createTeam(t.db, course.id);
    return { id: course.id, phase: phases[0].id, team: team.id };
  }

  /** A task created and published by the facilitator, then submitted by its owner. */
  async function submittedTask(c: { id: number; phase: number; team: number }, title: string, over: Record<string, string> = {}) {
    const kind = over.kind ?? 'team';
    const task = await createTaskThroughApp(t.db, agents.fac, c.id, { title, phaseId: String(c.phase), kind, instructions: 'Write it.', ...over });
    const owner = kind === 'team' ? `team-${c.team}` : `person-${ids.leader}`;
    const base = `/courses/${c.id}/tasks/${task.id}/submissions/${owner}`;
    await submitWork(agents.leader, base, { text: 'Our text' });
    return { task, base };
  }

  const ids: Record<string, number> = {};

  async function queue(who: string) {
    const html = (await agents[who].get('/reviews').expect(200)).text;
    const links = [...html.matchAll(/<a href="(\/courses\/\d+\/tasks\/\d+\/submissions\/[a-z]+-\d+)">/g)].map((m) => m[1]);
    return { text: textOf(html), links };
  }

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t.db, { role: 'admin' });
    const fac = await createUser(t.db, { role: 'facilitator' });
    const expert = await createUser(t.db, { role: 'expert' });
    const leader = await createUser(t.db);
    Object.assign(ids, { fac: fac.id, expert: expert.id, leader: leader.id });
    for (const [k, u] of Object.entries({ admin, fac, expert, leader })) {
      agents[k] = agent(t.server);
      await signIn(agents[k], u.email);
      await agents[k].get('/dashboard').expect(200); // the first page stores the session's CSRF token: a one-time write, not the page's
    }
  });
  afterAll(() => t.close());

  it('hides draft tasks and unpublished courses from experts, tasks no longer for the team from everyone; every link opens', async () => {
    const open = await course('Open workshop');
    const hidden = await course('Workshop taken back to draft');
    for (const c of [open, hidden]) {
      await addStaff(t.db, c.id, ids.fac, 'facilitator');
      await addStaff(t.db, c.id, ids.expert, 'expert');
      await assignExpert(t.db, c.team, ids.expert);
      await addMember(t.db, c.team, ids.leader, 'leader');
    }
    await submittedTask(open, 'Visible outline');
    const drafted = await submittedTask(open, 'Secret second draft');
    await submittedTask(open, 'Selected-team task', { audience: 'selected', teamIds: String(open.team) });
    await submittedTask(open, 'Personal reflection', { kind: 'individual' });
    await submittedTask(hidden, 'Outline in a hidden workshop');

    // Afterwards: one task back to draft, one workshop back to draft, one task no longer for the team,
    // and the author of the individual submission no longer in any team of the course.
    await submitForm(agents.fac, `/courses/${open.id}/tasks/${drafted.task.id}`, `/courses/${open.id}/tasks/${drafted.task.id}/status`, {
      status: 'draft',
      confirm: 'yes',
    });
    await t.db.tx((em) => em.getRepository(Course).update({ id: hidden.id }, { status: 'draft' }));
    const otherTeam = await createTeam(t.db, open.id, { country: 'KE', region: 'africa', timeZone: 'Africa/Nairobi' });
    const selected = await t.db.repo(Task).findOneByOrFail({ title: 'Selected-team task' });
    await t.db.tx(async (em) => {
      await em.getRepository(TaskTeam).delete({ taskId: selected.id });
      await em.getRepository(TaskTeam).save({ taskId: selected.id, teamId: otherTeam.id });
    });

    const expert = await queue('expert');
    expect(expert.text).toContain('Visible outline');
    expect(expert.text).not.toContain('Secret second draft');
    expect(expert.text).not.toContain('hidden workshop');
    expect(expert.text).not.toContain('Selected-team task');
    expect(expert.text).toContain('Personal reflection'); // a member's individual work on a team the expert advises

    const fac = await queue('fac');
    expect(fac.text).toContain('Visible outline');
    expect(fac.text).toContain('Secret second draft'); // facilitators open drafts of their own courses
    expect(fac.text).toContain('Outline in a hidden workshop');
    expect(fac.text).toContain('Personal reflection');
    expect(fac.text).not.toContain('Selected-team task');

    await t.db.tx((em) => em.getRepository(TeamMember).delete({ userId: ids.leader, teamId: open.team }));
    const facAfter = await queue('fac');
    expect(facAfter.text).not.toContain('Personal reflection');
    expect(facAfter.text).toContain('Visible outline'); // a team's work stays with the team
    const expertAfter = await queue('expert');
    expect(expertAfter.text).not.toContain('Personal reflection'); // its author left the team the expert advises

    for (const who of ['expert', 'fac', 'admin']) {
      const { links } = await queue(who);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect({ who, link, status: (await agents[who].get(link)).status }).toEqual({ who, link, status: 200 });
    }
  });
  it('costs the same number of queries with one waiting submission as with many, for the admin, a facilitator and an expert', async () => {
    const c = await course('Budget workshop');
    await t.db.tx((em) => em.getRepository(Course).update({ id: c.id }, { status: 'published' }));
    await addStaff(t.db, c.id, ids.fac, 'facilitator');
    await addStaff(t.db, c.id, ids.expert, 'expert');
    await assignExpert(t.db, c.team, ids.expert);
    await addMember(t.db, c.team, ids.leader, 'leader');
    const cost = (who: string) => countQueries(t.db, async () => void (await agents[who].get('/reviews').expect(200)));
    await submittedTask(c, 'Budget team 0');
    await submittedTask(c, 'Budget person 0', { kind: 'individual' });
    for (const who of ['admin', 'fac', 'expert']) await agents[who].get('/dashboard').expect(200); // clears the forms' flash messages (a session write)
    const few = { admin: await cost('admin'), fac: await cost('fac'), expert: await cost('expert') };
    for (let i = 1; i <= 4; i++) {
      await submittedTask(c, `Budget team ${i}`);
      await submittedTask(c, `Budget person ${i}`, { kind: 'individual' });
    }
    expect((await queue('fac')).text).toContain('Budget person 4');
    expect({ admin: await cost('admin'), fac: await cost('fac'), expert: await cost('expert') }).toEqual(few);
    for (const n of Object.values(few)) expect(n).toBeLessThanOrEqual(16);
  });

  it('lists the queue in pages of fifty, oldest first, the filter kept in the links; a page past the end shows the last', async () => {
    const c = await course('Paged workshop');
    await t.db.tx((em) => em.getRepository(Course).update({ id: c.id }, { status: 'published' }));
    await addStaff(t.db, c.id, ids.fac, 'facilitator');
    const task = await createTaskThroughApp(t.db, agents.fac, c.id, {
      title: 'Paged reflection',
      phaseId: String(c.phase),
      kind: 'individual',
      instructions: 'Reflect.',
    });
    // More people than a page holds hand in their reflection, a minute apart (written directly: the same rows handing in makes).
    const n = QUEUE_PAGE + 5;
    const at = (i: number) => new Date(Date.UTC(2024, 8, 10, 8, i));
    for (let i = 0; i < n; i++) {
      const person = await createUser(t.db, { name: `Paged person ${String(i).padStart(2, '0')}` });
      await addMember(t.db, c.team, person.id, 'member');
      await t.db.tx(async (em) => {
        const sub = await em.getRepository(Submission).save({
          taskId: task.id,
          ownerKey: `user:${person.id}`,
          teamId: null,
          userId: person.id,
          status: 'submitted',
          draftText: '',
          draftRevision: 1,
          draftUpdatedAt: null,
          draftUpdatedById: null,
          late: false,
          dueAtOverride: null,
          cutOffAtOverride: null,
          createdAt: at(i),
          updatedAt: at(i),
        });
        await em.getRepository(SubmissionVersion).save({
          submissionId: sub.id,
          number: 1,
          text: 'Reflection',
          note: '',
          authorId: person.id,
          submittedAt: at(i),
          late: false,
          sharedAt: null,
          sharedById: null,
        });
      });
    }
    const decoded = (html: string) => html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    const names = (html: string) => [...textOf(html).matchAll(/Paged person (\d\d)/g)].map((m) => Number(m[1]));
    const first = (await agents.fac.get(`/reviews?course=${c.id}`).expect(200)).text;
    expect(textOf(first)).toContain(`${n} submissions waiting for feedback, the longest-waiting first. Listed here: 1 to ${QUEUE_PAGE}.`);
    expect(names(first)).toEqual(Array.from({ length: QUEUE_PAGE }, (_, i) => i));
    expect(first).toContain('<nav class="pagination" aria-label="Pages">');
    expect(decoded(first)).toContain(`<a href="/reviews?course=${c.id}&page=2" rel="next">`);
    const second = (await agents.fac.get(`/reviews?course=${c.id}&page=2`).expect(200)).text;
    expect(textOf(second)).toContain(`Listed here: ${QUEUE_PAGE + 1} to ${n}.`);
    expect(names(second)).toEqual([50, 51, 52, 53, 54].map((i) => i - 50 + QUEUE_PAGE));
    expect(decoded(second)).toContain(`<a href="/reviews?course=${c.id}" rel="prev">`);
    expect(textOf(second)).toContain('Page 2 of 2');
    // Past the end (the queue shrank since the link was made): the last page. Not a number: the first.
    expect(names((await agents.fac.get(`/reviews?course=${c.id}&page=9`).expect(200)).text)).toEqual(names(second));
    expect(names((await agents.fac.get(`/reviews?course=${c.id}&page=x`).expect(200)).text)).toEqual(names(first));
    // One page: no pages named.
    const late = (await agents.fac.get(`/reviews?course=${c.id}&late=1`).expect(200)).text;
    expect(late).not.toContain('aria-label="Pages"');
    expect(textOf(late)).not.toContain('Listed here');
  });
});
