import { Injectable } from '@nestjs/common';
import { Between, In, IsNull, Not } from 'typeorm';
import { type CourseViewer, viewerSeesTeam } from '../courses/course-access.service';
import { Database } from '../database/database.service';
import { rawBool, rawDate } from '../database/raw-values';
import { TeamsService } from '../teams/teams.service';
import { ownerKey, ownerKeysOf, personOwner, submissionHref, teamOwner, type Owner } from './owner';
import { Submission, SubmissionVersion, type SubmissionStatus } from './submission.entity';
import { HANDED_IN, STATUS_LABELS } from './workflow';

/** What the work status needs to know of a task (the tasks module's task, or its view). */
export interface TaskRef {
  id: number;
  courseId: number;
  kind: 'team' | 'individual';
  audience: 'all' | 'selected';
  dueAt: Date;
}

type TeamRef = { id: number; name: string };

/** One owner's work on one task, as the course dashboard shows it (WorkStatusService.matrix). */
export interface WorkCell {
  taskId: number;
  teamId: number | null;
  userId: number | null;
  status: SubmissionStatus;
  statusLabel: string;
  handedIn: boolean;
  /** Handed in after the owner's due time. */
  late: boolean;
  /** The owner's own due time: the task's, or an extension's. */
  dueAt: Date;
  extended: boolean;
  /** Not handed in and the owner's due time has passed. */
  overdue: boolean;
  versions: number;
  /** Accepted once, then reopened by a facilitator. */
  reopened: boolean;
  draftUpdatedAt: Date | null;
}

/** How many owners stand at each status, in the workflow's order (statuses nobody is at left out). */
function countsByStatus(statuses: SubmissionStatus[]) {
  return Object.entries(STATUS_LABELS)
    .map(([status, label]) => ({ label, count: statuses.filter((s) => s === status).length }))
    .filter((c) => c.count > 0);
}

/**
 * Where the work on tasks stands, for the pages that show it (task list, task overview, course
 * home, back-to-draft confirmation): read from the submissions module's own tables, with teams and
 * people from the teams module. Each method costs a constant number of queries.
 */
@Injectable()
export class WorkStatusService {
  constructor(
    private readonly db: Database,
    private readonly teams: TeamsService,
  ) {}

  /** Whose work these submissions are and their task, by submission id: for the audit log's links and sentences (one query). */
  async owners(submissionIds: number[]): Promise<Map<number, { taskId: number; owner: Owner }>> {
    const unique = [...new Set(submissionIds)];
    if (!unique.length) return new Map();
    const rows = await this.db.rows<{ id: number; taskId: number; teamId: number | null; userId: number | null }>`
      SELECT id, task_id AS "taskId", team_id AS "teamId", user_id AS "userId" FROM submissions WHERE id IN ${unique}`;
    return new Map(
      rows.map((r) => [Number(r.id), { taskId: Number(r.taskId), owner: r.teamId !== null ? teamOwner(Number(r.teamId)) : personOwner(Number(r.userId)) }]),
    );
  }

  /** The viewer's own work (their teams' or their own) on each of these tasks, by task id (one query). */
  async mine(v: CourseViewer, tasks: Pick<TaskRef, 'id' | 'kind'>[]): Promise<Map<number, { status: string; late: boolean }[]>> {
    const subs = tasks.length
      ? await this.db.repo(Submission).findBy({ taskId: In(tasks.map((t) => t.id)), ownerKey: In(ownerKeysOf(v.user.id, v.memberTeamIds)) })
      : [];
    return new Map(
      tasks.map((task) => [
        task.id,
        subs
          .filter((s) => s.taskId === task.id && (task.kind === 'team' ? s.teamId !== null : s.userId === v.user.id))
          .map((s) => ({ status: STATUS_LABELS[s.status], late: s.late })),
      ]),
    );
  }

  /**
   * A task's page: one row per team (team tasks) or person (individual tasks) the viewer may see,
   * with the status of their work, and the counts per status (two queries).
   */
  async taskRows(v: CourseViewer, task: TaskRef, teams: TeamRef[]) {
    // Hand-written (decision 54): the three columns shown, not every draft's text.
    const raw = await this.db.rows<{ ownerKey: string; status: SubmissionStatus; late: boolean | number; updatedAt: Date | string }>`
      SELECT owner_key AS "ownerKey", status, late, updated_at AS "updatedAt" FROM submissions WHERE task_id = ${task.id}`;
    const subs = new Map(raw.map((r) => [r.ownerKey, { status: r.status, late: rawBool(r.late), updatedAt: rawDate(r.updatedAt) }]));
    const row = (o: Owner, owner: string, team?: string) => {
      const s = subs.get(ownerKey(o));
      return {
        owner,
        ...(team === undefined ? {} : { team }),
        href: submissionHref(task.courseId, task.id, o),
        status: STATUS_LABELS[s?.status ?? 'not_started'],
        late: s?.late ?? false,
        updatedAt: s?.updatedAt ?? null,
      };
    };
    let rows: { owner: string; team?: string; href: string; status: string; late: boolean; updatedAt: Date | null }[];
    if (task.kind === 'team') {
      rows = teams
        .filter((t) => viewerSeesTeam(v, t.id))
        .map((t) => row(teamOwner(t.id), t.name))
        .sort((a, b) => a.owner.localeCompare(b.owner));
    } else {
      const accompanied = teams.map((t) => t.id).filter((tid) => v.canManage || v.expertTeamIds.includes(tid));
      const members = await this.teams.membersOf(accompanied);
      const people = new Map(members.map((m) => [m.userId, m.name]));
      if (v.memberTeamIds.some((tid) => teams.some((t) => t.id === tid))) people.set(v.user.id, v.user.name);
      // Each person's team(s) in this task's audience, to tell people apart and follow teams.
      const teamOf = (userId: number) =>
        teams
          .filter((t) => members.some((m) => m.userId === userId && m.teamId === t.id) || (userId === v.user.id && v.memberTeamIds.includes(t.id)))
          .map((t) => t.name)
          .sort()
          .join(', ');
      rows = [...people]
        .map(([userId, name]) => row(personOwner(userId), name, teamOf(userId)))
        .sort((a, b) => a.team!.localeCompare(b.team!) || a.owner.localeCompare(b.owner));
    }
    const counts = Object.values(STATUS_LABELS)
      .map((label) => ({ label, count: rows.filter((r) => r.status === label).length }))
      .filter((c) => c.count > 0);
    return { rows, counts };
  }

  /** What taking a task back to draft touches: drafts under way, work handed in, versions shared (two queries). */
  async unpublishCounts(taskId: number): Promise<{ drafting: number; submitted: number; shared: number }> {
    const subs = await this.db.repo(Submission).find({ where: { taskId }, select: { id: true, status: true } });
    const shared = subs.length
      ? await this.db.repo(SubmissionVersion).count({ where: { submissionId: In(subs.map((s) => s.id)), sharedAt: Not(IsNull()) } })
      : 0;
    return { drafting: subs.filter((s) => s.status === 'draft').length, submitted: subs.filter((s) => HANDED_IN.includes(s.status)).length, shared };
  }

  /**
   * Where each team or person that concerns the viewer stands on each task: participants see their
   * own work; experts each team they accompany; facilitators every team (individual tasks: counts
   * per status). Due dates are each owner's own (an extension counts); late and overdue work is
   * marked. At most two queries, whatever the number of teams.
   */
  async progress(v: CourseViewer, tasks: { task: TaskRef; teamIds: number[] }[], teams: TeamRef[], now = new Date()) {
    const accompanied = teams.filter((t) => v.canManage || v.expertTeamIds.includes(t.id));
    // Hand-written (the course home is the page opened most): only the columns shown, and for
    // someone who accompanies no team only their own work, so a participant's page reads a few
    // rows however many teams and people the course has.
    const taskIds = tasks.map((x) => x.task.id);
    type Row = {
      taskId: number | string;
      ownerKey: string;
      status: SubmissionStatus;
      late: boolean | number;
      dueAtOverride: Date | string | null;
      updatedAt: Date | string;
      statusAt: Date | string | null;
    };
    const raw = !tasks.length
      ? []
      : accompanied.length
        ? await this.db.rows<Row>`
            SELECT task_id AS "taskId", owner_key AS "ownerKey", status, late, due_at_override AS "dueAtOverride", updated_at AS "updatedAt",
              status_changed_at AS "statusAt" FROM submissions WHERE task_id IN ${taskIds}`
        : await this.db.rows<Row>`
            SELECT task_id AS "taskId", owner_key AS "ownerKey", status, late, due_at_override AS "dueAtOverride", updated_at AS "updatedAt",
              status_changed_at AS "statusAt" FROM submissions
            WHERE task_id IN ${taskIds} AND owner_key IN ${ownerKeysOf(v.user.id, v.memberTeamIds)}`;
    const subs = new Map(
      raw.map((r) => [
        `${Number(r.taskId)}|${r.ownerKey}`,
        {
          status: r.status,
          late: rawBool(r.late),
          dueAtOverride: r.dueAtOverride === null ? null : rawDate(r.dueAtOverride),
          updatedAt: rawDate(r.updatedAt),
          // Rows written without the workflow (the scale seed) have no status time: their last change stands in.
          statusAt: rawDate(r.statusAt ?? r.updatedAt),
        },
      ]),
    );
    const needPeople = accompanied.length > 0 && tasks.some((x) => x.task.kind === 'individual');
    const members = needPeople ? await this.teams.membersOf(accompanied.map((t) => t.id)) : [];
    const statusOf = (task: TaskRef, o: Owner) => subs.get(`${task.id}|${ownerKey(o)}`);
    const row = (task: TaskRef, owner: string, o: Owner) => {
      const s = statusOf(task, o);
      const status: SubmissionStatus = s?.status ?? 'not_started';
      const dueAt = s?.dueAtOverride ?? task.dueAt;
      return {
        owner,
        teamId: o.teamId,
        href: submissionHref(v.course.id, task.id, o),
        status,
        statusLabel: STATUS_LABELS[status],
        updatedAt: s?.updatedAt ?? null,
        /** When the status last changed (the feedback's age on the leader's home). */
        statusAt: s?.statusAt ?? null,
        dueAt,
        extended: Boolean(s?.dueAtOverride),
        late: s?.late ?? false,
        overdue: now > dueAt && (status === 'not_started' || status === 'draft'),
      };
    };
    return new Map(
      tasks.map(({ task, teamIds }) => {
        const forTeam = (id: number) => task.audience === 'all' || teamIds.includes(id);
        const own =
          task.kind === 'team'
            ? teams.filter((t) => v.memberTeamIds.includes(t.id) && forTeam(t.id)).map((t) => row(task, t.name, teamOwner(t.id)))
            : v.memberTeamIds.some(forTeam)
              ? [row(task, v.user.name, personOwner(v.user.id))]
              : [];
        const theirs = accompanied.filter((t) => forTeam(t.id) && !v.memberTeamIds.includes(t.id));
        const teamRows = task.kind === 'team' ? theirs.map((t) => row(task, t.name, teamOwner(t.id))) : [];
        const people = task.kind === 'individual' ? [...new Set(members.filter((m) => theirs.some((t) => t.id === m.teamId)).map((m) => m.userId))] : [];
        const peopleCounts = countsByStatus(people.map((uid) => statusOf(task, personOwner(uid))?.status ?? 'not_started'));
        return [task.id, { own, teams: teamRows, people: peopleCounts }] as const;
      }),
    );
  }

  /**
   * The latest steps in the timelines of these owners' work on these tasks (a team's and one
   * person's own, never anyone else's), newest first: for a team's home panel (one query).
   */
  /**
   * The expert's home (decision 60): for each team they accompany (and are not in), the status of
   * its work on each team task meant for it, in `tasks`' order, and whether it is overdue — as
   * `progress` counts them (keep the two in step), reading only those teams' rows (one query).
   */
  async teamStatuses(
    v: CourseViewer,
    tasks: { task: TaskRef; teamIds: number[] }[],
    teamIds: readonly number[],
    now: Date,
  ): Promise<Map<number, { status: SubmissionStatus; overdue: boolean }[]>> {
    const theirs = teamIds.filter((id) => (v.canManage || v.expertTeamIds.includes(id)) && !v.memberTeamIds.includes(id));
    const teamTasks = tasks.filter(({ task }) => task.kind === 'team');
    const raw =
      theirs.length && teamTasks.length
        ? await this.db.rows<{ taskId: number | string; ownerKey: string; status: SubmissionStatus; dueAtOverride: Date | string | null }>`
            SELECT task_id AS "taskId", owner_key AS "ownerKey", status, due_at_override AS "dueAtOverride" FROM submissions
            WHERE task_id IN ${teamTasks.map(({ task }) => task.id)} AND owner_key IN ${theirs.map((id) => ownerKey(teamOwner(id)))}`
        : [];
    const subs = new Map(raw.map((r) => [`${Number(r.taskId)}|${r.ownerKey}`, r]));
    return new Map(
      theirs.map((teamId) => [
        teamId,
        teamTasks
          .filter(({ task, teamIds: audience }) => task.audience === 'all' || audience.includes(teamId))
          .map(({ task }) => {
            const s = subs.get(`${task.id}|${ownerKey(teamOwner(teamId))}`);
            const status: SubmissionStatus = s?.status ?? 'not_started';
            const dueAt = s?.dueAtOverride ? rawDate(s.dueAtOverride) : task.dueAt;
            return { status, overdue: now > dueAt && (status === 'not_started' || status === 'draft') };
          }),
      ]),
    );
  }

  async recentActivity(
    courseId: number,
    taskIds: readonly number[],
    owners: readonly Owner[],
    limit: number,
  ): Promise<{ at: Date; taskId: number; fromStatus: SubmissionStatus; toStatus: SubmissionStatus; note: string; actorId: number | null; href: string }[]> {
    if (!taskIds.length || !owners.length) return [];
    // Hand-written (every home shows it): the columns shown, newest first.
    const rows = await this.db.rows<{
      at: Date | string;
      fromStatus: SubmissionStatus;
      toStatus: SubmissionStatus;
      note: string;
      actorId: number | string | null;
      taskId: number | string;
      teamId: number | string | null;
      userId: number | string | null;
    }>`
      SELECT e.at, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.note, e.actor_id AS "actorId", s.task_id AS "taskId", s.team_id AS "teamId", s.user_id AS "userId"
      FROM submission_events e JOIN submissions s ON s.id = e.submission_id
      WHERE s.task_id IN ${[...new Set(taskIds)]} AND s.owner_key IN ${[...new Set(owners.map(ownerKey))]}
      ORDER BY e.at DESC, e.id DESC
      LIMIT ${limit}`;
    return rows.map((e) => {
      const taskId = Number(e.taskId);
      const owner = { teamId: e.teamId === null ? null : Number(e.teamId), userId: e.userId === null ? null : Number(e.userId) };
      return {
        at: rawDate(e.at),
        taskId,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        note: e.note,
        actorId: e.actorId === null ? null : Number(e.actorId),
        href: submissionHref(courseId, taskId, owner),
      };
    });
  }

  // Read API for notifications

  /** Whose these submissions are, with the page of each (one query). */
  async submissionRefs(
    ids: readonly number[],
  ): Promise<{ id: number; taskId: number; teamId: number | null; userId: number | null; href: (courseId: number) => string }[]> {
    if (!ids.length) return [];
    const subs = await this.db.repo(Submission).find({ where: { id: In([...new Set(ids)]) }, select: { id: true, taskId: true, teamId: true, userId: true } });
    return subs.map((s) => ({
      id: s.id,
      taskId: s.taskId,
      teamId: s.teamId,
      userId: s.userId,
      href: (courseId: number) => submissionHref(courseId, s.taskId, s.teamId ? teamOwner(s.teamId) : personOwner(s.userId!)),
    }));
  }

  /**
   * Where the work on these tasks stands, per owner: the status, whether it is handed in, and the
   * owner's own due time when an extension changed it (one query).
   */
  async standing(taskIds: readonly number[]): Promise<{ taskId: number; ownerKey: string; handedIn: boolean; dueAtOverride: Date | null }[]> {
    if (!taskIds.length) return [];
    const subs = await this.db.repo(Submission).find({
      where: { taskId: In([...new Set(taskIds)]) },
      select: { taskId: true, ownerKey: true, status: true, dueAtOverride: true },
    });
    return subs.map((s) => ({ taskId: s.taskId, ownerKey: s.ownerKey, handedIn: HANDED_IN.includes(s.status), dueAtOverride: s.dueAtOverride }));
  }

  /** The extended due times of these owners on these tasks, keyed `<taskId>|<ownerKey>` (one query). */
  async dueOverrides(taskIds: readonly number[], owners: readonly { teamId: number | null; userId: number | null }[]): Promise<Map<string, Date>> {
    const keys = [...new Set(owners.map((o) => ownerKey(o)))];
    if (!taskIds.length || !keys.length) return new Map();
    const subs = await this.db.repo(Submission).find({
      where: { taskId: In([...new Set(taskIds)]), ownerKey: In(keys), dueAtOverride: Not(IsNull()) },
      select: { taskId: true, ownerKey: true, dueAtOverride: true },
    });
    return new Map(subs.map((s) => [`${s.taskId}|${s.ownerKey}`, s.dueAtOverride!]));
  }

  /** Ids of the tasks on which some team or person has an extension due after `from` and no later than `to` (one query). */
  async extendedDueBetween(from: Date, to: Date): Promise<number[]> {
    const subs = await this.db.repo(Submission).find({ where: { dueAtOverride: Between(from, to) }, select: { taskId: true } });
    return [...new Set(subs.map((s) => s.taskId))];
  }

  /**
   * Every team's and person's work on these tasks, for the course dashboard's CSV and its team
   * tasks' cells: status, late, the owner's own due time (an extension counts), whether it is
   * overdue, how many versions were handed in, whether accepted work was reopened, and when a draft
   * was last saved. Owners with no row have not started. One hand-written query, whatever the
   * number of tasks, owners and versions: the version count is the latest version's number (one
   * index seek per submission through UQ_submission_versions, no version read one by one).
   */
  async matrix(tasks: readonly Pick<TaskRef, 'id' | 'dueAt'>[], now = new Date()): Promise<WorkCell[]> {
    if (!tasks.length) return [];
    const rows = await this.db.rows<{
      taskId: number | string;
      teamId: number | string | null;
      userId: number | string | null;
      status: SubmissionStatus;
      late: boolean | number;
      dueAtOverride: Date | string | null;
      draftUpdatedAt: Date | string | null;
      versions: number | string | null;
      reopened: boolean | number | string;
    }>`
      SELECT s.task_id AS "taskId", s.team_id AS "teamId", s.user_id AS "userId", s.status AS "status", s.late AS "late",
        s.due_at_override AS "dueAtOverride", s.draft_updated_at AS "draftUpdatedAt",
        (SELECT MAX(v.number) FROM submission_versions v WHERE v.submission_id = s.id) AS "versions",
        (SELECT COUNT(*) FROM submission_events e WHERE e.submission_id = s.id AND e.from_status = 'accepted') AS "reopened"
      FROM submissions s WHERE s.task_id IN ${[...new Set(tasks.map((t) => t.id))]}`;
    const dueOf = new Map(tasks.map((t) => [t.id, t.dueAt]));
    return rows.map((r) => {
      const taskId = Number(r.taskId);
      const override = r.dueAtOverride === null ? null : rawDate(r.dueAtOverride);
      const dueAt = override ?? dueOf.get(taskId)!;
      const handedIn = HANDED_IN.includes(r.status);
      return {
        taskId,
        teamId: r.teamId === null ? null : Number(r.teamId),
        userId: r.userId === null ? null : Number(r.userId),
        status: r.status,
        statusLabel: STATUS_LABELS[r.status],
        handedIn,
        late: rawBool(r.late),
        dueAt,
        extended: override !== null,
        overdue: now > dueAt && !handedIn,
        versions: Number(r.versions ?? 0),
        reopened: Number(r.reopened) > 0,
        draftUpdatedAt: r.draftUpdatedAt === null ? null : rawDate(r.draftUpdatedAt),
      };
    });
  }

  /**
   * The course dashboard's individual tasks, counted per team in SQL: of each team's members, how
   * many have their work on each task accepted, handed in (not yet accepted), handed in late, not
   * handed in with an extension still running or already past, the versions they handed in, and
   * when one of them last saved a draft. `members` says who is in which team (a person in two
   * teams counts in both); members with no row have not started. One query, whatever the number
   * of teams, people, tasks and versions.
   */
  async individualCounts(taskIds: readonly number[], members: readonly { teamId: number; userId: number }[], now = new Date()): Promise<IndividualCounts[]> {
    if (!taskIds.length || !members.length) return [];
    const ids = [...new Set(taskIds)];
    // Who is in which team, as one bound JSON parameter: [["user:7", 12], …]. On SQLite, CROSS JOIN
    // keeps the members outside, so each one's work is found through UQ_submissions_owner (the
    // planner otherwise reads the members' list again for every submission: 10 ms instead of 0.8
    // for 100 people and two tasks).
    const teamOf = JSON.stringify(members.map((m) => [ownerKey(personOwner(m.userId)), m.teamId]));
    const pending = ['not_started', 'draft'];
    const handedIn = HANDED_IN.filter((s) => s !== 'accepted');
    type Raw = Record<'taskId' | 'teamId' | 'accepted' | 'submitted' | 'late' | 'extendedAhead' | 'extendedPast' | 'versions', number | string | null> & {
      draftUpdatedAt: Date | string | null;
    };
    const raw = this.db.isPostgres
      ? await this.db.rows<Raw>`
          SELECT s.task_id AS "taskId", (m->>1)::int AS "teamId",
            SUM(CASE WHEN s.status = 'accepted' THEN 1 ELSE 0 END) AS "accepted",
            SUM(CASE WHEN s.status IN ${handedIn} THEN 1 ELSE 0 END) AS "submitted",
            SUM(CASE WHEN s.late THEN 1 ELSE 0 END) AS "late",
            SUM(CASE WHEN s.status IN ${pending} AND s.due_at_override > ${now} THEN 1 ELSE 0 END) AS "extendedAhead",
            SUM(CASE WHEN s.status IN ${pending} AND s.due_at_override <= ${now} THEN 1 ELSE 0 END) AS "extendedPast",
            SUM(COALESCE((SELECT MAX(v.number) FROM submission_versions v WHERE v.submission_id = s.id), 0)) AS "versions",
            MAX(s.draft_updated_at) AS "draftUpdatedAt"
          FROM jsonb_array_elements(${teamOf}::jsonb) m JOIN submissions s ON s.owner_key = m->>0
          WHERE s.task_id IN ${ids}
          GROUP BY s.task_id, (m->>1)::int`
      : await this.db.rows<Raw>`
          SELECT s.task_id AS "taskId", json_extract(m.value, '$[1]') AS "teamId",
            SUM(CASE WHEN s.status = 'accepted' THEN 1 ELSE 0 END) AS "accepted",
            SUM(CASE WHEN s.status IN ${handedIn} THEN 1 ELSE 0 END) AS "submitted",
            SUM(CASE WHEN s.late THEN 1 ELSE 0 END) AS "late",
            SUM(CASE WHEN s.status IN ${pending} AND s.due_at_override > ${sqliteInstant(now)} THEN 1 ELSE 0 END) AS "extendedAhead",
            SUM(CASE WHEN s.status IN ${pending} AND s.due_at_override <= ${sqliteInstant(now)} THEN 1 ELSE 0 END) AS "extendedPast",
            SUM(COALESCE((SELECT MAX(v.number) FROM submission_versions v WHERE v.submission_id = s.id), 0)) AS "versions",
            MAX(s.draft_updated_at) AS "draftUpdatedAt"
          FROM json_each(${teamOf}) m CROSS JOIN submissions s
          WHERE s.task_id IN ${ids} AND s.owner_key = json_extract(m.value, '$[0]')
          GROUP BY s.task_id, json_extract(m.value, '$[1]')`;
    return raw.map((r) => ({
      taskId: Number(r.taskId),
      teamId: Number(r.teamId),
      accepted: Number(r.accepted ?? 0),
      submitted: Number(r.submitted ?? 0),
      late: Number(r.late ?? 0),
      extendedAhead: Number(r.extendedAhead ?? 0),
      extendedPast: Number(r.extendedPast ?? 0),
      versions: Number(r.versions ?? 0),
      draftUpdatedAt: r.draftUpdatedAt === null ? null : rawDate(r.draftUpdatedAt),
    }));
  }

  /** The page of one owner's work on a task. */
  static hrefOf(courseId: number, taskId: number, owner: { teamId: number | null; userId: number | null }): string {
    return submissionHref(courseId, taskId, owner);
  }

  /** The stored key of an owner's work ("team:12", "user:7"). */
  static keyOf(owner: { teamId: number | null; userId: number | null }): string {
    return ownerKey(owner);
  }

  // Read API for the course report

  /**
   * The course report's facts about handed-in work on these tasks (decision 61 defines them),
   * counted in the database. Per submission with at least one version: its owner, when its first
   * version was handed in and whether that was late, on how many of its versions a released review
   * asked for changes, whether accepted work was reopened. Over all its versions: how many were
   * handed in, how many have a released review, how many of those within each bound (hand-in to the
   * first release, in ms), and the sorted turnaround values (ms, ascending) around the rank of each
   * percentile asked for, by 0-based rank. Two queries, whatever the number of versions.
   */
  async reportFacts(
    taskIds: readonly number[],
    turnaround: { withinMs: readonly [number, number, number, number]; percentiles: readonly [number, number] },
  ): Promise<ReportWorkFacts> {
    if (!taskIds.length) return { handedIn: [], versions: 0, reviewed: 0, within: [0, 0, 0, 0], ranked: new Map() };
    const ids = [...new Set(taskIds)];
    const subs = await this.db.rows<{
      submissionId: number | string;
      teamId: number | string | null;
      userId: number | string | null;
      firstAt: Date | string;
      late: boolean | number;
      loops: number | string;
      reopened: number | string;
    }>`
      SELECT s.id AS "submissionId", s.team_id AS "teamId", s.user_id AS "userId", f.submitted_at AS "firstAt", f.late AS "late",
        (SELECT COUNT(*) FROM submission_versions v WHERE v.submission_id = s.id
          AND EXISTS (SELECT 1 FROM reviews r WHERE r.version_id = v.id AND r.released_at IS NOT NULL AND r.decision = 'changes')) AS "loops",
        (SELECT COUNT(*) FROM submission_events e WHERE e.submission_id = s.id AND e.from_status = 'accepted' AND e.to_status = 'changes_requested') AS "reopened"
      FROM submissions s JOIN submission_versions f ON f.submission_id = s.id
        AND f.number = (SELECT MIN(v.number) FROM submission_versions v WHERE v.submission_id = s.id)
      WHERE s.task_id IN ${ids}
      ORDER BY s.id`;
    const [w0, w1, w2, w3] = turnaround.withinMs;
    const [p0, p1] = turnaround.percentiles;
    type Row = {
      versions: number | string;
      reviewed: number | string;
      w0: number | string | null;
      w1: number | string | null;
      w2: number | string | null;
      w3: number | string | null;
      i: number | string | null;
      ms: number | string | null;
    };
    // Per version: ms from hand-in to the first released review (null: none released). Ranked in
    // order; each row of the answer carries the totals and one ranked value near a percentile's rank.
    // The number ranked is `a.reviewed` (the same count): a `COUNT(*) OVER ()` beside the rank made
    // SQLite buffer every ranked row once more (about 0.6 ms of the statement's 4 at scale).
    const rows = this.db.isPostgres
      ? await this.db.rows<Row>`
          WITH d AS MATERIALIZED (
            SELECT ROUND(EXTRACT(EPOCH FROM ((SELECT MIN(r.released_at) FROM reviews r WHERE r.version_id = v.id AND r.released_at IS NOT NULL) - v.submitted_at)) * 1000) AS ms
            FROM submission_versions v JOIN submissions s ON s.id = v.submission_id WHERE s.task_id IN ${ids}),
          r AS (SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) - 1 AS i FROM d WHERE ms IS NOT NULL),
          a AS (SELECT COUNT(*) AS versions, COUNT(ms) AS reviewed, SUM(CASE WHEN ms <= ${w0} THEN 1 ELSE 0 END) AS w0, SUM(CASE WHEN ms <= ${w1} THEN 1 ELSE 0 END) AS w1,
            SUM(CASE WHEN ms <= ${w2} THEN 1 ELSE 0 END) AS w2, SUM(CASE WHEN ms <= ${w3} THEN 1 ELSE 0 END) AS w3 FROM d)
          SELECT a.versions AS "versions", a.reviewed AS "reviewed", a.w0 AS "w0", a.w1 AS "w1", a.w2 AS "w2", a.w3 AS "w3", r.i AS "i", r.ms AS "ms"
          FROM a LEFT JOIN r ON ABS(r.i - (a.reviewed - 1) * ${p0} / 100.0) < 1.5 OR ABS(r.i - (a.reviewed - 1) * ${p1} / 100.0) < 1.5`
      : await this.db.rows<Row>`
          WITH d AS MATERIALIZED (
            SELECT ROUND((julianday((SELECT MIN(r.released_at) FROM reviews r WHERE r.version_id = v.id AND r.released_at IS NOT NULL)) - julianday(v.submitted_at)) * 86400000) AS ms
            FROM submission_versions v JOIN submissions s ON s.id = v.submission_id WHERE s.task_id IN ${ids}),
          r AS (SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) - 1 AS i FROM d WHERE ms IS NOT NULL),
          a AS (SELECT COUNT(*) AS versions, COUNT(ms) AS reviewed, SUM(CASE WHEN ms <= ${w0} THEN 1 ELSE 0 END) AS w0, SUM(CASE WHEN ms <= ${w1} THEN 1 ELSE 0 END) AS w1,
            SUM(CASE WHEN ms <= ${w2} THEN 1 ELSE 0 END) AS w2, SUM(CASE WHEN ms <= ${w3} THEN 1 ELSE 0 END) AS w3 FROM d)
          SELECT a.versions AS "versions", a.reviewed AS "reviewed", a.w0 AS "w0", a.w1 AS "w1", a.w2 AS "w2", a.w3 AS "w3", r.i AS "i", r.ms AS "ms"
          FROM a LEFT JOIN r ON ABS(r.i - (a.reviewed - 1) * ${p0} / 100.0) < 1.5 OR ABS(r.i - (a.reviewed - 1) * ${p1} / 100.0) < 1.5`;
    const totals = rows[0];
    return {
      handedIn: subs.map((r) => ({
        submissionId: Number(r.submissionId),
        teamId: r.teamId === null ? null : Number(r.teamId),
        userId: r.userId === null ? null : Number(r.userId),
        firstAt: rawDate(r.firstAt),
        late: rawBool(r.late),
        loops: Number(r.loops),
        reopened: Number(r.reopened) > 0,
      })),
      versions: Number(totals.versions),
      reviewed: Number(totals.reviewed),
      within: [Number(totals.w0 ?? 0), Number(totals.w1 ?? 0), Number(totals.w2 ?? 0), Number(totals.w3 ?? 0)],
      ranked: new Map(rows.filter((r) => r.i !== null).map((r) => [Number(r.i), Number(r.ms)])),
    };
  }
}

/** One team's members' own work on one individual task, counted (WorkStatusService.individualCounts). Members with no row are not counted. */
export interface IndividualCounts {
  taskId: number;
  teamId: number;
  accepted: number;
  /** Handed in, not (yet) accepted. */
  submitted: number;
  /** Handed in after the person's due time. */
  late: number;
  /** Not handed in, with an extension that has not run out. */
  extendedAhead: number;
  /** Not handed in, with an extension that has run out. */
  extendedPast: number;
  versions: number;
  draftUpdatedAt: Date | null;
}

/** An instant as TypeORM stores it on SQLite (UTC text), to compare with a stored column in hand-written SQL. */
function sqliteInstant(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Handed-in work as the course report counts it (decision 61): see WorkStatusService.reportFacts. */
export interface ReportWorkFacts {
  handedIn: {
    submissionId: number;
    teamId: number | null;
    userId: number | null;
    /** When the first version was handed in. */
    firstAt: Date;
    /** The first version was late. */
    late: boolean;
    /** Versions on which a released review asked for changes. */
    loops: number;
    /** Accepted work was reopened at least once. */
    reopened: boolean;
  }[];
  /** Versions handed in. */
  versions: number;
  /** Versions with a released review. */
  reviewed: number;
  /** Of those, how many within each bound (ms from hand-in to the first release). */
  within: [number, number, number, number];
  /** Sorted turnaround values (ms) by 0-based rank, those near each percentile's rank. */
  ranked: Map<number, number>;
}
