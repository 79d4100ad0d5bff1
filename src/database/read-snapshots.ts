import { Injectable } from '@nestjs/common';
import { Database } from './database.service';

/** A snapshot is used for at most this long, even when nothing was written: the time-relative words in it ("2 hours ago", overdue) stay this close to now. */
export const SNAPSHOT_MAX_AGE_MS = 60_000;
/** At most this many snapshots are kept; the least recently used goes first. */
export const SNAPSHOTS_MAX = 1_000;

interface Entry {
  version: string;
  /** The clock's time the value was computed for (ms). */
  at: number;
  value: Promise<unknown>;
}

/**
 * The result of an expensive read (an aggregate page's view model or figures), kept in this
 * process while the database has not changed (decision 74). A snapshot is used again only if
 * - nothing a page shows was written since it was read (Database.version(): the content version,
 *   raised by triggers whoever writes, so another instance's or the worker's writes count too;
 *   decision 76), and
 * - it is younger than SNAPSHOT_MAX_AGE_MS by the caller's clock (and not from its future).
 * Anything else computes it again. Requests that ask for the same key at the same version while
 * it is computed share the one computation. A failed computation is not kept.
 *
 * The key must name everything the value depends on besides the data and the time: who is
 * looking (their own teams, their time zone) and the validated filter. Access checks stay outside:
 * the guards run on every request, and only then is a snapshot asked for.
 *
 * Values are shared between requests: callers must not change them (a page returns a shallow copy
 * to the renderer, which writes into the object it is given).
 */
@Injectable()
export class ReadSnapshots {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: Database) {}

  async read<T>(key: string, now: Date, compute: () => Promise<T>): Promise<T> {
    const version = await this.db.version();
    if (version === null) return compute();
    const at = now.getTime();
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      const age = at - kept.at;
      if (kept.version === version && age >= 0 && age < SNAPSHOT_MAX_AGE_MS) {
        this.entries.set(key, kept); // most recently used last
        return kept.value as Promise<T>;
      }
    }
    const value = compute();
    const entry: Entry = { version, at, value };
    this.entries.set(key, entry);
    if (this.entries.size > SNAPSHOTS_MAX) this.entries.delete(this.entries.keys().next().value!);
    this.prune(at);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Drops the least recently used snapshots while they are too old to be used again: memory goes back when pages are not asked for. */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.at < SNAPSHOT_MAX_AGE_MS) return;
      this.entries.delete(key);
    }
  }

  /** How many snapshots are kept (for tests and the memory figure). */
  get size(): number {
    return this.entries.size;
  }
}
