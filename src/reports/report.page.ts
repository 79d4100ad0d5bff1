import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { csvLine } from '../common/csv';
import { NotFoundError } from '../common/errors';
import { formatInstant } from '../common/time';
import { localDate } from '../common/zoned-time';
import type { CourseManager } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { EventLogService } from '../events/event-log.service';
import { ReadSnapshots } from '../database/read-snapshots';
import { InvitationsService } from '../invitations/invitations.service';
import { Clock } from '../meetings/clock';
import { MeetingsService } from '../meetings/meetings.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { type CourseFigures, computeFigures, oneDecimal, percentileOfSorted, type ReportTable, TURNAROUND_BUCKETS } from './report-figures';
import { barChart, stackedBarChart } from './svg-chart';

/** "Active" looks back this far (decision 61). */
export const ACTIVE_DAYS = 14;

const HOUR = 3_600_000;
/** The turnaround bands' finite bounds, in ms, as the submissions module counts them. */
const WITHIN_MS = TURNAROUND_BUCKETS.slice(0, -1).map((b) => b.upTo * HOUR) as [number, number, number, number];

/**
 * The course report for the organisers: participation, submissions per team and phase, review
 * turnaround, changes-requested loops, meetings held and attendance. Read from the other modules'
 * services; the same number of queries whatever the course's size (decision 61).
 */
@Injectable()
export class ReportPages {
  constructor(
    private readonly courses: CoursesService,
    private readonly teams: TeamsService,
    private readonly tasks: TasksService,
    private readonly work: WorkStatusService,
    private readonly invitations: InvitationsService,
    private readonly log: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly clock: Clock,
    private readonly snapshots: ReadSnapshots,
  ) {}

  async page(m: CourseManager) {
    const { figures, now } = await this.figures(m);
    const base = `/courses/${m.course.id}/report`;
    const table = (key: string) => {
      const t = figures.tables.find((x) => x.key === key)!;
      // More than three columns: the table goes under its chart, not beside it.
      return { ...t, csvHref: `${base}/${t.key}.csv`, wide: t.head.length > 3 };
    };
    return {
      title: `Report – ${m.course.title}`,
      ...courseHeader(m, 'report'),
      generated: formatInstant(now, m.user.timeZone),
      activeDays: ACTIVE_DAYS,
      summaryHref: `${base}/summary`,
      keyFigures: table('key-figures'),
      sections: this.sections(figures).map((s) => ({ ...s, table: table(s.key) })),
    };
  }

  /** The one-page summary to print: key figures, the tables, one chart; no navigation. */
  async summary(m: CourseManager) {
    const { figures, now } = await this.figures(m);
    const header = courseHeader(m, 'report');
    const byKey = (key: string) => figures.tables.find((t) => t.key === key)!;
    return {
      layout: 'layouts/print',
      title: `Course report – ${m.course.title}`,
      course: header.course,
      reportHref: `/courses/${m.course.id}/report`,
      generated: formatInstant(now, m.course.timeZone),
      activeDays: ACTIVE_DAYS,
      keyFigures: byKey('key-figures'),
      submissionsChart: this.sections(figures)[1].chart,
      tables: Object.fromEntries(['submissions', 'turnaround', 'loops', 'meetings'].map((k) => [k, byKey(k)])),
    };
  }

  /** One table as CSV (RFC 4180, formula cells defused): its head, rows and foot. Unknown tables are 404. */
  async csv(m: CourseManager, key: string, res: Response): Promise<void> {
    const { figures, now } = await this.figures(m);
    const table = figures.tables.find((t) => t.key === key);
    if (!table) throw new NotFoundError();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="atelier-report-workshop-${m.course.id}-${key}-${localDate(now, m.course.timeZone)}.csv"`);
    res.send(`\uFEFF${tableCsv(table)}`);
  }

  /**
   * The course's figures as of `now`, the page, its CSVs and the summary alike: the same for every
   * manager, kept while nothing is written (ReadSnapshots, decision 74), so the page says when they
   * were computed and its CSVs match it.
   */
  private figures(m: CourseManager): Promise<{ figures: CourseFigures; now: Date }> {
    const now = this.clock.now();
    return this.snapshots.read(`report:${m.course.id}`, now, () => this.compute(m, now));
  }

  private async compute(m: CourseManager, now: Date): Promise<{ figures: CourseFigures; now: Date }> {
    const courseId = m.course.id;
    const since = new Date(now.getTime() - ACTIVE_DAYS * 24 * 3_600_000);
    const [phases, teams, taskIds, activeActorIds, meetings] = await Promise.all([
      this.courses.phases(courseId),
      this.teams.names(courseId),
      this.tasks.taskIdsInCourses([courseId]),
      this.log.activeActors(courseId, since),
      this.meetings.heldSummary(courseId),
    ]);
    const teamIds = teams.map((t) => t.id);
    const [members, counts, facts] = await Promise.all([
      this.teams.memberIdsOf(teamIds),
      this.invitations.countsForTeams(teamIds),
      this.work.reportFacts(taskIds, { withinMs: WITHIN_MS, percentiles: [50, 90] }),
    ]);
    const figures = computeFigures({
      timeZone: m.course.timeZone,
      phases: phases.map((p) => ({ id: p.id, title: p.title, startsOn: p.startsOn, endsOn: p.endsOn })),
      teams,
      members,
      invited: counts.invited,
      accepted: counts.accepted,
      activeActorIds,
      work: {
        handedIn: facts.handedIn,
        versions: facts.versions,
        reviewed: facts.reviewed,
        within: facts.within,
        median: percentileOfSorted(facts.reviewed, 50, (i) => facts.ranked.get(i)! / HOUR),
        p90: percentileOfSorted(facts.reviewed, 90, (i) => facts.ranked.get(i)! / HOUR),
      },
      meetings,
    });
    return { figures, now };
  }

  /** The report's sections in order: each a chart drawn from the same numbers as its table. */
  private sections(f: CourseFigures) {
    const p = f.participation;
    const t = f.turnaround;
    const hours = (h: number | null) => (h === null ? 'not yet known' : `${oneDecimal(h)} hours`);
    return [
      {
        key: 'participation',
        heading: 'Participation',
        chart: barChart({
          id: 'chart-participation',
          title: 'Participation',
          description: `${p.invited} invited, ${p.accepted} accepted, ${p.members} team members, ${p.activeMembers} of them active in the last ${ACTIVE_DAYS} days; ${p.activeStaff} staff active.`,
          bars: [
            { label: 'Invited', value: p.invited },
            { label: 'Accepted', value: p.accepted },
            { label: 'Team members', value: p.members },
            { label: `Members active (${ACTIVE_DAYS} days)`, value: p.activeMembers },
            { label: `Staff active (${ACTIVE_DAYS} days)`, value: p.activeStaff },
          ],
        }),
      },
      {
        key: 'submissions',
        heading: 'Submissions per team and phase',
        chart: stackedBarChart({
          id: 'chart-submissions',
          title: 'Submissions per team and phase',
          description: `${f.submissions.handedIn} submissions handed in by ${f.submissions.teams.length} teams, ${f.submissions.late} late. ${f.submissions.teams
            .map((x) => `${x.name}: ${x.total}`)
            .join('; ')}.`,
          series: f.submissions.series,
          bars: f.submissions.teams.map((x) => ({ label: x.name, values: x.values })),
        }),
      },
      {
        key: 'turnaround',
        heading: 'Review turnaround',
        lead: `Median ${hours(t.median)}, 90th percentile ${hours(t.p90)}, over ${t.reviewed} reviewed versions; ${t.waiting} waiting for feedback.`,
        chart: barChart({
          id: 'chart-turnaround',
          title: 'Review turnaround',
          description: `Versions by time from hand-in to released feedback. Median ${hours(t.median)}, 90th percentile ${hours(t.p90)}. ${t.buckets
            .map((b) => `${b.label}: ${b.count}`)
            .join('; ')}.`,
          bars: t.buckets.map((b) => ({ label: b.label, value: b.count })),
        }),
      },
      {
        key: 'loops',
        heading: 'Changes requested per submission',
        lead: `${f.loops.reopened} ${f.loops.reopened === 1 ? 'submission was' : 'submissions were'} reopened after acceptance (not counted as changes requested).`,
        chart: barChart({
          id: 'chart-loops',
          title: 'Changes requested per submission',
          description: `How many times feedback asked for changes, per submission: ${f.loops.rows.map((r) => `${r.label}: ${r.count}`).join('; ')}.`,
          bars: f.loops.rows.map((r) => ({ label: r.label, value: r.count })),
        }),
      },
      {
        key: 'meetings',
        heading: 'Meetings held and attendance',
        chart: barChart({
          id: 'chart-meetings',
          title: 'Meetings held',
          description: f.meetings.rows.length
            ? `${f.meetings.held} meetings held: ${f.meetings.rows.map((r) => `${r.label}: ${r.held}`).join('; ')}.`
            : 'No meetings held yet.',
          bars: f.meetings.rows.map((r) => ({ label: r.label, value: r.held })),
        }),
      },
    ];
  }
}

/** A report table as CSV text: head, rows, foot, each line CRLF-terminated. */
export function tableCsv(t: ReportTable): string {
  return [t.head, ...t.rows, ...(t.foot ? [t.foot] : [])].map((r) => csvLine(r)).join('');
}
