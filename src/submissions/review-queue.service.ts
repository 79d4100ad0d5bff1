import { Injectable } from '@nestjs/common';
import { holdsCourseRole } from '../common/permissions';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { rawBool, rawDate } from '../database/raw-values';
import { ReadSnapshots } from '../database/read-snapshots';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import type { SessionUser } from '../users/user.view';
import { submissionHref } from './owner';
import type { SubmissionStatus } from './submission.entity';
import { AWAITING_REVIEW, type AwaitingReviewStatus, STATUS_LABELS } from './workflow';

export interface QueueFilter {
  course?: number;
  task?: number;
  team?: number;
  status?: AwaitingReviewStatus;
  late?: boolean;
  /** Which page of QUEUE_PAGE rows (1 first; past the last, the last). */
  page?: number;
}

/**
 * How many rows a page of the queue lists (the oldest first; `total` counts them all). Fifty rows
 * are about 12 KB of HTML: a facilitator's whole queue at scale (hundreds) on one page was 45 KB,
 * with the stylesheet over the 60 KB a page may weigh on a slow link.
 */
export const QUEUE_PAGE = 50;

/**
 * Submissions waiting for feedback from this person: every team of the courses they facilitate,
 * and the teams assigned to them as an expert. Only what the row's link opens is listed (the same
 * rules as the submission page: course roles the site role allows, published course and task for
 * experts, the task's audience). Oldest waiting first. The other modules answer by ids (courses,
 * teams, tasks, people), one query each, so the number of queries does not grow with the queue.
 */
/** One row of the queue's query, as the driver returns it (numbers may come back as strings on PostgreSQL). */
interface QueueRawRow {
  id: number | string;
  status: string;
  late: boolean | number | string;
  team_id: number | string | null;
  user_id: number | string | null;
  task_id: number | string;
  waiting_since: Date | string;
  latest: number | string;
}

/**
 * A version's submission instant as the driver returns it, read once per distinct value: a queue
 * lists the same versions request after request (a pure function of its text, nobody's data).
 */
const instants = new Map<string, number>();
function instantOf(v: Date | string): Date {
  if (v instanceof Date) return v;
  let ms = instants.get(v);
  if (ms === undefined) {
    if (instants.size >= 20_000) instants.clear();
    instants.set(v, (ms = rawDate(v).getTime()));
  }
  return new Date(ms);
}

/** One submission waiting for feedback, as the queue lists it. */
export interface WaitingRow {
  id: number;
  status: SubmissionStatus;
  statusLabel: string;
  late: boolean;
  courseId: number;
  courseTitle: string;
  taskId: number;
  taskTitle: string;
  owner: string;
  teamId: number | null;
  /** The person whose own work it is (individual tasks); null for a team's. */
  userId?: number | null;
  href: string;
  latest: number;
  waitingSince: Date;
}

@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesService,
    private readonly teams: TeamsService,
    private readonly tasks: TasksService,
    private readonly users: UsersService,
    private readonly snapshots: ReadSnapshots,
  ) {}

  /**
   * Facilitated courses (staff null: an admin, who sees everything) and the teams one advises as an
   * expert, counted only while the site role allows the course role and the person is still an
   * expert of that team's course.
   */
  private async scope(user: SessionUser) {
    if (user.role === 'admin') return { all: true, courseIds: [] as number[], teamIds: [] as number[], memberIds: [] as number[] };
    const asFacilitator = holdsCourseRole(user.role, 'facilitator');
    const asExpert = holdsCourseRole(user.role, 'expert');
    // One query for both course roles, one for the advised teams with their members.
    const [staff, advised] = await Promise.all([
      asFacilitator || asExpert ? this.courses.staffRoles(user.id) : Promise.resolve([]),
      asExpert ? this.teams.advisedTeams(user.id) : Promise.resolve([]),
    ]);
    const facilitated = asFacilitator ? staff.filter((s) => s.role === 'facilitator').map((s) => s.courseId) : [];
    const expertCourses = asExpert ? staff.filter((s) => s.role === 'expert').map((s) => s.courseId) : [];
    const mine = advised.filter((a) => expertCourses.includes(a.courseId));
    const teamIds = mine.map((a) => a.teamId);
    // Individual work of the advised teams' members is the expert's to review too (canSeeTeam).
    const memberIds = [...new Set(mine.flatMap((a) => a.memberIds))];
    return { all: false, courseIds: facilitated, teamIds, memberIds };
  }

  /**
   * What waits, filtered. The filter's choices are the workshops, tasks and teams of what waits
   * (before filtering), so every choice leads somewhere; a value from the address that is not
   * among them (an old bookmark, something no longer waiting, a typo) still filters, and
   * `unmatched` says so, so the page can explain the empty list instead of showing a filter set to
   * "All". Filtering happens on the fetched rows: the same queries whatever the filter.
   */
  /**
   * The queue page's rows: what waits for this person, kept while nothing is written
   * (ReadSnapshots, decision 74; it does not depend on the time), then filtered.
   */
  async queue(user: SessionUser, filter: QueueFilter, { names = true }: { names?: boolean } = {}) {
    const waiting = await this.snapshots.read(`waiting:${user.id}:${names}`, new Date(), () => this.waiting(user, { names }));
    return this.filtered(waiting, filter);
  }

  /**
   * Everything that waits for this person's feedback, oldest first, before
   * any filter: what `queue` filters, for a page that shows it more than once (the home's figure
   * and its expert panels read it once). Without names, `owner` is empty.
   */
  async waiting(user: SessionUser, { names = true }: { names?: boolean } = {}): Promise<WaitingRow[]> {
    const { all, courseIds, teamIds, memberIds } = await this.scope(user);
    if (!all && !courseIds.length && !teamIds.length) return [];
    const staffTaskIds = await this.tasks.taskIdsInCourses(courseIds);

    if (!all && !staffTaskIds.length && !teamIds.length) return [];
    // Hand-written: this page is opened all day by every reviewer (bench/README.md). The candidates
    // come through indexes (the staff's tasks, the expert's teams: two index searches, not an OR
    // over every submission), and each one's latest version (waiting since it was submitted)
    // through UQ_submission_versions, never by grouping every version there is (at 100,000
    // versions that took 80 ms a page).
    const raw = all
      ? await this.db.rows<QueueRawRow>`
          SELECT s.id, s.status, s.late, s.team_id, s.user_id, s.task_id, lv.submitted_at AS waiting_since, lv.number AS latest
          FROM submissions s
          JOIN submission_versions lv ON lv.id = (SELECT v.id FROM submission_versions v WHERE v.submission_id = s.id ORDER BY v.number DESC LIMIT 1)
          WHERE s.status IN ${[...AWAITING_REVIEW]}
          ORDER BY lv.submitted_at, s.id`
      : await this.db.rows<QueueRawRow>`
          SELECT s.id, s.status, s.late, s.team_id, s.user_id, s.task_id, lv.submitted_at AS waiting_since, lv.number AS latest
          FROM submissions s
          JOIN submission_versions lv ON lv.id = (SELECT v.id FROM submission_versions v WHERE v.submission_id = s.id ORDER BY v.number DESC LIMIT 1)
          WHERE s.status IN ${[...AWAITING_REVIEW]}
            AND s.id IN (
              SELECT id FROM submissions WHERE task_id IN ${staffTaskIds}
              UNION ALL SELECT id FROM submissions WHERE team_id IN ${teamIds}
              UNION ALL SELECT id FROM submissions WHERE user_id IN ${memberIds})
          ORDER BY lv.submitted_at, s.id`;

    const teamOf = (r: { team_id: unknown }) => (r.team_id ? Number(r.team_id) : null);
    const userOf = (r: { user_id: unknown }) => (r.user_id ? Number(r.user_id) : null);
    const rowTeamIds = [...new Set(raw.map(teamOf).filter((x): x is number => x !== null))];
    const rowUserIds = [...new Set(raw.map(userOf).filter((x): x is number => x !== null))];
    const taskRows = await this.tasks.queueTasks([...new Set(raw.map((r) => Number(r.task_id)))]);
    const [courseRows, teamNames, userNames, personTeams] = await Promise.all([
      this.courses.courseSummaries([...new Set(taskRows.map((t) => t.courseId))]),
      names ? this.teams.teamNames(rowTeamIds) : new Map<number, string>(),
      names ? this.users.namesByIds(rowUserIds) : new Map<number, string>(),
      this.teams.teamsOfPeople(rowUserIds),
    ]);
    const taskById = new Map(taskRows.map((t) => [t.id, t]));
    const courseById = new Map(courseRows.map((c) => [c.id, c]));
    // Looked up once per row: the expert's teams, the facilitated courses, each person's teams.
    const advised = new Set(teamIds);
    const facilitated = new Set(courseIds);
    const teamsOfPerson = new Map<number, { teamId: number; courseId: number }[]>();
    for (const p of personTeams) {
      const list = teamsOfPerson.get(p.userId);
      if (list) list.push(p);
      else teamsOfPerson.set(p.userId, [p]);
    }

    return raw.flatMap((r): WaitingRow[] => {
      const task = taskById.get(Number(r.task_id));
      const course = task && courseById.get(task.courseId);
      if (!task || !course) return [];
      const teamId = teamOf(r);
      const userId = userOf(r);
      const inAudience = (id: number) => task.audienceTeamIds === null || task.audienceTeamIds.includes(id);
      // The person's teams in the task's course (individual work).
      const ownTeams = teamId === null ? (teamsOfPerson.get(userId ?? -1) ?? []).filter((p) => p.courseId === task.courseId) : [];
      // The task is (still) for this team, or for a team of this person's in the course.
      const forThem = teamId !== null ? inAudience(teamId) : ownTeams.some((p) => inAudience(p.teamId));
      // Experts open only published tasks of published courses.
      // An expert: their teams' work, and the individual work of their teams' members (for a team of theirs in the task's audience).
      const advisesIt = teamId !== null ? advised.has(teamId) : ownTeams.some((p) => advised.has(p.teamId) && inAudience(p.teamId));
      const inScope = all || facilitated.has(task.courseId) || (advisesIt && course.published && task.published);
      if (!forThem || !inScope) return [];
      const owner = { teamId, userId };
      return [
        {
          id: Number(r.id),
          status: r.status as SubmissionStatus,
          statusLabel: STATUS_LABELS[r.status as SubmissionStatus],
          late: rawBool(r.late),
          courseId: course.id,
          courseTitle: course.title,
          taskId: task.id,
          taskTitle: task.title,
          owner: teamId !== null ? (teamNames.get(teamId) ?? '') : (userNames.get(userId ?? -1) ?? ''),
          teamId,
          userId: teamId === null ? userId : null,
          href: submissionHref(course.id, task.id, owner),
          latest: Number(r.latest),
          waitingSince: instantOf(r.waiting_since),
        },
      ];
    });
  }

  /**
   * What waits in one course for this person's feedback: how many, and the oldest with its owner's
   * name (the course dashboard's figure). The same rows as `queue(user, { course })`, but only the
   * oldest is named (one query, not one for every owner's team and one for every person).
   */
  async countAndOldest(user: SessionUser, courseId: number): Promise<{ total: number; oldest: WaitingRow | null }> {
    const rows = (await this.waiting(user, { names: false })).filter((r) => r.courseId === courseId);
    const first = rows[0];
    if (!first) return { total: 0, oldest: null };
    const { teamId, userId } = first;
    const owner =
      teamId !== null
        ? (await this.teams.teamNames([teamId])).get(teamId)
        : userId !== undefined && userId !== null
          ? (await this.users.namesByIds([userId])).get(userId)
          : undefined;
    return { total: rows.length, oldest: { ...first, owner: owner ?? '' } };
  }

  /**
   * What waits in one workshop (or in all), oldest first, without the filter's choices: the same
   * rows and total as `filtered(waiting, { course })`, for the home's figure and its expert panels.
   */
  waitingIn(waiting: WaitingRow[], courseId?: number): { rows: WaitingRow[]; total: number } {
    const matching = courseId ? waiting.filter((r) => r.courseId === courseId) : waiting;
    return { rows: matching.slice(0, QUEUE_PAGE), total: matching.length };
  }

  /** The queue as the page shows it: `waiting` filtered, with the filter's choices (see queue). */
  filtered(waiting: WaitingRow[], filter: QueueFilter) {
    const options = (pairs: [number | null, string][]) =>
      [...new Map(pairs.filter(([id]) => id !== null).map(([id, label]) => [id, { value: String(id), label }])).values()].sort((a, b) =>
        a.label.localeCompare(b.label),
      );
    const courses = options(waiting.map((r) => [r.courseId, r.courseTitle]));
    const inCourse = waiting.filter((r) => !filter.course || r.courseId === filter.course);
    const tasks = options(inCourse.map((r) => [r.taskId, courses.length > 1 ? `${r.taskTitle} (${r.courseTitle})` : r.taskTitle]));
    const teams = options(inCourse.map((r) => [r.teamId, r.owner]));
    const unmatched = [
      ...(filter.course && !courses.some((o) => o.value === String(filter.course)) ? ['workshop'] : []),
      ...(filter.task && !tasks.some((o) => o.value === String(filter.task)) ? ['task'] : []),
      ...(filter.team && !teams.some((o) => o.value === String(filter.team)) ? ['team'] : []),
    ];
    const matching = inCourse.filter(
      (r) =>
        (!filter.task || r.taskId === filter.task) &&
        (!filter.team || r.teamId === filter.team) &&
        (!filter.status || r.status === filter.status) &&
        (!filter.late || r.late),
    );
    // Counted before the list is cut into pages: the dashboard's and the home's "N wait for feedback" are true however many wait.
    const pages = Math.max(1, Math.ceil(matching.length / QUEUE_PAGE));
    const page = Math.min(Math.max(1, filter.page ?? 1), pages);
    const rows = matching.slice((page - 1) * QUEUE_PAGE, page * QUEUE_PAGE);
    return { rows, total: matching.length, page, pages, first: (page - 1) * QUEUE_PAGE + 1, courses, tasks, teams, unmatched };
  }
}
