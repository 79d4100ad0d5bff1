import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { FormInvalidError } from '../common/errors';
import { Database } from '../database/database.service';
import type { WorkingHoursDto } from './dto/working-hours.dto';
import { placeOf } from './place';
import { WorkingHours } from './working-hours.entity';

/** Wall-clock working hours, "HH:MM" on the person's own clock. */
export interface Hours {
  start: string;
  end: string;
}

/** Hours and the days they hold on: ISO weekdays on the person's own calendar (1 = Monday … 7 = Sunday), ascending. */
export interface WorkPattern extends Hours {
  days: number[];
}

export const DEFAULT_HOURS: Hours = { start: '08:00', end: '20:00' };
/** Monday to Friday: anyone who has not said otherwise. */
export const DEFAULT_DAYS: readonly number[] = [1, 2, 3, 4, 5];
export const HOURS_ORDER = 'End your working day after it starts (e.g. 08:00 to 17:00). Hours that cross midnight are not possible.';
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** "13457" → [1, 3, 4, 5, 7]; anything else in the column is ignored. */
const daysOf = (digits: string) => [...new Set([...digits].map(Number).filter((d) => d >= 1 && d <= 7))].sort((a, b) => a - b);

/** "Monday to Friday", "Sunday to Thursday", "Monday, Wednesday and Friday", "every day". */
export function daysLabel(days: readonly number[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'every day';
  if (!set.size) return 'no day';
  // A run of consecutive days, possibly across the week's end (Sunday to Thursday): start at a day whose eve is off.
  const start = [...set].find((d) => !set.has(d === 1 ? 7 : d - 1));
  if (start !== undefined && set.size >= 3) {
    const run = Array.from({ length: set.size }, (_, i) => ((start - 1 + i) % 7) + 1);
    if (run.every((d) => set.has(d))) return `${WEEKDAY_NAMES[start - 1]} to ${WEEKDAY_NAMES[run[run.length - 1] - 1]}`;
  }
  const names = [...set].sort((a, b) => a - b).map((d) => WEEKDAY_NAMES[d - 1]);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Each person's working hours and days (the slot finder reads them); no row: 08:00–20:00, Monday to Friday. */
@Injectable()
export class WorkingHoursService {
  constructor(private readonly db: Database) {}

  /** These people's hours and days, defaults filled in (one query). */
  async of(userIds: Iterable<number>): Promise<Map<number, WorkPattern & { saved: boolean }>> {
    const ids = [...new Set(userIds)];
    const rows = ids.length ? await this.db.repo(WorkingHours).find({ where: { userId: In(ids) } }) : [];
    const out = new Map(ids.map((id) => [id, { ...DEFAULT_HOURS, days: [...DEFAULT_DAYS], saved: false }]));
    for (const r of rows) out.set(r.userId, { start: toHhmm(r.startsMinute), end: toHhmm(r.endsMinute), days: daysOf(r.days), saved: true });
    return out;
  }

  /** "Your working hours": the saved hours and days (or the defaults) on the person's own clock. */
  async page(me: { id: number; timeZone: string }) {
    const mine = (await this.of([me.id])).get(me.id)!;
    return {
      title: 'Your working hours',
      nav: 'account',
      zone: me.timeZone,
      place: placeOf(me.timeZone),
      saved: mine.saved,
      summary: `${mine.start} to ${mine.end}, ${daysLabel(mine.days)}`,
      weekdays: WEEKDAY_NAMES.map((label, i) => ({ value: String(i + 1), label })),
      values: { start: mine.start, end: mine.end, days: mine.days.map(String) },
    };
  }

  /** Saves the person's hours and days (start before end, else 422 at `end` and nothing stored). */
  async save(userId: number, dto: WorkingHoursDto): Promise<void> {
    const start = toMinutes(dto.start);
    const end = toMinutes(dto.end);
    if (end <= start) throw FormInvalidError.field('end', HOURS_ORDER);
    const days = daysOf(dto.days.join('')).join('');
    await this.db.tx(async (em) => {
      const repo = em.getRepository(WorkingHours);
      const row = await repo.findOneBy({ userId });
      await repo.save({ ...(row ?? { userId }), startsMinute: start, endsMinute: end, days, updatedAt: new Date() });
    });
  }
}
