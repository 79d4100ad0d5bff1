import { addDays, isoWeekday, localDate, zonedToUtcCompatible } from '../common/zoned-time';

/** A span of time between two instants, end exclusive. */
export interface Interval {
  start: Date;
  end: Date;
}

/** A window repeating every week on one weekday, in the expert's own zone. */
export interface WeeklyWindow {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:MM", wall-clock time in the expert's zone. */
  start: string;
  /** "HH:MM" after `start` ("24:00" for midnight at the end of the day). */
  end: string;
}

/** A window on one calendar day, in the expert's own zone. */
export interface OneOffWindow {
  date: string;
  start: string;
  end: string;
}

/** What an expert publishes for one course: when they can meet, and the rules of booking. */
export interface AvailabilityRules {
  zone: string;
  weekly: readonly WeeklyWindow[];
  oneOff: readonly OneOffWindow[];
  /** Calendar days (in the expert's zone) with no meetings, whatever the windows say. */
  daysOff: readonly string[];
  slotMinutes: number;
  /** Free time kept before and after each of the expert's meetings. */
  bufferMinutes: number;
  /** A slot must start at least this long after now. */
  minNoticeMinutes: number;
  /** Slots are offered up to this many days ahead. */
  horizonDays: number;
}

const MINUTE = 60_000;

/** Sorted, merged copy of intervals (overlapping or touching ones become one). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start.getTime() <= last.end.getTime()) {
      if (i.end > last.end) last.end = i.end;
    } else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/**
 * The windows of an expert's rules between two instants, as UTC intervals. Each window is read as
 * wall-clock time on its own day in the expert's zone, so a 09:00–12:00 window stays 09:00–12:00
 * local on both sides of a daylight-saving change (and a window across the change is as long as
 * the clocks say: one hour shorter or longer in real time).
 */
export function availabilityWindows(rules: AvailabilityRules, from: Date, to: Date): Interval[] {
  const off = new Set(rules.daysOff);
  const out: Interval[] = [];
  const last = localDate(to, rules.zone);
  for (let day = addDays(localDate(from, rules.zone), -1); day <= last; day = addDays(day, 1)) {
    if (off.has(day)) continue;
    const weekday = isoWeekday(day);
    const todays = [...rules.weekly.filter((w) => w.weekday === weekday), ...rules.oneOff.filter((w) => w.date === day)];
    for (const w of todays) {
      const start = zonedToUtcCompatible(day, w.start, rules.zone);
      const end = zonedToUtcCompatible(day, w.end, rules.zone);
      const clipped = { start: start < from ? from : start, end: end > to ? to : end };
      if (clipped.end > clipped.start) out.push(clipped);
    }
  }
  return mergeIntervals(out);
}

/**
 * The slots an expert offers: inside their windows and the course's online phases (`within`),
 * at least the minimum notice after `now` and at most the horizon ahead, each `slotMinutes` long
 * and starting on the window's start or a whole number of slots after it, clear of every busy
 * interval (the expert's other meetings) by the buffer on both sides.
 */
export function freeSlots(rules: AvailabilityRules, opts: { now: Date; within: readonly Interval[]; busy: readonly Interval[] }): Interval[] {
  const earliest = new Date(opts.now.getTime() + rules.minNoticeMinutes * MINUTE);
  const latest = new Date(opts.now.getTime() + rules.horizonDays * 24 * 60 * MINUTE);
  const slot = rules.slotMinutes * MINUTE;
  const buffer = rules.bufferMinutes * MINUTE;
  const blocked = mergeIntervals(opts.busy.map((b) => ({ start: new Date(b.start.getTime() - buffer), end: new Date(b.end.getTime() + buffer) })));
  const out: Interval[] = [];
  for (const phase of mergeIntervals(opts.within)) {
    const from = phase.start > earliest ? phase.start : earliest;
    const to = phase.end < latest ? phase.end : latest;
    if (to <= from) continue;
    for (const w of availabilityWindows(rules, from, to)) {
      // Slots keep the rhythm of the window as published (09:00, 09:30 …), even when the window was clipped.
      const published = windowStartBefore(rules, w.start);
      let t = published + Math.ceil((w.start.getTime() - published) / slot) * slot;
      let b = 0;
      for (; t + slot <= w.end.getTime(); t += slot) {
        const end = t + slot;
        while (b < blocked.length && blocked[b].end.getTime() <= t) b++;
        if (b < blocked.length && blocked[b].start.getTime() < end) continue;
        out.push({ start: new Date(t), end: new Date(end) });
      }
    }
  }
  return out;
}

/** The start of the published (unclipped) window containing an instant, or the instant itself. */
function windowStartBefore(rules: AvailabilityRules, instant: Date): number {
  const day = localDate(instant, rules.zone);
  let best = instant.getTime();
  for (const d of [addDays(day, -1), day]) {
    const weekday = isoWeekday(d);
    for (const w of [...rules.weekly.filter((x) => x.weekday === weekday), ...rules.oneOff.filter((x) => x.date === d)]) {
      const s = zonedToUtcCompatible(d, w.start, rules.zone).getTime();
      const e = zonedToUtcCompatible(d, w.end, rules.zone).getTime();
      if (s <= instant.getTime() && instant.getTime() < e && s < best) best = s;
    }
  }
  return best;
}

/** Does a proposed slot lie inside what `freeSlots` offers? (A booking is checked against this, never trusted.) */
export function isOffered(slot: Interval, offered: readonly Interval[]): boolean {
  return offered.some((o) => o.start.getTime() === slot.start.getTime() && o.end.getTime() === slot.end.getTime());
}
