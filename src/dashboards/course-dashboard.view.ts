import { addDays, isoWeekday, localDate, zonedToUtcCompatible } from '../common/zoned-time';
import type { WorkCell } from '../submissions/work-status.service';

// The course dashboard's view (decision 59, 64): pure functions from the figures to the matrix's
// cells and rows, shared by the page (course-dashboard.page.ts) and the benchmark's ceiling.

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
  /** The link's words: the status, or how many members a count is of. */
  label: string;
  /** Late, overdue and reopened stand out (strong); extended and the versions do not. */
  marks: { kind: string; text: string; strong: boolean }[];
  href: string | null;
  /** An individual task's cell in a team's row: how many of the members stand where, each with its sign. */
  counts?: { icon: string; text: string }[];
}

export interface MatrixRow {
  kind: 'team' | 'person';
  name: string;
  team: string;
  href: string | null;
  cells: MatrixCell[];
  progress: { accepted: number; submitted: number; open: number; total: number; text: string; bar: { accepted: number; handedIn: number } } | null;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How long something has waited, in the largest whole unit that says it ("3 days", "5 hours", "20 minutes"). */
export function age(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes >= 24 * 60) return plural(Math.floor(minutes / (24 * 60)), 'day');
  if (minutes >= 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(minutes, 'minute');
}

/** The cell's text: status, then what is worth knowing about it, comma-separated ("Submitted, late, 2 versions"). */
export function workCell(
  href: string,
  w: Pick<WorkCell, 'status' | 'statusLabel' | 'overdue' | 'reopened' | 'late' | 'extended' | 'versions'> | undefined,
  now: Date,
  dueAt: Date,
): MatrixCell {
  const status = w?.status ?? 'not_started';
  const label = w?.statusLabel ?? 'Not started';
  const overdue = w ? w.overdue : now > dueAt;
  const marks = [
    ...(w?.reopened && status !== 'accepted' ? [{ kind: 'reopened', text: 'reopened', strong: true }] : []),
    ...(w?.late ? [{ kind: 'late', text: 'late', strong: true }] : []),
    ...(overdue ? [{ kind: 'overdue', text: 'overdue', strong: true }] : []),
    ...(w?.extended ? [{ kind: 'extended', text: 'extended', strong: false }] : []),
    ...(w?.versions ? [{ kind: 'versions', text: plural(w.versions, 'version'), strong: false }] : []),
  ];
  return {
    text: [label, ...marks.map((m) => m.text)].join(', '),
    status,
    icon: STATUS_ICONS[status] ?? '',
    label,
    marks,
    href,
  };
}

export const blank = (text: string): MatrixCell => ({ text, status: null, icon: '', label: text, marks: [], href: null });

/** Where a team's members stand on one individual task. */
export interface MembersSummary {
  members: number;
  accepted: number;
  /** Handed in, not (yet) accepted. */
  submitted: number;
  /** Not handed in. */
  open: number;
  late: number;
  overdue: number;
  versions: number;
}

/**
 * An individual task's cell in a team's row: counts of the members, linked to the task's overview,
 * which lists each member's work ("Of 10 members: 2 accepted, 3 submitted, 5 open, 1 late, 4 overdue, 12 versions").
 */
export function summaryCell(href: string, s: MembersSummary): MatrixCell {
  if (!s.members) return { text: 'No members', status: 'summary', icon: '', label: 'No members', marks: [], href: null };
  const label = plural(s.members, 'member');
  const counts = [
    { icon: STATUS_ICONS.accepted, text: `${s.accepted} accepted` },
    { icon: STATUS_ICONS.submitted, text: `${s.submitted} submitted` },
    { icon: STATUS_ICONS.not_started, text: `${s.open} open` },
  ];
  const marks = [
    ...(s.late ? [{ kind: 'late', text: `${s.late} late`, strong: true }] : []),
    ...(s.overdue ? [{ kind: 'overdue', text: `${s.overdue} overdue`, strong: true }] : []),
    ...(s.versions ? [{ kind: 'versions', text: plural(s.versions, 'version'), strong: false }] : []),
  ];
  return {
    text: `Of ${label}: ${[...counts, ...marks].map((c) => c.text).join(', ')}`,
    status: 'summary',
    icon: '',
    label,
    marks,
    href,
    counts,
  };
}

/**
 * A team's members on one individual task, from the counts per team in SQL
 * (WorkStatusService.individualCounts): members with no work yet are open, and overdue once the
 * task's due time has passed; those with an extension are overdue once it has run out.
 */
export function membersSummary(
  members: number,
  c: { accepted: number; submitted: number; late: number; extendedAhead: number; extendedPast: number; versions: number } | undefined,
  now: Date,
  dueAt: Date,
): MembersSummary {
  const accepted = c?.accepted ?? 0;
  const submitted = c?.submitted ?? 0;
  const open = members - accepted - submitted;
  const extended = (c?.extendedAhead ?? 0) + (c?.extendedPast ?? 0);
  return {
    members,
    accepted,
    submitted,
    open,
    late: c?.late ?? 0,
    overdue: (now > dueAt ? open - extended : 0) + (c?.extendedPast ?? 0),
    versions: c?.versions ?? 0,
  };
}

/** Whether a task is meant for this team. */
export const forTeam = (x: { task: { audience: string }; teamIds: number[] }, teamId: number) => x.task.audience === 'all' || x.teamIds.includes(teamId);

/** A team's progress over the tasks shown: each team task once, each member's work on an individual task once. */
export class Tally {
  accepted = 0;
  submitted = 0;
  open = 0;

  add(w: WorkCell | undefined) {
    if (w?.status === 'accepted') this.accepted++;
    else if (w?.handedIn) this.submitted++;
    else this.open++;
  }

  addCounts(s: MembersSummary) {
    this.accepted += s.accepted;
    this.submitted += s.submitted;
    this.open += s.open;
  }

  progress(): NonNullable<MatrixRow['progress']> {
    const { accepted, submitted, open } = this;
    const total = accepted + submitted + open;
    const pct = (n: number) => (total ? Math.round((n / total) * 100) : 0);
    return {
      accepted,
      submitted,
      open,
      total,
      text: `${accepted} accepted, ${submitted} submitted, ${open} open`,
      bar: { accepted: pct(accepted), handedIn: pct(accepted + submitted) },
    };
  }
}

/** A team task's cell in a member's row: the team's row holds it. */
export const NOT_OWN = 'Team task';
/** A task meant for other teams. */
export const NOT_FOR_TEAM = 'Not for this team';

/** This week in the viewer's zone: Monday 00:00 to the next Monday 00:00 (local midnight, whatever the clock changes). */
export function weekOf(now: Date, zone: string) {
  // The same week for every instant in it: remembered per zone (a pure function of the zone and the week).
  const seen = weeks.get(zone);
  if (seen && seen.from <= now && now < seen.to) return seen;
  const week = weekAround(now, zone);
  if (weeks.size > 1000) weeks.clear();
  weeks.set(zone, week);
  return week;
}

type Week = { from: Date; to: Date; fromDay: string; toDay: string };
const weeks = new Map<string, Week>();

function weekAround(now: Date, zone: string): Week {
  const today = localDate(now, zone);
  const monday = addDays(today, 1 - isoWeekday(today));
  const next = addDays(monday, 7);
  return { from: zonedToUtcCompatible(monday, '00:00', zone), to: zonedToUtcCompatible(next, '00:00', zone), fromDay: monday, toDay: addDays(next, -1) };
}
