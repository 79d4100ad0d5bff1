import BetterSqlite3 from 'better-sqlite3';
import BetterSqlite3Napi from 'better-sqlite3-napi';

/**
 * The two builds of better-sqlite3 the app carries (see docs/decisions.md, "SQLite driver per Node
 * version"). Neither loads native code until a database is opened.
 *
 * - `better-sqlite3-napi` (better-sqlite3 13, an npm alias) is built on Node-API: one prebuilt
 *   binary for every Node version that has Node-API 10 (Node 22.14+, 24), nothing to compile.
 * - `better-sqlite3` (12) derives from node::ObjectWrap and is compiled on install. Since Node
 *   24.19, node::ObjectWrap's destructor aborts the process (`RemoveEnvironmentCleanupHook …
 *   (env) != nullptr`) when the garbage collector frees a statement while no JavaScript context is
 *   entered, which happens at any time under load. It stays only for Node 20 (Node-API 9), which
 *   13 cannot run on.
 */
export const SQLITE_DRIVERS = {
  'better-sqlite3-napi': BetterSqlite3Napi,
  'better-sqlite3': BetterSqlite3,
};

export type SqliteDriverPackage = keyof typeof SQLITE_DRIVERS;

/** Which build this Node.js runs: the Node-API one wherever Node offers Node-API 10. */
export function sqliteDriverPackage(napiVersion = Number(process.versions.napi)): SqliteDriverPackage {
  return napiVersion >= 10 ? 'better-sqlite3-napi' : 'better-sqlite3';
}

/** The module TypeORM's better-sqlite3 driver opens databases with (its `driver` option). */
export function sqliteDriver(): (typeof SQLITE_DRIVERS)[SqliteDriverPackage] {
  return SQLITE_DRIVERS[sqliteDriverPackage()];
}
