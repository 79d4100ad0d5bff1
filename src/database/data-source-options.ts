import 'reflect-metadata';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';
import { sqliteDriver } from './sqlite-driver';

/**
 * The one description of the database connection, used by the app (DatabaseModule), the
 * CLI scripts (src/cli) and, through ormconfig.ts, the TypeORM CLI.
 * Schema changes happen only through migrations/: synchronize is never on.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    logging: false as const,
  };
  if (config.database.type === 'postgres') {
    const { url, schema } = config.database;
    // DATABASE_SCHEMA (used by the tests: one schema per test app) goes on the search path.
    return { ...common, type: 'postgres', url, extra: { max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) } };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    driver: sqliteDriver(),
    database: config.database.path,
    enableWAL: config.database.path !== ':memory:',
    timeout: 5000,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = FULL');
    },
  };
}

