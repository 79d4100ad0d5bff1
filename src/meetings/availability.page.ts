import { Injectable } from '@nestjs/common';
import { editConflictView } from '../common/edit-conflict';
import { keptValues } from '../common/form-view';
import { toText } from '../common/to-text';
import { timeZonePicker } from '../common/time';
import { formatDate, localDate, wallClock } from '../common/zoned-time';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { TeamsService } from '../teams/teams.service';
import {
  AVAILABILITY_FIELDS,
  availabilityValues,
  DAY_OFF_ROWS,
  dayOffField,
  ONE_OFF_ROWS,
  oneOffFields,
  WEEKDAYS,
  WEEKLY_ROWS,
  weeklyFields,
} from './availability-form';
import { AvailabilityService, type SavedAvailability } from './availability.service';
import { Clock } from './clock';
import { MeetingsService } from './meetings.service';
import { placeOf } from './place';
import { freeSlots, type Interval } from './slots';

/** Empty rows the form offers after the last filled one (saving opens more, up to each limit). */
export const SPARE_ROWS = 2;

/** Row numbers to show: every row up to the last filled one, then SPARE_ROWS empty ones, within `max`. */
export function rowsToShow(max: number, isFilled: (n: number) => boolean): number[] {
  let last = 0;
  for (let n = 1; n <= max; n++) if (isFilled(n)) last = n;
  return Array.from({ length: Math.min(max, Math.max(last + SPARE_ROWS, 3)) }, (_, i) => i + 1);
}

/** How many of the next free slots the page shows. */
export const PREVIEW_SLOTS = 20;

export { placeOf };

const hhmm = (instant: Date, zone: string) => wallClock(instant, zone).slice(11);
const shortDay = (date: string) => formatDate(date).split(' ').slice(0, 3).join(' ');

interface OtherZone {
  zone: string;
  place: string;
  /** Who keeps this clock: "the venue", team names. */
  who: string;
}

/**
 * The next free slots, day by day in the expert's zone, each with the same time at the venue and
 * in the zones of the teams the expert advises ("10:00–10:30 Berlin · 16:00 Shanghai · 11:00
 * Nairobi"). A time on another calendar day there says which day.
 */
export function slotPreview(slots: readonly Interval[], zone: string, others: readonly OtherZone[]) {
  const days: { day: string; label: string; slots: { startIso: string; time: string; elsewhere: { text: string; who: string }[] }[] }[] = [];
  for (const s of slots) {
    const date = localDate(s.start, zone);
    if (days[days.length - 1]?.day !== date) days.push({ day: date, label: formatDate(date), slots: [] });
    days[days.length - 1].slots.push({
      startIso: s.start.toISOString(),
      time: `${hhmm(s.start, zone)}–${hhmm(s.end, zone)}`,
      elsewhere: others.map((o) => {
        const there = localDate(s.start, o.zone);
        return { text: `${there === date ? '' : `${shortDay(there)} `}${hhmm(s.start, o.zone)} ${o.place}`, who: o.who };
      }),
    });
  }
  return days;
}

/** The "My availability" page: the form, and the slots teams could book now. */
@Injectable()
export class AvailabilityPage {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly teams: TeamsService,
    private readonly clock: Clock,
    private readonly meetings: MeetingsService,
  ) {}

  /** The page; `typed` (the form as sent, after a 422 or a conflict) keeps as many rows open as were filled in. */
  async page(v: CourseViewer, typed?: unknown) {
    const [saved, online, teams, busy] = await Promise.all([
      this.availability.saved(v.course.id, v.user.id),
      this.availability.onlinePhases(v),
      this.teams.zones(v.course.id, v.expertTeamIds),
      this.meetings.busy(v.user.id),
    ]);
    return {
      ...this.form(v, saved, online.label, teams, typed),
      preview: saved ? this.preview(v, saved, online.intervals, teams, busy) : null,
      savedAt: saved?.updatedAt ?? null,
    };
  }

  /** The form again after someone else (another tab) saved first: what was typed, and what differs. */
  async conflict(v: CourseViewer, body: unknown) {
    const fresh = await this.page(v, body);
    return editConflictView(fresh, body, AVAILABILITY_FIELDS, {
      what: 'availability (perhaps you, in another tab or window)',
      savedAt: fresh.savedAt ?? new Date(),
      discardHref: `/courses/${v.course.id}/availability`,
    });
  }

  private form(v: CourseViewer, saved: SavedAvailability | null, onlineLabel: string, teams: { timeZone: string }[], typed?: unknown) {
    const values = availabilityValues(saved, v.user.timeZone);
    const filled = [values, keptValues(typed)];
    const open = (max: number, names: (n: number) => string[]) =>
      rowsToShow(max, (n) => filled.some((f) => names(n).some((name) => toText(f[name]).trim() !== '')));
    return {
      ...courseHeader(v, 'availability'),
      title: `Your availability: ${v.course.title}`,
      values,
      timeZones: timeZonePicker([v.user.timeZone, v.course.timeZone, ...teams.map((t) => t.timeZone)]),
      weekdays: WEEKDAYS,
      weeklyRows: open(WEEKLY_ROWS, (n) => Object.values(weeklyFields(n))).map((n) => ({ n, ...weeklyFields(n) })),
      oneOffRows: open(ONE_OFF_ROWS, (n) => Object.values(oneOffFields(n))).map((n) => ({ n, ...oneOffFields(n) })),
      dayOffRows: open(DAY_OFF_ROWS, (n) => [dayOffField(n)]).map((n) => ({ n, name: dayOffField(n) })),
      rowLimits: { weekly: WEEKLY_ROWS, oneOff: ONE_OFF_ROWS, daysOff: DAY_OFF_ROWS },
      onlinePhases: onlineLabel,
      published: !!saved,
    };
  }

  private preview(v: CourseViewer, saved: SavedAvailability, online: Interval[], teams: { name: string; timeZone: string }[], busy: Interval[]) {
    const byZone = new Map<string, string[]>([[saved.zone, []]]);
    const add = (zone: string, who: string) => byZone.set(zone, [...(byZone.get(zone) ?? []), who]);
    add(v.course.timeZone, 'the venue');
    for (const t of teams) add(t.timeZone, t.name);
    const others = [...byZone].filter(([zone]) => zone !== saved.zone).map(([zone, who]) => ({ zone, place: placeOf(zone), who: who.join(', ') }));
    const slots = freeSlots(saved, { now: this.clock.now(), within: online, busy }).slice(0, PREVIEW_SLOTS);
    return {
      zone: saved.zone,
      place: placeOf(saved.zone),
      /** Who else keeps the expert's own clock (a team in the same zone). */
      sameZone: byZone.get(saved.zone)!.join(', '),
      others,
      days: slotPreview(slots, saved.zone, others),
      count: slots.length,
    };
  }
}
