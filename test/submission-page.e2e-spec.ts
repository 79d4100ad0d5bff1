import { Review, Submission, SubmissionVersion } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, createCourseWithTeams, createPublishedTask, createUser, KENYA, releaseReview, signedIn, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';

/**
 * The team's submission page and the review loop as people use them: nothing typed is lost,
 * feedback comes first, everyone sees the statuses that concern them, any two versions compare,
 * and odd addresses still give a page.
 */
describe('the submission page as people use it', () => {
  let t: TestApp;
  let fac: Agent;
  let leader: Agent;
  let member: Agent;
  let expert: Agent;
  let admin: Agent;
  let courseId: number;
  let phaseId: number;
  let teamId: number;
  let otherTeamId: number;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, {
      facilitator: { name: 'Chen Jing' },
      teams: [
        { team: { country: 'VN' }, leader: { name: 'Lan (leader)' }, members: [{ name: 'Minh (member)' }], experts: [{ name: 'Raúl Valdés' }] },
        { team: KENYA, leader: { name: 'Wanjiru' } },
      ],
    });
    courseId = course.id;
    phaseId = phases[0].id;
    const [team, other] = teams;
    teamId = team.team.id;
    otherTeamId = other.team.id;
    const a = await createUser(t.db, { role: 'admin', name: 'Mariam' });
    fac = await signedIn(t.server, facilitator);
    leader = await signedIn(t.server, team.leader!);
    member = await signedIn(t.server, team.members[0]);
    expert = await signedIn(t.server, team.experts[0]);
    admin = await signedIn(t.server, a);
  });
  afterAll(() => t.close());

  /** A published team task; times in hours from now. */
  async function mkTask(over: { dueH?: number; cutOffH?: number | null; expectsFiles?: boolean } = {}) {
    const now = Date.now();
    const h = (x: number) => new Date(now + x * 3600_000);
    const task = await createPublishedTask(t.db, {
      courseId,
      phaseId,
      position: ++n,
      title: `Task ${n}`,
      opensAt: h(-100),
      dueAt: h(over.dueH ?? 24 * 365),
      cutOffAt: over.cutOffH == null ? null : h(over.cutOffH),
      expectsFiles: over.expectsFiles ?? false,
      allowedTypes: over.expectsFiles ? 'pdf' : '',
      maxFiles: over.expectsFiles ? 2 : 0,
    });
    return { task, url: `/courses/${courseId}/tasks/${task.id}/submissions/team-${teamId}` };
  }
  const subOf = (taskId: number) => t.db.repo(Submission).findOneBy({ taskId, ownerKey: `team:${teamId}` });
  const revisionIn = (html: string) => html.match(/name="revision" value="(\d+)"/)![1];
  /** The <form> that holds the draft's text area. */
  const draftForm = (html: string) => html.match(/<form[^>]*>(?:(?!<\/form>)[\s\S])*name="text"[\s\S]*?<\/form>/)?.[0] ?? '';
  const textareaValue = (html: string) => html.match(/<textarea id="f-text" name="text"[^>]*>([\s\S]*?)<\/textarea>/)?.[1] ?? null;

  async function save(a: Agent, url: string, text: string) {
    const page = await a.get(url).expect(200);
    return a
      .post(`${url}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text, revision: revisionIn(page.text), action: 'save' });
  }
  async function submitTyped(url: string, text: string, note = '') {
    const page = await leader.get(url).expect(200);
    return leader
      .post(`${url}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text, note, revision: revisionIn(page.text), action: 'submit' });
  }
  const release = (url: string, decision: 'changes' | 'accept', overall: string) => releaseReview(fac, url, decision, overall);

  describe('nothing typed is lost (one form: save or submit what is in the editor)', () => {
    it('the leader’s editor and “Submit this version” are one form; a member gets save and preview only', async () => {
      const { url } = await mkTask();
      const form = draftForm((await leader.get(url).expect(200)).text);
      expect(form).toContain('value="save"');
      expect(form).toContain('value="submit"');
      expect(form).toContain('Submit this version');
      expect(form).toContain('name="note"');
      const memberForm = draftForm((await member.get(url).expect(200)).text);
      expect(memberForm).toContain('value="save"');
      expect(memberForm).not.toContain('value="submit"');
    });

    it('“Submit this version” freezes the text typed in the editor, even when it was never saved', async () => {
      const { task, url } = await mkTask();
      await save(member, url, 'Old saved text').then((r) => expect(r.status).toBe(303));
      const res = await submitTyped(url, '# Outline\n\nTyped just now, never saved.', 'First outline');
      expect(res.status).toBe(303);
      const s = (await subOf(task.id))!;
      const v = await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: s.id, number: 1 });
      expect(v.text).toBe('# Outline\n\nTyped just now, never saved.');
      expect(v.note).toBe('First outline');
      expect(s).toMatchObject({ status: 'submitted', draftText: '# Outline\n\nTyped just now, never saved.' });
    });

    it('a preview keeps the text, and its Submit submits what is in the editor', async () => {
      const { task, url } = await mkTask();
      const page = await leader.get(url);
      const preview = await leader
        .post(`${url}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), text: '**Preview me**', note: 'via preview', revision: revisionIn(page.text), action: 'preview' });
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('<strong>Preview me</strong>');
      const form = draftForm(preview.text);
      expect(textareaValue(form)).toBe('**Preview me**');
      expect(form).toContain('value="submit"');
      expect(form).toContain('via preview</textarea>');
      const res = await leader
        .post(`${url}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(preview.text), text: '**Preview me**', note: 'via preview', revision: revisionIn(form), action: 'submit' });
      expect(res.status).toBe(303);
      expect((await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: (await subOf(task.id))!.id, number: 1 })).text).toBe('**Preview me**');
    });

    it('a refused submit (waiting for review, closed, empty, too long) comes back with the typed text and note; nothing is saved', async () => {
      const { task, url } = await mkTask();
      await submitTyped(url, 'Version one', '').then((r) => expect(r.status).toBe(303));
      const waiting = await submitTyped(url, 'More words typed after submitting', 'my note');
      expect(waiting.status).toBe(422);
      expect(textOf(waiting.text)).toContain('Already submitted as version 1');
      expect(textareaValue(waiting.text)).toBe('More words typed after submitting');
      expect(waiting.text).toContain('my note</textarea>');
      expect((await subOf(task.id))!.draftText).toBe('Version one');
      expect(await t.db.repo(SubmissionVersion).countBy({ submissionId: (await subOf(task.id))!.id })).toBe(1);

      const closed = await mkTask({ dueH: -48, cutOffH: -24 });
      const pc = await leader.get(closed.url);
      const refused = await leader
        .post(`${closed.url}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(pc.text), text: 'Typed on a closed task', note: '', revision: '0', action: 'submit' });
      expect(refused.status).toBe(422);
      expect(textOf(refused.text)).toContain('The cut-off for this task has passed');
      expect(textareaValue(refused.text)).toBe('Typed on a closed task');
      const savedClosed = await leader
        .post(`${closed.url}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(pc.text), text: 'Saved on a closed task', revision: '0', action: 'save' });
      expect(savedClosed.status).toBe(422);
      expect(textareaValue(savedClosed.text)).toBe('Saved on a closed task');

      const empty = await mkTask();
      const empt = await submitTyped(empty.url, '   ', 'note kept');
      expect(empt.status).toBe(422);
      expect(textOf(empt.text)).toContain('The draft is empty');
      expect(empt.text).toContain('note kept</textarea>');
      expect(await subOf(empty.task.id).then((s) => s?.status ?? 'not_started')).toBe('not_started');

      const long = await mkTask();
      const tooLong = await submitTyped(long.url, 'x'.repeat(200_001));
      expect(tooLong.status).toBe(422);
      expect(textOf(tooLong.text)).toContain('longer than 200,000 characters');
      expect(textareaValue(tooLong.text)?.length).toBe(200_001);
    });

    it('a long draft (150,000 characters, more than the general form limit) is saved', async () => {
      const { task, url } = await mkTask();
      const text = 'Lifelong learning for all. '.repeat(5600).slice(0, 150_000);
      const res = await save(leader, url, text);
      expect(res.status).toBe(303);
      expect((await subOf(task.id))!.draftText).toHaveLength(150_000);
    });

    it('a submit after someone else saved shows both texts and keeps the typed text and note, ready to submit', async () => {
      const { task, url } = await mkTask();
      await save(member, url, 'Minh’s first words').then((r) => expect(r.status).toBe(303));
      const stale = await leader.get(url);
      await save(member, url, 'Minh saved again').then((r) => expect(r.status).toBe(303));
      const res = await leader
        .post(`${url}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(stale.text), text: 'Lan’s final words', note: 'Please review', revision: revisionIn(stale.text), action: 'submit' });
      expect(res.status).toBe(409);
      const shown = textOf(res.text);
      expect(shown).toContain('Minh saved again');
      expect(shown).toContain('Lan’s final words');
      expect(res.text).toContain('Please review</textarea>');
      expect(res.text).toContain('value="submit"');
      expect((await subOf(task.id))!.status).toBe('draft');
      const again = await leader
        .post(`${url}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(res.text), text: 'Lan’s final words', note: 'Please review', revision: revisionIn(res.text), action: 'submit' });
      expect(again.status).toBe(303);
      expect((await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: (await subOf(task.id))!.id, number: 1 })).text).toBe('Lan’s final words');
    });
  });

  describe('scripts save through the same revision-checked save (JSON)', () => {
    it('answers JSON with the new revision, and 409 JSON on a conflict', async () => {
      const { task, url } = await mkTask();
      const page = await member.get(url);
      const ok = await member
        .post(`${url}/draft`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), text: 'Autosaved words', revision: '0', action: 'save' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ saved: true, revision: 1 });
      expect(typeof ok.body.savedAt).toBe('string');
      expect((await subOf(task.id))!.draftText).toBe('Autosaved words');
      const stale = await member
        .post(`${url}/draft`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), text: 'Old tab', revision: '0', action: 'save' });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ saved: false, conflict: true });
      expect(stale.body.message).toContain('Someone else saved');
      expect((await subOf(task.id))!.draftText).toBe('Autosaved words');
      const header = await member
        .post(`${url}/draft`)
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', csrfFrom(page.text))
        .type('form')
        .send({ text: 'With the header token', revision: '1', action: 'save' });
      expect(header.status).toBe(200);
      const noToken = await member
        .post(`${url}/draft`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ text: 'No token', revision: '2', action: 'save' });
      expect(noToken.status).toBe(403);
      expect(noToken.headers['content-type']).toContain('json');
      const submitByScript = await member
        .post(`${url}/draft`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), text: 'x', revision: '2', action: 'submit' });
      expect(submitByScript.status).toBe(422);
      expect((await subOf(task.id))!.status).toBe('draft');
      // Another team's draft: 404 as JSON, nothing saved.
      const stranger = agent(t.server);
      await signIn(
        stranger,
        (
          await createUser(t.db, { name: 'Kenyan member' }).then(async (u) => {
            await addMember(t.db, otherTeamId, u.id, 'member');
            return u;
          })
        ).email,
      );
      const foreign = await stranger
        .post(`${url}/draft`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: csrfFrom((await stranger.get('/account')).text), text: 'Overwritten?', revision: '2', action: 'save' });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toMatchObject({ statusCode: 404 });
      expect((await subOf(task.id))!.draftText).toBe('With the header token');
    });
  });

  describe('feedback comes first', () => {
    it('with feedback waiting, a summary at the top gives the decision, what it asks for and a link to the full feedback', async () => {
      const { url } = await mkTask();
      await submitTyped(url, 'First version', '').then((r) => expect(r.status).toBe(303));
      const before = (await leader.get(url)).text;
      expect(before).not.toContain('id="feedback-summary"');
      await release(url, 'changes', 'Please add a **budget** and who is responsible.');
      const html = (await leader.get(url)).text;
      const top = html.indexOf('id="feedback-summary"');
      expect(top).toBeGreaterThan(-1);
      expect(top).toBeLessThan(html.indexOf('id="draft-heading"'));
      expect(top).toBeLessThan(html.indexOf('Instructions'));
      const box = html.slice(top, html.indexOf('</section>', top));
      expect(textOf(box)).toContain('Changes requested');
      expect(textOf(box)).toContain('Chen Jing');
      expect(box).toContain('<strong>budget</strong>');
      const review = await t.db.repo(Review).findOneByOrFail({ overall: 'Please add a **budget** and who is responsible.' });
      expect(box).toContain(`href="#review-${review.id}"`);
      expect(html).toContain(`id="review-${review.id}"`);
    });
  });

  describe('course home', () => {
    it('shows the team’s own due date (an extension counts) and marks late and overdue work', async () => {
      const extended = await mkTask({ dueH: -48, cutOffH: -24 });
      const fp = await fac.get(extended.url);
      const day = new Date(Date.now() + 72 * 3600_000).toISOString().slice(0, 10);
      await fac
        .post(`${extended.url}/extension`)
        .type('form')
        .send({ _csrf: csrfFrom(fp.text), dueDay: day, dueTime: '17:00', cutOffDay: '', cutOffTime: '' })
        .expect(303);
      const due = (await subOf(extended.task.id))!.dueAtOverride!;
      const late = await mkTask({ dueH: -2, cutOffH: 48 });
      await submitTyped(late.url, 'Late but in', '').then((r) => expect(r.status).toBe(303));
      const overdue = await mkTask({ dueH: -2, cutOffH: 48 });

      const home = (await leader.get(`/courses/${courseId}`).expect(200)).text;
      const item = (title: string) => home.match(new RegExp(`<li[^>]*>(?:(?!</li>)[\\s\\S])*${title}</a>[\\s\\S]*?</li>`))?.[0] ?? '';
      expect(item(extended.task.title)).toContain(`datetime="${due.toISOString()}"`);
      expect(textOf(item(extended.task.title))).toContain('extended');
      expect(textOf(item(late.task.title))).toMatch(/Submitted.*late/);
      expect(textOf(item(overdue.task.title))).toContain('overdue');
    });

    it('an expert sees the status of each team they accompany; a facilitator sees every team', async () => {
      const { task, url } = await mkTask();
      await submitTyped(url, 'For the expert', '').then((r) => expect(r.status).toBe(303));
      const forExpert = textOf((await expert.get(`/courses/${courseId}`).expect(200)).text);
      expect(forExpert).toMatch(new RegExp(`${task.title}.*Viet Nam : Submitted`));
      expect(forExpert).not.toContain('Kenya');
      const forFac = (await fac.get(`/courses/${courseId}`).expect(200)).text;
      expect(textOf(forFac)).toMatch(new RegExp(`${task.title}.*Kenya : Not started.*Viet Nam : Submitted`));
      expect(forFac).toContain(`href="${url}"`);
      expect(forFac).toContain(`href="/courses/${courseId}/tasks/${task.id}/submissions/team-${otherTeamId}"`);
    });
  });

  describe('compare any two versions', () => {
    it('chooses the versions in a GET form and shows the compared text as written, headings and lists, with word marks', async () => {
      const { url } = await mkTask();
      const texts = [
        '# Vision\n\nEvery citizen learns.\n\n- centres\n- recognition <script>alert(1)</script>',
        '# Vision\n\nEvery citizen learns throughout life.\n\n- centres\n- recognition',
        '# Vision\n\nEvery citizen learns throughout life.\n\n## Budget\n\n- centres\n- recognition\n- **funding**',
      ];
      for (const [i, text] of texts.entries()) {
        await submitTyped(url, text, '').then((r) => expect(r.status).toBe(303));
        if (i < texts.length - 1) await release(url, 'changes', 'More please.');
      }
      const page = (await leader.get(url)).text;
      const form = page.match(/<form method="get" action="[^"]*\/compare"[\s\S]*?<\/form>/)?.[0] ?? '';
      expect(form).toMatch(/<select[^>]*name="from"/);
      expect(form).toMatch(/<select[^>]*name="to"/);
      for (const v of ['1', '2', '3']) expect(form).toContain(`value="${v}"`);

      const res = await leader.get(`${url}/compare?from=1&to=3`).expect(200);
      expect(res.text).not.toMatch(/#\s*Vision|##\s*Budget|- centres/);
      expect(res.text).toMatch(/<h\d[^>]*>Vision<\/h\d>/);
      expect(res.text).toMatch(/<h\d[^>]*><ins>(<span class="visually-hidden">[^<]*<\/span>)?Budget/);
      expect(res.text).toMatch(/<li>centres<\/li>/);
      expect(res.text).toMatch(/<ins>(<span class="visually-hidden">[^<]*<\/span>)?throughout/);
      expect(res.text).toMatch(/<strong><ins>(<span class="visually-hidden">[^<]*<\/span>)?funding/);
      expect(res.text).toMatch(/<del>(<span class="visually-hidden">[^<]*<\/span>)?\s*&lt;script&gt;alert/);
      expect(res.text).not.toContain('<script>alert');
      const again = res.text.match(/<form method="get"[\s\S]*?<\/form>/)?.[0] ?? '';
      expect(again).toMatch(/<option value="1" selected>/);
      expect(again).toMatch(/<select[^>]*name="to"[\s\S]*<option value="3" selected>/);
    });
  });

  describe('odd addresses still give a page', () => {
    it('the review queue explains a team or task in the address that has nothing waiting, keeps it chosen, and offers only what waits', async () => {
      const { task, url } = await mkTask();
      await submitTyped(url, 'Waiting', '').then((r) => expect(r.status).toBe(303));
      const res = await expert.get('/reviews?team=99999999&task=88888888').expect(200);
      const text = textOf(res.text);
      expect(text).toContain('Nothing is waiting for your feedback from the task or team chosen in the address.');
      expect(res.text).toContain('<a href="/reviews">Show everything waiting</a>');
      expect(res.text).toContain('<option value="99999999" selected>The one in the address (nothing waiting)</option>');
      expect(res.text).not.toContain(`href="${url}"`);
      const all = await expert.get('/reviews').expect(200);
      expect(all.text).toContain(`href="${url}"`);
      expect(all.text).toContain(`<option value="${task.id}" >${task.title}</option>`);
      const own = await fac.get(`/reviews?team=${otherTeamId}`).expect(200);
      expect(textOf(own.text)).toContain('Nothing is waiting for your feedback.');
      expect(own.text).not.toContain('>Kenya<');
    });

    it.each([
      ['facilitator', '/reviews?status=zzz'],
      ['facilitator', '/reviews?course=abc&task=xyz&team=99999999&late=maybe'],
      ['expert', '/reviews?task=-1&status=&team=1e9'],
      ['facilitator', '/reviews?page=99999999999&course=%00'],
      ['expert', '/reviews?page=%00&late=%00&page=2'],
      ['facilitator', '/courses?page=-1'],
      ['facilitator', '/courses?page=abc'],
      ['facilitator', '/courses?page=99999999999'],
      ['admin', '/admin/users?role=zzz&status=gone&page=0'],
      ['admin', '/admin/users?page=abc&q=' + 'x'.repeat(300)],
      ['facilitator', '/invitations?status=zzz&page=abc'],
      ['leader', '/courses/:course/resources?phase=x&page=-4&tag=' + 'y'.repeat(80)],
      ['leader', '/courses/:course/tasks/:task/submissions/:team/compare?from=x&to=y'],
      ['leader', '/courses/:course/tasks/:task/submissions/:team/compare?from=1&to=99'],
      ['leader', '/courses/:course/tasks/:task/submissions/:team/compare'],
    ])('%s: %s shows the page with no validator text', async (who, path) => {
      const { task, url } = await mkTask();
      await submitTyped(url, 'One', '').then((r) => expect(r.status).toBe(303));
      await release(url, 'changes', 'More.');
      await submitTyped(url, 'One two', '').then((r) => expect(r.status).toBe(303));
      const as = { facilitator: fac, expert, admin, leader }[who]!;
      const res = await as.get(path.replace(':course', String(courseId)).replace(':task', String(task.id)).replace(':team', `team-${teamId}`));
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).not.toMatch(/must be|should not|Please check the form|Bad request|Page not found/i);
    });
  });
});
