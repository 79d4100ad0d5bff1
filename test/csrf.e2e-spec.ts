import * as fs from 'node:fs';
import * as path from 'node:path';
import { declaredRoutes } from '../src/common/routes';
import { ProgrammeSession } from '../src/courses/programme-session.entity';
import { Invitation } from '../src/invitations/invitation.entity';
import { Resource } from '../src/resources/resource.entity';
import { SubmissionFile, SubmissionMessage } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, assignExpert, createCourse, createTaskThroughApp, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

const PDF = Buffer.from('%PDF-1.7\nforged\n%%EOF\n');

/**
 * Cross-site request forgery: every request that is not GET/HEAD/OPTIONS must carry the session's
 * token, whatever its Content-Type. Every such route is enumerated from the controllers (a new
 * route is covered without editing this test), and each is sent forged requests — multipart with
 * and without a file, with another session's token, URL-encoded, JSON, text/plain, no body — as an
 * administrator, a course facilitator and a team leader. Each must answer 403 and change nothing.
 */
describe('CSRF on every state-changing route', () => {
  let t: TestApp;
  const as: Record<'admin' | 'facilitator' | 'participant', Agent> = {} as never;
  let foreignToken: string;
  let params: Record<string, string>;
  let adminParams: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t.db, { role: 'admin' });
    const fac = await createUser(t.db, { role: 'facilitator' });
    const expert = await createUser(t.db, { role: 'expert' });
    const staff = await createUser(t.db, { role: 'expert' });
    const leader = await createUser(t.db);
    const member = await createUser(t.db);
    const target = await createUser(t.db);
    const { course, phases } = await createCourse(t.db);
    await addStaff(t.db, course.id, fac.id, 'facilitator');
    const staffRow = await addStaff(t.db, course.id, staff.id, 'expert');
    const team = await createTeam(t.db, course.id);
    await addMember(t.db, team.id, leader.id, 'leader');
    const memberRow = await addMember(t.db, team.id, member.id);
    const assignment = await assignExpert(t.db, team.id, expert.id);
    const session = await t.db.tx((em) =>
      em.getRepository(ProgrammeSession).save(
        em.getRepository(ProgrammeSession).create({
          phaseId: phases[1].id,
          kind: 'plenary',
          title: 'Opening plenary',
          room: 'Hall A',
          startsAt: new Date('2024-10-21T01:00:00Z'),
          endsAt: new Date('2024-10-21T02:30:00Z'),
          chairs: '',
          speakers: '',
          interpretationLanguages: '',
          description: '',
          createdAt: new Date(),
        } as Partial<ProgrammeSession>),
      ),
    );
    const resource = await t.db.tx((em) =>
      em.getRepository(Resource).save(
        em.getRepository(Resource).create({
          courseId: course.id,
          phaseId: null,
          title: 'Handbook',
          kind: 'publication',
          description: '',
          url: 'https://www.uil.unesco.org/en',
          fileKey: null,
          fileName: null,
          fileType: null,
          fileSize: null,
          fileSha256: null,
          createdById: null,
          createdAt: new Date(),
        }),
      ),
    );
    for (const [role, user] of [
      ['admin', admin],
      ['facilitator', fac],
      ['participant', leader],
    ] as const) {
      as[role] = agent(t.server);
      await signIn(as[role], user.email);
    }
    // A task with a draft, a file, a message and a submitted version, made through the forms.
    const task = await createTaskThroughApp(t.db, as.facilitator, course.id, {
      title: 'Country context analysis',
      phaseId: String(phases[0].id),
      kind: 'team',
      instructions: '',
      opensDay: '2024-09-01',
      opensTime: '09:00',
      dueDay: '2099-01-01',
      dueTime: '17:00',
      cutOffDay: '',
      cutOffTime: '',
      expectsText: 'on',
      expectsFiles: 'on',
      allowedTypes: ['pdf'],
      maxFiles: '3',
      rubric: '',
      audience: 'all',
    });
    const base = `/courses/${course.id}/tasks/${task.id}/submissions/team-${team.id}`;
    const page = await as.participant.get(base);
    const token = csrfFrom(page.text);
    await as.participant.post(`${base}/draft`).type('form').send({ _csrf: token, text: '# Context', revision: '0', action: 'save' }).expect(303);
    await as.participant.post(`${base}/files`).field('_csrf', token).attach('file', PDF, 'annex.pdf').expect(303);
    await as.participant.post(`${base}/messages`).type('form').send({ _csrf: token, body: 'Please look at section 2.' }).expect(303);
    const p2 = await as.participant.get(base);
    await as.participant
      .post(`${base}/submit`)
      .type('form')
      .send({ _csrf: token, note: '', revision: p2.text.match(/name="revision" value="(\d+)"/)![1] })
      .expect(303);
    await submitForm(as.admin, '/invitations', '/invitations', { email: 'invitee@example.org', role: 'participant' });

    params = {
      id: String(course.id),
      phaseId: String(phases[1].id),
      sessionId: String(session.id),
      teamId: String(team.id),
      assignmentId: String(assignment.id),
      resourceId: String(resource.id),
      taskId: String(task.id),
      owner: `team-${team.id}`,
      number: '1',
      fileId: String((await t.db.repo(SubmissionFile).findOneByOrFail({ fileName: 'annex.pdf' })).id),
      messageId: String((await t.db.repo(SubmissionMessage).findOneByOrFail({ body: 'Please look at section 2.' })).id),
      token: 'an-unguessable-link-token',
      // A forged request is refused before any route looks the meeting up, so any id will do.
      meetingId: '1',
      actionId: '1',
    };
    // :memberId is a course member under /people, a team member under /teams; :id is a person or an invitation outside courses.
    adminParams = {
      memberId: String(staffRow.id),
      teamMemberId: String(memberRow.id),
      user: String(target.id),
      invitation: String((await t.db.repo(Invitation).findOneByOrFail({ email: 'invitee@example.org' })).id),
    };
    foreignToken = csrfFrom((await agent(t.server).get('/sign-in')).text);
  });
  afterAll(() => t.close());

  function concrete(routePath: string): string {
    return routePath.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'id' && routePath.startsWith('/admin/users/')) return adminParams.user;
      if (name === 'id' && routePath.startsWith('/invitations/')) return adminParams.invitation;
      if (name === 'memberId') return routePath.includes('/teams/') ? adminParams.teamMemberId : adminParams.memberId;
      if (!(name in params)) throw new Error(`no value for :${name} in ${routePath}`);
      return params[name];
    });
  }

  /** Everything stored, but the sessions (their expiry moves with each request) and uploaded files. */
  async function snapshot(): Promise<string> {
    const tables: string[] = [];
    for (const meta of t.db.dataSource.entityMetadatas) {
      if (meta.tableName === 'sessions') continue;
      const rows = await t.db.dataSource.getRepository(meta.target).find();
      tables.push(
        `${meta.tableName}: ${rows
          .map((r) => JSON.stringify(r))
          .sort()
          .join('\n')}`,
      );
    }
    const dir = (d: string) => (fs.existsSync(path.join(t.config.uploadDir, d)) ? fs.readdirSync(path.join(t.config.uploadDir, d)).sort() : []);
    return `${tables.join('\n')}\nfiles: ${dir('files').join(',')}\ntmp: ${dir('tmp').join(',')}\nmail: ${t.mail.messages.length}`;
  }

  type Forgery = [string, (a: Agent, method: 'post', url: string) => ReturnType<Agent['post']>];
  const forgeries: Forgery[] = [
    ['multipart, no token', (a, m, url) => a[m](url).field('note', 'forged').field('shared', '1')],
    ['multipart with a file, no token', (a, m, url) => a[m](url).field('title', 'forged').attach('file', PDF, 'forged.pdf')],
    ['multipart, another session’s token', (a, m, url) => a[m](url).field('_csrf', foreignToken).field('note', 'forged')],
    ['URL-encoded, no token', (a, m, url) => a[m](url).type('form').send({ note: 'forged', shared: '1' })],
    ['URL-encoded, another session’s token', (a, m, url) => a[m](url).type('form').send({ _csrf: foreignToken, note: 'forged' })],
    [
      'JSON, no token',
      (a, m, url) =>
        a[m](url)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ note: 'forged' })),
    ],
    ['text/plain', (a, m, url) => a[m](url).set('Content-Type', 'text/plain').send(`_csrf=${foreignToken}&note=forged`)],
    ['application/octet-stream', (a, m, url) => a[m](url).set('Content-Type', 'application/octet-stream').send(Buffer.from('note=forged'))],
    ['no body', (a, m, url) => a[m](url)],
  ];

  it('finds the state-changing routes, upload routes among them', () => {
    const routes = declaredRoutes(t.app).filter((r) => r.method !== 'GET');
    expect(routes.length).toBeGreaterThanOrEqual(45);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/admin/users/:id/deactivate', '/courses/:id/resources', '/courses/:id/tasks/:taskId/submissions/:owner/files', '/sign-in']),
    );
  });

  it('refuses every forged request to every non-GET route (403) and changes nothing, whoever is signed in', async () => {
    const routes = declaredRoutes(t.app).filter((r) => r.method !== 'GET');
    const before = await snapshot();
    const accepted: string[] = [];
    for (const route of routes) {
      const url = concrete(route.path);
      for (const [role, a] of Object.entries(as)) {
        for (const [label, send] of role === 'admin' ? forgeries : forgeries.slice(0, 4)) {
          const res = await send(a, route.method.toLowerCase() as 'post', url);
          if (res.status !== 403) accepted.push(`${route.method} ${route.path} as ${role}, ${label}: ${res.status}`);
          else if (!textOf(res.text).includes('security token is missing or out of date'))
            accepted.push(`${route.method} ${route.path} as ${role}, ${label}: 403 without the explanation`);
        }
      }
      const after = await snapshot();
      if (after !== before) accepted.push(`${route.method} ${route.path}: something changed`);
    }
    expect(accepted).toEqual([]);
  }, 120_000); // every route × every role × every forgery: 20–30 s on a busy 2-core machine, more on a slow day

  it('refuses PUT, PATCH and DELETE without a token too', async () => {
    for (const method of ['put', 'patch', 'delete'] as const) {
      const res = await as.admin[method](concrete('/admin/users/:id/deactivate')).field('x', '1');
      expect(res.status).toBe(403);
    }
  });

  it('refuses forged posts to the public forms from visitors, in any content type', async () => {
    const publicPosts = ['/sign-in', '/password/forgot', '/password/reset/:token', '/invite/:token'].map(concrete);
    const before = await snapshot();
    for (const url of publicPosts) {
      for (const [label, send] of forgeries) {
        const res = await send(agent(t.server), 'post', url);
        expect(`${url}, ${label}: ${res.status}`).toBe(`${url}, ${label}: 403`);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('accepts a multipart form with its token on a route that takes no file (the fields are parsed before the check)', async () => {
    const base = concrete('/courses/:id/tasks/:taskId/submissions/:owner');
    const token = csrfFrom((await as.participant.get(base)).text);
    const res = await as.participant.post(`${base}/messages`).field('_csrf', token).field('body', 'Sent as multipart.').attach('file', PDF, 'ignored.pdf');
    expect(res.status).toBe(303);
    expect(await t.db.repo(SubmissionMessage).countBy({ body: 'Sent as multipart.' })).toBe(1);
    expect(await t.db.repo(SubmissionFile).countBy({ fileName: 'ignored.pdf' })).toBe(0);
  });
});
