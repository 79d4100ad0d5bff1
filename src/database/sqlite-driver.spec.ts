import { spawnSync } from 'node:child_process';
import { dataSourceOptions } from './data-source-options';
import { loadConfig } from '../config/config';
import { SQLITE_DRIVERS, sqliteDriverPackage } from './sqlite-driver';

describe('SQLite driver per Node version', () => {
  it('uses the Node-API build (better-sqlite3 13) from Node-API 10 on, the compiled 12 below', () => {
    expect(sqliteDriverPackage(9)).toBe('better-sqlite3');
    expect(sqliteDriverPackage(10)).toBe('better-sqlite3-napi');
    expect(sqliteDriverPackage(11)).toBe('better-sqlite3-napi');
  });

  it('hands TypeORM the build chosen for the running Node', () => {
    const options = dataSourceOptions(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:' }));
    expect(options.type).toBe('better-sqlite3');
    expect((options as { driver?: unknown }).driver).toBe(SQLITE_DRIVERS[sqliteDriverPackage()]);
  });

  // On Node 24.19+ the compiled better-sqlite3 12 aborts the process (exit 134) when the garbage
  // collector frees statements; TypeORM's statement cache (100) lets go of one per new query text.
  // This runs the build the app picks on this Node in a child process, so an abort is a failure
  // here and not the end of the test run.
  it('survives thousands of statements being freed by the garbage collector', () => {
    const script = `
      const Database = require(process.argv[1]);
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t (x INTEGER)');
      for (let i = 0; i < 20000; i++) db.prepare('SELECT x + ' + i + ' FROM t').all();
      setTimeout(() => { db.close(); console.log('closed'); }, 300);
    `;
    const child = spawnSync(process.execPath, ['-e', script, sqliteDriverPackage()], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 20000,
    });
    const abort = /Assertion failed[^\n]*/.exec(child.stderr)?.[0] ?? null;
    expect({ status: child.status, signal: child.signal, stdout: child.stdout.trim(), abort }).toEqual({
      status: 0,
      signal: null,
      stdout: 'closed',
      abort: null,
    });
  });
});
