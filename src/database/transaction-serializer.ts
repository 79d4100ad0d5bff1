import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseUnavailableError } from './database-errors';

/**
 * A FIFO mutex. On SQLite every transaction runs on TypeORM's one shared query runner, so two
 * requests that open transactions at the same time would collide, or run inside each other's
 * transaction. Database.tx() takes this lock for the whole transaction.
 *
 * With `waitMs`, a caller that cannot get the lock in that time gives up with
 * DatabaseUnavailableError (a 503 page) instead of queueing behind a long transaction forever.
 */
export class Mutex {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  async run<T>(fn: () => Promise<T>, waitMs = Infinity): Promise<T> {
    await this.acquire(waitMs);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(waitMs: number): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const grant = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.waiting.push(grant);
      if (Number.isFinite(waitMs)) {
        timer = setTimeout(() => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new DatabaseUnavailableError(`waited ${waitMs} ms for the transaction lock`));
        }, waitMs);
      }
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the lock passes straight to the next in line
    else this.held = false;
  }
}

/** The entity manager of the Database.tx() callback running in this async context, if any. */
export const transactionContext = new AsyncLocalStorage<unknown>();

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

export class WriteOutsideTransactionError extends Error {
  constructor(sql: string) {
    super(`A write ran outside Database.tx(): ${sql.slice(0, 80)}`);
  }
}

/** SQLITE_BUSY (and its extended codes): another connection holds the lock. */
export function isSqliteBusy(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const raw = e?.driverError?.code ?? e?.code;
  const code = typeof raw === 'string' ? raw : '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

interface SharedRunner {
  query: (sql: string, ...rest: unknown[]) => Promise<unknown>;
  isTransactionActive: boolean;
}

/**
 * Guards SQLite's shared query runner.
 *
 * - A write statement issued outside Database.tx() could land inside another request's open
 *   transaction and be rolled back with it, so it is refused.
 * - Waiting for a lock held by another connection never blocks the event loop. better-sqlite3 is
 *   synchronous: with a busy timeout, SQLite would sleep inside the call and freeze the whole
 *   server (static files and /healthz included). So the busy timeout is 0 and a statement that
 *   finds the database locked is retried here, between timers, for up to `waitMs`; then it fails
 *   with DatabaseUnavailableError (503). Transactions start with BEGIN IMMEDIATE, so a
 *   transaction takes the write lock when it begins (and waits for it there), never half-way.
 */
export function guardSharedRunner(runner: SharedRunner, waitMs: number, inTransaction: () => boolean): void {
  const original = runner.query.bind(runner);
  runner.query = async (sql: string, ...rest: unknown[]) => {
    if (!transactionContext.getStore() && WRITE.test(sql)) throw new WriteOutsideTransactionError(sql);
    const begin = /^\s*BEGIN(\s+TRANSACTION)?\s*$/i.test(sql);
    const statement = begin ? 'BEGIN IMMEDIATE' : sql;
    // Inside a transaction only COMMIT may meet a busy database and be retried; anything else
    // already holds the write lock (BEGIN IMMEDIATE), and a read in WAL mode is never blocked.
    const retriable = begin || /^\s*COMMIT\b/i.test(sql) || !inTransaction();
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await original(statement, ...rest);
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
        if (!retriable || Date.now() >= deadline) {
          if (begin) runner.isTransactionActive = false; // TypeORM marks it active before BEGIN
          throw new DatabaseUnavailableError(`SQLite stayed locked for ${waitMs} ms (${statement.slice(0, 40)})`);
        }
        await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 50, Math.max(1, deadline - Date.now()))));
      }
    }
  };
}
