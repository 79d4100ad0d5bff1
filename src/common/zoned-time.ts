/**
 * Wall-clock time in a named zone ↔ UTC instants, with Intl only (no time-zone library).
 * Programme sessions are typed in the venue's zone ("21 Oct, 09:00 in Asia/Shanghai") and stored
 * as UTC instants; course and phase dates are calendar days in the venue's zone.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Intl formatters are costly to build: one per (kind, zone), reused. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'offset' | 'date', zone: string): Intl.DateTimeFormat {
  const key = `${kind}|${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      kind === 'offset'
        ? new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })
        : new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    formatters.set(key, f);
  }
  return f;
}
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isWallTime(value: unknown): value is string {
  return typeof value === 'string' && TIME.test(value);
}

/** Offset of the zone from UTC at an instant, in minutes (e.g. +480 for Asia/Shanghai). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  return Math.round(offsetMs(instant.getTime(), zone) / 60000);
}

/** The zone's offset at an instant (whole seconds, in ms), as Intl reads it: the costly call. */
function exactOffsetMs(t: number, zone: string): number {
  const parts = Object.fromEntries(
    formatter('offset', zone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

const HOUR = 3_600_000;
/**
 * Per zone, the offset in force through each UTC hour asked about, or NaN for an hour in which it
 * changes (then each instant is asked of Intl). An offset is a pure function of the zone and the
 * hour (the runtime's time-zone data does not change while it runs), so this is safe to keep; a
 * zone changes its offset at most once within an hour. Cleared when full, so it stays small.
 */
const hourOffsets = new Map<string, Map<number, number>>();
function offsetMs(t: number, zone: string): number {
  let byHour = hourOffsets.get(zone);
  const hour = Math.floor(t / HOUR);
  let off = byHour?.get(hour);
  if (off === undefined) {
    const first = exactOffsetMs(hour * HOUR, zone);
    off = first === exactOffsetMs(hour * HOUR + HOUR - 1000, zone) ? first : NaN;
    // Kept only once the zone has answered (an unknown zone throws above).
    if (!byHour) hourOffsets.set(zone, (byHour = new Map<number, number>()));
    if (byHour.size >= 20_000) byHour.clear();
    byHour.set(hour, off);
  }
  return Number.isNaN(off) ? exactOffsetMs(t, zone) : off;
}

export class NonexistentTimeError extends Error {}

/**
 * The UTC instant of a wall-clock time in a zone. A time skipped by a daylight-saving change
 * (e.g. 02:30 on the night clocks go forward) throws NonexistentTimeError; a repeated time (the
 * night clocks go back) resolves to the first occurrence.
 */
export function zonedToUtc(date: string, time: string, zone: string): Date {
  if (!isIsoDate(date) || !isWallTime(time)) throw new RangeError(`bad date or time: ${date} ${time}`);
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const candidates = new Set<number>();
  for (const probe of [naive - 36 * 3600_000, naive, naive + 36 * 3600_000]) {
    candidates.add(naive - zoneOffsetMinutes(new Date(probe), zone) * 60_000);
  }
  const matches = [...candidates].filter((t) => wallClock(new Date(t), zone) === `${date} ${time}`).sort((a, b) => a - b);
  if (!matches.length) throw new NonexistentTimeError(`${date} ${time} does not exist in ${zone} (the clocks change that night)`);
  return new Date(matches[0]);
}

/**
 * zonedToUtc for form input, shared by every form that takes a day and a time in a venue's zone:
 * a time skipped by a daylight-saving change becomes a message at `field` in `problems` (and null)
 * instead of an error. Missing day or time gives null without a message.
 */
export function zonedToUtcForField(
  problems: Record<string, string[]>,
  field: string,
  day: string | undefined,
  time: string | undefined,
  zone: string,
): Date | null {
  if (!day || !time) return null;
  try {
    return zonedToUtc(day, time, zone);
  } catch (e) {
    if (!(e instanceof NonexistentTimeError)) throw e;
    (problems[field] ??= []).push(`${time} does not exist on ${day} in ${zone} (the clocks change). Choose another time.`);
    return null;
  }
}

/**
 * Dates already formatted (formatToParts is among the costlier calls of a page, and pages show the
 * same phase and course dates on every request). Cleared when full, so it stays small.
 */
const memo = new Map<string, string>();
function remembered(key: string, make: () => string): string {
  let v = memo.get(key);
  if (v === undefined) {
    if (memo.size >= 20_000) memo.clear();
    memo.set(key, (v = make()));
  }
  return v;
}

/** "YYYY-MM-DD HH:MM" of an instant in a zone (the zone's offset at that hour, then plain arithmetic). */
export function wallClock(instant: Date, zone: string): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid time value');
  const d = new Date(t + offsetMs(t, zone));
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date, zone: string): string {
  return wallClock(instant, zone).slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  const t = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  return Math.round((t(to) - t(from)) / 86_400_000);
}

/** "Mon 21 Oct 2024" for a calendar date. */
export function formatDate(date: string | null | undefined, withWeekday = true): string {
  if (!date) return '';
  // Only valid dates are remembered, so a date found there needs no checking.
  const key = `d|${date}|${withWeekday}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  if (!isIsoDate(date)) return '';
  return remembered(key, () => formatDateOf(date, withWeekday));
}

function formatDateOf(date: string, withWeekday: boolean): string {
  const [y, m, d] = date.split('-').map(Number);
  const parts = Object.fromEntries(
    formatter('date', 'UTC')
      .formatToParts(new Date(Date.UTC(y, m - 1, d)))
      .map((p) => [p.type, p.value]),
  );
  return `${withWeekday ? `${parts.weekday} ` : ''}${parts.day} ${parts.month} ${parts.year}`;
}

/** "21 Oct – 25 Oct 2024" style range. */
export function formatDateRange(from: string, to: string): string {
  if (from === to) return formatDate(from, false);
  return `${formatDate(from, false)} – ${formatDate(to, false)}`;
}

/**
 * zonedToUtc for recurring rules (availability windows, working hours), where a time skipped by a
 * daylight-saving change must still mean something: it moves forward by the gap, as calendar apps
 * and Temporal's 'compatible' choice do (02:30 on the night Berlin springs forward is 03:30 CEST).
 * A repeated time resolves to its first occurrence. `24:00` is midnight at the end of the day.
 */
export function zonedToUtcCompatible(date: string, time: string, zone: string): Date {
  if (time === '24:00') return zonedToUtcCompatible(addDays(date, 1), '00:00', zone);
  try {
    return zonedToUtc(date, time, zone);
  } catch (e) {
    if (!(e instanceof NonexistentTimeError)) throw e;
    const [y, mo, d] = date.split('-').map(Number);
    const [h, mi] = time.split(':').map(Number);
    const naive = Date.UTC(y, mo - 1, d, h, mi);
    return new Date(naive - zoneOffsetMinutes(new Date(naive - 36 * 3600_000), zone) * 60_000);
  }
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
