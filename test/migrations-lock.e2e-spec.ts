import { Client } from 'pg';
import { MIGRATIONS } from '../migrations';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { openDataSource } from '../src/database/open-data-source';
import { ON_POSTGRES } from './utils/create-test-app';

/**
 * Two instances starting at the same moment on an empty PostgreSQL schema: both start, and the
 * migrations are applied once (an advisory lock makes the second wait for the first).
 */
(ON_POSTGRES ? describe : describe.skip)('migrations started by two instances at once (PostgreSQL)', () => {
  const schemas: string[] = [];
  const admin = () => new Client({ connectionString: process.env.DATABASE_URL });

  afterAll(async () => {
    const c = admin();
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await c.end();
  });

  it.each([1, 2, 3])('both succeed and each migration is recorded once (round %i)', async () => {
    const schema = `t_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    schemas.push(schema);
    const c = admin();
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: process.env.DATABASE_URL,
      DATABASE_SCHEMA: schema,
      SESSION_SECRET: 'x'.repeat(40),
      MAIL_TRANSPORT: 'file',
    });
    const started = await Promise.allSettled([openDataSource(dataSourceOptions(config)), openDataSource(dataSourceOptions(config))]);
    for (const s of started) if (s.status === 'fulfilled') await s.value.destroy();
    expect(started.map((s) => (s.status === 'rejected' ? String((s.reason as Error).message) : 'ok'))).toEqual(['ok', 'ok']);
    const rows = await c.query(`SELECT name, COUNT(*)::int AS n FROM ${schema}.migrations GROUP BY name ORDER BY name`);
    expect(rows.rows).toHaveLength(MIGRATIONS.length);
    expect(rows.rows.every((r) => r.n === 1)).toBe(true);
    await c.end();
  });
});
