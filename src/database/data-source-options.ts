import 'reflect-metadata';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { AppConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
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
    // An idle pooled connection that breaks (server restart, network) is reported here, as JSON.
    const logger = new JsonLogger(config.logLevel);
    return {
      ...common,
      type: 'postgres',
      url,
      poolErrorHandler: (err: unknown) =>
        logger.warn({ msg: 'database connection lost', error: { message: (err as Error)?.message, code: (err as { code?: string })?.code } }),
      // connectionTimeoutMillis: a request waits at most this long for a connection (pool full or
      // server unreachable), then gets a 503 page; pg's default is to wait forever.
      // lock_timeout: a statement waiting for a lock held elsewhere gives up after the same
      // bound (55P03, a 503 page) instead of hanging the request.
      // DATABASE_SCHEMA (used by the tests: one schema per test app) goes on the search path.
      extra: {
        max: 10,
        connectionTimeoutMillis: config.databaseWaitMs,
        options: `-c lock_timeout=${config.databaseWaitMs}${schema ? ` -c search_path=${schema}` : ''}`,
      },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    driver: sqliteDriver(),
    database: config.database.path,
    enableWAL: config.database.path !== ':memory:',
    // How long a statement waits for a lock held by another connection. SQLite's own busy
    // timeout would wait synchronously and freeze the event loop, so it is set to 0 and the wait
    // happens between timers in guardSharedRunner (open-data-source.ts), which reads this value.
    timeout: config.databaseWaitMs,
    // Prepared statements kept per connection (TypeORM's default is 100, first in first out). The
    // app's pages use a few hundred distinct statements (IN lists of each length are distinct), so
    // with 100 they were prepared again on nearly every request. Each kept statement is small.
    statementCacheSize: 2000,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 0');
      db.pragma('synchronous = FULL');
    },
  };
}
