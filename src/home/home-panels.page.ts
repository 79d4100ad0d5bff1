import { Injectable } from '@nestjs/common';
import { formatDate, localDate, wallClock } from '../common/zoned-time';
import type { CourseViewer } from '../courses/course-access.service';
import { timeline } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { MeetingsService } from '../meetings/meetings.service';
import { placeOf } from '../meetings/place';
import { ReviewQueueService, type WaitingRow } from '../submissions/review-queue.service';
import { SharingAndDiscussionService } from '../submissions/sharing-and-discussion.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { STATUS_LABELS } from '../submissions/workflow';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { age, countdown, daysFromToday, span, teamAndVenue } from './countdown';

/** How many rows each list of a panel shows (the rest are one link away). */
export const PANEL_ROWS = 5;

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const STILL_OPEN = new Set(['not_started', 'draft']);
const WAITING = new Set(['submitted', 'resubmitted', 'in_review']);

/** "Country context: Submitted (version 2)" — one step of a submission's timeline, as a sentence. */
function stepText(from: string, to: string, note: string): string {
  const version = /^Version (\d+)/.exec(note);
  if (from !== to) return `${STATUS_LABELS[to as keyof typeof STATUS_LABELS] ?? to}${version ? ` (version ${version[1]})` : ''}`;
  return note.length > 90 ? `${note.slice(0, 89)}…` : note;
}

/**
 * The panels a person's home shows for one course: a country team's (for its members; its leader
 * also sees the feedback to act on) and an expert's. Each reads through the other modules'
 * services; a panel costs the same number of queries whatever the number of tasks, versions,
 * meetings or teams.
 */
@Injectable()
export class HomePanels {
  constructor(
    private readonly courses: CoursesService,
    private readonly teams: TeamsService,
    private readonly tasks: TasksService,
    private readonly work: WorkStatusService,
    private readonly sharing: SharingAndDiscussionService,
    private readonly meetings: MeetingsService,
    private readonly queue: ReviewQueueService,
    private readonly users: UsersService,
  ) {}

  /** Where the course stands for someone in `zone`: the phase under way and the days left in it, or what comes next. */
  private async phase(v: CourseViewer, zone: string, now: Date) {
    const phases = await this.courses.phaseSpans(v.course.id);
    const t = timeline(v.course, phases, now);
    const today = localDate(now, zone);
    if (t.current) {
      const left = daysFromToday(today, t.current.endsOn);
      return {
        title: t.current.title,
        kindLabel: t.current.kindLabel,
        dates: t.current.dates,
        daysLeft: left.days,
        text: left.days === 0 ? 'last day' : `${left.days} day${left.days === 1 ? '' : 's'} left`,
        ends: formatDate(t.current.endsOn),
      };
    }
    const next = t.items.find((i) => i.state === 'future');
    return {
      title: null,
      summary: t.summary,
      next: next ? { title: next.title, starts: formatDate(next.startsOn), in: daysFromToday(today, next.startsOn).text } : null,
    };
  }

  /** A country team's panel, for a member of that team (anyone else: null, whatever they ask for). */
  async team(v: CourseViewer, teamId: number, now: Date) {
    if (!v.memberTeamIds.includes(teamId)) return null;
    const courseId = v.course.id;
    const venue = v.course.timeZone;
    const [team] = await this.teams.zones(courseId, [teamId]);
    const [phase, visible, meetings, gallery] = await Promise.all([
      this.phase(v, team.timeZone, now),
      this.tasks.visibleRefs(v, null),
      this.meetings.upcomingOf(v, { teamId }, PANEL_ROWS),
      this.sharing.gallery(v),
    ]);
    // Only this team's work and the viewer's own (individual tasks): never another team's.
    const progress = await this.work.progress(v, visible, [{ id: team.id, name: team.name }], now);
    const titles = new Map(visible.map(({ task }) => [task.id, task.title]));
    const own = visible.flatMap(({ task }) => (progress.get(task.id)?.own ?? []).map((row) => ({ task, row })));
    const isLeader = v.leaderTeamIds.includes(teamId);
    const open = own.filter(({ row }) => STILL_OPEN.has(row.status)).sort((a, b) => a.row.dueAt.getTime() - b.row.dueAt.getTime());
    const deadlines = open.slice(0, PANEL_ROWS).map(({ task, row }) => ({
      title: task.title,
      href: row.href,
      whose: row.teamId !== null ? 'team' : 'yours',
      statusLabel: row.statusLabel,
      dueAt: row.dueAt,
      extended: row.extended,
      ...countdown(row.dueAt, now),
      when: teamAndVenue(row.dueAt, team.timeZone, venue, now),
    }));
    // Feedback to act on: changes requested (or work reopened) that has not been handed in again,
    // for the person who can hand it in: the leader (team work) or its author (individual work).
    const feedback = own
      .filter(({ row }) => row.status === 'changes_requested' && (row.teamId === null || isLeader))
      .sort((a, b) => (a.row.statusAt?.getTime() ?? 0) - (b.row.statusAt?.getTime() ?? 0))
      .map(({ task, row }) => ({
        title: task.title,
        href: row.href,
        whose: row.teamId !== null ? 'team' : 'yours',
        since: row.statusAt ? age(row.statusAt, now) : null,
        ...countdown(row.dueAt, now),
        when: teamAndVenue(row.dueAt, team.timeZone, venue, now),
      }));
    // A member is told which team work has feedback asking for changes: the leader hands it in again.
    const leaderActs = isLeader
      ? []
      : own.filter(({ row }) => row.status === 'changes_requested' && row.teamId !== null).map(({ task, row }) => ({ title: task.title, href: row.href }));
    const steps = await this.work.recentActivity(
      courseId,
      visible.map(({ task }) => task.id),
      [
        { teamId, userId: null },
        { teamId: null, userId: v.user.id },
      ],
      PANEL_ROWS + 3,
    );
    const actors = await this.users.namesByIds(steps.map((s) => s.actorId).filter((x): x is number => x !== null));
    const ours = gallery.filter((g) => g.teamId === teamId || g.userId === v.user.id);
    const others = gallery.filter((g) => !(g.teamId === teamId || g.userId === v.user.id));
    return {
      courseId,
      courseTitle: v.course.title,
      courseHref: `/courses/${courseId}`,
      team: { id: team.id, name: team.name, href: `/courses/${courseId}/teams/${team.id}`, place: placeOf(team.timeZone) },
      venuePlace: placeOf(venue),
      sameZone: team.timeZone === venue,
      isLeader,
      phase,
      deadlines,
      moreDeadlines: Math.max(0, open.length - deadlines.length),
      tasksHref: `/courses/${courseId}/tasks`,
      feedback,
      leaderActs,
      meetings,
      meetingsHref: `/courses/${courseId}/meetings`,
      canBook: isLeader,
      activity: steps.map((s) => ({
        task: titles.get(s.taskId) ?? '',
        text: stepText(s.fromStatus, s.toStatus, s.note),
        who: s.actorId !== null ? (actors.get(s.actorId) ?? '—') : '—',
        at: s.at,
        ago: `${age(s.at, now)} ago`,
        href: s.href,
      })),
      ourShares: ours.slice(0, PANEL_ROWS).map((g) => ({ ...g, ago: g.sharedAt ? `${age(g.sharedAt, now)} ago` : '' })),
      otherShares: others.slice(0, PANEL_ROWS).map((g) => ({ ...g, ago: g.sharedAt ? `${age(g.sharedAt, now)} ago` : '' })),
      moreShares: ours.length + others.length > Math.min(ours.length, PANEL_ROWS) + Math.min(others.length, PANEL_ROWS),
      galleryHref: `/courses/${courseId}/gallery`,
    };
  }

  /**
   * An expert's panel for one course: their meetings, the reviews waiting for them (`waiting`: the
   * review queue's rows, read once for the whole home), their availability, and the teams they accompany.
   */
  async expert(v: CourseViewer, waiting: WaitingRow[], now: Date) {
    if (!v.isExpert) return null;
    const courseId = v.course.id;
    const queue = this.queue.waitingIn(waiting, courseId);
    const [phase, meetings, availability, teams, visible] = await Promise.all([
      this.phase(v, v.user.timeZone, now),
      this.meetings.upcomingOf(v, 'mine', PANEL_ROWS),
      this.meetings.availabilitySummary(v),
      this.teams.zones(courseId, v.expertTeamIds),
      this.tasks.visibleRefs(v, null),
    ]);
    const statuses = await this.work.teamStatuses(
      v,
      visible,
      teams.map((t) => t.id),
      now,
    );
    const rowsOf = (teamId: number) => statuses.get(teamId) ?? [];
    const accompanied = [...teams]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => {
        const rows = rowsOf(t.id);
        const count = (pred: (s: string) => boolean) => rows.filter((r) => pred(r.status)).length;
        const accepted = count((s) => s === 'accepted');
        const waiting = count((s) => WAITING.has(s));
        const changes = count((s) => s === 'changes_requested');
        const open = count((s) => STILL_OPEN.has(s));
        const total = rows.length;
        return {
          name: t.name,
          place: placeOf(t.timeZone),
          href: `/courses/${courseId}/teams/${t.id}`,
          total,
          accepted,
          waiting,
          changes,
          open,
          overdue: rows.filter((r) => r.overdue).length,
          percent: total ? Math.round((accepted / total) * 100) : 0,
        };
      });
    const zone = v.user.timeZone;
    return {
      courseId,
      courseTitle: v.course.title,
      courseHref: `/courses/${courseId}`,
      phase,
      meetings,
      meetingsHref: `/courses/${courseId}/meetings`,
      reviews: queue.rows.slice(0, PANEL_ROWS).map((r) => ({
        owner: r.owner,
        taskTitle: r.taskTitle,
        href: r.href,
        statusLabel: r.statusLabel,
        late: r.late,
        version: r.latest,
        waitingSince: r.waitingSince,
        age: age(r.waitingSince, now),
      })),
      reviewCount: queue.total,
      oldestAge: queue.rows.length ? age(queue.rows[0].waitingSince, now) : null,
      reviewsHref: `/reviews?course=${courseId}`,
      availability: availability && {
        place: placeOf(availability.zone),
        weekly: availability.weekly.map((w) => `${WEEKDAYS[w.weekday]} ${w.start}–${w.end}`),
        oneOffCount: availability.oneOffCount,
        slotMinutes: availability.slotMinutes,
        maxPerTeam: availability.maxPerTeam,
        freeCount: availability.freeCount,
        firstFree: availability.firstFree && {
          text: `${formatDate(localDate(availability.firstFree, zone))} ${wallClock(availability.firstFree, zone).slice(11)} ${placeOf(zone)}`,
          in: span(availability.firstFree.getTime() - now.getTime()),
        },
      },
      availabilityHref: `/courses/${courseId}/availability`,
      teams: accompanied,
    };
  }
}
