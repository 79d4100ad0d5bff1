import { jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { DomainEvent } from '../src/events/domain-event.entity';
import { EVENT_KINDS, type EventKind } from '../src/events/event-kinds';
import { EventOutsideTransactionError, EventsService } from '../src/events/events.service';
import { Invitation } from '../src/invitations/invitation.entity';
import { Clock } from '../src/meetings/clock';
import { Meeting, MeetingTeam } from '../src/meetings/meeting.entity';
import { Resource } from '../src/resources/resource.entity';
import { Review, Submission, SubmissionMessage } from '../src/submissions/submission.entity';
import { Task } from '../src/tasks/task.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import {
  createCourseWithTeams,
  createPublishedTask,
  createTaskThroughApp,
  createUser,
  releaseReview,
  signedIn,
  submitWork,
  taskFields,
  TEST_PASSWORD,
  type TeamWithPeople,
} from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm } from './utils/http';
import { linkIn } from './utils/mail-catcher';

describe(`domain events, written in the transaction of their change (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let events: EventsService;
  let admin: User;
  let facilitator: User;
  let courseId: number;
  let phaseId: number;
  let team: TeamWithPeople;
  let asAdmin: Agent;
  let asFac: Agent;
  let asLeader: Agent;
  let asExpert: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    events = t.app.get(EventsService);
    admin = await createUser(t.db, { role: 'admin', name: 'Ada Admin' });
    const made = await createCourseWithTeams(t.db, { teams: [{ leader: {}, members: [{}], experts: [{}] }] });
    ({ facilitator } = made);
    courseId = made.course.id;
    phaseId = made.phases[0].id;
    team = made.teams[0];
    asAdmin = await signedIn(t.server, admin);
    asFac = await signedIn(t.server, facilitator);
    asLeader = await signedIn(t.server, team.leader!);
    asExpert = await signedIn(t.server, team.experts[0]);
  });
  afterAll(() => t.close());

  const all = (kind: EventKind) => t.db.repo(DomainEvent).find({ where: { kind }, order: { id: 'ASC' } });
  const total = () => t.db.repo(DomainEvent).count();
  async function latest(kind: EventKind) {
    const rows = await all(kind);
    expect(rows.length).toBeGreaterThan(0);
    const e = rows[rows.length - 1];
    return { ...e, payload: JSON.parse(e.payload) as Record<string, unknown> };
  }
  async function postForm(a: Agent, page: string, action: string, fields: Record<string, string | string[]> = {}) {
    return submitForm(a, page, action, fields);
  }

  describe('record()', () => {
    it('refuses to write outside a transaction, or with a manager that is not the open transaction’s', async () => {
      const event = { kind: 'user.deactivated', actorId: null, subject: { type: 'user', id: 1 }, payload: {} } as const;
      const before = await total();
      await expect(events.record(t.db.manager, event)).rejects.toBeInstanceOf(EventOutsideTransactionError);
      await expect(t.db.tx(() => events.record(t.db.manager, event))).rejects.toBeInstanceOf(EventOutsideTransactionError);
      let escaped: EntityManager | undefined;
      await t.db.tx(async (em) => {
        escaped = em;
      });
      await expect(events.record(escaped!, event)).rejects.toBeInstanceOf(EventOutsideTransactionError);
      expect(await total()).toBe(before);
    });

    it('writes nothing when the transaction fails after record()', async () => {
      const before = await total();
      await expect(
        t.db.tx(async (em) => {
          await events.record(em, { kind: 'user.deactivated', actorId: admin.id, subject: { type: 'user', id: admin.id }, payload: {} });
          expect(await em.getRepository(DomainEvent).count()).toBe(before + 1); // visible inside the transaction…
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await total()).toBe(before); // …and gone with it
    });

    it('lists a payload type for every kind, and stores the row as given', async () => {
      expect(new Set(EVENT_KINDS).size).toBe(EVENT_KINDS.length);
      const row = await t.db.tx((em) =>
        events.record(em, { kind: 'task.published', actorId: null, courseId, subject: { type: 'task', id: 0 }, payload: { title: 'Probe' } }),
      );
      const stored = await t.db.repo(DomainEvent).findOneByOrFail({ id: row.id });
      expect(stored).toMatchObject({ kind: 'task.published', actorId: null, courseId, subjectType: 'task', subjectId: 0 });
      expect(JSON.parse(stored.payload)).toEqual({ title: 'Probe' });
      expect(stored.occurredAt).toBeInstanceOf(Date);
      expect(Math.abs(stored.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
      await t.db.tx((em) => em.getRepository(DomainEvent).delete({ id: row.id })); // the probe is not a real change
    });
  });

  describe('sign-in', () => {
    it('records a sign-in with the account, and a failed one with the account id only (never what was typed)', async () => {
      const person = await createUser(t.db, { name: 'Sina Sign' });
      await signedIn(t.server, person);
      const ok = await latest('user.signed_in');
      expect(ok).toMatchObject({ actorId: person.id, courseId: null, subjectType: 'user', subjectId: person.id, payload: {} });

      const wrong = 'not the password at all';
      const res = await postForm(agent(t.server), '/sign-in', '/sign-in', { email: person.email, password: wrong });
      expect(res.status).toBe(422);
      const failed = await latest('user.sign_in_failed');
      expect(failed).toMatchObject({ actorId: null, subjectType: 'user', subjectId: person.id, payload: { reason: 'wrong_password' } });

      const unknown = await postForm(agent(t.server), '/sign-in', '/sign-in', { email: 'nobody-here@example.org', password: TEST_PASSWORD });
      expect(unknown.status).toBe(422);
      expect(await latest('user.sign_in_failed')).toMatchObject({ actorId: null, subjectId: null, payload: { reason: 'unknown_account' } });

      const raw = (await all('user.sign_in_failed')).map((e) => e.payload).join(' ');
      for (const secret of [wrong, TEST_PASSWORD, person.email, 'nobody-here']) expect(raw).not.toContain(secret);
    });

    it('records a sign-out with the session it ends; signing out without a session records nothing', async () => {
      const person = await createUser(t.db, { name: 'Otto Out' });
      const a = await signedIn(t.server, person);
      const sessions = async () => Number((await t.db.rows<{ n: number }>`SELECT COUNT(*) AS n FROM sessions WHERE user_id = ${person.id}`)[0].n);
      expect(await sessions()).toBe(1);
      const home = await a.get('/dashboard').expect(200);
      await a
        .post('/sign-out')
        .type('form')
        .send({ _csrf: csrfFrom(home.text) })
        .expect(303);
      expect(await sessions()).toBe(0);
      expect(await latest('user.signed_out')).toMatchObject({ actorId: person.id, courseId: null, subjectType: 'user', subjectId: person.id, payload: {} });

      const before = await total();
      const anon = agent(t.server);
      const page = await anon.get('/sign-in').expect(200);
      await anon
        .post('/sign-out')
        .type('form')
        .send({ _csrf: csrfFrom(page.text) })
        .expect(303);
      expect(await total()).toBe(before);
    });
  });

  describe('invitations', () => {
    it('records sent, accepted and withdrawn with the inviter, the course of the team and the invitation', async () => {
      // A facilitator adds a new person from the team page: a team invitation.
      const res = await postForm(asFac, `/courses/${courseId}/teams/${team.team.id}`, `/courses/${courseId}/teams/${team.team.id}/members`, {
        email: 'newcomer@example.org',
        teamRole: 'member',
        position: 'policymaker',
        level: 'national',
      });
      expect(res.status).toBe(303);
      const inv = await t.db.repo(Invitation).findOneByOrFail({ email: 'newcomer@example.org' });
      const sent = await latest('invitation.sent');
      expect(sent).toMatchObject({ actorId: facilitator.id, courseId, subjectType: 'invitation', subjectId: inv.id });
      expect(sent.payload).toEqual({ role: 'participant', teamId: team.team.id, sendCount: 1 });
      expect(JSON.stringify(sent.payload)).not.toContain('newcomer');

      const link = linkIn(await t.mail.last('newcomer@example.org'), '/invite/');
      const invitee = agent(t.server);
      const page = await invitee.get(link).expect(200);
      await invitee
        .post(link)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          name: 'Nia Newcomer',
          timeZone: 'Africa/Nairobi',
          language: 'en',
          password: 'baobab river lantern',
          confirmPassword: 'baobab river lantern',
        })
        .expect(303);
      const user = await t.db.repo(User).findOneByOrFail({ email: 'newcomer@example.org' });
      expect(await latest('invitation.accepted')).toMatchObject({
        actorId: user.id,
        courseId,
        subjectType: 'invitation',
        subjectId: inv.id,
        payload: { userId: user.id, teamId: team.team.id },
      });

      // An administrator's site invitation, resent, then withdrawn.
      expect((await postForm(asAdmin, '/invitations', '/invitations', { email: 'later@example.org', role: 'expert' })).status).toBe(303);
      const other = await t.db.repo(Invitation).findOneByOrFail({ email: 'later@example.org' });
      expect(await latest('invitation.sent')).toMatchObject({
        actorId: admin.id,
        courseId: null,
        subjectId: other.id,
        payload: { role: 'expert', sendCount: 1 },
      });
      expect((await postForm(asAdmin, '/invitations', `/invitations/${other.id}/resend`)).status).toBe(303);
      expect(await latest('invitation.sent')).toMatchObject({ subjectId: other.id, payload: { sendCount: 2 } });
      expect((await postForm(asAdmin, '/invitations', `/invitations/${other.id}/revoke`)).status).toBe(303);
      expect(await latest('invitation.withdrawn')).toMatchObject({ actorId: admin.id, courseId: null, subjectType: 'invitation', subjectId: other.id });
      // Withdrawing again changes nothing and records nothing.
      const before = await total();
      await postForm(asAdmin, '/invitations', `/invitations/${other.id}/revoke`);
      expect(await total()).toBe(before);
    });

    it('leaves no event when the invitation is refused; a refusing mail server changes nothing of it', async () => {
      const before = await total();
      // Invalid form: nothing.
      expect((await postForm(asAdmin, '/invitations', '/invitations', { email: 'not-an-address', role: 'participant' })).status).toBe(422);
      expect(await total()).toBe(before);
      // The mail server refuses: the invitation and its event stay (the e-mail waits in the outbox).
      await t.deliverMail(); // what earlier tests queued goes first
      t.mail.failNext = 1;
      expect((await postForm(asAdmin, '/invitations', '/invitations', { email: 'bounce@example.org', role: 'participant' })).status).toBe(303);
      await t.deliverMail();
      expect(t.mail.failNext).toBe(0);
      const inv = await t.db.repo(Invitation).findOneByOrFail({ email: 'bounce@example.org' });
      expect(await latest('invitation.sent')).toMatchObject({ subjectType: 'invitation', subjectId: inv.id });
      expect(await total()).toBe(before + 1);
    });
  });

  describe('people', () => {
    it('records a role change (from, to) and a deactivation by the administrator; a refused change records nothing', async () => {
      const target = await createUser(t.db, { role: 'participant' });
      expect((await postForm(asAdmin, `/admin/users/${target.id}`, `/admin/users/${target.id}/role`, { role: 'expert' })).status).toBe(303);
      expect(await latest('user.role_changed')).toMatchObject({
        actorId: admin.id,
        courseId: null,
        subjectType: 'user',
        subjectId: target.id,
        payload: { from: 'participant', to: 'expert' },
      });
      expect((await postForm(asAdmin, `/admin/users/${target.id}`, `/admin/users/${target.id}/deactivate`)).status).toBe(303);
      expect(await latest('user.deactivated')).toMatchObject({ actorId: admin.id, subjectType: 'user', subjectId: target.id });
      expect((await postForm(asAdmin, `/admin/users/${target.id}`, `/admin/users/${target.id}/reactivate`)).status).toBe(303);
      expect(await latest('user.reactivated')).toMatchObject({ actorId: admin.id, courseId: null, subjectType: 'user', subjectId: target.id, payload: {} });
      // Reactivating an active account changes nothing and records nothing.
      const n = await total();
      expect((await postForm(asAdmin, `/admin/users/${target.id}`, `/admin/users/${target.id}/reactivate`)).status).toBe(303);
      expect(await total()).toBe(n);

      const before = await total();
      expect((await postForm(asAdmin, `/admin/users/${admin.id}`, `/admin/users/${admin.id}/role`, { role: 'participant' })).status).toBe(422);
      expect((await postForm(asAdmin, `/admin/users/${admin.id}`, `/admin/users/${admin.id}/deactivate`)).status).toBe(422);
      expect((await t.db.repo(User).findOneByOrFail({ id: admin.id })).role).toBe('admin');
      expect(await total()).toBe(before);
    });
  });

  describe('course work', () => {
    let taskId: number;
    let base: string;
    let submissionId: number;

    it('records a task published, once (a draft task and an invalid form record nothing)', async () => {
      const before = await total();
      const draft = await createTaskThroughApp(t.db, asFac, courseId, { title: 'Draft only', phaseId: String(phaseId) }, { publish: false });
      const bad = await postForm(asFac, `/courses/${courseId}/tasks/new`, `/courses/${courseId}/tasks`, { title: '' });
      expect(bad.status).toBe(422);
      expect(await total()).toBe(before);
      expect(draft.status).toBe('draft');

      const task = await createTaskThroughApp(t.db, asFac, courseId, { title: 'Country analysis', phaseId: String(phaseId) });
      taskId = task.id;
      base = `/courses/${courseId}/tasks/${taskId}/submissions/team-${team.team.id}`;
      expect(await latest('task.published')).toMatchObject({
        actorId: facilitator.id,
        courseId,
        subjectType: 'task',
        subjectId: task.id,
        payload: { title: 'Country analysis' },
      });
      // Publishing what is already published records nothing new.
      const n = (await all('task.published')).length;
      await postForm(asFac, `/courses/${courseId}/tasks/${task.id}`, `/courses/${courseId}/tasks/${task.id}/status`, { status: 'published' });
      expect(await all('task.published')).toHaveLength(n);
    });

    it('records a submission with its version and late flag, a released review with its decision, a reopening and a comment', async () => {
      await submitWork(asLeader, base, { text: 'Our first analysis' });
      const sub = await t.db.repo(Submission).findOneByOrFail({ taskId });
      submissionId = sub.id;
      expect(await latest('submission.submitted')).toMatchObject({
        actorId: team.leader!.id,
        courseId,
        subjectType: 'submission',
        subjectId: sub.id,
        payload: { taskId, version: 1, late: false },
      });

      await releaseReview(asExpert, base, 'changes', 'Say more about adult learners.');
      const review = await t.db.repo(Review).findOneByOrFail({ reviewerId: team.experts[0].id });
      expect(await latest('review.released')).toMatchObject({
        actorId: team.experts[0].id,
        courseId,
        subjectType: 'review',
        subjectId: review.id,
        payload: { submissionId: sub.id, taskId, version: 1, decision: 'changes' },
      });

      await submitWork(asLeader, base, { text: 'Our second analysis' });
      expect(await latest('submission.submitted')).toMatchObject({ subjectId: sub.id, payload: { version: 2, late: false } });
      await releaseReview(asExpert, base, 'accept', 'Well done.');
      expect(await latest('review.released')).toMatchObject({ payload: { version: 2, decision: 'accept' } });

      expect((await postForm(asFac, base, `${base}/reopen`, { note: 'One more table, please.' })).status).toBe(303);
      expect(await latest('submission.reopened')).toMatchObject({
        actorId: facilitator.id,
        courseId,
        subjectType: 'submission',
        subjectId: sub.id,
        payload: { taskId, from: 'accepted' },
      });

      expect((await postForm(asLeader, base, `${base}/messages`, { body: 'Thank you, we will add it.' })).status).toBe(303);
      const message = await t.db.repo(SubmissionMessage).findOneByOrFail({ submissionId: sub.id });
      expect(await latest('comment.posted')).toMatchObject({
        actorId: team.leader!.id,
        courseId,
        subjectType: 'message',
        subjectId: message.id,
        payload: { submissionId: sub.id, taskId },
      });
      const raw = (await all('comment.posted')).map((e) => e.payload).join(' ');
      expect(raw).not.toContain('Thank you');

      // An empty message records nothing.
      const before = await total();
      expect((await postForm(asLeader, base, `${base}/messages`, { body: '   ' })).status).toBe(422);
      expect(await total()).toBe(before);
    });

    it('records an extension with its new times; an invalid extension records nothing', async () => {
      const before = await total();
      const bad = await postForm(asFac, base, `${base}/extension`, { dueDay: '2099-02-01', dueTime: '17:00', cutOffDay: '2099-01-01', cutOffTime: '17:00' });
      expect(bad.status).toBe(422);
      expect(await total()).toBe(before);
      expect((await postForm(asFac, base, `${base}/extension`, { dueDay: '2099-02-01', dueTime: '17:00', cutOffDay: '', cutOffTime: '' })).status).toBe(303);
      const e = await latest('extension.granted');
      expect(e).toMatchObject({ actorId: facilitator.id, courseId, subjectType: 'submission', subjectId: submissionId, payload: { taskId, cutOffAt: null } });
      expect(new Date(e.payload.dueAt as string).toISOString()).toBe('2099-02-01T09:00:00.000Z'); // 17:00 in Shanghai
    });

    it('records nothing for a submission refused at its cut-off', async () => {
      const now = Date.now();
      const closed = await createPublishedTask(t.db, {
        courseId,
        phaseId,
        position: 9,
        title: 'Closed task',
        dueAt: new Date(now - 48 * 3600_000),
        cutOffAt: new Date(now - 24 * 3600_000),
      });
      const url = `/courses/${courseId}/tasks/${closed.id}/submissions/team-${team.team.id}`;
      const before = await total();
      const res = await postForm(asLeader, url, `${url}/submit`, { note: '', revision: '0' });
      expect(res.status).toBe(422);
      expect(await total()).toBe(before);
    });

    it('records a task edited with its new title; a stale or invalid edit records nothing', async () => {
      const edit = await asFac.get(`/courses/${courseId}/tasks/${taskId}/edit`).expect(200);
      const version = /name="version" value="(\d+)"/.exec(edit.text)![1];
      const fields = { ...taskFields({ title: 'Country analysis, revised', phaseId: String(phaseId) }), version };
      const before = await total();
      expect(
        (await postForm(asFac, `/courses/${courseId}/tasks/${taskId}/edit`, `/courses/${courseId}/tasks/${taskId}/edit`, { ...fields, title: '' })).status,
      ).toBe(422);
      expect(await total()).toBe(before);
      expect((await postForm(asFac, `/courses/${courseId}/tasks/${taskId}/edit`, `/courses/${courseId}/tasks/${taskId}/edit`, fields)).status).toBe(303);
      expect(await latest('task.updated')).toMatchObject({
        actorId: facilitator.id,
        courseId,
        subjectType: 'task',
        subjectId: taskId,
        payload: { title: 'Country analysis, revised' },
      });
      const n = await total();
      expect((await postForm(asFac, `/courses/${courseId}/tasks/${taskId}/edit`, `/courses/${courseId}/tasks/${taskId}/edit`, fields)).status).toBe(409);
      expect(await total()).toBe(n);
    });

    it('records a resource added, edited and removed; an invalid form records nothing', async () => {
      const page = await asFac.get(`/courses/${courseId}/resources/new`);
      const send = (fields: Record<string, string>) => {
        const req = asFac.post(`/courses/${courseId}/resources`).field('_csrf', csrfFrom(page.text));
        for (const [k, v] of Object.entries(fields)) void req.field(k, v);
        return req;
      };
      const fields = { title: 'Learning cities handbook', kind: 'link', description: '', url: 'https://example.org/handbook', phaseId: '', tags: '' };
      const before = await total();
      expect((await send({ ...fields, url: '' })).status).toBe(422);
      expect(await total()).toBe(before);
      expect((await send(fields)).status).toBe(303);
      const r = await t.db.repo(Resource).findOneByOrFail({ title: 'Learning cities handbook' });
      expect(await latest('resource.added')).toMatchObject({
        actorId: facilitator.id,
        courseId,
        subjectType: 'resource',
        subjectId: r.id,
        payload: { title: 'Learning cities handbook', kind: 'link' },
      });
      const n = await total();
      const edit = await asFac.get(`/courses/${courseId}/resources/${r.id}/edit`);
      await asFac
        .post(`/courses/${courseId}/resources/${r.id}/edit`)
        .field('_csrf', csrfFrom(edit.text))
        .field('title', 'Renamed handbook')
        .field('kind', 'link')
        .field('description', '')
        .field('url', 'https://example.org/handbook')
        .field('phaseId', '')
        .field('tags', '')
        .expect(303);
      expect(await total()).toBe(n + 1);
      expect(await latest('resource.updated')).toMatchObject({
        actorId: facilitator.id,
        courseId,
        subjectType: 'resource',
        subjectId: r.id,
        payload: { title: 'Renamed handbook', kind: 'link' },
      });
      const list = await asFac.get(`/courses/${courseId}/resources`).expect(200);
      await asFac
        .post(`/courses/${courseId}/resources/${r.id}/delete`)
        .type('form')
        .send({ _csrf: csrfFrom(list.text) })
        .expect(303);
      expect(await t.db.repo(Resource).existsBy({ id: r.id })).toBe(false);
      expect(await latest('resource.removed')).toMatchObject({
        actorId: facilitator.id,
        courseId,
        subjectType: 'resource',
        subjectId: r.id,
        payload: { title: 'Renamed handbook', kind: 'link' },
      });
    });

    it('records a meeting booked with its time, expert and team; a refused booking records nothing', async () => {
      const now = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date('2024-10-24T06:00:00Z'));
      try {
        const expert = team.experts[0];
        const form = await asExpert.get(`/courses/${courseId}/availability`);
        const availability = { timeZone: 'Europe/Berlin', slotMinutes: '30', bufferMinutes: '0', minNoticeHours: '24', horizonDays: '30', maxPerTeam: '' };
        await asExpert
          .post(`/courses/${courseId}/availability`)
          .type('form')
          .send({ _csrf: csrfFrom(form.text), ...availability, weekly1Day: '6', weekly1Start: '10:00', weekly1End: '11:00', version: '0' })
          .expect(303);
        const book = async (slot: string) => {
          const page = await asLeader.get(`/courses/${courseId}/meetings/book?expert=${expert.id}`);
          const body = { _csrf: csrfFrom(page.text), expert: String(expert.id), team: String(team.team.id), slot, agenda: 'Our brief' };
          return asLeader.post(`/courses/${courseId}/meetings/book`).type('form').send(body);
        };
        const before = await total();
        expect((await book('2024-10-26T08:10:00.000Z')).status).toBe(422);
        expect(await total()).toBe(before);
        expect((await book('2024-10-26T08:00:00.000Z')).status).toBe(303);
        const meeting = await t.db.repo(Meeting).findOneByOrFail({ hostId: expert.id });
        expect(await latest('meeting.booked')).toMatchObject({
          actorId: team.leader!.id,
          courseId,
          subjectType: 'meeting',
          subjectId: meeting.id,
          payload: { meetingId: meeting.id, title: meeting.title, startsAt: '2024-10-26T08:00:00.000Z', expertId: expert.id, teamIds: [team.team.id] },
        });
      } finally {
        now.mockRestore();
      }
    });
    it('records a meeting held (attendance) and its notes made final; refusals record nothing', async () => {
      const now = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date('2024-10-28T12:00:00Z'));
      try {
        const expert = team.experts[0];
        const meeting = await t.db.tx(async (em) => {
          const m = await em.getRepository(Meeting).save(
            em.getRepository(Meeting).create({
              courseId,
              kind: 'expert_consultation',
              title: 'Records meeting',
              agenda: '',
              onlineLink: null,
              startsAt: new Date('2024-10-28T09:00:00Z'),
              endsAt: new Date('2024-10-28T10:00:00Z'),
              hostId: expert.id,
              bookedBy: null,
              status: 'scheduled',
              sequence: 0,
              version: 1,
              createdAt: new Date(),
              updatedAt: new Date(),
            }),
          );
          await em.getRepository(MeetingTeam).insert({ meetingId: m.id, teamId: team.team.id });
          return m;
        });
        const page = `/courses/${courseId}/meetings/${meeting.id}`;
        const before = await total();
        // Refused: a box for a team not in the meeting, a stale version, a leader (404), empty notes.
        expect((await postForm(asExpert, page, `${page}/attendance`, { present: 'team-999999', version: '1' })).status).toBe(422);
        expect((await postForm(asExpert, page, `${page}/attendance`, { present: `team-${team.team.id}`, version: '7' })).status).toBe(409);
        expect((await postForm(asLeader, page, `${page}/attendance`, { present: `team-${team.team.id}`, version: '1' })).status).toBe(404);
        expect((await postForm(asExpert, page, `${page}/notes`, { notes: '', status: 'final', version: '1' })).status).toBe(422);
        expect(await total()).toBe(before);

        expect((await postForm(asExpert, page, `${page}/attendance`, { present: [`team-${team.team.id}`, `user-${expert.id}`], version: '1' })).status).toBe(
          303,
        );
        expect(await latest('meeting.held')).toMatchObject({
          actorId: expert.id,
          courseId,
          subjectType: 'meeting',
          subjectId: meeting.id,
          payload: { meetingId: meeting.id, title: 'Records meeting', teamsPresent: 1, peoplePresent: 1 },
        });
        expect((await postForm(asExpert, page, `${page}/notes`, { notes: 'Agreed: a budget table.', status: 'draft', version: '2' })).status).toBe(303);
        expect(await all('meeting.notes_finalised')).toHaveLength(0);
        expect((await postForm(asFac, page, `${page}/notes`, { notes: 'Agreed: a budget table.', status: 'final', version: '3' })).status).toBe(303);
        expect(await latest('meeting.notes_finalised')).toMatchObject({
          actorId: facilitator.id,
          courseId,
          subjectType: 'meeting',
          subjectId: meeting.id,
          payload: { meetingId: meeting.id, title: 'Records meeting', hostId: expert.id, teamIds: [team.team.id], personIds: [] },
        });
      } finally {
        now.mockRestore();
      }
    });

    it('records a meeting moved and cancelled, with the reason, times and people; refused changes record nothing', async () => {
      const now = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date('2024-10-24T06:00:00Z'));
      try {
        const expert = team.experts[0];
        const meeting = await t.db.repo(Meeting).findOneByOrFail({ hostId: expert.id, startsAt: new Date('2024-10-26T08:00:00.000Z') });
        const href = `/courses/${courseId}/meetings/${meeting.id}`;
        const send = async (action: string, body: Record<string, string>) => {
          const page = await asLeader.get(href);
          return asLeader
            .post(`${href}/${action}`)
            .type('form')
            .send({ _csrf: csrfFrom(page.text), ...body });
        };
        const before = await total();
        expect((await send('reschedule', { version: '1', slot: '2024-10-26T08:30:00.000Z', reason: '' })).status).toBe(422);
        expect((await send('reschedule', { version: '1', slot: '2024-10-26T08:10:00.000Z', reason: 'Clash' })).status).toBe(422);
        expect(await total()).toBe(before);
        expect((await send('reschedule', { version: '1', slot: '2024-10-26T08:30:00.000Z', reason: 'A clash with the ministry' })).status).toBe(303);
        expect(await latest('meeting.rescheduled')).toMatchObject({
          actorId: team.leader!.id,
          courseId,
          subjectType: 'meeting',
          subjectId: meeting.id,
          payload: {
            meetingId: meeting.id,
            title: meeting.title,
            from: '2024-10-26T08:00:00.000Z',
            startsAt: '2024-10-26T08:30:00.000Z',
            sequence: 1,
            reason: 'A clash with the ministry',
            hostId: expert.id,
            teamIds: [team.team.id],
            personIds: [],
          },
        });
        const n = await total();
        expect((await send('cancel', { version: '1', cancelReason: 'Stale form' })).status).toBe(409);
        expect(await total()).toBe(n);
        expect((await send('cancel', { version: '2', cancelReason: 'Postponed to next phase' })).status).toBe(303);
        expect(await latest('meeting.cancelled')).toMatchObject({
          actorId: team.leader!.id,
          courseId,
          subjectType: 'meeting',
          subjectId: meeting.id,
          payload: { meetingId: meeting.id, startsAt: '2024-10-26T08:30:00.000Z', sequence: 2, reason: 'Postponed to next phase', hostId: expert.id },
        });
        const m = await total();
        expect((await send('cancel', { version: '3', cancelReason: 'Again' })).status).toBe(422);
        expect(await total()).toBe(m);
      } finally {
        now.mockRestore();
      }
    });

    it('records a meeting scheduled with its kind, time, host, teams and people; a refused one records nothing', async () => {
      const now = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date('2024-10-24T06:00:00Z'));
      try {
        const expert = team.experts[0];
        const schedule = async (over: Record<string, string>) => {
          const page = await asFac.get(`/courses/${courseId}/meetings/new`);
          const body = {
            _csrf: csrfFrom(page.text),
            kind: 'plenary',
            title: 'Opening plenary',
            host: String(facilitator.id),
            people: String(expert.id),
            date: '2024-11-04',
            time: '09:00',
            duration: '90',
            ...over,
          };
          return asFac.post(`/courses/${courseId}/meetings/new`).type('form').send(body);
        };
        const before = await total();
        expect((await schedule({ date: '2024-10-01' })).status).toBe(422);
        expect((await schedule({ title: '' })).status).toBe(422);
        expect(await total()).toBe(before);
        expect((await schedule({})).status).toBe(303);
        const meeting = await t.db.repo(Meeting).findOneByOrFail({ title: 'Opening plenary' });
        expect(await latest('meeting.scheduled')).toMatchObject({
          actorId: facilitator.id,
          courseId,
          subjectType: 'meeting',
          subjectId: meeting.id,
          payload: {
            meetingId: meeting.id,
            title: 'Opening plenary',
            kind: 'plenary',
            startsAt: meeting.startsAt.toISOString(),
            hostId: facilitator.id,
            teamIds: [team.team.id],
            personIds: [expert.id],
          },
        });
      } finally {
        now.mockRestore();
      }
    });
  });

  it('has recorded every kind, and no event exists without its change', async () => {
    const rows = await t.db.repo(DomainEvent).find();
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(EVENT_KINDS));
    const tables = {
      invitation: Invitation,
      user: User,
      task: Task,
      submission: Submission,
      review: Review,
      message: SubmissionMessage,
      resource: Resource,
      meeting: Meeting,
    };
    // A removed resource's row is gone (that is the change); its earlier events stay as history.
    const removed = new Set(rows.filter((e) => e.kind === 'resource.removed').map((e) => e.subjectId));
    for (const e of rows) {
      if (e.subjectId === null) continue; // a failed sign-in to no account
      const entity = tables[e.subjectType as keyof typeof tables];
      expect(entity).toBeDefined();
      const gone = e.subjectType === 'resource' && removed.has(e.subjectId);
      expect([e.kind, e.subjectType, await t.db.repo<{ id: number }>(entity).existsBy({ id: e.subjectId })]).toEqual([e.kind, e.subjectType, !gone]);
    }
  });
});
