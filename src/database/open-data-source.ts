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
    await dataSource.runMigrations({ transaction: 'each' });
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

/** How long SQLite statements wait for another connection's lock (the driver's `timeout` option). */
export function sqliteWaitMs(options: DataSourceOptions): number {
  return options.type === 'better-sqlite3' ? (options.timeout ?? 5000) : 0;
}
