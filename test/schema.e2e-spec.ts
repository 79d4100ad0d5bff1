import { transactionContext } from '../src/database/transaction-serializer';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';

describe(`the migrated schema (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('matches the entities exactly: nothing is left for the CLI to generate', async () => {
    const sql = await t.db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has applied every migration and has none pending', async () => {
    expect(await t.db.dataSource.showMigrations()).toBe(false);
    const rows = await t.db.dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    expect(rows.map((r) => r.name)).toContain('Foundation1764000000000');
  });

  it('can undo and redo the whole history', async () => {
    const ds = t.db.dataSource;
    const count = ds.migrations.length;
    // Migrations run in their own transactions; mark the context as such for the SQLite write guard.
    await transactionContext.run(ds.manager, async () => {
      for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await ds.showMigrations()).toBe(true);
      await ds.runMigrations({ transaction: 'each' });
    });
    expect(await ds.showMigrations()).toBe(false);
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries).toEqual([]);
  });

  it(ON_POSTGRES ? 'uses PostgreSQL' : 'runs SQLite with WAL, foreign keys, full sync and no blocking busy timeout', async () => {
    if (ON_POSTGRES) {
      expect(t.db.isPostgres).toBe(true);
      return;
    }
    const q = async (pragma: string) => Object.values((await t.db.manager.query(`PRAGMA ${pragma}`))[0])[0];
    expect(await q('journal_mode')).toBe('wal');
    expect(await q('foreign_keys')).toBe(1);
    expect(await q('busy_timeout')).toBe(0); // waits for locks happen between timers (transaction-serializer.ts)
    expect(await q('synchronous')).toBe(2); // FULL
  });

  it(ON_POSTGRES ? 'stores instants as timestamptz' : 'refuses a write outside a transaction on the shared SQLite connection', async () => {
    if (ON_POSTGRES) {
      const rows = await t.db.manager.query(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'created_at' AND table_schema = current_schema()",
      );
      expect(rows[0].data_type).toBe('timestamp with time zone');
      return;
    }
    await expect(t.db.manager.query("UPDATE users SET name = 'x'")).rejects.toThrow('outside Database.tx()');
    await expect(t.db.tx((em) => em.query("UPDATE users SET name = 'x' WHERE id = -1"))).resolves.toBeDefined();
  });
});
