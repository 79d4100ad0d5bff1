import type { ConflictField } from '../common/edit-conflict';
import { show } from '../common/edit-conflict';
import { toText } from '../common/to-text';
import { formatDate, isIsoDate, isWallTime, zonedToUtcCompatible } from '../common/zoned-time';
import type { AvailabilityRules, Interval, OneOffWindow, WeeklyWindow } from './slots';

/** How many rows of each kind the form has (a fixed set: the form works without JavaScript). */
export const WEEKLY_ROWS = 10;
export const ONE_OFF_ROWS = 10;
export const DAY_OFF_ROWS = 10;

export const weeklyFields = (n: number) => ({ day: `weekly${n}Day`, start: `weekly${n}Start`, end: `weekly${n}End` });
export const oneOffFields = (n: number) => ({ day: `oneOff${n}Date`, start: `oneOff${n}Start`, end: `oneOff${n}End` });
export const dayOffField = (n: number) => `dayOff${n}`;

export const WEEKDAYS = [
  { value: '1', label: 'Monday' },
  { value: '2', label: 'Tuesday' },
  { value: '3', label: 'Wednesday' },
  { value: '4', label: 'Thursday' },
  { value: '5', label: 'Friday' },
  { value: '6', label: 'Saturday' },
  { value: '7', label: 'Sunday' },
];

export const DEFAULT_RULES = { slotMinutes: 30, bufferMinutes: 10, minNoticeHours: 24, horizonDays: 60 };

/** The windows and days off as typed, checked: the rules' lists, or messages keyed by field. */
export interface ReadRows {
  weekly: WeeklyWindow[];
  oneOff: OneOffWindow[];
  daysOff: string[];
  errors: Record<string, string[]>;
}

const text = (body: Record<string, unknown>, name: string) => toText(body[name]).trim();

/**
 * Reads the rows of the form. A row with every field empty is ignored; otherwise each field must
 * be filled and well formed, a window must end after it starts on the same day, and a one-off
 * window must fall within one of the course's online phases (`online`, with `onlineLabel` saying
 * when they are) and not on a day already past in the expert's zone (unless it was saved before:
 * `saved`). Days off may repeat (kept once).
 */
export function readAvailabilityRows(
  body: Record<string, unknown>,
  ctx: { zone: string; online: readonly Interval[]; onlineLabel: string; today: string; saved?: readonly string[] },
): ReadRows {
  const { zone, online, onlineLabel } = ctx;
  const savedDays = new Set(ctx.saved ?? []);
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message);
  const timesOf = (start: string, end: string, f: { start: string; end: string }) => {
    let ok = true;
    if (!isWallTime(start)) {
      fail(f.start, 'Enter the start as hours and minutes, e.g. 09:00.');
      ok = false;
    }
    if (!isWallTime(end)) {
      fail(f.end, 'Enter the end as hours and minutes, e.g. 12:00.');
      ok = false;
    }
    if (ok && end <= start) {
      fail(f.end, `The window must end after it starts (${start}) on the same day.`);
      ok = false;
    }
    return ok;
  };

  const weekly: WeeklyWindow[] = [];
  for (let n = 1; n <= WEEKLY_ROWS; n++) {
    const f = weeklyFields(n);
    const [day, start, end] = [text(body, f.day), text(body, f.start), text(body, f.end)];
    if (!day && !start && !end) continue;
    const dayOk = WEEKDAYS.some((d) => d.value === day);
    if (!dayOk) fail(f.day, 'Choose the day of the week.');
    if (timesOf(start, end, f) && dayOk) weekly.push({ weekday: Number(day), start, end });
  }

  const oneOff: OneOffWindow[] = [];
  for (let n = 1; n <= ONE_OFF_ROWS; n++) {
    const f = oneOffFields(n);
    const [date, start, end] = [text(body, f.day), text(body, f.start), text(body, f.end)];
    if (!date && !start && !end) continue;
    const dateOk = isIsoDate(date);
    if (!dateOk) fail(f.day, 'Enter the day as a date, e.g. 2025-10-21.');
    if (!timesOf(start, end, f) || !dateOk) continue;
    // A day already past is refused when typed, but a saved window may stay while its day passes.
    if (date < ctx.today && !savedDays.has(date)) {
      fail(f.day, `${formatDate(date)} has passed: choose a day from today (${formatDate(ctx.today)}) on.`);
      continue;
    }
    const window = { start: zonedToUtcCompatible(date, start, zone), end: zonedToUtcCompatible(date, end, zone) };
    if (!online.some((p) => p.start < window.end && window.start < p.end)) {
      fail(
        f.day,
        online.length ? `${formatDate(date)} is outside the course's online phases (${onlineLabel}).` : 'This course has no online phase to meet in.',
      );
      continue;
    }
    oneOff.push({ date, start, end });
  }

  const daysOff = new Set<string>();
  for (let n = 1; n <= DAY_OFF_ROWS; n++) {
    const day = text(body, dayOffField(n));
    if (!day) continue;
    if (isIsoDate(day)) daysOff.add(day);
    else fail(dayOffField(n), 'Enter the day off as a date, e.g. 2025-10-21.');
  }
  return { weekly, oneOff, daysOff: [...daysOff].sort(), errors };
}

/** The saved rules as the form's values, field by field (rows first, the rest empty). */
export function availabilityValues(saved: (AvailabilityRules & { maxPerTeam: number | null; version: number }) | null, defaultZone: string) {
  if (!saved) return { timeZone: defaultZone, ...DEFAULT_RULES, maxPerTeam: '', version: 0 };
  const values: Record<string, unknown> = {
    timeZone: saved.zone,
    slotMinutes: saved.slotMinutes,
    bufferMinutes: saved.bufferMinutes,
    minNoticeHours: Math.round(saved.minNoticeMinutes / 60),
    horizonDays: saved.horizonDays,
    maxPerTeam: saved.maxPerTeam ?? '',
    version: saved.version,
  };
  saved.weekly.forEach((w, i) => {
    const f = weeklyFields(i + 1);
    Object.assign(values, { [f.day]: String(w.weekday), [f.start]: w.start, [f.end]: w.end });
  });
  saved.oneOff.forEach((w, i) => {
    const f = oneOffFields(i + 1);
    Object.assign(values, { [f.day]: w.date, [f.start]: w.start, [f.end]: w.end });
  });
  saved.daysOff.forEach((d, i) => (values[dayOffField(i + 1)] = d));
  return values;
}

const rowsShown = (count: number, row: (n: number, values: Record<string, unknown>) => string) => (values: Record<string, unknown>) =>
  Array.from({ length: count }, (_, i) => row(i + 1, values))
    .filter(Boolean)
    .join('\n');
const dayName = (v: string) => WEEKDAYS.find((d) => d.value === v)?.label ?? v;
const span = (values: Record<string, unknown>, start: string, end: string) => `${text(values, start)}–${text(values, end)}`;

/** The form's fields as the edit-conflict notice compares them. */
export const AVAILABILITY_FIELDS: ConflictField[] = [
  { label: 'Your time zone', show: show.text('timeZone') },
  { label: 'Meeting length (minutes)', show: show.text('slotMinutes') },
  { label: 'Break between meetings (minutes)', show: show.text('bufferMinutes') },
  { label: 'Notice you need (hours)', show: show.text('minNoticeHours') },
  { label: 'Days ahead teams may book', show: show.text('horizonDays') },
  { label: 'Most meetings per team', show: show.text('maxPerTeam') },
  {
    label: 'Weekly windows',
    show: rowsShown(WEEKLY_ROWS, (n, v) => {
      const f = weeklyFields(n);
      return text(v, f.day) || text(v, f.start) ? `${dayName(text(v, f.day))} ${span(v, f.start, f.end)}` : '';
    }),
  },
  {
    label: 'One-off windows',
    show: rowsShown(ONE_OFF_ROWS, (n, v) => {
      const f = oneOffFields(n);
      return text(v, f.day) || text(v, f.start) ? `${text(v, f.day)} ${span(v, f.start, f.end)}` : '';
    }),
  },
  { label: 'Days off', show: rowsShown(DAY_OFF_ROWS, (n, v) => text(v, dayOffField(n))) },
];
