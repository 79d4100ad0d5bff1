import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { guardSharedRunner } from './transaction-serializer';

/**
 * Connects, applies pending migrations (the only way the schema changes), and on SQLite guards
 * the shared connection against writes outside Database.tx().
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    fs.mkdirSync(path.dirname(options.database), { recursive: true });
  }
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  if (options.type === 'better-sqlite3') {
    const handle = () => (dataSource.driver as unknown as { databaseConnection?: { inTransaction?: boolean } }).databaseConnection;
    guardSharedRunner(dataSource.createQueryRunner() as never, sqliteWaitMs(options), () => Boolean(handle()?.inTransaction));
  }
  return dataSource;
}

/**
 * The read-only second connection for reads outside transactions (see Database.reader), on a
 * SQLite file; null otherwise. Opened after the writer (which migrated the schema and set WAL).
 */
export async function openReader(options: DataSourceOptions): Promise<DataSource | null> {
  if (options.type !== 'better-sqlite3' || options.database === ':memory:') return null;
  const reader = new DataSource({ ...options, readonly: true, enableWAL: false, migrations: [], migrationsRun: false });
  await reader.initialize();
  guardSharedRunner(reader.createQueryRunner() as never, sqliteWaitMs(options), () => false);
  return reader;
}

/**
 * Applies pending migrations. On PostgreSQL, instances starting at the same time take turns: a
 * session-level advisory lock (one per schema) is held for the whole run, so the second waits,
 * then finds nothing left to do. The lock goes with its connection if the process dies.
 * On SQLite (one instance by design) a start waits for another process's write lock, blocking:
 * nothing is served yet.
 */
async function migrate(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type === 'better-sqlite3') {
    const db = (dataSource.driver as unknown as { databaseConnection: { pragma: (s: string) => unknown } }).databaseConnection;
    db.pragma(`busy_timeout = ${sqliteWaitMs(dataSource.options)}`);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      db.pragma('busy_timeout = 0');
    }
    return;
  }
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  const key = "hashtext('atelier.migrations'), hashtext(coalesce(current_schema(), ''))";
  try {
    await lock.query('SET lock_timeout = 0'); // wait as long as the other instance's migrations take
    await lock.query(`SELECT pg_advisory_lock(${key})`);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(${key})`);
    }
    await lock.query('RESET lock_timeout'); // the pooled connection keeps the configured bound
  } finally {
    await lock.release();
  }
}

/** How long SQLite statements wait for another connection's lock (the driver's `timeout` option). */
export function sqliteWaitMs(options: DataSourceOptions): number {
  return options.type === 'better-sqlite3' ? (options.timeout ?? 5000) : 0;
}
