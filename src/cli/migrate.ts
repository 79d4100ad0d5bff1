import { withDatabase } from './run';

/** npm run migrate: applies pending migrations (the app also does this at start-up). */
withDatabase(async (db) => {
  const applied = await db.dataSource.query<{ n?: number | string; N?: number | string }[]>('SELECT COUNT(*) AS n FROM migrations');
  process.stdout.write(`Database is up to date (${applied[0].n ?? applied[0].N} migrations applied).\n`);
}).catch((err) => {
  process.stderr.write(`Migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
