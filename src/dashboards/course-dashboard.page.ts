import { Injectable } from '@nestjs/common';
import { csvLine } from '../common/csv';
import { FormInvalidError } from '../common/errors';
import { canSeeTeam } from '../common/permissions';
import { formatInstant } from '../common/time';
import { addDays, formatDate, isoWeekday, localDate, zonedToUtcCompatible } from '../common/zoned-time';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { EventLogService } from '../events/event-log.service';
import { Clock } from '../meetings/clock';
import { MeetingsService } from '../meetings/meetings.service';
import { ReviewQueueService } from '../submissions/review-queue.service';
import { type WorkCell, WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { type DashboardFilter, dashboardValues, MAX_INACTIVE_DAYS, parseDashboardFilter } from './dashboard-filter';

type Query = Record<string, unknown>;

/** A sign beside each status, so the matrix never speaks by colour alone (the word is always there too). */
const STATUS_ICONS: Record<string, string> = {
  not_started: '○',
  draft: '✎',
  submitted: '●',
  resubmitted: '●',
  in_review: '◐',
  changes_requested: '↺',
  accepted: '✓',
};

/** One cell of the matrix: the same text on the page and in the CSV. */
export interface MatrixCell {
  text: string;
  status: string | null;
  icon: string;
  label: string;
  marks: { kind: string; text: string }[];
  href: string | null;
}

interface MatrixRow {
  kind: 'team' | 'person';
  name: string;
  team: string;
  href: string | null;
  cells: MatrixCell[];
  progress: { accepted: number; submitted: number; open: number; total: number; text: string; bar: { accepted: number; handedIn: number } } | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How long something has waited, in the largest whole unit that says it ("3 days", "5 hours", "20 minutes"). */
export function age(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes >= 24 * 60) return plural(Math.floor(minutes / (24 * 60)), 'day');
  if (minutes >= 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(minutes, 'minute');
}

/** The cell's text: status, then what is worth knowing about it, comma-separated ("Submitted, late, 2 versions"). */
function workCell(courseId: number, taskId: number, owner: { teamId: number | null; userId: number | null }, w: WorkCell | undefined, now: Date, dueAt: Date) {
  const status = w?.status ?? 'not_started';
  const label = w?.statusLabel ?? 'Not started';
  const overdue = w ? w.overdue : now > dueAt;
  const marks = [
    ...(w?.reopened && status !== 'accepted' ? [{ kind: 'reopened', text: 'reopened' }] : []),
    ...(w?.late ? [{ kind: 'late', text: 'late' }] : []),
    ...(overdue ? [{ kind: 'overdue', text: 'overdue' }] : []),
    ...(w?.extended ? [{ kind: 'extended', text: 'extended' }] : []),
    ...(w?.versions ? [{ kind: 'versions', text: plural(w.versions, 'version') }] : []),
  ];
  return {
    text: [label, ...marks.map((m) => m.text)].join(', '),
    status,
    icon: STATUS_ICONS[status] ?? '',
    label,
    marks,
    href: WorkStatusService.hrefOf(courseId, taskId, owner),
  };
}

const blank = (text: string): MatrixCell => ({ text, status: null, icon: '', label: text, marks: [], href: null });

/**
 * The facilitator's course dashboard (decision 59): the teams × tasks matrix with each team's
 * progress, the review queue's count and oldest item, this week's meetings and the quiet teams.
 * Reads other modules through their services only; a constant number of queries whatever the
 * number of teams, people, tasks and versions. Experts see their own teams only (canSeeTeam).
 *
 * Individual tasks: each team's row is followed by one row per member; an individual task's cell
 * in the team's row counts how many members handed in, the members' rows hold their own work.
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
  ) {}

  async page(v: CourseViewer, query: Query) {
    const phases = await this.courses.phases(v.course.id);
    const filter = parseDashboardFilter(
      query,
      phases.map((p) => p.id),
    );
    return this.build(v, query, phases, filter, false);
  }

  /** The page again for a 422: the bad field's default in its place, the message beside the field. */
  async form(v: CourseViewer, query: Query) {
    const phases = await this.courses.phases(v.course.id);
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

  /** The matrix as CSV (RFC 4180, formula cells defused): the page's rows and cells, the same filter. */
  async csv(v: CourseViewer, query: Query): Promise<{ filename: string; body: string }> {
    const phases = await this.courses.phases(v.course.id);
    const filter = parseDashboardFilter(
      query,
      phases.map((p) => p.id),
    );
    const { columns, rows } = await this.matrix(v, phases, filter);
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

  private async build(v: CourseViewer, query: Query, phases: { id: number; title: string }[], filter: DashboardFilter, invalid: boolean) {
    const now = this.clock.now();
    const zone = v.user.timeZone;
    const week = weekOf(now, zone);
    const [m, waiting, meetings] = await Promise.all([
      this.matrix(v, phases, filter),
      this.queue.queue(v.user, { course: v.course.id }),
      this.meetings.between(v, week.from, week.to),
    ]);
    const last = await this.log.lastActivity(
      v.course.id,
      m.members.map((x) => x.userId),
    );
    const since = new Date(now.getTime() - filter.inactiveDays * 24 * 3600_000);
    const quiet = m.teams
      .map((t) => {
        const times = [
          ...m.members.filter((x) => x.teamId === t.id).map((x) => last.get(x.userId)),
          ...m.work.filter((w) => w.teamId === t.id || m.members.some((x) => x.teamId === t.id && x.userId === w.userId)).map((w) => w.draftUpdatedAt),
        ].filter((d): d is Date => d instanceof Date);
        const lastAt = times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : null;
        return { team: t, lastAt };
      })
      .filter((x) => !x.lastAt || x.lastAt < since)
      .map(({ team, lastAt }) => ({
        name: team.name,
        href: `/courses/${v.course.id}/teams/${team.id}`,
        last: lastAt ? `last active ${age(lastAt, now)} ago (${formatInstant(lastAt, zone)})` : 'no recorded activity in this workshop',
      }));
    const oldest = waiting.rows[0];
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
      hasPeople: m.rows.some((r) => r.kind === 'person'),
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

  /** Columns (published tasks, of the phase when one is chosen), rows (teams, each followed by its members when some task is individual), cells. */
  private async matrix(v: CourseViewer, phases: { id: number; title: string }[], filter: DashboardFilter) {
    const now = this.clock.now();
    const [allTeams, visible] = await Promise.all([this.teams.names(v.course.id), this.tasks.visible(v)]);
    const teams = allTeams.filter((t) => canSeeTeam(v, t.id)).sort((a, b) => a.name.localeCompare(b.name));
    const published = visible.filter(({ task }) => task.status === 'published');
    const shown = published.filter(({ task }) => filter.phaseId === null || task.phaseId === filter.phaseId);
    const [members, work] = await Promise.all([
      teams.length ? this.teams.membersOf(teams.map((t) => t.id)) : Promise.resolve([]),
      // Every published task (not only the phase shown): the quiet-teams list looks at all the work.
      this.work.matrix(
        published.map(({ task }) => task),
        now,
      ),
    ]);
    const cellOf = new Map(work.map((w) => [`${w.taskId}|${WorkStatusService.keyOf(w)}`, w]));
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
    const forTeam = (x: (typeof shown)[number], teamId: number) => x.task.audience === 'all' || x.teamIds.includes(teamId);
    const rows: MatrixRow[] = [];
    for (const t of teams) {
      const people = members.filter((x) => x.teamId === t.id).sort((a, b) => a.name.localeCompare(b.name));
      let accepted = 0;
      let submitted = 0;
      let open = 0;
      const count = (w: WorkCell | undefined) => {
        if (w?.status === 'accepted') accepted++;
        else if (w?.handedIn) submitted++;
        else open++;
      };
      const cells = shown.map((x) => {
        if (!forTeam(x, t.id)) return blank(NOT_FOR_TEAM);
        if (x.task.kind === 'team') {
          const w = cellOf.get(`${x.task.id}|${WorkStatusService.keyOf({ teamId: t.id, userId: null })}`);
          count(w);
          return workCell(v.course.id, x.task.id, { teamId: t.id, userId: null }, w, now, x.task.dueAt);
        }
        const theirs = people.map((p) => cellOf.get(`${x.task.id}|${WorkStatusService.keyOf({ teamId: null, userId: p.userId })}`));
        theirs.forEach(count);
        const handed = theirs.filter((w) => w?.handedIn).length;
        const overdue = theirs.filter((w) => (w ? w.overdue : now > x.task.dueAt)).length;
        const text = people.length ? [`${handed} of ${people.length} handed in`, ...(overdue ? [`${overdue} overdue`] : [])].join(', ') : 'No members';
        return { text, status: 'summary', icon: '', label: text, marks: [], href: null };
      });
      const total = accepted + submitted + open;
      const pct = (n: number) => (total ? Math.round((n / total) * 100) : 0);
      rows.push({
        kind: 'team',
        name: t.name,
        team: t.name,
        href: `/courses/${v.course.id}/teams/${t.id}`,
        cells,
        progress: {
          accepted,
          submitted,
          open,
          total,
          text: `${accepted} accepted, ${submitted} submitted, ${open} open`,
          bar: { accepted: pct(accepted), handedIn: pct(accepted + submitted) },
        },
      });
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
            return workCell(v.course.id, x.task.id, owner, cellOf.get(`${x.task.id}|${WorkStatusService.keyOf(owner)}`), now, x.task.dueAt);
          }),
        });
    }
    return { columns, rows, teams, members, work };
  }
}

/** A team task's cell in a member's row: the team's row holds it. */
const NOT_OWN = 'Team task';
/** A task meant for other teams. */
const NOT_FOR_TEAM = 'Not for this team';

/** This week in the viewer's zone: Monday 00:00 to the next Monday 00:00 (local midnight, whatever the clock changes). */
export function weekOf(now: Date, zone: string) {
  const today = localDate(now, zone);
  const monday = addDays(today, 1 - isoWeekday(today));
  const next = addDays(monday, 7);
  return { from: zonedToUtcCompatible(monday, '00:00', zone), to: zonedToUtcCompatible(next, '00:00', zone), fromDay: monday, toDay: addDays(next, -1) };
}
