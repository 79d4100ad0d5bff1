import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A FIFO mutex. On SQLite every transaction runs on TypeORM's one shared query runner, so two
 * requests that open transactions at the same time would collide, or run inside each other's
 * transaction. Database.tx() takes this lock for the whole transaction.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
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

/**
 * Guards SQLite's shared query runner: a write statement issued outside Database.tx() could
 * land inside another request's open transaction and be rolled back with it, so it is refused.
 */
export function guardSharedRunner(runner: { query: (...args: any[]) => Promise<any> }): void {
  const original = runner.query.bind(runner);
  runner.query = (sql: string, ...rest: unknown[]) => {
    if (!transactionContext.getStore() && WRITE.test(sql)) {
      return Promise.reject(new WriteOutsideTransactionError(sql));
    }
    return original(sql, ...rest);
  };
}
