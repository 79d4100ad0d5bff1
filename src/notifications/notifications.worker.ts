import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { formatInstant } from '../common/time';
import { wallClock } from '../common/zoned-time';
import { CourseStaffService } from '../courses/course-staff.service';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { EventDispatchService, type DispatchedEvent } from '../events/event-dispatch.service';
import { composeMail } from '../mail/compose';
import { OutboxService } from '../outbox/outbox.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { type TaskBrief, TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { NotificationDelivery, type NotificationDraft, PREFERENCES_PATH } from './notification-delivery';
import { NotificationsService } from './notifications.service';

const HOUR = 3600_000;
/** Digests go out at this local hour (or at the first run after it that day). */
export const DIGEST_HOUR = 8;
/** How many events one transaction hands over; one run takes batches until none are left (at most MAX_BATCHES). */
const BATCH = 100;
const MAX_BATCHES = 20;

type Owner = { teamId: number | null; userId: number | null };

/**
 * The notifications' background jobs, called by the worker loop: hand new domain events to the
 * people concerned (`dispatchEvents`), remind of deadlines (`sendReminders`), and send the morning
 * digests (`sendDigests`). Each is safe to run from several workers at once.
 */
@Injectable()
export class NotificationsWorker {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly db: Database,
    private readonly dispatcher: EventDispatchService,
    private readonly delivery: NotificationDelivery,
    private readonly notifications: NotificationsService,
    private readonly tasks: TasksService,
    private readonly work: WorkStatusService,
    private readonly teams: TeamsService,
    private readonly staff: CourseStaffService,
    private readonly users: UsersService,
    private readonly courses: CoursesService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Turns every event not yet handed over into notifications (batches of 100, each in its own transaction). Answers how many events were handled. */
  async dispatchEvents(now = new Date(), batch = BATCH): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await this.dispatcher.dispatch(async (em, events) => void (await this.delivery.deliver(em, await this.draftsFor(events), now)), batch, now);
      total += n;
      if (n < batch) break;
    }
    return total;
  }

  /** What the events of a batch tell whom (a constant number of queries for the whole batch). */
  async draftsFor(events: DispatchedEvent[]): Promise<NotificationDraft[]> {
    const relevant = events.filter((e) => e.courseId !== null);
    const submissionIdOf = (e: DispatchedEvent): number | null => {
      if (e.kind === 'submission.submitted' || e.kind === 'extension.granted') return e.subject.id;
      if (e.kind === 'review.released' || e.kind === 'comment.posted') return e.payload.submissionId;
      return null;
    };
    const subIds = relevant.map(submissionIdOf).filter((id): id is number => id !== null);
    const publishedIds = relevant.filter((e) => e.kind === 'task.published').map((e) => e.subject.id!);
    const booked = relevant.filter((e): e is Extract<DispatchedEvent, { kind: 'meeting.booked' }> => e.kind === 'meeting.booked');
    const notes = relevant.filter((e): e is Extract<DispatchedEvent, { kind: 'meeting.notes_finalised' }> => e.kind === 'meeting.notes_finalised');
    const changed = relevant.filter(
      (e): e is Extract<DispatchedEvent, { kind: 'meeting.rescheduled' | 'meeting.cancelled' }> =>
        e.kind === 'meeting.rescheduled' || e.kind === 'meeting.cancelled',
    );
    const scheduled = relevant.filter((e): e is Extract<DispatchedEvent, { kind: 'meeting.scheduled' }> => e.kind === 'meeting.scheduled');
    if (!subIds.length && !publishedIds.length && !booked.length && !changed.length && !notes.length && !scheduled.length) return [];
    const subs = new Map((await this.work.submissionRefs(subIds)).map((s) => [s.id, s]));
    const tasks = new Map((await this.tasks.briefs([...[...subs.values()].map((s) => s.taskId), ...publishedIds])).map((t) => [t.id, t]));
    const courseIds = [...new Set(relevant.map((e) => e.courseId!))];

    // The teams each piece of work belongs to: the team, or the person's teams (of the task's audience).
    const personIds = [...subs.values()].map((s) => s.userId).filter((id): id is number => id !== null);
    const personTeams = await this.teams.teamsOfPeople(personIds);
    const allTasksCourses = publishedIds.map((id) => tasks.get(id)).filter((t) => t && t.audienceTeamIds === null);
    const courseTeams = await this.teams.teamsOfCourses(allTasksCourses.map((t) => t!.courseId));
    const inAudience = (task: TaskBrief, teamId: number) => task.audienceTeamIds === null || task.audienceTeamIds.includes(teamId);
    const teamsOfWork = (s: Owner, task: TaskBrief): number[] =>
      s.teamId
        ? [s.teamId]
        : personTeams.filter((p) => p.userId === s.userId && p.courseId === task.courseId && inAudience(task, p.teamId)).map((p) => p.teamId);
    const audienceTeams = (task: TaskBrief) => task.audienceTeamIds ?? courseTeams.filter((t) => t.courseId === task.courseId).map((t) => t.id);
    const teamIds = new Set<number>();
    for (const s of subs.values()) {
      const task = tasks.get(s.taskId);
      if (task) teamsOfWork(s, task).forEach((id) => teamIds.add(id));
    }
    for (const id of publishedIds) {
      const task = tasks.get(id);
      if (task) audienceTeams(task).forEach((tid) => teamIds.add(tid));
    }
    for (const e of [...booked, ...scheduled, ...changed, ...notes]) e.payload.teamIds.forEach((id) => teamIds.add(id));
    const members = await this.teams.membersOf([...teamIds]);
    const experts = await this.teams.expertsOf([...teamIds]);
    const facilitators = await this.staff.facilitatorsOf(courseIds);
    const teamNames = await this.teams.teamNames([...subs.values()].map((s) => s.teamId).filter((id): id is number => id !== null));
    const names = await this.users.namesByIds([...relevant.map((e) => e.actorId).filter((id): id is number => id !== null), ...personIds]);

    const drafts: NotificationDraft[] = [];
    const tell = (userIds: Iterable<number>, e: DispatchedEvent, d: Omit<NotificationDraft, 'userId' | 'courseId' | 'dedupeKey'>) => {
      for (const userId of new Set(userIds)) if (userId !== e.actorId) drafts.push({ ...d, userId, courseId: e.courseId, dedupeKey: `event:${e.id}` });
    };
    const when = (at: Date) => (zone: string, courseZone: string | null) => formatInstant(at, zone, courseZone ?? undefined);
    for (const e of relevant) {
      if (e.kind === 'meeting.booked') {
        const { meetingId, title, expertId, teamIds: meetingTeams } = e.payload;
        const at = when(new Date(e.payload.startsAt));
        const actor = (e.actorId !== null && names.get(e.actorId)) || 'Someone';
        tell([expertId, ...members.filter((m) => meetingTeams.includes(m.teamId)).map((m) => m.userId)], e, {
          kind: 'meeting_booked',
          title: `Meeting booked: “${title}”`,
          href: `/courses/${e.courseId}/meetings/${meetingId}`,
          lines: (z, cz) => [`${actor} booked “${title}” for ${at(z, cz)}.`],
        });
        continue;
      }
      if (e.kind === 'meeting.notes_finalised') {
        const { meetingId, title, hostId, teamIds: meetingTeams, personIds } = e.payload;
        const actor = (e.actorId !== null && names.get(e.actorId)) || 'Someone';
        tell([hostId, ...personIds, ...members.filter((m) => meetingTeams.includes(m.teamId)).map((m) => m.userId)], e, {
          kind: 'meeting_notes',
          title: `Notes of “${title}”`,
          href: `/courses/${e.courseId}/meetings/${meetingId}#notes`,
          lines: () => [`${actor} made the notes of “${title}” final. Read them, and the action items, on the meeting’s page.`],
        });
      }
      if (e.kind === 'meeting.rescheduled' || e.kind === 'meeting.cancelled') {
        // Everyone in the meeting: its host, its teams' members and the people listed in it (never who changed it).
        const { meetingId, title, hostId, personIds, reason } = e.payload;
        const people = [hostId, ...members.filter((m) => e.payload.teamIds.includes(m.teamId)).map((m) => m.userId), ...personIds];
        const actor = (e.actorId !== null && names.get(e.actorId)) || 'Someone';
        const href = `/courses/${e.courseId}/meetings/${meetingId}`;
        if (e.kind === 'meeting.rescheduled') {
          const was = when(new Date(e.payload.from));
          const now = when(new Date(e.payload.startsAt));
          tell(people, e, {
            kind: 'meeting_rescheduled',
            title: `Meeting moved: “${title}”`,
            href,
            lines: (z, cz) => [`${actor} moved “${title}”.`, `It was: ${was(z, cz)}.`, `It is now: ${now(z, cz)}.`, `Reason: ${reason}`],
          });
        } else {
          const was = when(new Date(e.payload.startsAt));
          tell(people, e, {
            kind: 'meeting_cancelled',
            title: `Meeting cancelled: “${title}”`,
            href,
            lines: (z, cz) => [`${actor} cancelled “${title}”, which was to be on ${was(z, cz)}.`, `Reason: ${reason}`],
          });
        }
      }
      if (e.kind === 'meeting.scheduled') {
        // Told under "meeting booked or scheduled": the host, the teams' members and the meeting's people.
        const { meetingId, title, hostId, teamIds: meetingTeams, personIds: people } = e.payload;
        const at = when(new Date(e.payload.startsAt));
        const actor = (e.actorId !== null && names.get(e.actorId)) || 'Someone';
        tell([hostId, ...people, ...members.filter((m) => meetingTeams.includes(m.teamId)).map((m) => m.userId)], e, {
          kind: 'meeting_booked',
          title: `Meeting scheduled: “${title}”`,
          href: `/courses/${e.courseId}/meetings/${meetingId}`,
          lines: (z, cz) => [`${actor} scheduled “${title}” for ${at(z, cz)}.`],
        });
        continue;
      }
      if (e.kind === 'task.published') {
        const task = tasks.get(e.subject.id!);
        if (!task || !task.published) continue;
        const teams = audienceTeams(task);
        const due = when(task.dueAt);
        tell(
          members.filter((m) => teams.includes(m.teamId)).map((m) => m.userId),
          e,
          {
            kind: 'task_published',
            title: `New task: “${task.title}”`,
            href: `/courses/${task.courseId}/tasks/${task.id}`,
            lines: (z, cz) => [`A new ${task.kind === 'team' ? 'team' : 'individual'} task, “${task.title}”, has been published.`, `Due: ${due(z, cz)}.`],
          },
        );
        continue;
      }
      const subId = submissionIdOf(e);
      const sub = subId !== null ? subs.get(subId) : undefined;
      const task = sub ? tasks.get(sub.taskId) : undefined;
      if (!sub || !task) continue;
      const workTeams = teamsOfWork(sub, task);
      const owners = sub.teamId ? members.filter((m) => m.teamId === sub.teamId).map((m) => m.userId) : [sub.userId!];
      const ownerLabel = sub.teamId ? (teamNames.get(sub.teamId) ?? 'A team') : (names.get(sub.userId!) ?? 'A participant');
      const teamExperts = experts.filter((x) => workTeams.includes(x.teamId)).map((x) => x.userId);
      const courseFacilitators = facilitators.filter((f) => f.courseId === e.courseId).map((f) => f.userId);
      const href = sub.href(task.courseId);
      const actor = (e.actorId !== null && names.get(e.actorId)) || 'Someone';
      const at = when(e.occurredAt);
      if (e.kind === 'submission.submitted') {
        const d = {
          kind: 'submission_received' as const,
          title: `${ownerLabel} handed in “${task.title}” (version ${e.payload.version})${e.payload.late ? ', late' : ''}`,
          href,
          lines: (z: string, cz: string | null) => [`${actor} handed in version ${e.payload.version} of “${task.title}” for ${ownerLabel} on ${at(z, cz)}.`],
        };
        tell(courseFacilitators, e, { ...d, asStaff: 'facilitator' });
        tell(
          teamExperts.filter((id) => !courseFacilitators.includes(id)),
          e,
          { ...d, asStaff: 'expert' },
        );
      } else if (e.kind === 'review.released') {
        const { decision, version } = e.payload;
        const kind = decision === 'changes' ? 'changes_requested' : decision === 'accept' ? 'accepted' : 'feedback_released';
        const title =
          kind === 'changes_requested'
            ? `Changes requested on “${task.title}” (version ${version})`
            : kind === 'accepted'
              ? `“${task.title}” (version ${version}) was accepted`
              : `Feedback on “${task.title}” (version ${version})`;
        tell(owners, e, {
          kind,
          title,
          href,
          lines: (z, cz) => [
            `${actor} released feedback on version ${version} of “${task.title}” on ${at(z, cz)}.`,
            ...(kind === 'changes_requested' ? ['Please revise the work and hand it in again.'] : []),
          ],
        });
      } else if (e.kind === 'extension.granted') {
        const dueAt = e.payload.dueAt ? new Date(e.payload.dueAt) : null;
        tell(owners, e, {
          kind: 'extension_granted',
          title: `Extension for “${task.title}”`,
          href,
          lines: (z, cz) => [
            dueAt
              ? `${ownerLabel} now has until ${formatInstant(dueAt, z, cz ?? undefined)} for “${task.title}”.`
              : `The due time of “${task.title}” for ${ownerLabel} is the task’s own again.`,
          ],
        });
      } else if (e.kind === 'comment.posted') {
        tell([...owners, ...courseFacilitators, ...teamExperts], e, {
          kind: 'comment_posted',
          title: `${actor} commented on ${ownerLabel}’s “${task.title}”`,
          href,
          lines: (z, cz) => [`${actor} wrote in the discussion of “${task.title}” (${ownerLabel}) on ${at(z, cz)}.`],
        });
      }
    }
    return drafts;
  }

  /**
   * Deadline reminders, 48 and 24 hours before each team's or person's due time (their extension
   * counts), once each, only for work not handed in. A run inside the last 24 hours sends only the
   * 24-hour one. One transaction; a constant number of queries.
   */
  async sendReminders(now = new Date()): Promise<number> {
    const horizon = new Date(now.getTime() + 48 * HOUR);
    const taskIds = [...new Set([...(await this.tasks.publishedDueBetween(now, horizon)), ...(await this.work.extendedDueBetween(now, horizon))])];
    if (!taskIds.length) return 0;
    const tasks = (await this.tasks.briefs(taskIds)).filter((t) => t.published);
    const standing = await this.work.standing(tasks.map((t) => t.id));
    const courseTeams = await this.teams.teamsOfCourses(tasks.filter((t) => t.audienceTeamIds === null).map((t) => t.courseId));
    const teamsOfCourse = new Map<number, number[]>();
    for (const c of courseTeams) (teamsOfCourse.get(c.courseId) ?? teamsOfCourse.set(c.courseId, []).get(c.courseId)!).push(c.id);
    const audience = (t: TaskBrief) => t.audienceTeamIds ?? teamsOfCourse.get(t.courseId) ?? [];
    const members = await this.teams.memberIdsOf([...new Set(tasks.flatMap(audience))]);
    // Looked up by key, not searched: at scale (hundreds of tasks due, thousands of pieces of work) a
    // search per owner blocked the event loop for a few hundred milliseconds.
    const peopleOf = new Map<number, number[]>();
    for (const m of members) (peopleOf.get(m.teamId) ?? peopleOf.set(m.teamId, []).get(m.teamId)!).push(m.userId);
    const standingOf = new Map(standing.map((x) => [`${x.taskId}:${x.ownerKey}`, x]));
    const drafts: NotificationDraft[] = [];
    for (const task of tasks) {
      const teams = audience(task);
      const owners: { owner: Owner; people: number[] }[] =
        task.kind === 'team'
          ? teams.map((teamId) => ({ owner: { teamId, userId: null }, people: peopleOf.get(teamId) ?? [] }))
          : [...new Set(teams.flatMap((teamId) => peopleOf.get(teamId) ?? []))].map((userId) => ({
              owner: { teamId: null, userId },
              people: [userId],
            }));
      for (const { owner, people } of owners) {
        const s = standingOf.get(`${task.id}:${WorkStatusService.keyOf(owner)}`);
        if (s?.handedIn) continue;
        const due = s?.dueAtOverride ?? task.dueAt;
        const left = due.getTime() - now.getTime();
        if (left <= 0 || left > 48 * HOUR) continue;
        const hours = left <= 24 * HOUR ? 24 : 48;
        for (const userId of people)
          drafts.push({
            userId,
            kind: 'deadline_reminder',
            courseId: task.courseId,
            title: `Reminder: “${task.title}” is due within ${hours} hours`,
            href: WorkStatusService.hrefOf(task.courseId, task.id, owner),
            dedupeKey: `reminder:${task.id}:${WorkStatusService.keyOf(owner)}:${hours}:${due.toISOString()}`,
            lines: (z, cz) => [`“${task.title}” is due ${formatInstant(due, z, cz ?? undefined)}.`, 'It has not been handed in yet.'],
          });
      }
    }
    if (!drafts.length) return 0;
    return this.db.tx((em) => this.delivery.deliver(em, drafts, now));
  }

  /**
   * The morning digest: for each person with notifications waiting for it, once it is 08:00 or
   * later in their zone, one e-mail listing them grouped by workshop, at most once per local day
   * (a row per person and day, unique). Each person's digest is its own transaction: the e-mail,
   * the row and the notifications' new state commit together. Answers how many digests were queued.
   */
  async sendDigests(now = new Date()): Promise<number> {
    const waiting = await this.notifications.digestWaitingUserIds();
    if (!waiting.length) return 0;
    const people = await this.users.people(waiting);
    const due = [...people.values()].filter((p) => p.active && Number(wallClock(now, p.timeZone).slice(11, 13)) >= DIGEST_HOUR);
    if (!due.length) return 0;
    const dayOf = (zone: string) => wallClock(now, zone).slice(0, 10);
    const sent = await this.notifications.digestsSent(
      due.map((p) => p.id),
      [...new Set(due.map((p) => dayOf(p.timeZone)))],
    );
    const toSend = due.filter((p) => !sent.has(`${p.id} ${dayOf(p.timeZone)}`));
    if (!toSend.length) return 0;
    const pending = await this.notifications.digestPending(toSend.map((p) => p.id));
    const courses = await this.courses.briefs(pending.map((n) => n.courseId).filter((id): id is number => id !== null));
    const base = this.config.publicBaseUrl;
    let count = 0;
    for (const person of toSend) {
      const items = pending.filter((n) => n.userId === person.id);
      if (!items.length) continue;
      const groups = new Map<number | null, typeof items>();
      for (const n of items) groups.set(n.courseId, [...(groups.get(n.courseId) ?? []), n]);
      const courseIds = [...groups.keys()];
      const lines = [
        `Good morning. ${items.length === 1 ? 'One notification' : `${items.length} notifications`} since your last digest:`,
        ...[...groups].map(([courseId, list]) => {
          const course = courseId !== null ? courses.get(courseId) : undefined;
          return [course?.title ?? 'Atelier', ...list.map((n) => `• ${n.title} (${formatInstant(n.createdAt, person.timeZone)}): ${base}${n.href}`)].join('\n');
        }),
      ];
      const single = courseIds.length === 1 && courseIds[0] !== null ? courses.get(courseIds[0]) : undefined;
      const mail = composeMail({
        courseTitle: single?.title ?? null,
        subject: `Your daily digest: ${items.length === 1 ? '1 notification' : `${items.length} notifications`}`,
        lines,
        action: { label: 'See all notifications', url: `${base}/notifications` },
        preferencesUrl: `${base}${PREFERENCES_PATH}`,
      });
      try {
        const queued = await this.db.tx(async (em) => {
          if (
            !(await this.notifications.claimDigest(
              em,
              person.id,
              dayOf(person.timeZone),
              items.map((n) => n.id),
              now,
            ))
          )
            return false;
          await this.outbox.enqueue(em, { kind: 'digest', to: person.email, userId: person.id, courseId: single ? courseIds[0] : null, ...mail });
          return true;
        });
        if (queued) count++;
      } catch (err) {
        // Another worker sent this person's digest for the day first (the unique row), or the database failed: the next run sees.
        this.logger.warn(`Digest for user ${person.id} not sent in this run: ${(err as Error)?.message ?? String(err)}`);
      }
    }
    return count;
  }
}
