import { Submission, SubmissionEvent, SubmissionFile, SubmissionVersion, VersionFile } from '../src/submissions/submission.entity';
import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createPublishedTask, KENYA, signedIn } from './utils/factories';
import { type Agent, csrfFrom, submitForm, textOf } from './utils/http';

const RUBRIC =
  'Relevance to the national context\n- Emerging: mentions the context\n- Strong: builds every measure on evidence\n\nFeasibility\n- Weak: no budget or timeline\n- Good: costed and phased';

function taskForm(over: Record<string, string | string[]> = {}) {
  return {
    title: 'Draft policy outline',
    phaseId: '',
    kind: 'team',
    instructions: '## What to write\n\nThe **outline** of your policy.',
    opensDay: '2024-09-01',
    opensTime: '09:00',
    dueDay: '2099-10-15',
    dueTime: '17:00',
    cutOffDay: '',
    cutOffTime: '',
    expectsText: 'on',
    expectsFiles: 'on',
    allowedTypes: ['pdf', 'docx'],
    maxFiles: '2',
    rubric: RUBRIC,
    audience: 'all',
    ...over,
  } as Record<string, string | string[]>;
}

describe('the submission loop: draft → submit → review → changes → resubmit → accept', () => {
  let t: TestApp;
  let fac: Agent;
  let leader: Agent;
  let member: Agent;
  let outsider: Agent;
  let expert: Agent;
  let courseId: number;
  let teamId: number;
  let otherTeamId: number;
  let taskId: number;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, {
      facilitator: { name: 'Chen Jing' },
      teams: [
        { team: { country: 'VN' }, leader: { name: 'Lan (leader)' }, members: [{ name: 'Minh (member)' }], experts: [{ name: 'Raúl (expert)' }] },
        { team: KENYA, leader: { name: 'Wanjiru (other team)' } },
      ],
    });
    courseId = course.id;
    const [team, other] = teams;
    teamId = team.team.id;
    otherTeamId = other.team.id;
    fac = await signedIn(t.server, facilitator);
    leader = await signedIn(t.server, team.leader!);
    member = await signedIn(t.server, team.members[0]);
    outsider = await signedIn(t.server, other.leader!);
    expert = await signedIn(t.server, team.experts[0]);

    const created = await submitForm(fac, `/courses/${courseId}/tasks/new`, `/courses/${courseId}/tasks`, taskForm({ phaseId: String(phases[0].id) }));
    expect(created.status).toBe(303);
    const task = await t.db.repo(Task).findOneByOrFail({ title: 'Draft policy outline' });
    taskId = task.id;
    await submitForm(fac, `/courses/${courseId}/tasks/${taskId}`, `/courses/${courseId}/tasks/${taskId}/status`, { status: 'published' });
    base = `/courses/${courseId}/tasks/${taskId}/submissions/team-${teamId}`;
  });
  afterAll(() => t.close());

  const sub = () => t.db.repo(Submission).findOneByOrFail({ taskId, ownerKey: `team:${teamId}` });

  it('refuses bad task definitions with a message per field', async () => {
    const res = await submitForm(
      fac,
      `/courses/${courseId}/tasks/new`,
      `/courses/${courseId}/tasks`,
      taskForm({ title: 'Broken', phaseId: '999999', dueDay: '2024-08-01', rubric: 'Only\n- One: level', expectsText: '', expectsFiles: '' }),
    );
    expect(res.status).toBe(422);
    const text = textOf(res.text);
    for (const m of [
      'Choose a phase of this course.',
      'The task must be due after it opens.',
      '“Only” needs at least two levels.',
      'Ask for text, files, or both.',
    ])
      expect(text).toContain(m);
    expect(await t.db.repo(Task).countBy({ title: 'Broken' })).toBe(0);
  });

  it('a member saves the draft; the leader sees it; others get 404', async () => {
    const page = await member.get(base).expect(200);
    expect(textOf(page.text)).toContain('Status: Not started');
    const res = await member
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: '# Outline\n\nLifelong learning for all citizens.', revision: '0', action: 'save' });
    expect(res.status).toBe(303);
    expect(await sub()).toMatchObject({ status: 'draft', draftRevision: 1 });
    expect(textOf((await leader.get(base)).text)).toContain('Lifelong learning for all citizens.');
    await outsider.get(base).expect(404);
    await outsider.get(`/courses/${courseId}/tasks/${taskId}/submissions/team-${otherTeamId}`).expect(200);
    await outsider
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: 'x', revision: '1' })
      .expect(403); // another session's token
  });

  it('previews the draft without saving it', async () => {
    const page = await member.get(base);
    const res = await member
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: '**Bold idea**', revision: String((await sub()).draftRevision), action: 'preview' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<strong>Bold idea</strong>');
    expect((await sub()).draftText).not.toContain('Bold idea');
  });

  it('detects two people editing the same draft: the later save shows both texts and overwrites nothing', async () => {
    const revision = String((await sub()).draftRevision);
    const pageA = await member.get(base);
    const pageB = await leader.get(base);
    await member
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(pageA.text), text: 'Text by Minh', revision, action: 'save' })
      .expect(303);
    const conflict = await leader
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(pageB.text), text: 'Text by Lan', revision, action: 'save' });
    expect(conflict.status).toBe(409);
    const shown = textOf(conflict.text);
    expect(shown).toContain('Someone else saved this draft');
    expect(shown).toContain('Text by Minh');
    expect(shown).toContain('Text by Lan');
    expect((await sub()).draftText).toBe('Text by Minh');
    const newRevision = conflict.text.match(/name="revision" value="(\d+)"/)![1];
    await leader
      .post(`${base}/draft`)
      .type('form')
      .send({
        _csrf: csrfFrom(conflict.text),
        text: '# Outline\n\nLifelong learning for all citizens, by Lan and Minh.',
        revision: newRevision,
        action: 'save',
      })
      .expect(303);
    expect((await sub()).draftText).toContain('by Lan and Minh');
  });

  it('attaches files checked by content, within the limit', async () => {
    const page = await member.get(base);
    const pdf = Buffer.from('%PDF-1.7\nannex\n%%EOF');
    const ok = await member.post(`${base}/files`).field('_csrf', csrfFrom(page.text)).attach('file', pdf, 'annex.pdf');
    expect(ok.status).toBe(303);
    const bad = await member.post(`${base}/files`).field('_csrf', csrfFrom(page.text)).attach('file', Buffer.from('plain words'), 'notes.docx');
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain('This file is a Text, which is not accepted here. Accepted: PDF, Word document.');
    await member.post(`${base}/files`).field('_csrf', csrfFrom(page.text)).attach('file', pdf, 'annex-2.pdf').expect(303);
    const third = await member.post(`${base}/files`).field('_csrf', csrfFrom(page.text)).attach('file', pdf, 'annex-3.pdf');
    expect(textOf(third.text)).toContain('at most 2 file(s)');
    expect(await t.db.repo(SubmissionFile).countBy({ submissionId: (await sub()).id })).toBe(2);
  });

  it('only the leader submits; submit freezes v1 with its files; a double click adds nothing', async () => {
    const s = await sub();
    const mp = await member.get(base);
    expect(textOf(mp.text)).toContain("The team leader submits the team's draft.");
    const byMember = await member
      .post(`${base}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(mp.text), note: '', revision: String(s.draftRevision) });
    expect(byMember.status).toBe(422);
    expect(textOf(byMember.text)).toContain('Only the team leader submits a team task.');

    const lp = await leader.get(base);
    const form = { _csrf: csrfFrom(lp.text), note: 'First outline', revision: String(s.draftRevision) };
    const [first, second] = await Promise.all([leader.post(`${base}/submit`).type('form').send(form), leader.post(`${base}/submit`).type('form').send(form)]);
    expect([first.status, second.status].sort()).toEqual([303, 422]);
    const refused = first.status === 422 ? first : second;
    expect(textOf(refused.text)).toContain('Already submitted as version 1 and waiting for review: nothing new was submitted.');
    const versions = await t.db.repo(SubmissionVersion).findBy({ submissionId: s.id });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ number: 1, note: 'First outline', late: false });
    expect(versions[0].text).toContain('by Lan and Minh');
    expect(await t.db.repo(VersionFile).countBy({ versionId: versions[0].id })).toBe(2);
    expect((await sub()).status).toBe('submitted');
  });

  it('versions are immutable: editing the draft or removing a draft file leaves v1 as it was', async () => {
    const v1 = await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: (await sub()).id, number: 1 });
    const page = await member.get(base);
    await member
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: 'Completely new text', revision: String((await sub()).draftRevision), action: 'save' })
      .expect(303);
    const f = await t.db.repo(SubmissionFile).findOneByOrFail({ submissionId: (await sub()).id, fileName: 'annex-2.pdf' });
    await member
      .post(`${base}/files/${f.id}/remove`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const again = await t.db.repo(SubmissionVersion).findOneByOrFail({ id: v1.id });
    expect(again.text).toBe(v1.text);
    expect(await t.db.repo(VersionFile).countBy({ versionId: v1.id })).toBe(2);
    const vf = await t.db.repo(VersionFile).findOneByOrFail({ versionId: v1.id, fileName: 'annex-2.pdf' });
    const dl = await leader.get(`${base}/versions/1/files/${vf.id}`);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-disposition']).toContain('attachment');
    // restore the draft for the next steps
    await member
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: v1.text, revision: String((await sub()).draftRevision), action: 'save' })
      .expect(303);
  });

  it('the review queue shows it to the facilitator and the assigned expert, oldest first', async () => {
    const html = (await fac.get('/reviews').expect(200)).text;
    expect(html).toContain(`href="${base}"`);
    const q = textOf(html);
    expect(q).toContain('1 submission waiting for feedback');
    expect(q).toMatch(/Viet Nam Draft policy outline \(v1\)/);
    expect(textOf((await expert.get('/reviews')).text)).toContain('Viet Nam');
    await leader.get('/reviews').expect(403);
  });

  it('a review saved as draft is invisible to the team; released, it requests changes', async () => {
    const form = await fac.get(`${base}/review`).expect(200);
    await leader.get(`${base}/review`).expect(404);
    const incomplete = await fac
      .post(`${base}/review`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        versionNumber: '1',
        levels: ['Strong', ''],
        comments: ['', ''],
        overall: '',
        decision: 'changes',
        action: 'release',
      });
    expect(incomplete.status).toBe(422);
    expect(textOf(incomplete.text)).toContain('Choose a level for every criterion before releasing the review.');
    expect(textOf(incomplete.text)).toContain('Write overall feedback before releasing the review.');

    await fac
      .post(`${base}/review`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        versionNumber: '1',
        levels: ['Strong', 'Weak'],
        comments: ['Good evidence.', 'Add a budget.'],
        overall: 'Please add a **costed plan**.',
        decision: 'changes',
        action: 'draft',
      })
      .expect(303);
    expect((await sub()).status).toBe('in_review');
    expect(textOf((await leader.get(base)).text)).not.toContain('costed plan');

    const again = await fac.get(`${base}/review`);
    expect(again.text).toContain('Add a budget.</textarea>');
    await fac
      .post(`${base}/review`)
      .type('form')
      .send({
        _csrf: csrfFrom(again.text),
        versionNumber: '1',
        levels: ['Strong', 'Weak'],
        comments: ['Good evidence.', 'Add a budget.'],
        overall: 'Please add a **costed plan**.',
        decision: 'changes',
        action: 'release',
      })
      .expect(303);
    expect((await sub()).status).toBe('changes_requested');
    const team = textOf((await leader.get(base)).text);
    expect(team).toContain('Feedback from Chen Jing on version 1: Changes requested');
    expect(team).toContain('Feasibility : Weak — no budget or timeline Add a budget.');
    expect(team).toContain('costed plan');
  });

  it('the team resubmits v2; an old-version review is refused; the expert accepts; the timeline shows every step', async () => {
    const lp = await leader.get(base);
    await leader
      .post(`${base}/draft`)
      .type('form')
      .send({
        _csrf: csrfFrom(lp.text),
        text: '# Outline\n\nLifelong learning for all citizens, by Lan and Minh.\n\nBudget: 2 million over 5 years.',
        revision: String((await sub()).draftRevision),
        action: 'save',
      })
      .expect(303);
    const stale = await fac.get(`${base}/review`).catch(() => null);
    void stale;
    const lp2 = await leader.get(base);
    await leader
      .post(`${base}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(lp2.text), note: 'Budget added', revision: String((await sub()).draftRevision) })
      .expect(303);
    expect((await sub()).status).toBe('resubmitted');

    const form = await expert.get(`${base}/review`).expect(200);
    const old = await expert
      .post(`${base}/review`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        versionNumber: '1',
        levels: ['Strong', 'Good'],
        comments: ['', ''],
        overall: 'Fine',
        decision: 'accept',
        action: 'release',
      });
    expect(old.status).toBe(422);
    expect(textOf(old.text)).toContain('Version 2 was submitted after you opened version 1');
    await expert
      .post(`${base}/review`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        versionNumber: '2',
        levels: ['Strong', 'Good'],
        comments: ['', 'Costed now.'],
        overall: 'Ready for the in-person week.',
        decision: 'accept',
        action: 'release',
      })
      .expect(303);
    expect((await sub()).status).toBe('accepted');

    const events = await t.db.repo(SubmissionEvent).find({ where: { submissionId: (await sub()).id }, order: { at: 'ASC', id: 'ASC' } });
    expect(events.filter((e) => e.fromStatus !== e.toStatus).map((e) => `${e.fromStatus}>${e.toStatus}`)).toEqual([
      'not_started>draft',
      'draft>submitted',
      'submitted>in_review',
      'in_review>changes_requested',
      'changes_requested>resubmitted',
      'resubmitted>in_review',
      'in_review>accepted',
    ]);
    const page = textOf((await leader.get(base)).text);
    expect(page).toMatch(/Status: Accepted/);
    expect(page).toContain('Resubmitted → In review');
    const lp3 = await leader.get(base);
    const locked = await leader
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(lp3.text), text: 'change after acceptance', revision: String((await sub()).draftRevision), action: 'save' });
    expect(locked.status).toBe(422);
  });

  it('compares versions word by word, marking changes in text and markup, with file changes', async () => {
    const res = await leader.get(`${base}/compare?from=1&to=2`).expect(200);
    expect(res.text).toMatch(/<ins><span class="visually-hidden">\[added: <\/span>[^<]*Budget/);
    expect(textOf(res.text)).toContain('word(s) added');
    expect(textOf(res.text)).toContain('annex.pdf: unchanged');
    expect(textOf(res.text)).toContain('annex-2.pdf: removed');
    await outsider.get(`${base}/compare?from=1&to=2`).expect(404);
    // A version that does not exist: the page compares the previous and latest versions and says so.
    expect(textOf((await leader.get(`${base}/compare?from=1&to=9`).expect(200)).text)).toContain('versions 1 and 2 are shown');
  });

  it('a facilitator reopens an accepted submission; nobody else can', async () => {
    const lp = await leader.get(base);
    await leader
      .post(`${base}/reopen`)
      .type('form')
      .send({ _csrf: csrfFrom(lp.text), note: 'x' })
      .expect(404);
    const fp = await fac.get(base);
    await fac
      .post(`${base}/reopen`)
      .type('form')
      .send({ _csrf: csrfFrom(fp.text), note: 'Align with the city strategy' })
      .expect(303);
    expect((await sub()).status).toBe('changes_requested');
    const again = await fac
      .post(`${base}/reopen`)
      .type('form')
      .send({ _csrf: csrfFrom(fp.text), note: 'twice' });
    expect(again.status).toBe(409);
    expect(textOf(again.text)).toContain('This cannot be done to a submission that is changes requested.');
  });
});

describe('deadlines, late work and extensions', () => {
  it('accepts late work before the cut-off (marked late), refuses it after, and honours an extension', async () => {
    const t = await createTestApp();
    try {
      const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, { teams: [{ leader: {} }] });
      const team = teams[0].team;
      const fac = await signedIn(t.server, facilitator);
      const leader = await signedIn(t.server, teams[0].leader!);
      const now = Date.now();
      const mk = (title: string, dueAgoH: number, cutOffAgoH: number | null) =>
        createPublishedTask(t.db, {
          courseId: course.id,
          phaseId: phases[0].id,
          position: 1,
          title,
          opensAt: new Date(now - 100 * 3600_000),
          dueAt: new Date(now - dueAgoH * 3600_000),
          cutOffAt: cutOffAgoH === null ? null : new Date(now - cutOffAgoH * 3600_000),
        });
      const late = await mk('Late but open', 2, -24);
      const closed = await mk('Closed', 48, 24);
      const submitText = async (taskId: number) => {
        const url = `/courses/${course.id}/tasks/${taskId}/submissions/team-${team.id}`;
        const p = await leader.get(url);
        const saved = await leader
          .post(`${url}/draft`)
          .type('form')
          .send({ _csrf: csrfFrom(p.text), text: 'Our analysis', revision: '0', action: 'save' });
        const p2 = await leader.get(url);
        const rev = p2.text.match(/name="revision" value="(\d+)"/)?.[1] ?? '0';
        return {
          saved,
          submitted: await leader
            .post(`${url}/submit`)
            .type('form')
            .send({ _csrf: csrfFrom(p2.text), note: '', revision: rev }),
          url,
        };
      };
      const a = await submitText(late.id);
      expect(a.submitted.status).toBe(303);
      expect(await t.db.repo(SubmissionVersion).findOneByOrFail({ number: 1, submission: { taskId: late.id } })).toMatchObject({ late: true });
      expect(textOf((await leader.get(a.url)).text)).toContain('late');

      const b = await submitText(closed.id);
      expect(b.saved.status).toBe(422);
      expect(textOf(b.saved.text)).toContain('The cut-off for this task has passed');
      expect(b.submitted.status).toBe(422);

      // An extension to this team reopens it.
      const fp = await fac.get(b.url);
      const day = new Date(now + 48 * 3600_000).toISOString().slice(0, 10);
      await fac
        .post(`${b.url}/extension`)
        .type('form')
        .send({ _csrf: csrfFrom(fp.text), dueDay: day, dueTime: '17:00', cutOffDay: '', cutOffTime: '' })
        .expect(303);
      const c = await submitText(closed.id);
      expect(c.submitted.status).toBe(303);
      expect(textOf((await leader.get(b.url)).text)).toContain('extended for Viet Nam');

      // Empty submit.
      const empty = await mk('Empty', -24, null);
      const url = `/courses/${course.id}/tasks/${empty.id}/submissions/team-${team.id}`;
      const p = await leader.get(url);
      const res = await leader
        .post(`${url}/submit`)
        .type('form')
        .send({ _csrf: csrfFrom(p.text), note: '', revision: '0' });
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain('The draft is empty');
    } finally {
      await t.close();
    }
  });
});
