import { Course } from '../src/courses/course.entity';
import { CourseMember } from '../src/courses/course-member.entity';
import { Phase } from '../src/courses/phase.entity';
import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, assignExpert, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

const COURSE_FORM = {
  title: 'Strengthening Education Systems from a Lifelong Learning Perspective',
  series: 'Strengthening Education Systems from a Lifelong Learning Perspective',
  edition: '6',
  summary: 'Country teams develop lifelong-learning policies.',
  organisers: 'UIL and Shanghai Open University',
  venueCampus: 'Guoshun Campus',
  venueCity: 'Shanghai',
  venueCountry: 'CN',
  timeZone: 'Asia/Shanghai',
  startsOn: '2024-09-01',
  endsOn: '2024-11-30',
  inPersonStartsOn: '2024-10-21',
  inPersonEndsOn: '2024-10-25',
  workingLanguage: 'en',
  interpretationLanguages: ['zh', 'fr'],
};

describe('courses and phases', () => {
  let t: TestApp;
  let fac: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    const facilitator = await createUser(t.db, { role: 'facilitator', name: 'Chen Jing' });
    fac = agent(t.server);
    await signIn(fac, facilitator.email);
  });
  afterAll(() => t.close());

  it('a facilitator creates a workshop: a draft with three phases, and they facilitate it', async () => {
    const res = await submitForm(fac, '/courses/new', '/courses', COURSE_FORM);
    expect(res.status).toBe(303);
    const course = await t.db.repo(Course).findOneByOrFail({ title: COURSE_FORM.title });
    expect(course).toMatchObject({
      edition: 6,
      status: 'draft',
      startsOn: '2024-09-01',
      endsOn: '2024-11-30',
      interpretationLanguages: 'zh,fr',
      timeZone: 'Asia/Shanghai',
    });
    expect(res.headers.location).toBe(`/courses/${course.id}/setup`);
    const phases = await t.db.repo(Phase).find({ where: { courseId: course.id }, order: { startsOn: 'ASC' } });
    expect(phases.map((p) => [p.kind, p.startsOn, p.endsOn])).toEqual([
      ['online', '2024-09-01', '2024-10-20'],
      ['in_person', '2024-10-21', '2024-10-25'],
      ['online', '2024-10-26', '2024-11-30'],
    ]);
    expect(await t.db.repo(CourseMember).countBy({ courseId: course.id, role: 'facilitator' })).toBe(1);
    const setup = await fac.get(`/courses/${course.id}/setup`).expect(200);
    expect(textOf(setup.text)).toContain('has been created as a draft');
    expect(textOf(setup.text)).toContain('The course has finished.');
  });

  it('refuses a bad workshop form with a message per field, keeping the values, storing nothing', async () => {
    const before = await t.db.repo(Course).count();
    const res = await submitForm(fac, '/courses/new', '/courses', {
      ...COURSE_FORM,
      title: 'Bad dates',
      startsOn: '2024-11-30',
      endsOn: '2024-09-01',
      timeZone: 'Mars/Olympus',
      venueCountry: 'XX',
      inPersonStartsOn: '2024-12-01',
      inPersonEndsOn: '2024-12-05',
    });
    expect(res.status).toBe(422);
    const text = textOf(res.text);
    expect(text).toContain('Choose the time zone of the venue from the list.');
    expect(text).toContain('Choose the country of the venue from the list.');
    expect(res.text).toContain('value="Bad dates"');
    expect(res.text).toMatch(/value="zh" checked/);
    const dates = await submitForm(fac, '/courses/new', '/courses', { ...COURSE_FORM, title: 'Bad dates', startsOn: '2024-11-30', endsOn: '2024-09-01' });
    expect(dates.status).toBe(422);
    expect(textOf(dates.text)).toContain('The course must end on or after the day it starts.');
    const week = await submitForm(fac, '/courses/new', '/courses', {
      ...COURSE_FORM,
      title: 'Bad week',
      inPersonStartsOn: '2024-12-01',
      inPersonEndsOn: '2024-12-05',
    });
    expect(week.status).toBe(422);
    expect(textOf(week.text)).toContain('The phase must end on or before the last day of the course');
    expect(await t.db.repo(Course).count()).toBe(before);
  });

  it('adds, edits and removes phases by the rules, each broken rule with its own message', async () => {
    const facUser = await createUser(t.db, { role: 'facilitator' });
    const a = agent(t.server);
    await signIn(a, facUser.email);
    const { course, phases } = await createCourse(t.db);
    await addStaff(t.db, course.id, facUser.id, 'facilitator');
    const base = `/courses/${course.id}`;

    const outside = await submitForm(a, `${base}/phases/new`, `${base}/phases`, {
      title: 'Too late',
      kind: 'online',
      startsOn: '2024-11-25',
      endsOn: '2024-12-05',
      description: '',
      platformUrl: '',
    });
    expect(outside.status).toBe(422);
    expect(textOf(outside.text)).toContain('The phase must end on or before the last day of the course (Sat 30 Nov 2024).');
    expect(textOf(outside.text)).toContain('These dates overlap the phase “Online after”');
    const backwards = await submitForm(a, `${base}/phases/new`, `${base}/phases`, {
      title: 'Backwards',
      kind: 'online',
      startsOn: '2024-10-10',
      endsOn: '2024-10-01',
      description: '',
      platformUrl: '',
    });
    expect(textOf(backwards.text)).toContain('The phase must end on or after the day it starts.');
    const badUrl = await submitForm(a, `${base}/phases/new`, `${base}/phases`, {
      title: 'x',
      kind: 'online',
      startsOn: '2024-10-10',
      endsOn: '2024-10-11',
      description: '',
      platformUrl: 'hub',
    });
    expect(textOf(badUrl.text)).toContain('starting with https://');
    expect(await t.db.repo(Phase).countBy({ courseId: course.id })).toBe(3);

    const shorten = await submitForm(a, `${base}/phases/${phases[2].id}/edit`, `${base}/phases/${phases[2].id}/edit`, {
      title: 'Online after',
      kind: 'online',
      startsOn: '2024-10-26',
      endsOn: '2024-11-15',
      description: 'Follow-up',
      platformUrl: 'https://hub.example.org',
    });
    expect(shorten.status).toBe(303);
    const added = await submitForm(a, `${base}/phases/new`, `${base}/phases`, {
      title: 'Final reports',
      kind: 'online',
      startsOn: '2024-11-16',
      endsOn: '2024-11-30',
      description: '',
      platformUrl: '',
    });
    expect(added.status).toBe(303);
    expect(await t.db.repo(Phase).countBy({ courseId: course.id })).toBe(4);

    // Every phase has its edit link on the set-up page.
    const page = await a.get(`${base}/setup`);
    for (const p of await t.db.repo(Phase).findBy({ courseId: course.id }))
      expect(page.text).toContain(`<a href="${base}/phases/${p.id}/edit">Edit<span class="visually-hidden"> phase ${p.title}</span></a>`);
    for (const p of await t.db.repo(Phase).findBy({ courseId: course.id })) {
      const r = await a
        .post(`${base}/phases/${p.id}/delete`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      if (r.status !== 303) {
        expect(r.status).toBe(422);
        expect(textOf(r.text)).toContain('A course needs at least one phase.');
      }
    }
    expect(await t.db.repo(Phase).countBy({ courseId: course.id })).toBe(1);
  });

  it('a stale edit of the course details comes back as the form with what was typed, the differences listed, and saves on the second try', async () => {
    const facUser = await createUser(t.db, { role: 'facilitator' });
    const { course } = await createCourse(t.db);
    await addStaff(t.db, course.id, facUser.id, 'facilitator');
    const first = agent(t.server);
    const second = agent(t.server);
    await signIn(first, facUser.email);
    await signIn(second, facUser.email);
    const page1 = await first.get(`/courses/${course.id}/edit`);
    const page2 = await second.get(`/courses/${course.id}/edit`);
    const version = page1.text.match(/name="version" value="(\d+)"/)![1];
    const fields = { ...COURSE_FORM, version, interpretationLanguages: 'zh' } as Record<string, string | string[]>;
    delete fields.inPersonStartsOn;
    delete fields.inPersonEndsOn;
    const ok = await first
      .post(`/courses/${course.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(page1.text), ...fields, title: 'First title' });
    expect(ok.status).toBe(303);
    const late = await second
      .post(`/courses/${course.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(page2.text), ...fields, title: 'Second title', summary: 'Typed in the stale tab.' });
    expect(late.status).toBe(409);
    expect((await t.db.repo(Course).findOneByOrFail({ id: course.id })).title).toBe('First title');
    const text = textOf(late.text);
    expect(text).toContain('Someone else saved this workshop while you were editing it');
    expect(text).toContain('Yours is not saved yet , and nothing you typed is lost');
    // Field by field where the saved version and the typed one differ; equal fields are not listed.
    expect(text).toContain(
      'Where the saved version and yours differ Field Saved version Yours (in the form below) Title First title Second title Summary Country teams develop lifelong-learning policies. Typed in the stale tab. Check the form',
    );
    // The form holds what was typed, with the saved version's number: saving again is the way on.
    expect(late.text).toContain('value="Second title"');
    expect(late.text).toContain('>Typed in the stale tab.</textarea>');
    const saved = await t.db.repo(Course).findOneByOrFail({ id: course.id });
    expect(late.text).toContain(`name="version" value="${saved.version}"`);
    expect(late.text).toContain(`href="/courses/${course.id}/edit">discard your changes`);
    const again = await second
      .post(`/courses/${course.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(late.text), ...fields, version: String(saved.version), title: 'Second title', summary: 'Typed in the stale tab.' });
    expect(again.status).toBe(303);
    expect(await t.db.repo(Course).findOneByOrFail({ id: course.id })).toMatchObject({ title: 'Second title', summary: 'Typed in the stale tab.' });
  });

  it('a stale task edit comes back the same way', async () => {
    const facUser = await createUser(t.db, { role: 'facilitator' });
    const { course, phases } = await createCourse(t.db);
    await addStaff(t.db, course.id, facUser.id, 'facilitator');
    const [first, second] = [agent(t.server), agent(t.server)];
    await signIn(first, facUser.email);
    await signIn(second, facUser.email);
    const base = `/courses/${course.id}/tasks`;
    const fields = {
      title: 'Draft policy outline',
      phaseId: String(phases[0].id),
      kind: 'team',
      instructions: 'Outline the policy.',
      opensDay: '2024-09-01',
      opensTime: '09:00',
      dueDay: '2024-10-01',
      dueTime: '17:00',
      cutOffDay: '',
      cutOffTime: '',
      expectsText: 'on',
      expectsFiles: 'on',
      allowedTypes: ['pdf'],
      maxFiles: '3',
      rubric: '',
      audience: 'all',
    };
    expect((await submitForm(first, `${base}/new`, base, fields)).status).toBe(303);
    const task = await t.db.repo(Task).findOneByOrFail({ courseId: course.id });
    const edit = `${base}/${task.id}/edit`;
    const page2 = await second.get(edit);
    const version = page2.text.match(/name="version" value="(\d+)"/)![1];
    expect((await submitForm(first, edit, edit, { ...fields, version, dueDay: '2024-10-08', instructions: 'Outline the policy in two pages.' })).status).toBe(
      303,
    );
    const late = await second
      .post(edit)
      .type('form')
      .send({ _csrf: csrfFrom(page2.text), ...fields, version, title: 'Policy outline', allowedTypes: ['pdf', 'docx'] });
    expect(late.status).toBe(409);
    const text = textOf(late.text);
    expect(text).toContain('Someone else saved this task while you were editing it');
    expect(text).toContain(
      'Title Draft policy outline Policy outline Instructions Outline the policy in two pages. Outline the policy. Due 2024-10-08 17:00 2024-10-01 17:00 Allowed file types PDF PDF, Word document Check the form',
    );
    expect(late.text).toContain('value="Policy outline"');
    expect(await t.db.repo(Task).findOneByOrFail({ id: task.id })).toMatchObject({
      title: 'Draft policy outline',
      instructions: 'Outline the policy in two pages.',
    });
    const newVersion = late.text.match(/name="version" value="(\d+)"/)![1];
    expect(newVersion).not.toBe(version);
    expect(
      (
        await second
          .post(edit)
          .type('form')
          .send({ _csrf: csrfFrom(late.text), ...fields, version: newVersion, title: 'Policy outline', dueDay: '2024-10-08' })
      ).status,
    ).toBe(303);
    expect(await t.db.repo(Task).findOneByOrFail({ id: task.id })).toMatchObject({ title: 'Policy outline' });
  });

  it('refuses course dates that would leave a phase outside', async () => {
    const facUser = await createUser(t.db, { role: 'facilitator' });
    const { course } = await createCourse(t.db);
    await addStaff(t.db, course.id, facUser.id, 'facilitator');
    const a = agent(t.server);
    await signIn(a, facUser.email);
    const page = await a.get(`/courses/${course.id}/edit`);
    const version = page.text.match(/name="version" value="(\d+)"/)![1];
    const res = await a
      .post(`/courses/${course.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...COURSE_FORM, inPersonStartsOn: undefined, inPersonEndsOn: undefined, version, startsOn: '2024-10-01' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('The phase “Online before” (1 Sept 2024 – 20 Oct 2024) would fall outside these dates.');
  });

  it('publishes, archives and returns to draft by the transition table', async () => {
    const facUser = await createUser(t.db, { role: 'facilitator' });
    const { course } = await createCourse(t.db, { status: 'draft' });
    await addStaff(t.db, course.id, facUser.id, 'facilitator');
    const a = agent(t.server);
    await signIn(a, facUser.email);
    const page = await a.get(`/courses/${course.id}/setup`);
    const send = (status: string) =>
      a
        .post(`/courses/${course.id}/status`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), status });
    expect((await send('published')).status).toBe(303);
    expect((await t.db.repo(Course).findOneByOrFail({ id: course.id })).status).toBe('published');
    expect((await send('archived')).status).toBe(303);
    const bad = await send('published');
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain('A archived course cannot become published.');
    expect((await send('emperor')).status).toBe(422);
  });
});

describe('who may see a course', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('participants see only published courses of their teams; other teams’ pages are 404', async () => {
    const { course } = await createCourse(t.db);
    const { course: draft } = await createCourse(t.db, { title: 'Draft course', status: 'draft' });
    const { course: other } = await createCourse(t.db, { title: 'Someone else’s course' });
    const mine = await createTeam(t.db, course.id, { country: 'VN' });
    const theirs = await createTeam(t.db, course.id, { country: 'KE', region: 'africa', timeZone: 'Africa/Nairobi' });
    const draftTeam = await createTeam(t.db, draft.id);
    const p = await createUser(t.db, { role: 'participant', name: 'Lan' });
    await addMember(t.db, mine.id, p.id, 'leader');
    await addMember(t.db, draftTeam.id, p.id);
    const a = agent(t.server);
    await signIn(a, p.email);

    const list = textOf((await a.get('/courses').expect(200)).text);
    expect(list).toContain(course.title);
    expect(list).not.toContain('Draft course');
    expect(list).not.toContain('Someone else’s course');
    for (const path of [
      `/courses/${course.id}`,
      `/courses/${course.id}/programme`,
      `/courses/${course.id}/programme.ics`,
      `/courses/${course.id}/teams`,
      `/courses/${course.id}/resources`,
      `/courses/${course.id}/teams/${mine.id}`,
    ]) {
      await a.get(path).expect(200);
    }
    await a.get(`/courses/${course.id}/teams/${theirs.id}`).expect(404);
    await a.get(`/courses/${draft.id}`).expect(404);
    await a.get(`/courses/${other.id}`).expect(404);
    await a.get(`/courses/${other.id}/teams/${mine.id}`).expect(404);
    await a.get('/courses/999999').expect(404);
    for (const path of ['setup', 'edit', 'people', 'phases/new', 'resources/new', `teams/${mine.id}/edit`])
      await a.get(`/courses/${course.id}/${path}`).expect(404);
    await a.get('/courses/new').expect(403);
    const home = await a.get(`/courses/${course.id}`);
    const csrf = csrfFrom(home.text);
    for (const path of ['edit', 'status', 'phases', 'teams', 'people', `teams/${mine.id}/members`, `teams/${mine.id}/edit`]) {
      const r = await a.post(`/courses/${course.id}/${path}`).type('form').send({ _csrf: csrf });
      expect([404, 422]).toContain(r.status);
      if (r.status === 422) expect(textOf(r.text)).not.toContain('saved');
    }
    // The course set-up and library routes declare their permission: the route refuses before the form is read.
    for (const path of ['edit', 'phases', 'resources']) {
      await a.post(`/courses/${course.id}/${path}`).type('form').send({ _csrf: csrf }).expect(404);
    }
    expect(await t.db.repo(Course).findOneByOrFail({ id: course.id })).toMatchObject({ status: 'published', title: course.title });
  });

  it('experts see courses they are attached to and the teams assigned to them', async () => {
    const { course } = await createCourse(t.db);
    const assigned = await createTeam(t.db, course.id, { country: 'ID' });
    const notAssigned = await createTeam(t.db, course.id, { country: 'TH' });
    const e = await createUser(t.db, { role: 'expert' });
    await addStaff(t.db, course.id, e.id, 'expert');
    await assignExpert(t.db, assigned.id, e.id);
    const a = agent(t.server);
    await signIn(a, e.email);
    await a.get(`/courses/${course.id}`).expect(200);
    await a.get(`/courses/${course.id}/teams/${assigned.id}`).expect(200);
    await a.get(`/courses/${course.id}/teams/${notAssigned.id}`).expect(404);
    await a.get(`/courses/${course.id}/setup`).expect(404);
  });

  it('facilitators see everything in their courses and nothing in others; admins see all', async () => {
    const { course } = await createCourse(t.db, { status: 'draft' });
    const { course: other } = await createCourse(t.db);
    const team = await createTeam(t.db, course.id);
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, course.id, f.id, 'facilitator');
    const a = agent(t.server);
    await signIn(a, f.email);
    for (const path of ['', '/setup', '/people', `/teams/${team.id}`, `/teams/${team.id}/edit`, '/resources/new'])
      await a.get(`/courses/${course.id}${path}`).expect(200);
    await a.get(`/courses/${other.id}`).expect(404);
    const admin = await createUser(t.db, { role: 'admin' });
    const b = agent(t.server);
    await signIn(b, admin.email);
    await b.get(`/courses/${other.id}/setup`).expect(200);
    await b.get(`/courses/${course.id}/teams/${team.id}`).expect(200);
    await agent(t.server).get(`/courses/${course.id}`).expect(303);
  });
});

describe('the list of workshops', () => {
  it('pages through many courses for an administrator', async () => {
    const t = await createTestApp();
    try {
      for (let i = 0; i < 23; i++) await createCourse(t.db, { title: `Workshop ${String(i).padStart(2, '0')}`, startsOn: `2024-0${1 + (i % 8)}-01` });
      const admin = await createUser(t.db, { role: 'admin' });
      const a = agent(t.server);
      await signIn(a, admin.email);
      const first = textOf((await a.get('/courses').expect(200)).text);
      expect(first).toContain('Page 1 of 2');
      expect((first.match(/Workshop \d\d/g) ?? []).length).toBe(20);
      const second = textOf((await a.get('/courses?page=2').expect(200)).text);
      expect((second.match(/Workshop \d\d/g) ?? []).length).toBe(3);
      const p = await createUser(t.db);
      const b = agent(t.server);
      await signIn(b, p.email);
      expect(textOf((await b.get('/courses')).text)).toContain('You have not been added to a workshop yet.');
    } finally {
      await t.close();
    }
  });
});
