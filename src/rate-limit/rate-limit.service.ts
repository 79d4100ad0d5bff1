import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { RateLimitRow } from './rate-limit.entity';

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counters kept in the database, so every app instance counts the same attempts.
 * `hit` records an attempt; `check` only reads.
 */
@Injectable()
export class RateLimitService {
  constructor(private readonly db: Database) {}

  /** Seconds until the key may be used again, or 0 when it is under its limit. */
  async blockedFor(limit: Limit, now = new Date()): Promise<number> {
    const row = await this.db.repo(RateLimitRow).findOneBy({ key: limit.key });
    if (!row || row.resetAt <= now || row.hits < limit.max) return 0;
    return Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000));
  }

  async hit(limit: Limit, now = new Date()): Promise<void> {
    try {
      await this.record(limit, now);
    } catch (err) {
      // Two instances inserting the same new key at once: the loser counts on the winner's row.
      if ((err as { code?: string }).code !== '23505') throw err;
      await this.record(limit, now);
    }
  }

  private async record(limit: Limit, now: Date): Promise<void> {
    await this.db.tx(async (em) => {
      const repo = em.getRepository(RateLimitRow);
      const row = await repo.findOneBy({ key: limit.key });
      if (!row || row.resetAt <= now) {
        await repo.save({ key: limit.key, hits: 1, resetAt: new Date(now.getTime() + limit.windowMs) });
      } else {
        await repo.update({ key: limit.key }, { hits: row.hits + 1 });
      }
    });
  }

  async clear(key: string): Promise<void> {
    await this.db.tx((em) => em.getRepository(RateLimitRow).delete({ key }));
  }

  /** Drops windows that have ended (called by the periodic clean-up). */
  async prune(now = new Date()): Promise<void> {
    await this.db.tx((em) => em.createQueryBuilder().delete().from(RateLimitRow).where('reset_at <= :now', { now }).execute());
  }
}
