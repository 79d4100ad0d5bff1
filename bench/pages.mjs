// Page throughput of the built app (run `npm run build` first). See bench/README.md.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3987);

const env = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: String(PORT),
  HOST: '127.0.0.1',
  PUBLIC_BASE_URL: 'https://bench.invalid',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-42',
  MAIL_TRANSPORT: 'file',
  SEED_DEMO: 'true',
  LOG_LEVEL: 'error',
  TRUST_PROXY_HOPS: '1', // as behind a TLS-terminating proxy: requests carry X-Forwarded-Proto: https
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-bench-')),
};

if (env.DATABASE_URL?.startsWith('postgres') && env.DATABASE_SCHEMA) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${env.DATABASE_SCHEMA} CASCADE; CREATE SCHEMA ${env.DATABASE_SCHEMA}`);
  await c.end();
}

// Extra people, inserted directly (same code path as the CLI scripts).
const { loadConfig } = require(path.join(root, 'dist/src/config/config.js'));
const { dataSourceOptions } = require(path.join(root, 'dist/src/database/data-source-options.js'));
const { openDataSource } = require(path.join(root, 'dist/src/database/open-data-source.js'));
const { Database } = require(path.join(root, 'dist/src/database/database.service.js'));
const { User } = require(path.join(root, 'dist/src/users/user.entity.js'));
const { seedDemo } = require(path.join(root, 'dist/src/seed/demo-seed.js'));
const ds = await openDataSource(dataSourceOptions(loadConfig(env, root)));
const db = new Database(ds);
await seedDemo(db);
const now = new Date();
await db.tx(async (em) => {
  const rows = Array.from({ length: PEOPLE }, (_, i) => ({
    email: `bench${i}@example.org`,
    name: `Bench Person ${i}`,
    passwordHash: 'x',
    timeZone: 'UTC',
    language: 'en',
    role: 'participant',
    active: true,
    createdAt: now,
    updatedAt: now,
    lastSignInAt: null,
    deactivatedAt: null,
  }));
  for (let i = 0; i < rows.length; i += 200) await em.getRepository(User).insert(rows.slice(i, i + 200));
});
await ds.destroy();

const server = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
process.on('exit', () => server.kill());
process.on('uncaughtException', (e) => {
  console.error(e);
  process.exit(1);
});
const proto = { 'x-forwarded-proto': 'https' };
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {}
  if (i > 100) throw new Error('server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

// Sign in as the demo admin (HTTPS base URL → Secure cookie; we send it back by hand).
const page = await fetch(`${base}/sign-in`, { headers: proto });
let cookie = page.headers.get('set-cookie').split(';')[0];
const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)[1];
const signIn = await fetch(`${base}/sign-in`, {
  method: 'POST',
  redirect: 'manual',
  headers: { ...proto, cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: token, email: 'admin@atelier.example', password: 'lifelong-learning-demo' }),
});
cookie = signIn.headers.get('set-cookie').split(';')[0];

async function measure(pathname) {
  const latencies = [];
  let bytes = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const res = await fetch(`${base}${pathname}`, { headers: { ...proto, cookie } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}`);
        bytes = body.length;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  console.log(
    `${pathname.padEnd(28)} ${(latencies.length / SECONDS).toFixed(0).padStart(6)} pages/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   ${(bytes / 1024).toFixed(1)} KB`,
  );
}

console.log(`${ds.options.type}, ${PEOPLE} extra people, ${CONNECTIONS} connections, ${SECONDS} s per page`);
for (const p of [
  '/healthz',
  '/dashboard',
  '/admin/users',
  '/admin/users?q=bench%20person%201',
  '/invitations',
  '/account',
  '/courses/1',
  '/courses/1/setup',
  '/courses/1/programme',
  '/courses/1/tasks',
  '/courses/1/tasks/2',
  '/courses/1/tasks/2/submissions/team-1',
  '/reviews',
].filter((p) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(p)))
  await measure(p);
server.kill();
process.exit(0);
