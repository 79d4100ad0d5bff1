/**
 * The course report's numbers, computed from plain facts the other modules hand over (decision 61
 * defines each one). Pure functions: the page service gathers the facts, these count.
 */

/** The p-th percentile (0–100) of the values, by linear interpolation between closest ranks (as R's type 7, NumPy's default and spreadsheets' PERCENTILE.INC); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted.length, p, (i) => sorted[i]);
}

/** The same percentile of n sorted values, reading only the (at most two) values it needs by 0-based rank. */
export function percentileOfSorted(n: number, p: number, at: (rank: number) => number): number | null {
  if (!n) return null;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return at(lo) + (at(hi) - at(lo)) * (rank - lo);
}

/** Rounded to one decimal (hours). */
export function oneDecimal(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface PhaseRef {
  id: number;
  title: string;
  startsOn: string;
  endsOn: string;
}

/** The phase whose dates (inclusive) hold this calendar day; the earliest-starting one if phases overlap; null if none. */
export function phaseOfDay(day: string, phases: readonly PhaseRef[]): PhaseRef | null {
  return [...phases].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id).find((p) => p.startsOn <= day && day <= p.endsOn) ?? null;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in a zone. */
export function dayIn(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The calendar day of an instant in a zone, remembered by quarter hour: the day changes only at
 * whole quarter hours (every zone's offset is a multiple of 15 minutes since standard time), and a
 * hand-in's time never changes, so the report's days are found again, not formatted again, from
 * one view to the next. A pure function's answers, bounded (forgotten at once past 50,000).
 */
export function quarterDay(at: Date, timeZone: string): string {
  let days = quarterDays.get(timeZone);
  if (!days) quarterDays.set(timeZone, (days = new Map<number, string>()));
  const quarter = Math.floor(at.getTime() / 900_000);
  let day = days.get(quarter);
  if (day === undefined) {
    if (quarterDaysSize >= 50_000) {
      quarterDays.clear();
      quarterDays.set(timeZone, (days = new Map<number, string>()));
      quarterDaysSize = 0;
    }
    days.set(quarter, (day = dayIn(at, timeZone)));
    quarterDaysSize++;
  }
  return day;
}

const quarterDays = new Map<string, Map<number, string>>();
let quarterDaysSize = 0;

export interface VersionFact {
  submissionId: number;
  teamId: number | null;
  userId: number | null;
  number: number;
  submittedAt: Date;
  late: boolean;
  releasedAt: Date | null;
  changesRequested: boolean;
}

/** Handed-in work, counted (the submissions module counts it in SQL; workFactsOf is the same in JavaScript). */
export interface WorkFacts {
  /** Each submission with at least one version: its owner, its first version's hand-in and late flag, its changes-requested loops, whether reopened. */
  handedIn: { submissionId: number; teamId: number | null; userId: number | null; firstAt: Date; late: boolean; loops: number; reopened: boolean }[];
  /** Versions handed in. */
  versions: number;
  /** Versions with a released review. */
  reviewed: number;
  /** Of those, how many within each finite bound of TURNAROUND_BUCKETS (hours from hand-in to the first release). */
  within: number[];
  /** Hours from hand-in to the first release: median and 90th percentile (null: none reviewed). */
  median: number | null;
  p90: number | null;
}

interface CommonFacts {
  timeZone: string;
  phases: PhaseRef[];
  teams: { id: number; name: string }[];
  /** Team members now: whose individual work counts with which team, and who counts as a participant. */
  members: { teamId: number; userId: number }[];
  invited: number;
  accepted: number;
  /** People with any recorded action in the course in the last 14 days. */
  activeActorIds: number[];
  meetings: { kind: string; held: number; recorded: number; teamRows: number; teamsPresent: number; personRows: number; peoplePresent: number }[];
}

/** The facts with every version listed (what workFactsOf counts). */
export interface ReportFacts extends CommonFacts {
  versions: VersionFact[];
  /** Times each submission was reopened after acceptance, by submission id. */
  reopened: Map<number, number>;
}

/** The facts with handed-in work already counted (what the page gathers). */
export interface CountedReportFacts extends CommonFacts {
  work: WorkFacts;
}

/** One table of the report: what the page shows beside a chart and what its CSV holds (head, rows, then the foot). */
export interface ReportTable {
  key: string;
  caption: string;
  head: string[];
  rows: (string | number)[][];
  foot?: (string | number)[];
}

export const TURNAROUND_BUCKETS = [
  { label: 'Within 1 day', upTo: 24 },
  { label: '1 to 2 days', upTo: 48 },
  { label: '2 to 3 days', upTo: 72 },
  { label: '3 to 7 days', upTo: 168 },
  { label: 'More than 7 days', upTo: Infinity },
] as const;

export const MEETING_KIND_LABELS: Readonly<Record<string, string>> = {
  expert_consultation: 'Expert consultations',
  peer_exchange: 'Peer exchanges',
  plenary: 'Plenaries',
  other: 'Other meetings',
};

const HOUR = 3_600_000;

/** "45%" of a part of a whole, or a dash when there is no whole. */
export function rate(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '–';
}

/** Handed-in work counted from every version (decision 61's definitions, in JavaScript): the reference the SQL count is held to. */
export function workFactsOf(versions: readonly VersionFact[], reopened: ReadonlyMap<number, number>): WorkFacts {
  const firsts = new Map<number, VersionFact>();
  const loops = new Map<number, number>();
  for (const v of versions) {
    const seen = firsts.get(v.submissionId);
    if (!seen || v.number < seen.number) firsts.set(v.submissionId, v);
    loops.set(v.submissionId, (loops.get(v.submissionId) ?? 0) + (v.changesRequested ? 1 : 0));
  }
  const hours = versions.filter((v) => v.releasedAt).map((v) => (v.releasedAt!.getTime() - v.submittedAt.getTime()) / HOUR);
  return {
    handedIn: [...firsts.values()].map((v) => ({
      submissionId: v.submissionId,
      teamId: v.teamId,
      userId: v.userId,
      firstAt: v.submittedAt,
      late: v.late,
      loops: loops.get(v.submissionId)!,
      reopened: (reopened.get(v.submissionId) ?? 0) > 0,
    })),
    versions: versions.length,
    reviewed: hours.length,
    within: TURNAROUND_BUCKETS.slice(0, -1).map((b) => hours.filter((h) => h <= b.upTo).length),
    median: percentile(hours, 50),
    p90: percentile(hours, 90),
  };
}

export function computeFigures(facts: ReportFacts | CountedReportFacts) {
  const f: CountedReportFacts = 'work' in facts ? facts : { ...facts, work: workFactsOf(facts.versions, facts.reopened) };
  const work = f.work;
  // Participation
  const memberIds = new Set(f.members.map((m) => m.userId));
  const active = new Set(f.activeActorIds);
  const activeMembers = [...memberIds].filter((id) => active.has(id)).length;
  const activeStaff = [...active].filter((id) => !memberIds.has(id)).length;

  // Submissions: each counted once, in the phase its first version was handed in.
  const teamOfPerson = new Map<number, number>();
  for (const m of [...f.members].sort((a, b) => a.teamId - b.teamId)) if (!teamOfPerson.has(m.userId)) teamOfPerson.set(m.userId, m.teamId);
  const teamOf = (v: { teamId: number | null; userId: number | null }) => v.teamId ?? (v.userId !== null ? (teamOfPerson.get(v.userId) ?? null) : null);
  const phases = [...f.phases].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id);
  const cells = new Map<string, number>();
  const late = new Map<number | null, number>();
  let outside = 0;
  // The phase of each calendar day, looked up once per day, not once per submission.
  const phaseOn = new Map<string, PhaseRef | null>();
  const phaseOf = (day: string) => {
    let phase = phaseOn.get(day);
    if (phase === undefined) phaseOn.set(day, (phase = phaseOfDay(day, phases)));
    return phase;
  };
  for (const v of work.handedIn) {
    const phase = phaseOf(quarterDay(v.firstAt, f.timeZone));
    const team = teamOf(v);
    const key = `${team}|${phase?.id ?? 'none'}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    if (!phase) outside++;
    if (v.late) late.set(team, (late.get(team) ?? 0) + 1);
  }
  const columns = [...phases.map((p) => ({ key: String(p.id), title: p.title })), ...(outside ? [{ key: 'none', title: 'Outside the phases' }] : [])];
  const teams = [...f.teams].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id - b.id) as { id: number | null; name: string }[];
  if ([...cells.keys()].some((k) => k.startsWith('null|'))) teams.push({ id: null, name: 'No team' });
  const perTeam = teams.map((t) => {
    const values = columns.map((c) => cells.get(`${t.id}|${c.key}`) ?? 0);
    return { name: t.name, values, total: values.reduce((s, n) => s + n, 0), late: late.get(t.id) ?? 0 };
  });
  const columnTotals = columns.map((_, i) => perTeam.reduce((s, t) => s + t.values[i], 0));
  const handedIn = work.handedIn.length;
  const lateTotal = perTeam.reduce((s, t) => s + t.late, 0);

  // Review turnaround: each version whose review was released, from hand-in to the first release.
  const reviewed = work.reviewed;
  const waiting = work.versions - reviewed;
  const { median, p90 } = work;
  const buckets = TURNAROUND_BUCKETS.map((b, i) => ({
    label: b.label,
    count: (i < work.within.length ? work.within[i] : reviewed) - (i === 0 ? 0 : work.within[i - 1]),
  }));

  // Changes-requested loops: per handed-in submission, its versions on which a released review asked for changes.
  const loopCounts = work.handedIn.map((v) => v.loops);
  const loopRows = ['None', 'One', 'Two', 'Three or more'].map((label, n) => ({ label, count: loopCounts.filter((c) => (n === 3 ? c >= 3 : c === n)).length }));
  const meanLoops = loopCounts.length ? loopCounts.reduce((s, n) => s + n, 0) / loopCounts.length : null;
  const reopened = work.handedIn.filter((v) => v.reopened).length;

  // Meetings held and attendance.
  const meetingRows = [...f.meetings]
    .sort((a, b) => Object.keys(MEETING_KIND_LABELS).indexOf(a.kind) - Object.keys(MEETING_KIND_LABELS).indexOf(b.kind))
    .map((m) => ({ ...m, label: MEETING_KIND_LABELS[m.kind] ?? m.kind }));
  const sum = (k: 'held' | 'recorded' | 'teamRows' | 'teamsPresent' | 'personRows' | 'peoplePresent') => meetingRows.reduce((s, m) => s + m[k], 0);
  const held = sum('held');
  const hoursText = (h: number | null) => (h === null ? '–' : oneDecimal(h));

  const tables: ReportTable[] = [
    {
      key: 'key-figures',
      caption: 'Key figures',
      head: ['Figure', 'Value'],
      rows: [
        ['Invited', f.invited],
        ['Accepted', f.accepted],
        ['Team members', memberIds.size],
        ['Team members active in the last 14 days', activeMembers],
        ['Staff active in the last 14 days', activeStaff],
        ['Submissions handed in', handedIn],
        ['Handed in late', lateTotal],
        ['Versions handed in', work.versions],
        ['Review turnaround, median (hours)', hoursText(median)],
        ['Review turnaround, 90th percentile (hours)', hoursText(p90)],
        ['Versions waiting for feedback', waiting],
        ['Changes requested per submission (mean)', meanLoops === null ? '–' : oneDecimal(meanLoops)],
        ['Submissions reopened after acceptance', reopened],
        ['Meetings held', held],
        ['Team attendance (teams present of recorded)', rate(sum('teamsPresent'), sum('teamRows'))],
        ['People attendance (people present of recorded)', rate(sum('peoplePresent'), sum('personRows'))],
      ],
    },
    {
      key: 'participation',
      caption: 'Participation',
      head: ['Who', 'People'],
      rows: [
        ['Invited', f.invited],
        ['Accepted', f.accepted],
        ['Team members', memberIds.size],
        ['Team members active in the last 14 days', activeMembers],
        ['Staff active in the last 14 days', activeStaff],
      ],
    },
    {
      key: 'submissions',
      caption: 'Submissions per team and phase (counted in the phase of their first version)',
      head: ['Team', ...columns.map((c) => c.title), 'Total', 'Late'],
      rows: perTeam.map((t) => [t.name, ...t.values, t.total, t.late]),
      foot: ['All teams', ...columnTotals, handedIn, lateTotal],
    },
    {
      key: 'turnaround',
      caption: 'Review turnaround: versions by time from hand-in to released feedback',
      head: ['Turnaround', 'Versions'],
      rows: buckets.map((b) => [b.label, b.count]),
      foot: ['Reviewed', reviewed],
    },
    {
      key: 'loops',
      caption: 'Changes requested per submission',
      head: ['Times changes were requested', 'Submissions'],
      rows: loopRows.map((r) => [r.label, r.count]),
      foot: ['Handed in', handedIn],
    },
    {
      key: 'meetings',
      caption: 'Meetings held and attendance',
      head: [
        'Kind',
        'Held',
        'With attendance recorded',
        'Teams present',
        'Teams recorded',
        'Team attendance',
        'People present',
        'People recorded',
        'People attendance',
      ],
      rows: meetingRows.map((m) => [
        m.label,
        m.held,
        m.recorded,
        m.teamsPresent,
        m.teamRows,
        rate(m.teamsPresent, m.teamRows),
        m.peoplePresent,
        m.personRows,
        rate(m.peoplePresent, m.personRows),
      ]),
      foot: [
        'All meetings',
        held,
        sum('recorded'),
        sum('teamsPresent'),
        sum('teamRows'),
        rate(sum('teamsPresent'), sum('teamRows')),
        sum('peoplePresent'),
        sum('personRows'),
        rate(sum('peoplePresent'), sum('personRows')),
      ],
    },
  ];

  return {
    tables,
    participation: { invited: f.invited, accepted: f.accepted, members: memberIds.size, activeMembers, activeStaff },
    submissions: { series: columns.map((c) => c.title), teams: perTeam, handedIn, late: lateTotal },
    turnaround: { reviewed, waiting, median, p90, buckets },
    loops: { rows: loopRows, mean: meanLoops, reopened },
    meetings: { rows: meetingRows, held },
  };
}

export type CourseFigures = ReturnType<typeof computeFigures>;
