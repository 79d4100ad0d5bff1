import { once } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { pageLinks } from '../common/pagination';
import { formatInstant } from '../common/time';
import { localDate } from '../common/zoned-time';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { type EventCursor, type EventLogEntry, EventLogService } from '../events/event-log.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import type { SessionUser } from '../users/user.view';
import { UsersService } from '../users/users.service';
import { filterValues, parseFilter } from './audit-filter';
import { csvLine } from '../common/csv';
import { actorName, describeEvent, idsNamedBy, KIND_LABELS, kindGroups, ownersNamed } from './event-text';

export const PAGE_SIZE = 50;
const CSV_CHUNK = 500;

/** Whose log: every event (administrators), or one course's (its managers). */
type Scope = { site: true; user: SessionUser } | { site: false; user: SessionUser; viewer: CourseViewer };

type Query = Record<string, unknown>;

/**
 * The audit log: who did what and when, site-wide or in one course, filtered, a page at a time or
 * as CSV. Each page costs the same number of queries whatever the number of events: the events,
 * then one look-up each for people, courses, tasks, teams and submissions named on the page.
 */
@Injectable()
export class AuditPages {
  constructor(
    private readonly log: EventLogService,
    private readonly users: UsersService,
    private readonly courses: CoursesService,
    private readonly tasks: TasksService,
    private readonly teams: TeamsService,
    private readonly work: WorkStatusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  site(user: SessionUser, query: Query) {
    return this.page({ site: true, user }, query);
  }

  course(viewer: CourseViewer, query: Query) {
    return this.page({ site: false, user: viewer.user, viewer }, query);
  }

  /** The page with its filter form only, for a 422 (bad filters): no events are read. */
  siteForm(user: SessionUser, query: Query) {
    return this.form({ site: true, user }, query);
  }

  courseForm(viewer: CourseViewer, query: Query) {
    return this.form({ site: false, user: viewer.user, viewer }, query);
  }

  siteCsv(user: SessionUser, query: Query, res: Response) {
    return this.csv({ site: true, user }, query, res);
  }

  courseCsv(viewer: CourseViewer, query: Query, res: Response) {
    return this.csv({ site: false, user: viewer.user, viewer }, query, res);
  }

  private async page(scope: Scope, query: Query) {
    const options = await this.options(scope);
    const { filter, page } = parseFilter(query, this.choices(scope, options));
    const { entries, total } = await this.log.page(filter, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    const rows = await this.rows(scope, entries, options);
    const values = filterValues(query);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const { page: _page, ...kept } = values;
    void _page;
    return {
      ...this.frame(scope, options, rows.people, rows.courses),
      values,
      rows: rows.rows,
      total,
      filtered: Object.keys(kept).length > 0,
      pastEnd: total > 0 && entries.length === 0,
      firstPage: this.withQuery(this.base(scope), kept),
      csvHref: this.withQuery(`${this.base(scope)}.csv`, kept),
      pagination: page <= pages ? pageLinks(this.base(scope), kept, page, pages) : { many: false },
      shownFrom: entries.length ? (page - 1) * PAGE_SIZE + 1 : 0,
      shownTo: (page - 1) * PAGE_SIZE + entries.length,
    };
  }

  private async form(scope: Scope, query: Query) {
    const options = await this.options(scope);
    const [people, courses] = await Promise.all([
      this.users.namesByIds(options.actorIds.filter((id): id is number => id !== null)),
      scope.site ? this.courses.briefs(options.courseIds) : Promise.resolve(new Map<number, { title: string; timeZone: string }>()),
    ]);
    const values = filterValues(query);
    return { ...this.frame(scope, options, people, courses), values, rows: [], invalid: true, filtered: Object.keys(values).some((k) => k !== 'page') };
  }

  /** Streams the filtered log as CSV, newest first, a chunk at a time (bad filters are refused before anything is sent). */
  private async csv(scope: Scope, query: Query, res: Response): Promise<void> {
    const options = await this.options(scope);
    const { filter } = parseFilter(query, this.choices(scope, options));
    const zone = scope.user.timeZone;
    const name = scope.site ? 'atelier-audit' : `atelier-audit-workshop-${scope.viewer.course.id}`;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}-${localDate(new Date(), zone)}.csv"`);
    res.write(`\uFEFF${csvLine(['Time (UTC)', `Time (${zone})`, 'Who', 'What', 'Kind', 'Workshop', 'Link'])}`);
    let cursor: EventCursor | null = null;
    for (;;) {
      const entries = await this.log.chunk(filter, cursor, CSV_CHUNK);
      if (!entries.length || res.destroyed) break;
      const { rows } = await this.rows(scope, entries, { actorIds: [], courseIds: [] });
      const text = rows
        .map((r) =>
          csvLine([
            r.at.toISOString(),
            formatInstant(r.at, zone),
            r.who,
            r.what,
            r.kindLabel,
            r.course?.title ?? '',
            r.link ? `${this.config.publicBaseUrl}${r.link.href}` : '',
          ]),
        )
        .join('');
      if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (entries.length < CSV_CHUNK) break;
      const last = entries[entries.length - 1];
      cursor = { occurredAt: last.occurredAt, id: last.id };
    }
    res.end();
  }

  /** What the filters may name: the log's actors and (site-wide) its courses. */
  private async options(scope: Scope) {
    const [actorIds, courseIds] = await Promise.all([
      this.log.actors(scope.site ? undefined : scope.viewer.course.id),
      scope.site ? this.log.courses() : Promise.resolve([] as number[]),
    ]);
    return { actorIds, courseIds };
  }

  private choices(scope: Scope, options: { actorIds: (number | null)[]; courseIds: number[] }) {
    return {
      onlyCourseId: scope.site ? null : scope.viewer.course.id,
      courseIds: new Set(options.courseIds),
      personIds: new Set(options.actorIds.filter((id): id is number => id !== null)),
      kinds: new Set(kindGroups(scope.site).flatMap((g) => g.kinds.map((k) => k.value))),
      zone: scope.user.timeZone,
    };
  }

  /** The events as table rows, with every name looked up once for the page (and the filter's people and courses). */
  private async rows(scope: Scope, entries: EventLogEntry[], also: { actorIds: (number | null)[]; courseIds: number[] }) {
    const ids = idsNamedBy(entries);
    const submissions = await this.work.owners(ids.submissions);
    const owners = ownersNamed(submissions);
    const courseIds = scope.site ? [...entries.map((e) => e.courseId).filter((id): id is number => id !== null), ...also.courseIds] : [];
    const [people, tasks, teams, courses] = await Promise.all([
      this.users.namesByIds([...ids.people, ...owners.people, ...also.actorIds.filter((id): id is number => id !== null)]),
      this.tasks.titles([...ids.tasks, ...[...submissions.values()].map((s) => s.taskId)]),
      this.teams.teamNames([...new Set([...ids.teams, ...owners.teams])]),
      scope.site ? this.courses.briefs(courseIds) : Promise.resolve(new Map<number, { title: string; timeZone: string }>()),
    ]);
    const lookups = { people, tasks, teams, submissions, zone: scope.user.timeZone, site: scope.site };
    const rows = entries.map((e) => {
      const { text, link } = describeEvent(e, lookups);
      const course = e.courseId !== null ? (scope.site ? courses.get(e.courseId) : scope.viewer.course) : undefined;
      return {
        id: e.id,
        at: e.occurredAt,
        when: when(e.occurredAt, scope.user.timeZone, scope.site ? null : scope.viewer.course.timeZone),
        who: actorName(e, people),
        whoHref: scope.site && e.actorId !== null && people.has(e.actorId) ? `/admin/users/${e.actorId}` : null,
        what: text,
        link,
        kindLabel: KIND_LABELS[e.kind] ?? e.kind,
        course: e.courseId !== null ? { title: course?.title ?? `Workshop no. ${e.courseId}`, href: course ? `/courses/${e.courseId}` : null } : null,
      };
    });
    return { rows, people, courses };
  }

  /** The page around the table: heading, course header, the filter form's options. */
  private frame(
    scope: Scope,
    options: { actorIds: (number | null)[]; courseIds: number[] },
    people: ReadonlyMap<number, string>,
    courses: ReadonlyMap<number, { title: string }>,
  ) {
    const personOptions = [
      ...options.actorIds
        .filter((id): id is number => id !== null)
        .map((id) => ({ value: String(id), label: people.get(id) ?? `Unknown account (no. ${id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      ...(options.actorIds.includes(null) ? [{ value: 'system', label: 'System, or not signed in' }] : []),
    ];
    const common = {
      title: 'Audit log',
      action: this.base(scope),
      personOptions,
      kindGroups: kindGroups(scope.site),
      zone: scope.user.timeZone,
    };
    if (scope.site) {
      const courseOptions = options.courseIds
        .map((id) => ({ value: String(id), label: courses.get(id)?.title ?? `Workshop no. ${id}` }))
        .sort((a, b) => a.label.localeCompare(b.label));
      return { ...common, nav: 'audit', site: true, courseOptions };
    }
    const v = scope.viewer;
    return {
      ...common,
      ...courseHeader(v, 'audit'),
      site: false,
      courseZone: v.course.timeZone,
      otherZone: v.course.timeZone !== scope.user.timeZone,
    };
  }

  private base(scope: Scope): string {
    return scope.site ? '/admin/audit' : `/courses/${scope.viewer.course.id}/audit`;
  }

  private withQuery(path: string, values: Record<string, string | undefined>): string {
    const q = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
    return q ? `${path}?${q}` : path;
  }
}

/**
 * When, for a table cell: the day, then the time in the viewer's zone, and on a course's log the
 * same instant in the course's zone where that differs.
 */
function when(at: Date, zone: string, courseZone: string | null) {
  const [day, time] = formatInstant(at, zone).split(', ');
  return { day, time, also: courseZone && courseZone !== zone ? formatInstant(at, courseZone) : null };
}
