import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { FormInvalidError } from '../common/errors';
import { Database } from '../database/database.service';
import type { WorkingHoursDto } from './dto/working-hours.dto';
import { WorkingHours } from './working-hours.entity';

/** Wall-clock working hours, "HH:MM" on the person's own clock. */
export interface Hours {
  start: string;
  end: string;
}

export const DEFAULT_HOURS: Hours = { start: '08:00', end: '20:00' };
export const HOURS_ORDER = 'End your working day after it starts (e.g. 08:00 to 17:00). Hours that cross midnight are not possible.';

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Each person's working hours (the slot finder reads them); no row: 08:00–20:00. */
@Injectable()
export class WorkingHoursService {
  constructor(private readonly db: Database) {}

  /** These people's hours, defaults filled in (one query). */
  async of(userIds: Iterable<number>): Promise<Map<number, Hours & { saved: boolean }>> {
    const ids = [...new Set(userIds)];
    const rows = ids.length ? await this.db.repo(WorkingHours).find({ where: { userId: In(ids) } }) : [];
    const out = new Map(ids.map((id) => [id, { ...DEFAULT_HOURS, saved: false }]));
    for (const r of rows) out.set(r.userId, { start: toHhmm(r.startsMinute), end: toHhmm(r.endsMinute), saved: true });
    return out;
  }

  /** Saves the person's hours (start before end, else 422 at `end` and nothing stored). */
  async save(userId: number, dto: WorkingHoursDto): Promise<void> {
    const start = toMinutes(dto.start);
    const end = toMinutes(dto.end);
    if (end <= start) throw FormInvalidError.field('end', HOURS_ORDER);
    await this.db.tx(async (em) => {
      const repo = em.getRepository(WorkingHours);
      const row = await repo.findOneBy({ userId });
      await repo.save({ ...(row ?? { userId }), startsMinute: start, endsMinute: end, updatedAt: new Date() });
    });
  }
}
