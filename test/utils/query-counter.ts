import { jest } from '@jest/globals';
import type { Database } from '../../src/database/database.service';

/** How many SQL statements `fn` sends to the database (SQLite's shared runner or PostgreSQL's runners). */
export async function countQueries(db: Database, fn: () => Promise<unknown>): Promise<number> {
  const probe = db.dataSource.createQueryRunner();
  const target = db.isPostgres ? Object.getPrototypeOf(probe) : probe;
  if (db.isPostgres) await probe.release();
  type Runner = { query: (...a: unknown[]) => Promise<unknown> };
  // On SQLite, reads outside transactions go through the reader's connection (Database.reader).
  const spies = [target, ...(db.reader ? [db.reader.createQueryRunner()] : [])].map((r) => jest.spyOn(r as Runner, 'query'));
  try {
    await fn();
    return spies.flatMap((spy) => spy.mock.calls).filter(([sql]) => !/^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)/i.test(String(sql)))
      .length;
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
