import { Course } from '../../src/courses/course.entity';
import { CourseMember, type CourseRole } from '../../src/courses/course-member.entity';
import { Phase } from '../../src/courses/phase.entity';
import { Task } from '../../src/tasks/task.entity';
import { TeamExpert } from '../../src/teams/team-expert.entity';
import { Team } from '../../src/teams/team.entity';
import { TeamMember, type TeamRole } from '../../src/teams/team-member.entity';
import { hashPassword } from '../../src/auth/passwords';
import type { Database } from '../../src/database/database.service';
import { type SiteRole, User } from '../../src/users/user.entity';
import { type Agent, agent, csrfFrom, submitForm } from './http';

export const TEST_PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;
let seq = 0;

/** A person with an account (active unless said otherwise). */
export async function createUser(db: Database, over: Partial<User> & { role?: SiteRole } = {}): Promise<User> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const n = ++seq;
  const now = new Date();
  const passwordHash = over.passwordHash ?? (await hashed);
  return db.tx((em) =>
    em.getRepository(User).save(
      em.getRepository(User).create({
        email: `person${n}-${Math.random().toString(36).slice(2, 7)}@example.org`,
        name: `Person ${n}`,
        timeZone: 'Africa/Nairobi',
        language: 'en',
        role: 'participant',
        active: true,
        createdAt: now,
        updatedAt: now,
        lastSignInAt: null,
        deactivatedAt: null,
        ...over,
        passwordHash,
      }),
    ),
  );
}

export async function signIn(a: Agent, email: string, password = TEST_PASSWORD) {
  const res = await submitForm(a, '/sign-in', '/sign-in', { email, password });
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return res;
}

/** A fresh agent (cookie jar) signed in as this person. */
export async function signedIn(server: unknown, user: Pick<User, 'email'>): Promise<Agent> {
  const a = agent(server);
  await signIn(a, user.email);
  return a;
}

/** A published course (Shanghai, 1 Sept – 30 Nov 2024) with online / in-person / online phases. */
export async function createCourse(db: Database, over: Partial<Course> = {}): Promise<{ course: Course; phases: Phase[] }> {
  const now = new Date();
  return db.tx(async (em) => {
    const course = await em.getRepository(Course).save(
      em.getRepository(Course).create({
        title: 'Empowering Cities to Become Key Players for Lifelong Learning Advancement',
        series: null,
        edition: null,
        summary: 'Learning-city strategies.',
        organisers: 'UIL and Shanghai Open University',
        venueCampus: 'Guoshun Campus',
        venueCity: 'Shanghai',
        venueCountry: 'CN',
        timeZone: 'Asia/Shanghai',
        startsOn: '2024-09-01',
        endsOn: '2024-11-30',
        participation: 'invitation',
        workingLanguage: 'en',
        interpretationLanguages: 'zh',
        status: 'published',
        createdById: null,
        createdAt: now,
        updatedAt: now,
        ...over,
      }),
    );
    const phases = await em.getRepository(Phase).save([
      em.getRepository(Phase).create({
        courseId: course.id,
        title: 'Online before',
        kind: 'online',
        startsOn: '2024-09-01',
        endsOn: '2024-10-20',
        description: '',
        platformUrl: null,
        createdAt: now,
      }),
      em.getRepository(Phase).create({
        courseId: course.id,
        title: 'In-person week',
        kind: 'in_person',
        startsOn: '2024-10-21',
        endsOn: '2024-10-25',
        description: '',
        platformUrl: null,
        createdAt: now,
      }),
      em.getRepository(Phase).create({
        courseId: course.id,
        title: 'Online after',
        kind: 'online',
        startsOn: '2024-10-26',
        endsOn: '2024-11-30',
        description: '',
        platformUrl: null,
        createdAt: now,
      }),
    ]);
    return { course, phases };
  });
}

export async function addStaff(db: Database, courseId: number, userId: number, role: CourseRole) {
  return db.tx((em) => em.getRepository(CourseMember).save({ courseId, userId, role, createdAt: new Date() }));
}

export async function createTeam(db: Database, courseId: number, over: Partial<Team> = {}): Promise<Team> {
  return db.tx((em) =>
    em.getRepository(Team).save(
      em.getRepository(Team).create({
        courseId,
        country: 'VN',
        city: '',
        region: 'asia-pacific',
        deliverable: 'policy',
        timeZone: 'Asia/Ho_Chi_Minh',
        createdAt: new Date(),
        ...over,
      }),
    ),
  );
}

export async function addMember(db: Database, teamId: number, userId: number, teamRole: TeamRole = 'member') {
  return db.tx((em) => em.getRepository(TeamMember).save({ teamId, userId, teamRole, position: 'policymaker', level: 'national', createdAt: new Date() }));
}

/** Assigns an expert to advise a team (the person must also be an expert of the course: addStaff). */
export async function assignExpert(db: Database, teamId: number, userId: number) {
  return db.tx((em) => em.getRepository(TeamExpert).save({ teamId, userId, createdAt: new Date() }));
}

/** The second country team most tests use beside the default (Viet Nam) one. */
export const KENYA: Partial<Team> = { country: 'KE', region: 'africa', timeZone: 'Africa/Nairobi' };

export interface TeamSpec {
  team?: Partial<Team>;
  leader?: Partial<User>;
  members?: Partial<User>[];
  /** Experts of the course assigned to this team. */
  experts?: Partial<User>[];
}

export interface TeamWithPeople {
  team: Team;
  leader: User | undefined;
  members: User[];
  experts: User[];
}

/**
 * A published course (createCourse) with a facilitator and country teams, each with its leader,
 * members and assigned experts. People are created in the order given: the facilitator, then per
 * team its leader, members and experts.
 */
export async function createCourseWithTeams(
  db: Database,
  spec: { course?: Partial<Course>; facilitator?: Partial<User>; teams: TeamSpec[] },
): Promise<{ course: Course; phases: Phase[]; facilitator: User; teams: TeamWithPeople[] }> {
  const { course, phases } = await createCourse(db, spec.course);
  const facilitator = await createUser(db, { role: 'facilitator', ...spec.facilitator });
  await addStaff(db, course.id, facilitator.id, 'facilitator');
  const teams: TeamWithPeople[] = [];
  for (const t of spec.teams) teams.push({ team: await createTeam(db, course.id, t.team), leader: undefined, members: [], experts: [] });
  for (const [i, t] of spec.teams.entries()) {
    const out = teams[i];
    if (t.leader) {
      out.leader = await createUser(db, t.leader);
      await addMember(db, out.team.id, out.leader.id, 'leader');
    }
    for (const m of t.members ?? []) {
      const u = await createUser(db, m);
      await addMember(db, out.team.id, u.id, 'member');
      out.members.push(u);
    }
    for (const e of t.experts ?? []) {
      const u = await createUser(db, { role: 'expert', ...e });
      await addStaff(db, course.id, u.id, 'expert');
      await assignExpert(db, out.team.id, u.id);
      out.experts.push(u);
    }
  }
  return { course, phases, facilitator, teams };
}

/** The task form's fields as a facilitator fills them in: a team task, open since Sept 2024, due in 2099, text only. */
export function taskFields(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    title: 'Policy outline',
    phaseId: '',
    kind: 'team',
    instructions: '',
    opensDay: '2024-09-01',
    opensTime: '09:00',
    dueDay: '2099-01-01',
    dueTime: '17:00',
    cutOffDay: '',
    cutOffTime: '',
    expectsText: 'on',
    expectsFiles: '',
    maxFiles: '0',
    rubric: '',
    audience: 'all',
    ...over,
  };
}

/**
 * A task made through the app as a facilitator makes one (the task form), published unless
 * `publish: false`. `fields` go to the form (see taskFields); the title must be unique in the test.
 */
export async function createTaskThroughApp(
  db: Database,
  manager: Agent,
  courseId: number,
  fields: Record<string, string | string[]>,
  opts: { publish?: boolean } = {},
): Promise<Task> {
  const form = taskFields(fields);
  const created = await submitForm(manager, `/courses/${courseId}/tasks/new`, `/courses/${courseId}/tasks`, form);
  if (created.status !== 303) throw new Error(`creating task "${String(form.title)}" answered ${created.status}`);
  const task = await db.repo(Task).findOneByOrFail({ courseId, title: String(form.title) });
  if (opts.publish === false) return task;
  const published = await submitForm(manager, `/courses/${courseId}/tasks/${task.id}`, `/courses/${courseId}/tasks/${task.id}/status`, { status: 'published' });
  if (published.status !== 303) throw new Error(`publishing task "${task.title}" answered ${published.status}`);
  return db.repo(Task).findOneByOrFail({ id: task.id });
}

/** A published task stored directly (for tests about times: opens/due/cut-off relative to now, in hours). */
export async function createPublishedTask(
  db: Database,
  over: Partial<Task> & { courseId: number; phaseId: number | null; title: string; position: number },
): Promise<Task> {
  const now = new Date();
  return db.tx((em) =>
    em.getRepository(Task).save(
      em.getRepository(Task).create({
        instructions: '',
        kind: 'team',
        opensAt: new Date(now.getTime() - 100 * 3600_000),
        dueAt: new Date(now.getTime() + 365 * 24 * 3600_000),
        cutOffAt: null,
        expectsText: true,
        expectsFiles: false,
        allowedTypes: '',
        maxFiles: 0,
        rubric: '',
        audience: 'all',
        status: 'published',
        createdAt: now,
        updatedAt: now,
        ...over,
      }),
    ),
  );
}

/** The revision number the draft form on a submission page carries. */
export function revisionIn(html: string): string {
  const m = html.match(/name="revision" value="(\d+)"/);
  if (!m) throw new Error('no draft revision on the page');
  return m[1];
}

/**
 * Hands in work on a submission page (`base` = /courses/:id/tasks/:taskId/submissions/:owner) as a
 * team member does: saves the text (if any), attaches the files (if any), submits. Makes a version.
 */
export async function submitWork(a: Agent, base: string, work: { text?: string; files?: [name: string, content: Buffer][]; note?: string } = {}) {
  const page = await a.get(base);
  if (page.status !== 200) throw new Error(`GET ${base} answered ${page.status}`);
  if (work.text !== undefined)
    await expectSeeOther(
      a
        .post(`${base}/draft`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), text: work.text, revision: revisionIn(page.text), action: 'save' }),
    );
  for (const [name, content] of work.files ?? [])
    await expectSeeOther(a.post(`${base}/files`).field('_csrf', csrfFrom(page.text)).attach('file', content, name));
  const ready = await a.get(base);
  await expectSeeOther(
    a
      .post(`${base}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(ready.text), note: work.note ?? '', revision: revisionIn(ready.text) }),
  );
  return ready;
}

/** Releases feedback on the latest version as a reviewer does (`changes` or `accept`). */
export async function releaseReview(reviewer: Agent, base: string, decision: 'changes' | 'accept', overall: string) {
  const form = await reviewer.get(`${base}/review`);
  if (form.status !== 200) throw new Error(`GET ${base}/review answered ${form.status}`);
  const versionNumber = form.text.match(/name="versionNumber" value="(\d+)"/)?.[1];
  if (!versionNumber) throw new Error('no version to review');
  await expectSeeOther(
    reviewer
      .post(`${base}/review`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), versionNumber, overall, decision, action: 'release' }),
  );
}

/** Adds a file to a course's resource library through the resource form. */
export async function createFileResource(manager: Agent, courseId: number, title: string, file: [name: string, content: Buffer]) {
  const page = await manager.get(`/courses/${courseId}/resources/new`);
  await expectSeeOther(
    manager
      .post(`/courses/${courseId}/resources`)
      .field('_csrf', csrfFrom(page.text))
      .field('title', title)
      .field('kind', 'file')
      .field('description', '')
      .field('url', '')
      .field('phaseId', '')
      .field('tags', '')
      .attach('file', file[1], file[0]),
  );
}

async function expectSeeOther(req: PromiseLike<{ status: number; text: string }>) {
  const res = await req;
  if (res.status !== 303) throw new Error(`expected a redirect (303), got ${res.status}: ${res.text.slice(0, 200)}`);
  return res;
}
