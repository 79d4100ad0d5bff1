import { jest } from '@jest/globals';
import type { Database } from '../../src/database/database.service';

/**
 * The session's own writes (a new CSRF token, a flash message, the expiry renewed at most once a
 * minute: decision 62) are the request's housekeeping, not the page's, and when they happen depends
 * on timing, so they are not counted. That a plain page view writes no session row is tested in
 * test/sign-in.e2e-spec.ts.
 */
const SESSION_WRITE = /^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?sessions"?[\s(]/i;

/** How many SQL statements `fn` sends to the database (SQLite's shared runner or PostgreSQL's runners). */
export async function countQueries(db: Database, fn: () => Promise<unknown>): Promise<number> {
  const probe = db.dataSource.createQueryRunner();
  const target = db.isPostgres ? Object.getPrototypeOf(probe) : probe;
  if (db.isPostgres) await probe.release();
  type Runner = { query: (...a: unknown[]) => Promise<unknown> };
  // On SQLite, reads outside transactions go through the reader's connection (Database.reader).
  const spies = [target, ...(db.reader ? [db.reader.createQueryRunner()] : [])].map((r) => jest.spyOn(r as Runner, 'query'));
  // Database.rows runs the reader's statements itself (readDirect); a statement it hands back to TypeORM (undefined) is counted there.
  const direct = jest.spyOn(db as unknown as { readDirect: (sql: string, params: unknown[]) => unknown[] | undefined }, 'readDirect');
  // The page as computed, not a snapshot of it (ReadSnapshots, decision 74): the budget is the computation's.
  db.forgetSnapshots();
  try {
    await fn();
    const directReads = direct.mock.results.filter((r) => r.type === 'return' && r.value !== undefined).length;
    return (
      directReads +
      spies
        .flatMap((spy) => spy.mock.calls)
        .filter(([sql]) => !/^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)/i.test(String(sql)))
        .filter(([sql]) => !SESSION_WRITE.test(String(sql))).length
    );
  } finally {
    for (const spy of spies) spy.mockRestore();
    direct.mockRestore();
  }
}
