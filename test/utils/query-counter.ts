import { jest } from '@jest/globals';
import type { Database } from '../../src/database/database.service';

/** How many SQL statements `fn` sends to the database (SQLite's shared runner or PostgreSQL's runners). */
export async function countQueries(db: Database, fn: () => Promise<unknown>): Promise<number> {
  const probe = db.dataSource.createQueryRunner();
  const target = db.isPostgres ? Object.getPrototypeOf(probe) : probe;
  if (db.isPostgres) await probe.release();
  const spy = jest.spyOn(target as { query: (...a: unknown[]) => Promise<unknown> }, 'query');
  try {
    await fn();
    return spy.mock.calls.filter(([sql]) => !/^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)/i.test(String(sql))).length;
  } finally {
    spy.mockRestore();
  }
}
