import { In } from 'typeorm';
import { EventDispatchService } from '../src/events/event-dispatch.service';
import { DomainEvent } from '../src/events/domain-event.entity';
import { EventsService } from '../src/events/events.service';
import { NotificationDelivery, type NotificationDraft } from '../src/notifications/notification-delivery';
import { Notification, NotificationDigest, NotificationPreference } from '../src/notifications/notification.entity';
import { NotificationsWorker } from '../src/notifications/notifications.worker';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { Submission } from '../src/submissions/submission.entity';
import type { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import {
  createCourse,
  createCourseWithTeams,
  createPublishedTask,
  createTaskThroughApp,
  createUser,
  releaseReview,
  signedIn,
  submitWork,
  type TeamWithPeople,
} from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';
import { countQueries } from './utils/query-counter';

const HOUR = 3600_000;

describe(`notifications (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let worker: NotificationsWorker;
  let facilitator: User;
  let courseId: number;
  let courseTitle: string;
  let phaseId: number;
  let kenya: TeamWithPeople; // leader, member, expert
  let ghana: TeamWithPeople; // leader
  let asFac: Agent;
  let asLeader: Agent;
  let asMember: Agent;
  let asExpert: Agent;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    worker = t.app.get(NotificationsWorker);
    const made = await createCourseWithTeams(t.db, {
      teams: [
        { leader: { timeZone: 'Asia/Tokyo' }, members: [{}], experts: [{}] },
        { team: { country: 'GH', city: 'Accra' }, leader: {} },
      ],
    });
    ({ facilitator } = made);
    courseId = made.course.id;
    courseTitle = made.course.title;
    phaseId = made.phases[0].id;
    [kenya, ghana] = made.teams;
    asFac = await signedIn(t.server, facilitator);
    asLeader = await signedIn(t.server, kenya.leader!);
    asMember = await signedIn(t.server, kenya.members[0]);
    asExpert = await signedIn(t.server, kenya.experts[0]);
    await worker.dispatchEvents(); // the sign-ins above: nobody is told of them
  });
  afterAll(() => t.close());

  const notes = (user: User, kind?: string) => t.db.repo(Notification).find({ where: { userId: user.id, ...(kind ? { kind } : {}) }, order: { id: 'ASC' } });
  const mails = (user: User) => t.db.repo(OutboxMessage).find({ where: { userId: user.id }, order: { id: 'ASC' } });
  const told = async (kind: string, since: number) =>
    (await t.db.repo(Notification).find({ where: { kind }, order: { id: 'ASC' } })).filter((n) => n.id > since).map((n) => n.userId);
  const lastId = async () => (await t.db.repo(Notification).find({ order: { id: 'DESC' }, take: 1 }))[0]?.id ?? 0;
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  const newTask = (over: Record<string, string | string[]> = {}) =>
    createTaskThroughApp(t.db, asFac, courseId, { phaseId: String(phaseId), title: `Task ${++seq}`, ...over });
  const base = (taskId: number, owner = `team-${kenya.team.id}`) => `/courses/${courseId}/tasks/${taskId}/submissions/${owner}`;

  describe('each kind reaches the right people and never the actor', () => {
    it('task published: the participants of the teams it is for (digest by default: no e-mail yet)', async () => {
      const since = await lastId();
      const all = await newTask();
      await worker.dispatchEvents();
      expect(sorted(await told('task_published', since))).toEqual(sorted([kenya.leader!.id, kenya.members[0].id, ghana.leader!.id]));
      const row = (await notes(kenya.members[0], 'task_published')).pop()!;
      expect(row).toMatchObject({ courseId, href: `/courses/${courseId}/tasks/${all.id}`, emailState: 'digest_pending', readAt: null });
      expect(row.title).toContain(all.title);

      const since2 = await lastId();
      await newTask({ audience: 'selected', teamIds: [String(ghana.team.id)] });
      await worker.dispatchEvents();
      expect(await told('task_published', since2)).toEqual([ghana.leader!.id]);
    });

    it('submission received: the facilitators and the team’s experts, not the submitter nor the team', async () => {
      const task = await newTask();
      await worker.dispatchEvents();
      const since = await lastId();
      await submitWork(asLeader, base(task.id), { text: 'Our outline.' });
      await worker.dispatchEvents();
      expect(sorted(await told('submission_received', since))).toEqual(sorted([facilitator.id, kenya.experts[0].id]));
      const row = (await notes(facilitator, 'submission_received')).pop()!;
      expect(row.href).toBe(base(task.id));
      expect(row.title).toContain(task.title);
    });

    it('feedback: changes requested and accepted reach the team (with e-mail at once), not the reviewer', async () => {
      const task = await newTask();
      await submitWork(asLeader, base(task.id), { text: 'Draft one.' });
      await worker.dispatchEvents();
      const since = await lastId();
      const mailsBefore = (await mails(kenya.members[0])).length;
      await releaseReview(asExpert, base(task.id), 'changes', 'Please add a timeline.');
      await worker.dispatchEvents();
      expect(sorted(await told('changes_requested', since))).toEqual(sorted([kenya.leader!.id, kenya.members[0].id]));
      const mail = (await mails(kenya.members[0])).slice(mailsBefore);
      expect(mail).toHaveLength(1);
      expect(mail[0]).toMatchObject({ kind: 'notification', toAddress: kenya.members[0].email, status: 'queued', courseId });
      expect(mail[0].subject).toBe(`[${courseTitle}] Changes requested on “${task.title}” (version 1)`);
      expect(mail[0].text).toContain(`http://atelier.test${base(task.id)}`);
      expect(mail[0].text).toContain('http://atelier.test/account/notifications');
      expect(mail[0].html).toContain(`href="http://atelier.test${base(task.id)}"`);
      // The leader lives in Tokyo: the time in the e-mail is theirs, with the workshop's zone beside it.
      const leaderMail = (await mails(kenya.leader!)).pop()!;
      expect(leaderMail.text).toMatch(/\(Asia\/Tokyo\) · .*\(Asia\/Shanghai\)/);

      await submitWork(asLeader, base(task.id), { text: 'Draft two, with a timeline.' });
      await worker.dispatchEvents();
      const since2 = await lastId();
      await releaseReview(asFac, base(task.id), 'accept', 'Well done.');
      await worker.dispatchEvents();
      expect(sorted(await told('accepted', since2))).toEqual(sorted([kenya.leader!.id, kenya.members[0].id]));
    });

    it('comment posted: everyone in the thread (team, facilitators, the team’s experts) except its author', async () => {
      const task = await newTask();
      await submitWork(asLeader, base(task.id), { text: 'For discussion.' });
      await worker.dispatchEvents();
      const since = await lastId();
      const res = await submitForm(asMember, base(task.id), `${base(task.id)}/messages`, { body: 'What do you think?' });
      expect(res.status).toBe(303);
      await worker.dispatchEvents();
      expect(sorted(await told('comment_posted', since))).toEqual(sorted([kenya.leader!.id, facilitator.id, kenya.experts[0].id]));
      expect(await told('comment_posted', since)).not.toContain(ghana.leader!.id);
    });

    it('extension granted: the team given more time, not the facilitator who granted it', async () => {
      const task = await newTask();
      await worker.dispatchEvents();
      const since = await lastId();
      const res = await submitForm(asFac, base(task.id), `${base(task.id)}/extension`, {
        dueDay: '2099-02-01',
        dueTime: '17:00',
        cutOffDay: '',
        cutOffTime: '',
      });
      expect(res.status).toBe(303);
      await worker.dispatchEvents();
      expect(sorted(await told('extension_granted', since))).toEqual(sorted([kenya.leader!.id, kenya.members[0].id]));
      const mail = (await mails(kenya.leader!)).pop()!;
      expect(mail.text).toContain('2099');
      expect(mail.text).toContain('(Asia/Tokyo)');
    });

    it('individual tasks: the person’s work reaches the facilitators and the experts of their team; feedback reaches the person alone', async () => {
      const task = await newTask({ kind: 'individual' });
      await worker.dispatchEvents();
      const mine = base(task.id, `person-${kenya.members[0].id}`);
      const since = await lastId();
      await submitWork(asMember, mine, { text: 'My own paper.' });
      await worker.dispatchEvents();
      expect(sorted(await told('submission_received', since))).toEqual(sorted([facilitator.id, kenya.experts[0].id]));
      const since2 = await lastId();
      await releaseReview(asExpert, mine, 'changes', 'Add sources.');
      await worker.dispatchEvents();
      expect(await told('changes_requested', since2)).toEqual([kenya.members[0].id]);
      expect((await notes(kenya.members[0], 'changes_requested')).pop()!.href).toBe(mine);
    });

    it('meeting kinds exist as preferences without any event', async () => {
      const page = await asLeader.get('/account/notifications').expect(200);
      for (const label of ['Meeting booked', 'Meeting rescheduled', 'Meeting cancelled']) expect(textOf(page.text)).toContain(label);
    });
  });

  describe('preferences: immediately, daily digest, off', () => {
    it('honours each choice: e-mail at once, waiting for the digest, or in-app only', async () => {
      const save = (a: Agent, fields: Record<string, string>) =>
        submitForm(a, '/account/notifications', '/account/notifications', { ...defaults(), ...fields });
      expect((await save(asLeader, { changes_requested: 'off' })).status).toBe(303);
      expect((await save(asMember, { changes_requested: 'digest' })).status).toBe(303);
      expect(await t.db.repo(NotificationPreference).findOneBy({ userId: kenya.leader!.id, kind: 'changes_requested' })).toMatchObject({ mode: 'off' });
      const page = await asLeader.get('/account/notifications').expect(200);
      expect(page.text).toMatch(/id="f-changes_requested-off" name="changes_requested" value="off" checked/);

      const task = await newTask();
      await submitWork(asLeader, base(task.id), { text: 'Work.' });
      await worker.dispatchEvents();
      const leaderMails = (await mails(kenya.leader!)).length;
      const memberMails = (await mails(kenya.members[0])).length;
      await releaseReview(asExpert, base(task.id), 'changes', 'More, please.');
      await worker.dispatchEvents();
      expect((await notes(kenya.leader!, 'changes_requested')).pop()).toMatchObject({ emailState: 'none' });
      expect((await notes(kenya.members[0], 'changes_requested')).pop()).toMatchObject({ emailState: 'digest_pending' });
      expect(await mails(kenya.leader!)).toHaveLength(leaderMails);
      expect(await mails(kenya.members[0])).toHaveLength(memberMails);
    });

    it('refuses a value that is not a choice: 422, the message at the field, the other choices kept', async () => {
      const res = await submitForm(asMember, '/account/notifications', '/account/notifications', { ...defaults(), accepted: 'loudly', task_published: 'off' });
      expect(res.status).toBe(422);
      expect(textOf(res.text)).toContain('Choose immediately, daily digest or off.');
      expect(res.text).toMatch(/id="f-accepted-error"/);
      expect(res.text).toMatch(/name="task_published" value="off" checked/);
      expect(await t.db.repo(NotificationPreference).findOneBy({ userId: kenya.members[0].id, kind: 'task_published' })).toMatchObject({ mode: 'digest' });
      const unknown = await submitForm(asMember, '/account/notifications', '/account/notifications', { ...defaults(), admin: 'yes' });
      expect(unknown.status).toBe(422);
      const missing = await submitForm(asMember, '/account/notifications', '/account/notifications', {});
      expect(missing.status).toBe(422);
    });
  });

  describe('daily digest at 08:00 in the person’s zone', () => {
    async function pending(user: User, n: number, at: Date, course = courseId) {
      const drafts: NotificationDraft[] = Array.from({ length: n }, () => ({
        userId: user.id,
        kind: 'task_published' as const,
        courseId: course,
        title: `Digest item ${++seq}`,
        href: `/courses/${course}`,
        dedupeKey: `test:${seq}`,
        lines: () => ['x'],
      }));
      await t.db.tx((em) => t.app.get(NotificationDelivery).deliver(em, drafts, at));
    }
    const digests = (user: User) => t.db.repo(OutboxMessage).find({ where: { userId: user.id, kind: 'digest' }, order: { id: 'ASC' } });

    it('Europe/Berlin across the end of summer time (2025-10-26): once a day, at 08:00 local whatever the offset', async () => {
      const berlin = await createUser(t.db, { timeZone: 'Europe/Berlin', name: 'Bea Berlin' });
      const other = await createCourse(t.db, { title: 'Second Workshop' });
      await pending(berlin, 2, new Date('2025-10-24T18:00:00Z'));
      await pending(berlin, 1, new Date('2025-10-24T18:00:00Z'), other.course.id);
      await worker.sendDigests(new Date('2025-10-25T05:59:00Z')); // 07:59 CEST
      expect(await digests(berlin)).toHaveLength(0);
      await worker.sendDigests(new Date('2025-10-25T06:00:00Z')); // 08:00 CEST
      let sent = await digests(berlin);
      expect(sent).toHaveLength(1);
      expect(sent[0].subject).toBe('Your daily digest: 3 notifications');
      // Grouped by workshop, each with its items and links.
      const text = sent[0].text;
      expect(text.indexOf(courseTitle)).toBeGreaterThanOrEqual(0);
      expect(text.indexOf('Second Workshop')).toBeGreaterThanOrEqual(0);
      expect(text).toContain(`http://atelier.test/courses/${courseId}`);
      expect(text).toContain('http://atelier.test/account/notifications');
      expect((await notes(berlin)).map((n) => n.emailState)).toEqual(['digested', 'digested', 'digested']);

      await pending(berlin, 1, new Date('2025-10-25T09:00:00Z'));
      await worker.sendDigests(new Date('2025-10-25T20:00:00Z')); // same local day: nothing more
      expect(await digests(berlin)).toHaveLength(1);
      // The clocks go back in the night: 08:00 on the 26th is 07:00 UTC, not 06:00.
      await worker.sendDigests(new Date('2025-10-26T06:30:00Z')); // 07:30 CET
      expect(await digests(berlin)).toHaveLength(1);
      await worker.sendDigests(new Date('2025-10-26T07:00:00Z')); // 08:00 CET
      await worker.sendDigests(new Date('2025-10-26T07:01:00Z'));
      sent = await digests(berlin);
      expect(sent).toHaveLength(2);
      expect(sent[1].subject).toBe(`[${courseTitle}] Your daily digest: 1 notification`);
      expect(await t.db.repo(NotificationDigest).findBy({ userId: berlin.id })).toHaveLength(2);
    });

    it('America/New_York across the start of summer time (2025-03-09)', async () => {
      const ny = await createUser(t.db, { timeZone: 'America/New_York' });
      await pending(ny, 1, new Date('2025-03-07T20:00:00Z'));
      await worker.sendDigests(new Date('2025-03-08T12:59:00Z')); // 07:59 EST
      expect(await digests(ny)).toHaveLength(0);
      await worker.sendDigests(new Date('2025-03-08T13:00:00Z')); // 08:00 EST
      expect(await digests(ny)).toHaveLength(1);
      await pending(ny, 1, new Date('2025-03-08T20:00:00Z'));
      await worker.sendDigests(new Date('2025-03-09T11:59:00Z')); // 07:59 EDT
      expect(await digests(ny)).toHaveLength(1);
      await worker.sendDigests(new Date('2025-03-09T12:00:00Z')); // 08:00 EDT
      expect(await digests(ny)).toHaveLength(2);
    });

    it('sends nothing to a person with nothing waiting', async () => {
      const idle = await createUser(t.db, { timeZone: 'UTC' });
      await worker.sendDigests(new Date());
      expect(await digests(idle)).toHaveLength(0);
    });
  });

  describe('deadline reminders', () => {
    it('48 h and 24 h before the due time, once each, not for work handed in, in the person’s zone', async () => {
      const now = new Date();
      const task = await createPublishedTask(t.db, {
        courseId,
        phaseId,
        title: `Due soon ${++seq}`,
        position: 900,
        dueAt: new Date(now.getTime() + 47 * HOUR),
      });
      // Ghana has handed in.
      await t.db.tx((em) =>
        em.getRepository(Submission).insert({
          taskId: task.id,
          ownerKey: `team:${ghana.team.id}`,
          teamId: ghana.team.id,
          userId: null,
          status: 'submitted',
          draftText: '',
          draftRevision: 1,
          draftUpdatedAt: null,
          draftUpdatedById: null,
          late: false,
          dueAtOverride: null,
          cutOffAtOverride: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      const reminders = async (u: User) => (await notes(u, 'deadline_reminder')).filter((n) => n.title.includes(task.title));
      await worker.sendReminders(now);
      await worker.sendReminders(new Date(now.getTime() + HOUR));
      expect(await reminders(kenya.leader!)).toHaveLength(1);
      expect((await reminders(kenya.leader!))[0].title).toContain('48 hours');
      expect(await reminders(kenya.members[0])).toHaveLength(1);
      expect(await reminders(ghana.leader!)).toHaveLength(0);
      expect(await reminders(facilitator)).toHaveLength(0);
      const mail = (await mails(kenya.members[0])).pop()!;
      expect(mail.subject).toContain(task.title);
      expect(mail.text).toMatch(/\(Africa\/Nairobi\) · .*\(Asia\/Shanghai\)/);

      await worker.sendReminders(new Date(now.getTime() + 24 * HOUR));
      await worker.sendReminders(new Date(now.getTime() + 30 * HOUR));
      const after = await reminders(kenya.leader!);
      expect(after.map((n) => n.title.match(/\d+ hours/)![0])).toEqual(['48 hours', '24 hours']);
      await worker.sendReminders(new Date(now.getTime() + 48 * HOUR)); // past due: nothing
      expect(await reminders(kenya.leader!)).toHaveLength(2);
    });

    it('follows an extension: the reminder comes before the team’s own due time', async () => {
      const now = new Date();
      const task = await createPublishedTask(t.db, { courseId, phaseId, title: `Extended ${++seq}`, position: 902, dueAt: new Date(now.getTime() - 2 * HOUR) });
      const ownDue = new Date(now.getTime() + 30 * HOUR);
      await t.db.tx((em) =>
        em.getRepository(Submission).insert({
          taskId: task.id,
          ownerKey: `team:${kenya.team.id}`,
          teamId: kenya.team.id,
          userId: null,
          status: 'draft',
          draftText: 'Half way.',
          draftRevision: 1,
          draftUpdatedAt: null,
          draftUpdatedById: null,
          late: false,
          dueAtOverride: ownDue,
          cutOffAtOverride: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await worker.sendReminders(now);
      const of = async (u: User) => (await notes(u, 'deadline_reminder')).filter((n) => n.title.includes(task.title));
      expect((await of(kenya.leader!)).map((n) => n.title.match(/\d+ hours/)![0])).toEqual(['48 hours']);
      expect((await of(kenya.leader!))[0].dedupeKey).toContain(ownDue.toISOString());
      expect(await of(ghana.leader!)).toHaveLength(0); // its due time has passed
    });

    it('a task due within 24 hours gets only the 24-hour reminder', async () => {
      const now = new Date();
      const task = await createPublishedTask(t.db, {
        courseId,
        phaseId,
        title: `Due very soon ${++seq}`,
        position: 901,
        dueAt: new Date(now.getTime() + 5 * HOUR),
      });
      await worker.sendReminders(now);
      const rows = (await notes(kenya.leader!, 'deadline_reminder')).filter((n) => n.title.includes(task.title));
      expect(rows.map((n) => n.title.match(/\d+ hours/)![0])).toEqual(['24 hours']);
    });
  });

  describe('dispatch', () => {
    it('a failing handler leaves its events undispatched and nothing of its work', async () => {
      await worker.dispatchEvents();
      const published = await createPublishedTask(t.db, { courseId, phaseId, title: `Probe ${++seq}`, position: 950 });
      const event = await t.db.tx((em) =>
        t.app.get(EventsService).record(em, {
          kind: 'task.published',
          actorId: facilitator.id,
          courseId,
          subject: { type: 'task', id: published.id },
          payload: { title: published.title },
        }),
      );
      const before = await t.db.repo(Notification).count();
      const handled = await t.app.get(EventDispatchService).dispatch(async (em, events) => {
        expect(events.map((e) => e.id)).toContain(event.id);
        expect(events[0]).not.toBeInstanceOf(DomainEvent);
        await em.getRepository(Notification).insert({
          userId: facilitator.id,
          kind: 'task_published',
          courseId,
          title: 'half done',
          href: '/',
          dedupeKey: 'half',
          createdAt: new Date(),
          readAt: null,
          emailState: 'none',
        });
        throw new Error('the reader failed');
      });
      expect(handled).toBe(0);
      expect(await t.db.repo(Notification).count()).toBe(before);
      expect(await t.db.repo(DomainEvent).findOneByOrFail({ id: event.id })).toMatchObject({ dispatchedAt: null });
      expect(await worker.dispatchEvents()).toBeGreaterThanOrEqual(1); // the next run hands it over
      expect((await t.db.repo(DomainEvent).findOneByOrFail({ id: event.id })).dispatchedAt).not.toBeNull();
    });

    it('one event the reader cannot take holds back only itself', async () => {
      await worker.dispatchEvents();
      const made = await t.db.tx(async (em) => {
        const out: number[] = [];
        for (let i = 0; i < 4; i++)
          out.push((await t.app.get(EventsService).record(em, { kind: 'user.deactivated', actorId: null, subject: { type: 'user', id: i }, payload: {} })).id);
        return out;
      });
      const poison = made[1];
      const handled: number[] = [];
      const n = await t.app.get(EventDispatchService).dispatch(async (_em, events) => {
        if (events.some((e) => e.id === poison)) throw new Error('cannot read this one');
        handled.push(...events.map((e) => e.id));
      });
      expect(n).toBe(3);
      expect(sorted(handled)).toEqual(sorted(made.filter((id) => id !== poison)));
      expect(await t.db.repo(DomainEvent).findOneByOrFail({ id: poison })).toMatchObject({ dispatchedAt: null });
      await t.db.tx((em) => em.getRepository(DomainEvent).update({ id: poison }, { dispatchedAt: new Date() })); // out of the way of the tests below
    });

    it('never gives one event to two dispatchers running at once (they take disjoint batches)', async () => {
      await worker.dispatchEvents();
      await t.db.tx(async (em) => {
        for (let i = 0; i < 60; i++)
          await t.app.get(EventsService).record(em, { kind: 'user.deactivated', actorId: null, subject: { type: 'user', id: i }, payload: {} });
      });
      const second = ON_POSTGRES ? await createTestApp({}, t) : null;
      const handled: number[] = [];
      try {
        const slowReader = async (_em: unknown, events: { id: number }[]) => {
          await new Promise((r) => setTimeout(r, 30)); // both hold their batch at the same time
          handled.push(...events.map((e) => e.id));
        };
        const dispatchers = [t.app.get(EventDispatchService), (second ?? t).app.get(EventDispatchService)];
        for (let round = 0; round < 8; round++) await Promise.all(dispatchers.map((d) => d.dispatch(slowReader, 5)));
      } finally {
        await second?.close();
      }
      expect(handled.length).toBe(new Set(handled).size);
      expect(handled.length).toBe(60);
    });

    it('hands each event over exactly once with two dispatchers running at once', async () => {
      await worker.dispatchEvents();
      const published = await createPublishedTask(t.db, { courseId, phaseId, title: `Many ${++seq}`, position: 960 });
      const N = 240;
      await t.db.tx(async (em) => {
        for (let i = 0; i < N; i++)
          await t.app.get(EventsService).record(em, {
            kind: 'task.published',
            actorId: facilitator.id,
            courseId,
            subject: { type: 'task', id: published.id },
            payload: { title: published.title },
          });
      });
      // On PostgreSQL a second app on the same database: a second worker process in all but name.
      const second = ON_POSTGRES ? await createTestApp({}, t) : null;
      try {
        const other = (second ?? t).app.get(NotificationsWorker);
        const counts = await Promise.all([worker.dispatchEvents(new Date(), 20), other.dispatchEvents(new Date(), 20), worker.dispatchEvents(new Date(), 20)]);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
        if (ON_POSTGRES) expect(counts.filter((c) => c > 0).length).toBeGreaterThan(1); // they really shared the work
      } finally {
        await second?.close();
      }
      const events = await t.db.repo(DomainEvent).findBy({ kind: 'task.published', subjectId: published.id });
      expect(events.every((e) => e.dispatchedAt !== null)).toBe(true);
      const rows = await t.db.repo(Notification).findBy({ dedupeKey: In(events.map((e) => `event:${e.id}`)) });
      expect(rows).toHaveLength(N * 3); // three participants each
    });
  });

  describe('pages, by role', () => {
    it('sends a signed-out visitor to sign in', async () => {
      for (const path of ['/notifications', '/account/notifications']) {
        const res = await agent(t.server).get(path);
        expect(res.status).toBe(303);
        expect(res.headers.location).toMatch(/^\/sign-in/);
      }
      const post = await agent(t.server).post('/notifications/read').type('form').send({});
      expect([303, 403]).toContain(post.status);
    });

    it('lists only one’s own notifications, newest first, unread marked in words; the header counts them', async () => {
      const mine = await notes(kenya.leader!);
      const unread = mine.filter((n) => !n.readAt).length;
      expect(unread).toBeGreaterThan(0);
      const page = await asLeader.get('/notifications').expect(200);
      const text = textOf(page.text);
      expect(text).toContain(`Notifications (${unread} unread)`);
      expect(text).toContain('New');
      const newest = mine[mine.length - 1];
      expect(page.text.indexOf(newest.title.replace(/“|”/g, (c) => c))).toBeGreaterThan(-1);
      expect(text).not.toContain('Digest item');
      const dash = await asLeader.get('/dashboard').expect(200);
      expect(textOf(dash.text)).toContain(`Notifications (${unread} unread)`);
    });

    it('marks one as read (own only: someone else’s is 404) and all as read', async () => {
      const [first] = (await notes(kenya.leader!)).filter((n) => !n.readAt);
      const theirs = (await notes(kenya.members[0]))[0];
      const page = await asLeader.get('/notifications');
      const token = csrfFrom(page.text);
      await asLeader.post(`/notifications/${theirs.id}/read`).type('form').send({ _csrf: token }).expect(404);
      expect((await t.db.repo(Notification).findOneByOrFail({ id: theirs.id })).readAt).toBeNull();
      await asLeader.post('/notifications/999999/read').type('form').send({ _csrf: token }).expect(404);
      await asLeader.post(`/notifications/${first.id}/read`).type('form').send({ _csrf: token }).expect(303);
      expect((await t.db.repo(Notification).findOneByOrFail({ id: first.id })).readAt).not.toBeNull();
      await asLeader.post('/notifications/read').type('form').send({}).expect(403); // no CSRF token
      await asLeader.post('/notifications/read').type('form').send({ _csrf: token }).expect(303);
      expect((await notes(kenya.leader!)).every((n) => n.readAt !== null)).toBe(true);
      expect((await notes(kenya.members[0])).some((n) => n.readAt === null)).toBe(true);
      const after = await asLeader.get('/notifications').expect(200);
      expect(textOf(after.text)).not.toMatch(/Notifications \(\d+ unread\)/);
    });

    it('paginates', async () => {
      const many = await createUser(t.db, { timeZone: 'UTC' });
      const drafts: NotificationDraft[] = Array.from({ length: 30 }, (_, i) => ({
        userId: many.id,
        kind: 'task_published' as const,
        courseId,
        title: `Item number ${i + 1}.`,
        href: `/courses/${courseId}`,
        dedupeKey: `page:${i}`,
        lines: () => [],
      }));
      await t.db.tx((em) => t.app.get(NotificationDelivery).deliver(em, drafts, new Date()));
      const a = await signedIn(t.server, many);
      const one = textOf((await a.get('/notifications').expect(200)).text);
      expect(one).toContain('Item number 30.');
      expect(one).not.toContain('Item number 5.');
      expect(one).toContain('Page 1 of 2');
      const two = textOf((await a.get('/notifications?page=2').expect(200)).text);
      expect(two).toContain('Item number 5.');
      expect(two).not.toContain('Item number 30.');
    });

    it('costs one query for the header count, whatever the number of notifications', async () => {
      const cost = await countQueries(t.db, () => asMember.get('/notifications').expect(200));
      expect(cost).toBeLessThanOrEqual(7);
    });
  });
});

function defaults(): Record<string, string> {
  return {
    submission_received: 'digest',
    feedback_released: 'immediately',
    changes_requested: 'immediately',
    accepted: 'immediately',
    comment_posted: 'immediately',
    extension_granted: 'immediately',
    task_published: 'digest',
    deadline_reminder: 'immediately',
    meeting_booked: 'immediately',
    meeting_rescheduled: 'immediately',
    meeting_cancelled: 'immediately',
    meeting_notes: 'digest',
  };
}
