import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../seed/demo-seed';
import { withDatabase } from './run';

/** npm run seed:demo: creates the demo accounts that are missing. Safe to run again. */
withDatabase(async (db) => {
  const created = await seedDemo(db);
  process.stdout.write(`Demo data: ${created} account(s) created (existing accounts and workshops are left as they are).\n`);
  process.stdout.write(`Sign in with any of these, password "${DEMO_PASSWORD}":\n`);
  for (const a of DEMO_ACCOUNTS) process.stdout.write(`  ${a.role.padEnd(12)} ${a.email}\n`);
}).catch((err) => {
  process.stderr.write(`Seeding failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
