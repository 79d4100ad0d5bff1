import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { RateLimitRow } from './rate-limit.entity';

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

export interface Consumed {
  /** Attempts in the current window, this one included. */
  hits: number;
  /** Seconds until the window ends and the key may be used again, when this attempt is over the limit; else 0. */
  retryAfter: number;
}

/**
 * Fixed-window counters kept in the database, so every app instance counts the same attempts.
 *
 * `consume` counts an attempt *before* the work it guards, in one statement (an UPSERT …
 * RETURNING, atomic on PostgreSQL and, on SQLite, run inside the serialised transaction), so
 * parallel requests cannot all pass a check made before any of them was counted. `refund` gives
 * back an attempt that turned out not to count (e.g. a successful sign-in against a limit on
 * failures).
 */
@Injectable()
export class RateLimitService {
  constructor(private readonly db: Database) {}

  /** Counts one attempt and says whether it is over the limit (then the guarded work must not run). */
  async consume(limit: Limit, now = new Date()): Promise<Consumed> {
    const ds = this.db.dataSource;
    const meta = ds.getMetadata(RateLimitRow);
    const table = ds.driver.escape(meta.tableName);
    const resetColumn = meta.findColumnWithPropertyName('resetAt')!;
    // A new key starts a window; a key whose window has ended starts a new one; otherwise +1.
    const sql = `INSERT INTO ${table} ("key", "hits", "reset_at") VALUES (:key, 1, :resetAt)
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN ${table}."reset_at" <= :now THEN 1 ELSE ${table}."hits" + 1 END,
        "reset_at" = CASE WHEN ${table}."reset_at" <= :now THEN excluded."reset_at" ELSE ${table}."reset_at" END
      RETURNING "hits", "reset_at"`;
    const [query, params] = ds.driver.escapeQueryWithParameters(sql, { key: limit.key, resetAt: new Date(now.getTime() + limit.windowMs), now });
    const rows = await this.db.tx((em) => em.query<{ hits: number | string; reset_at: unknown }[]>(query, params));
    const hits = Number(rows[0].hits);
    const resetAt = ds.driver.prepareHydratedValue(rows[0].reset_at, resetColumn) as Date;
    return { hits, retryAfter: hits > limit.max ? secondsUntil(resetAt, now) : 0 };
  }

  /** Gives back one attempt counted by `consume` that turned out not to count. */
  async refund(key: string): Promise<void> {
    await this.db.tx((em) =>
      em
        .createQueryBuilder()
        .update(RateLimitRow)
        .set({ hits: () => 'hits - 1' })
        .where('key = :key AND hits > 0', { key })
        .execute(),
    );
  }

  async clear(key: string): Promise<void> {
    await this.db.tx((em) => em.getRepository(RateLimitRow).delete({ key }));
  }

  /** Drops windows that have ended (called by the periodic clean-up). */
  async prune(now = new Date()): Promise<void> {
    await this.db.tx((em) => em.createQueryBuilder().delete().from(RateLimitRow).where('reset_at <= :now', { now }).execute());
  }
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
