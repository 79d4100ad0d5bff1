import { Injectable } from '@nestjs/common';
import { csvLine } from '../common/csv';
import { FormInvalidError } from '../common/errors';
import { canSeeTeam } from '../common/permissions';
import { formatInstant } from '../common/time';
import { formatDate, localDate } from '../common/zoned-time';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { ReadSnapshots } from '../database/read-snapshots';
import { EventLogService } from '../events/event-log.service';
import { Clock } from '../meetings/clock';
import { MeetingsService } from '../meetings/meetings.service';
import { ReviewQueueService } from '../submissions/review-queue.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import {
  age,
  blank,
  forTeam,
  type MatrixRow,
  type MembersSummary,
  membersSummary,
  NOT_FOR_TEAM,
  NOT_OWN,
  summaryCell,
  Tally,
  workCell,
  weekOf,
} from './course-dashboard.view';
import { type DashboardFilter, dashboardValues, MAX_INACTIVE_DAYS, parseDashboardFilter } from './dashboard-filter';

export { age, weekOf } from './course-dashboard.view';

type Query = Record<string, unknown>;

/**
 * The facilitator's course dashboard (decision 59): the teams × tasks matrix with each team's
 * progress, the review queue's count and oldest item, this week's meetings and the quiet teams.
 * Reads other modules through their services only; a constant number of queries whatever the
 * number of teams, people, tasks and versions. Experts see their own teams only (canSeeTeam).
 *
 * Individual tasks: the page has one row per team; an individual task's cell counts the members'
 * work (accepted, submitted, open, late, overdue, versions) and links to the task's overview, which
 * lists each member's, so the page's size does not grow with the members. The CSV keeps a row per
 * member (the full data).
 */
@Injectable()
export class CourseDashboardPage {
  constructor(
    private readonly courses: CoursesService,
    private readonly teams: TeamsService,
    private readonly tasks: TasksService,
    private readonly work: WorkStatusService,
    private readonly queue: ReviewQueueService,
    private readonly meetings: MeetingsService,
    private readonly log: EventLogService,
    private readonly clock: Clock,
    private readonly snapshots: ReadSnapshots,
  ) {}

  /**
   * The page, kept while nothing is written (ReadSnapshots, decision 74) for this viewer and these
   * form values. A repeated parameter is never looked up (it is a 422, and its first value alone
   * would name another request's page).
   */
  async page(v: CourseViewer, query: Query) {
    const now = this.clock.now();
    const compute = async () => {
      const phases = await this.courses.phaseOptions(v.course.id);
      const filter = parseDashboardFilter(
        query,
        phases.map((p) => p.id),
      );
      return this.build(v, query, phases, filter, false, now);
    };
    if (Array.isArray(query.phase) || Array.isArray(query.inactive)) return compute();
    const values = dashboardValues(query);
    // A shallow copy: the renderer writes into the object it is given, and the snapshot is shared.
    return { ...(await this.snapshots.read(`dashboard:${JSON.stringify([v.course.id, v.user.id, values.phase ?? '', values.inactive ?? ''])}`, now, compute)) };
  }

  /** The page again for a 422: the bad field's default in its place, the message beside the field. */
  async form(v: CourseViewer, query: Query) {
    const phases = await this.courses.phaseOptions(v.course.id);
    const ids = phases.map((p) => p.id);
    let bad: string[] = [];
    try {
      parseDashboardFilter(query, ids);
    } catch (e) {
      if (!(e instanceof FormInvalidError)) throw e;
      bad = Object.keys(e.fields);
    }
    const filter = parseDashboardFilter(query, ids, true);
    const meanwhile = [
      ...(bad.includes('phase') ? ['every phase'] : []),
      ...(bad.includes('inactive') ? [`the teams quiet for ${filter.inactiveDays} days`] : []),
    ];
    return { ...(await this.build(v, query, phases, filter, true)), meanwhile: meanwhile.join(' and ') };
  }

  /**
   * The matrix as CSV (RFC 4180, formula cells defused), the same filter: the page's team rows,
   * each followed by one row per member with their own work on the individual tasks (the full
   * data, which the page folds into counts).
   */
  async csv(v: CourseViewer, query: Query): Promise<{ filename: string; body: string }> {
    const phases = await this.courses.phaseOptions(v.course.id);
    const filter = parseDashboardFilter(
      query,
      phases.map((p) => p.id),
    );
    const { columns, rows } = await this.fullMatrix(v, phases, filter);
    const lines = [
      csvLine(['Team', 'Person', 'Accepted', 'Submitted', 'Open', ...columns.map((c) => c.title)]),
      ...rows.map((r) =>
        csvLine([
          r.team,
          r.kind === 'person' ? r.name : '',
          r.progress?.accepted ?? '',
          r.progress?.submitted ?? '',
          r.progress?.open ?? '',
          ...r.cells.map((c) => (c.status === null && c.text === NOT_OWN ? '' : c.text)),
        ]),
      ),
    ];
    const phase = filter.phaseId ? `-phase-${filter.phaseId}` : '';
    return {
      filename: `atelier-dashboard-workshop-${v.course.id}${phase}-${localDate(this.clock.now(), v.user.timeZone)}.csv`,
      body: `\uFEFF${lines.join('')}`,
    };
  }

  private async build(
    v: CourseViewer,
    query: Query,
    phases: { id: number; title: string }[],
    filter: DashboardFilter,
    invalid: boolean,
    now = this.clock.now(),
  ) {
    const zone = v.user.timeZone;
    const week = weekOf(now, zone);
    const [m, waiting, meetings] = await Promise.all([
      this.teamMatrix(v, phases, filter),
      this.queue.countAndOldest(v.user, v.course.id),
      this.meetings.between(v, week.from, week.to),
    ]);
    const last = await this.log.lastActivity(
      v.course.id,
      m.members.map((x) => x.userId),
    );
    const since = new Date(now.getTime() - filter.inactiveDays * 24 * 3600_000);
    // A team's last activity: its members' recorded events and the drafts saved on its work or its members' own.
    const lastAt = new Map<number, number>(m.draftSaved);
    for (const x of m.members) {
      const at = last.get(x.userId)?.getTime();
      if (at !== undefined && at > (lastAt.get(x.teamId) ?? -Infinity)) lastAt.set(x.teamId, at);
    }
    const quiet = m.teams
      .map((team) => ({ team, at: lastAt.get(team.id) }))
      .filter((x) => x.at === undefined || x.at < since.getTime())
      .map(({ team, at }) => ({
        name: team.name,
        href: `/courses/${v.course.id}/teams/${team.id}`,
        last: at !== undefined ? `last active ${age(new Date(at), now)} ago (${formatInstant(new Date(at), zone)})` : 'no recorded activity in this workshop',
      }));
    const { oldest } = waiting;
    const values = dashboardValues(query);
    const base = `/courses/${v.course.id}/dashboard`;
    return {
      ...courseHeader(v, 'dashboard'),
      title: `Dashboard – ${v.course.title}`,
      action: base,
      csvHref: `${base}.csv${filter.phaseId ? `?phase=${filter.phaseId}` : ''}`,
      values,
      invalid,
      filtered: values.phase !== undefined || values.inactive !== undefined,
      onlyOwnTeams: !v.canManage,
      phaseOptions: phases.map((p) => ({ value: String(p.id), label: p.title })),
      phaseTitle: filter.phaseId ? (phases.find((p) => p.id === filter.phaseId)?.title ?? null) : null,
      maxInactive: MAX_INACTIVE_DAYS,
      inactiveDays: filter.inactiveDays,
      columns: m.columns,
      rows: m.rows,
      hasIndividual: m.columns.some((c) => c.individual),
      teamCount: m.teams.length,
      queue: {
        count: waiting.total,
        href: `/reviews?course=${v.course.id}`,
        oldest: oldest
          ? {
              owner: oldest.owner,
              task: oldest.taskTitle,
              href: oldest.href,
              age: age(oldest.waitingSince, now),
              since: formatInstant(oldest.waitingSince, zone),
            }
          : null,
      },
      week: { label: `${formatDate(week.fromDay)} to ${formatDate(week.toDay)}`, zone },
      meetings: meetings.map((x) => ({
        title: x.title,
        href: x.href,
        kind: x.kind,
        time: x.time,
        teams: x.teams,
        host: x.expert,
        cancelled: x.cancelled,
        past: x.past,
      })),
      quiet,
    };
  }

  /** The teams the viewer follows (by name) and the columns: published tasks, of the phase when one is chosen. */
  private async frame(v: CourseViewer, phases: { id: number; title: string }[], filter: DashboardFilter) {
    const [allTeams, published] = await Promise.all([this.teams.names(v.course.id), this.tasks.publishedRefs(v)]);
    const teams = allTeams.filter((t) => canSeeTeam(v, t.id)).sort((a, b) => a.name.localeCompare(b.name));
    const shown = published.filter(({ task }) => filter.phaseId === null || task.phaseId === filter.phaseId);
    const phaseTitle = new Map(phases.map((p) => [p.id, p.title]));
    const zone = v.user.timeZone;
    const columns = shown.map(({ task }) => ({
      id: task.id,
      title: task.title,
      href: `/courses/${v.course.id}/tasks/${task.id}`,
      phase: phaseTitle.get(task.phaseId) ?? '',
      individual: task.kind === 'individual',
      kindLabel: task.kind === 'individual' ? 'Individual' : 'Team',
      due: formatInstant(task.dueAt, zone),
    }));
    return { teams, published, shown, columns };
  }

  /**
   * The page's matrix: one row per team, however many members it has. A team task's cell is the
   * team's work; an individual task's cell counts the members' work (aggregated in SQL), linked to
   * the task's overview, which lists each member's. The number of rows, and of queries, does not
   * grow with the members.
   */
  private async teamMatrix(v: CourseViewer, phases: { id: number; title: string }[], filter: DashboardFilter) {
    const now = this.clock.now();
    const { teams, published, shown, columns } = await this.frame(v, phases, filter);
    // Every published task (not only the phase shown): the quiet-teams list looks at all the work.
    const [members, work] = await Promise.all([
      teams.length ? this.teams.memberIdsOf(teams.map((t) => t.id)) : Promise.resolve([]),
      this.work.matrix(
        published.filter(({ task }) => task.kind === 'team').map(({ task }) => task),
        now,
      ),
    ]);
    const counted = await this.work.individualCounts(
      published.filter(({ task }) => task.kind === 'individual').map(({ task }) => task.id),
      members,
      now,
    );
    const cellOf = new Map(work.map((w) => [`${w.taskId}|${w.teamId}`, w]));
    const countOf = new Map(counted.map((c) => [`${c.taskId}|${c.teamId}`, c]));
    const size = new Map<number, number>();
    for (const x of members) size.set(x.teamId, (size.get(x.teamId) ?? 0) + 1);
    const draftSaved = new Map<number, number>();
    const saved = (teamId: number, at: Date | null) => {
      if (at && at.getTime() > (draftSaved.get(teamId) ?? -Infinity)) draftSaved.set(teamId, at.getTime());
    };
    for (const w of work) if (w.teamId !== null) saved(w.teamId, w.draftUpdatedAt);
    for (const c of counted) saved(c.teamId, c.draftUpdatedAt);

    const rows: MatrixRow[] = teams.map((t) => {
      const tally = new Tally();
      const cells = shown.map((x) => {
        if (!forTeam(x, t.id)) return blank(NOT_FOR_TEAM);
        if (x.task.kind === 'team') {
          const w = cellOf.get(`${x.task.id}|${t.id}`);
          tally.add(w);
          return workCell(WorkStatusService.hrefOf(v.course.id, x.task.id, { teamId: t.id, userId: null }), w, now, x.task.dueAt);
        }
        const summary = membersSummary(size.get(t.id) ?? 0, countOf.get(`${x.task.id}|${t.id}`), now, x.task.dueAt);
        tally.addCounts(summary);
        return summaryCell(`/courses/${v.course.id}/tasks/${x.task.id}`, summary);
      });
      return { kind: 'team', name: t.name, team: t.name, href: `/courses/${v.course.id}/teams/${t.id}`, cells, progress: tally.progress() };
    });
    return { columns, rows, teams, members, draftSaved };
  }

  /** The CSV's matrix: the teams' rows as on the page, each followed by its members' rows when some task shown is individual. */
  private async fullMatrix(v: CourseViewer, phases: { id: number; title: string }[], filter: DashboardFilter) {
    const now = this.clock.now();
    const { teams, shown, columns } = await this.frame(v, phases, filter);
    const [members, work] = await Promise.all([
      teams.length ? this.teams.membersOf(teams.map((t) => t.id)) : Promise.resolve([]),
      this.work.matrix(
        shown.map(({ task }) => task),
        now,
      ),
    ]);
    const cellOf = new Map(work.map((w) => [`${w.taskId}|${WorkStatusService.keyOf(w)}`, w]));
    const rows: MatrixRow[] = [];
    for (const t of teams) {
      const people = members.filter((x) => x.teamId === t.id).sort((a, b) => a.name.localeCompare(b.name));
      const tally = new Tally();
      const cells = shown.map((x) => {
        if (!forTeam(x, t.id)) return blank(NOT_FOR_TEAM);
        if (x.task.kind === 'team') {
          const w = cellOf.get(`${x.task.id}|${WorkStatusService.keyOf({ teamId: t.id, userId: null })}`);
          tally.add(w);
          return workCell(WorkStatusService.hrefOf(v.course.id, x.task.id, { teamId: t.id, userId: null }), w, now, x.task.dueAt);
        }
        const theirs = people.map((p) => cellOf.get(`${x.task.id}|${WorkStatusService.keyOf({ teamId: null, userId: p.userId })}`));
        const accepted = theirs.filter((w) => w?.status === 'accepted').length;
        const submitted = theirs.filter((w) => w?.handedIn && w.status !== 'accepted').length;
        const summary: MembersSummary = {
          members: people.length,
          accepted,
          submitted,
          open: people.length - accepted - submitted,
          late: theirs.filter((w) => w?.late).length,
          overdue: theirs.filter((w) => (w ? w.overdue : now > x.task.dueAt)).length,
          versions: theirs.reduce((n, w) => n + (w?.versions ?? 0), 0),
        };
        tally.addCounts(summary);
        return summaryCell(`/courses/${v.course.id}/tasks/${x.task.id}`, summary);
      });
      rows.push({ kind: 'team', name: t.name, team: t.name, href: `/courses/${v.course.id}/teams/${t.id}`, cells, progress: tally.progress() });
      if (!shown.some((x) => x.task.kind === 'individual' && forTeam(x, t.id))) continue;
      for (const p of people)
        rows.push({
          kind: 'person',
          name: p.name,
          team: t.name,
          href: null,
          progress: null,
          cells: shown.map((x) => {
            if (x.task.kind === 'team') return blank(NOT_OWN);
            if (!forTeam(x, t.id)) return blank(NOT_FOR_TEAM);
            const owner = { teamId: null, userId: p.userId };
            return workCell(
              WorkStatusService.hrefOf(v.course.id, x.task.id, owner),
              cellOf.get(`${x.task.id}|${WorkStatusService.keyOf(owner)}`),
              now,
              x.task.dueAt,
            );
          }),
        });
    }
    return { columns, rows };
  }
}
