import { FormInvalidError } from '../common/errors';
import { addDays, isIsoDate, NonexistentTimeError, zonedToUtc } from '../common/zoned-time';
import type { EventLogFilter } from '../events/event-log.service';
import { EVENT_KINDS, type EventKind } from '../events/event-kinds';

/** The audit log's filter fields as the GET form sends them. */
export const FILTER_FIELDS = ['course', 'person', 'kind', 'from', 'to', 'page'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type FilterValues = Partial<Record<FilterField, string>>;

export const MAX_PAGE = 100_000;

/** What the filters may name on this log: the options its form offers. */
export interface FilterChoices {
  /** The log is this one course's: every event read is of this course, whatever the query says. */
  onlyCourseId: number | null;
  /** Courses offered (the site-wide log). */
  courseIds: ReadonlySet<number>;
  /** People offered: actors of the log's events. */
  personIds: ReadonlySet<number>;
  kinds: ReadonlySet<string>;
  /** The viewer's zone: dates are whole days there. */
  zone: string;
}

/**
 * The raw query as strings, for the form to show again: only the filter's fields, each as typed
 * (a repeated parameter shows its first value).
 */
export function filterValues(query: Record<string, unknown>): FilterValues {
  const values: FilterValues = {};
  for (const f of FILTER_FIELDS) {
    const v = query[f];
    const first = Array.isArray(v) ? (v[0] as unknown) : v;
    if (typeof first === 'string' && first.trim() !== '') values[f] = first.replaceAll('\u0000', '').trim();
  }
  return values;
}

/**
 * Reads the filters. Every bad value is a message at its field (the page answers 422 with the form
 * and the values kept): nothing is silently dropped, so what the table shows is always what the
 * form says. Dates are whole days in the viewer's zone, both ends included.
 */
export function parseFilter(query: Record<string, unknown>, choices: FilterChoices): { filter: EventLogFilter; page: number } {
  const problems: Record<string, string[]> = {};
  const bad = (field: FilterField | '_form', message: string) => (problems[field] ??= []).push(message);
  const one = (field: FilterField): string | undefined => {
    const v = query[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      bad(field, 'Give one value only.');
      return undefined;
    }
    const t = v.trim();
    return t === '' ? undefined : t;
  };

  const filter: EventLogFilter = {};
  if (choices.onlyCourseId !== null) filter.courseId = choices.onlyCourseId;
  else {
    const course = one('course');
    if (course !== undefined) {
      if (/^\d{1,10}$/.test(course) && choices.courseIds.has(Number(course))) filter.courseId = Number(course);
      else bad('course', 'Choose a workshop from the list.');
    }
  }
  const person = one('person');
  if (person !== undefined) {
    if (person === 'system') filter.actor = 'system';
    else if (/^\d{1,10}$/.test(person) && choices.personIds.has(Number(person))) filter.actor = Number(person);
    else bad('person', 'Choose a person from the list.');
  }
  const kind = one('kind');
  if (kind !== undefined) {
    if ((EVENT_KINDS as readonly string[]).includes(kind) && choices.kinds.has(kind)) filter.kind = kind as EventKind;
    else bad('kind', 'Choose a kind of event from the list.');
  }
  const from = one('from');
  const to = one('to');
  const dateMessage = 'Enter a date as year-month-day, for example 2026-03-01.';
  if (from !== undefined && !isIsoDate(from)) bad('from', dateMessage);
  if (to !== undefined && !isIsoDate(to)) bad('to', dateMessage);
  if (from !== undefined && to !== undefined && isIsoDate(from) && isIsoDate(to) && to < from) bad('to', 'The last day must be on or after the first day.');
  if (!problems.from && from !== undefined) filter.from = startOfDay(from, choices.zone);
  if (!problems.to && to !== undefined) filter.before = startOfDay(addDays(to, 1), choices.zone);

  let page = 1;
  const pageText = one('page');
  if (pageText !== undefined) {
    if (/^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 && Number(pageText) <= MAX_PAGE) page = Number(pageText);
    else bad('_form', `The page number in the address must be a whole number from 1 to ${MAX_PAGE}.`);
  }

  if (Object.keys(problems).length) throw new FormInvalidError(problems);
  return { filter, page };
}

/** The first instant of a calendar day in a zone (00:00, or the first minute after a clock change at midnight). */
export function startOfDay(date: string, zone: string): Date {
  for (const time of ['00:00', '00:30', '01:00']) {
    try {
      return zonedToUtc(date, time, zone);
    } catch (e) {
      if (!(e instanceof NonexistentTimeError)) throw e;
    }
  }
  return zonedToUtc(date, '02:00', zone);
}
