// Outbox throughput of the built app (run `npm run build` first): messages per second from the
// outbox to an SMTP server. See bench/README.md.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

// A real SMTP server in this process that accepts everything and counts.
const { SMTPServer } = require('smtp-server');
let received = 0;
const seen = new Set();
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  disableReverseLookup: true,
  onRcptTo: (address, _session, cb) => {
    if (seen.has(address.address)) throw new Error(`delivered twice: ${address.address}`);
    seen.add(address.address);
    cb();
  },
  onData: (stream, _session, cb) => {
    stream.on('end', () => {
      received++;
      cb();
    });
    stream.resume();
  },
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const env = {
  ...process.env,
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://bench.invalid',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-42',
  SMTP_URL: `smtp://127.0.0.1:${server.server.address().port}`,
  LOG_LEVEL: 'error',
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-bench-')),
};
if (env.DATABASE_URL?.startsWith('postgres') && env.DATABASE_SCHEMA) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${env.DATABASE_SCHEMA} CASCADE; CREATE SCHEMA ${env.DATABASE_SCHEMA}`);
  await c.end();
}

const { Logger } = require('@nestjs/common');
Logger.overrideLogger(['error']);
const { loadConfig } = require(path.join(root, 'dist/src/config/config.js'));
const { dataSourceOptions } = require(path.join(root, 'dist/src/database/data-source-options.js'));
const { openDataSource } = require(path.join(root, 'dist/src/database/open-data-source.js'));
const { Database } = require(path.join(root, 'dist/src/database/database.service.js'));
const { MailService } = require(path.join(root, 'dist/src/mail/mail.service.js'));
const { OutboxService } = require(path.join(root, 'dist/src/outbox/outbox.service.js'));
const { OutboxWorker } = require(path.join(root, 'dist/src/outbox/outbox.worker.js'));
const { composeMail } = require(path.join(root, 'dist/src/mail/compose.js'));

const config = loadConfig(env, root);
// One DataSource (connection pool) and one mail transport per worker, as separate processes would have.
const workers = [];
for (let i = 0; i < (config.database.type === 'postgres' ? WORKERS : 1); i++) {
  const db = new Database(await openDataSource(dataSourceOptions(config)));
  workers.push({ db, mail: new MailService(config), worker: new OutboxWorker(db, new MailService(config)) });
}
const { db } = workers[0];
const outbox = new OutboxService();
const body = composeMail({
  courseTitle: 'Learning Cities Academy',
  subject: 'Feedback released',
  lines: ['Your team’s draft of the city profile has feedback from the expert.'],
  action: { label: 'Open the submission', url: 'https://bench.invalid/courses/1/tasks/2/submissions/team-3' },
  preferencesUrl: 'https://bench.invalid/account/notifications',
});
for (let from = 0; from < MESSAGES; from += 500) {
  await db.tx(async (em) => {
    for (let i = from; i < Math.min(MESSAGES, from + 500); i++) await outbox.enqueue(em, { kind: 'notification', to: `bench${i}@example.org`, ...body });
  });
}

const started = performance.now();
await Promise.all(
  workers.map(async ({ worker }) => {
    for (;;) {
      const r = await worker.drain();
      if (r.sent + r.retrying + r.failed === 0) break;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const [{ n }] = await db.dataSource.query(`SELECT COUNT(*) AS n FROM outbox_messages WHERE status = 'sent'`);
const where = config.database.type === 'postgres' ? `PostgreSQL, ${workers.length} worker(s)` : 'SQLite, 1 worker';
process.stdout.write(
  `${where}: ${MESSAGES} messages in ${seconds.toFixed(1)} s = ${Math.round(MESSAGES / seconds)} messages/s (received ${received}, marked sent ${n})\n`,
);
if (received !== MESSAGES || Number(n) !== MESSAGES) process.exitCode = 1;
for (const w of workers) {
  w.mail.onApplicationShutdown();
  await w.db.dataSource.destroy();
}
await new Promise((resolve) => server.close(resolve));
