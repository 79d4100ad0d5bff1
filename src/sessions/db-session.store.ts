import session from 'express-session';
import { LessThan } from 'typeorm';
import type { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
import { SessionRow } from './session.entity';

type Callback<T = void> = (err?: unknown, value?: T) => void;

/** How long an unchanged expiry may lag before touch() writes it (one write per minute, not per request). */
const TOUCH_RESOLUTION_MS = 60_000;

/** At most this many stored expiries are remembered between get() and touch() (a bound, not a cache size that matters). */
const REMEMBERED_MAX = 10_000;

/**
 * express-session store on the application database: sessions survive a restart and are shared
 * by every instance on PostgreSQL. Rows carry the user id so that deactivating a person ends all
 * their sessions at once.
 */
export class DbSessionStore extends session.Store {
  /**
   * The expiry each session's row had when get() read it for the request under way. express-session
   * calls touch() at the end of every request that did not change the session (rolling cookies);
   * with this, touch() knows without a transaction that the row needs no new expiry yet, so a page
   * view writes nothing and never waits for the write lock (decision 62).
   */
  private readonly storedExpiry = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly idleMs: number,
  ) {
    super();
  }

  /** Every signed-in request starts here: a hand-written read of the two columns used (no repository, no hydration). */
  override get(sid: string, cb: Callback<session.SessionData | null>): void {
    this.db.rows<{ data: string; expiresAt: Date | string }>`SELECT data, expires_at AS "expiresAt" FROM sessions WHERE sid = ${sid}`.then((rows) => {
      const row = rows[0];
      const expiresAt = row ? rawDate(row.expiresAt).getTime() : 0;
      if (!row || !(expiresAt > Date.now())) return cb(null, null);
      if (this.storedExpiry.size >= REMEMBERED_MAX) this.storedExpiry.clear();
      this.storedExpiry.set(sid, expiresAt);
      cb(null, JSON.parse(row.data) as session.SessionData);
    }, cb);
  }

  override set(sid: string, data: session.SessionData, cb?: Callback): void {
    this.storedExpiry.delete(sid);
    const row: SessionRow = {
      sid,
      userId: (data as { passport?: { user?: number } }).passport?.user ?? null,
      data: JSON.stringify(data),
      expiresAt: this.expiry(data),
    };
    this.db
      .tx((em) => em.getRepository(SessionRow).upsert(row, ['sid']))
      .then(
        () => cb?.(),
        (err) => cb?.(err),
      );
  }

  /**
   * Whether touch() will write this new expiry: when the row read for this request expires more
   * than a minute before it (or was not read). The session cookie is sent again exactly then
   * (session-middleware.ts), so the browser's cookie expires with the row.
   */
  renews(sid: string, expires: Date): boolean {
    const stored = this.storedExpiry.get(sid);
    return stored === undefined || stored < expires.getTime() - TOUCH_RESOLUTION_MS;
  }

  override touch(sid: string, data: session.SessionData, cb?: Callback): void {
    const expiresAt = this.expiry(data);
    const threshold = new Date(expiresAt.getTime() - TOUCH_RESOLUTION_MS);
    const stored = this.storedExpiry.get(sid);
    // The row read for this request expires late enough: nothing to write (the UPDATE below would change no row).
    if (stored !== undefined && stored >= threshold.getTime()) return void cb?.();
    this.storedExpiry.delete(sid); // the next get() reads it again
    this.db
      .tx((em) => em.createQueryBuilder().update(SessionRow).set({ expiresAt }).where('sid = :sid AND expires_at < :threshold', { sid, threshold }).execute())
      .then(
        () => cb?.(),
        (err) => cb?.(err),
      );
  }

  override destroy(sid: string, cb?: Callback): void {
    this.storedExpiry.delete(sid);
    this.db
      .tx((em) => em.getRepository(SessionRow).delete({ sid }))
      .then(
        () => cb?.(),
        (err) => cb?.(err),
      );
  }

  /** Ends every session of one person (deactivation, password change). */
  async destroyForUser(userId: number, exceptSid?: string): Promise<void> {
    await this.db.tx(async (em) => {
      const qb = em.createQueryBuilder().delete().from(SessionRow).where('user_id = :userId', { userId });
      if (exceptSid) qb.andWhere('sid <> :exceptSid', { exceptSid });
      await qb.execute();
    });
  }

  async prune(now = new Date()): Promise<void> {
    await this.db.tx((em) => em.getRepository(SessionRow).delete({ expiresAt: LessThan(now) }));
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.idleMs);
  }
}
