import { zoneOffsetMinutes } from '../common/zoned-time';
import type { Interval } from './slots';

/** Someone a facilitator wants in a meeting: a team (counted by its people) or one person. */
export interface Invitee {
  key: string;
  label: string;
  zone: string;
  /** Working hours, wall-clock "HH:MM" in their zone (default 08:00–20:00). */
  workStart: string;
  workEnd: string;
  /** Their working days, ISO weekdays (1 = Monday … 7 = Sunday) on their own calendar; none given: every day. */
  workDays?: readonly number[];
  /** How many people this stands for (a team's members); 1 for a person. */
  people: number;
  /** Their other meetings: a time overlapping one is not possible for them. */
  busy?: readonly Interval[];
}

export interface SlotProposal {
  start: Date;
  end: Date;
  /** People whose working hours hold the whole meeting (and who are free then). */
  peopleInside: number;
  peopleTotal: number;
  /** 0–100: how comfortable the hours are, averaged over the people (mid-day best, the edges of the day worst). */
  comfort: number;
  /** Everyone outside their hours or busy, with their local time, so the facilitator sees who pays. */
  outside: { key: string; label: string; local: string; reason: 'outside hours' | 'busy' }[];
  /** Each invitee's local start time, "HH:MM", in the order given. */
  locals: { key: string; label: string; local: string; zone: string }[];
}

const MINUTE = 60_000;
const DAY_MINUTES = 1440;

const minutesOf = (hhmm: string) => (hhmm === '24:00' ? DAY_MINUTES : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)));
const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * The zone's offset at every step, computed once per UTC day: a day whose offset is the same at
 * both ends has it throughout; a day with a change is searched for the exact minute (zones change
 * at most once a day). About two Intl calls per person per day, whatever the step.
 */
function offsetsAt(zone: string, from: number, steps: number, stepMs: number): Int16Array {
  const out = new Int16Array(steps);
  const dayMs = DAY_MINUTES * MINUTE;
  for (let i = 0; i < steps;) {
    const t0 = from + i * stepMs;
    const dayEnd = Math.min(t0 + dayMs, from + steps * stepMs);
    const a = zoneOffsetMinutes(new Date(t0), zone);
    const b = zoneOffsetMinutes(new Date(dayEnd), zone);
    let change = dayEnd; // first instant with offset b
    if (a !== b) {
      let lo = t0;
      let hi = dayEnd;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (zoneOffsetMinutes(new Date(mid), zone) === a) lo = mid;
        else hi = mid;
      }
      change = hi;
    }
    for (; i < steps && from + i * stepMs < dayEnd; i++) out[i] = from + i * stepMs < change ? a : b;
  }
  return out;
}

/**
 * Which starts on the grid a meeting of `duration` would overlap one of these busy intervals at
 * (start < busy end and busy start < start + duration), marked once per interval, so scoring a
 * start costs one look-up per person however many meetings they have.
 */
function blockedSteps(busy: readonly Interval[], from: number, steps: number, stepMs: number, duration: number): Uint8Array {
  const out = new Uint8Array(steps);
  for (const b of busy) {
    const first = Math.max(0, Math.floor((b.start.getTime() - duration - from) / stepMs) + 1);
    const last = Math.min(steps - 1, Math.ceil((b.end.getTime() - from) / stepMs) - 1);
    for (let s = first; s <= last; s++) out[s] = 1;
  }
  return out;
}

/**
 * Proposes meeting times for several teams and experts in many zones: every start on the step
 * grid over the period is scored by how many people have the whole meeting inside their working
 * hours (and are free), then by how comfortable the hours are, then by how soon it is. The best
 * `limit` proposals that do not overlap one another are returned, best first.
 */
export function findSlots(opts: {
  invitees: readonly Invitee[];
  from: Date;
  to: Date;
  durationMinutes: number;
  stepMinutes?: number;
  limit?: number;
  /** Only starts inside these (e.g. the online phase); none given: the whole period. */
  within?: readonly Interval[];
}): SlotProposal[] {
  const step = (opts.stepMinutes ?? 15) * MINUTE;
  const duration = opts.durationMinutes * MINUTE;
  const from = Math.ceil(opts.from.getTime() / step) * step;
  const steps = Math.max(0, Math.floor((opts.to.getTime() - duration - from) / step) + 1);
  const inv = opts.invitees.map((i) => ({
    ...i,
    ws: minutesOf(i.workStart),
    we: minutesOf(i.workEnd),
    offsets: offsetsAt(i.zone, from, steps, step),
    blocked: blockedSteps(i.busy ?? [], from, steps, step, duration),
    days: i.workDays ? Array.from({ length: 8 }, (_, d) => i.workDays!.includes(d)) : null,
  }));
  const durMin = opts.durationMinutes;
  /** Inside the person's hours on one of their working days, for a start at local minute `localMin` since 1970 on their clock. */
  const fits = (i: (typeof inv)[number], localMin: number) => {
    const local = ((localMin % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
    const weekday = ((((Math.floor(localMin / DAY_MINUTES) + 3) % 7) + 7) % 7) + 1; // 1 Jan 1970 was a Thursday
    return local >= i.ws && local + durMin <= i.we && (!i.days || i.days[weekday]);
  };
  const peopleTotal = inv.reduce((n, i) => n + i.people, 0);
  const within = opts.within?.length ? opts.within : null;
  // Score every start: people inside × 1000 + comfort (0–100), then earlier first.
  const scores = new Float64Array(steps).fill(-1);
  for (let s = 0; s < steps; s++) {
    const t = from + s * step;
    if (within && !within.some((w) => w.start.getTime() <= t && t + duration <= w.end.getTime())) continue;
    let inside = 0;
    let comfort = 0;
    for (const i of inv) {
      const localMin = Math.floor(t / MINUTE) + i.offsets[s];
      if (!i.blocked[s] && fits(i, localMin)) {
        const local = ((localMin % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
        inside += i.people;
        // Comfort: 100 at the middle of the working day, falling to 0 at its edges.
        const mid = (i.ws + i.we) / 2;
        const half = (i.we - i.ws) / 2 || 1;
        comfort += i.people * Math.max(0, 100 * (1 - Math.abs(local + durMin / 2 - mid) / half));
      }
    }
    scores[s] = inside * 1000 + (peopleTotal ? comfort / peopleTotal : 0);
  }

  const order = Array.from({ length: steps }, (_, s) => s)
    .filter((s) => scores[s] >= 0)
    .sort((a, b) => scores[b] - scores[a] || a - b);
  const picked: number[] = [];
  const limit = opts.limit ?? 10;
  for (const s of order) {
    if (picked.length >= limit) break;
    const t = from + s * step;
    if (picked.some((p) => Math.abs(from + p * step - t) < duration)) continue;
    picked.push(s);
  }

  return picked.map((s) => {
    const t = from + s * step;
    const outside: SlotProposal['outside'] = [];
    const locals: SlotProposal['locals'] = [];
    let inside = 0;
    for (const i of inv) {
      const localMin = (((Math.floor(t / MINUTE) + i.offsets[s]) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
      const local = hhmm(localMin);
      locals.push({ key: i.key, label: i.label, local, zone: i.zone });
      if (i.blocked[s]) outside.push({ key: i.key, label: i.label, local, reason: 'busy' });
      else if (!fits(i, Math.floor(t / MINUTE) + i.offsets[s])) outside.push({ key: i.key, label: i.label, local, reason: 'outside hours' });
      else inside += i.people;
    }
    return {
      start: new Date(t),
      end: new Date(t + duration),
      peopleInside: inside,
      peopleTotal,
      comfort: Math.round(scores[s] - Math.floor(scores[s] / 1000) * 1000),
      outside,
      locals,
    };
  });
}
