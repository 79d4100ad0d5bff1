// The heavy pages at real scale, the app beside its ceiling (run by hand). See bench/README.md.
//
//   npm run build && node bench/scale-seed.mjs    # once: bench/.data/scale.sqlite
//   node bench/scale.mjs                          # BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ONLY, BENCH_PORT, BENCH_WARMUP
//
// Each round starts the built app (production mode), the ceiling (bench/ceiling/server.mjs: bare
// Express + hbs + better-sqlite3, hand-written prepared statements) and the obligated ceiling (the
// same with the app's session cookie, CSRF token, security headers, compression and request log)
// on a fresh copy of the scale database, then measures every page on each in turn; rounds reverse
// the order.
// Prints, per page, the median pages/s, p50 and p99 of the rounds and app/ceiling; then the cold
// start (spawn to /healthz 200) and the resident memory after the round.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// BENCH_APP_ROOT: another checkout's built app to measure (e.g. the commit before a change, with
// its own scale database made by its own seed); the ceiling always comes from this one.
const appRoot = path.resolve(process.env.BENCH_APP_ROOT ?? root);
const source = path.join(appRoot, 'bench', '.data', 'scale.sqlite');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1); // seconds per page and server before measuring
const PASSWORD = 'lifelong-learning-demo';
// BENCH_PROFILE=<folder>: the app runs with --cpu-prof (a .cpuprofile per round in that folder); BENCH_NO_CEILING=1: the app alone.
const NO_CEILING = Boolean(process.env.BENCH_NO_CEILING);
// BENCH_NO_OBLIGATED=1: leave out the second ceiling (the bare one with the app's session, CSRF, headers, compression and request log).
const NO_OBLIGATED = Boolean(process.env.BENCH_NO_OBLIGATED);
// BENCH_PORT: the app's port (the ceilings take the next two), for runs side by side.
const PORT = Number(process.env.BENCH_PORT ?? 3991);
// BENCH_WRITES=<n>: n commits a second to the database from another connection while every page is
// measured (a team row rewritten as it was), as people working elsewhere would: each one changes the
// data version, so the app's read snapshots (decision 74) are computed again. 0 (the default): reads only.
const WRITES = Number(process.env.BENCH_WRITES ?? 0);
const Sqlite = createRequire(import.meta.url)('better-sqlite3');

// The pages: one line each (who signs in, where). {course}, {task} and {team} are scale workshop 1,
// its first team task and its first team (led by scale-leader@), looked up in the seeded database
// (the demo data before them can change their ids).
// `ceiling: false` would mark a page bench/ceiling/pages/ does not serve (every page here has one).
const RAW_PAGES = [
  { name: 'course home', as: 'scale-leader', path: '/courses/{course}' },
  { name: 'task overview', as: 'scale-facilitator', path: '/courses/{course}/tasks/{task}' },
  { name: 'submission page', as: 'scale-leader', path: '/courses/{course}/tasks/{task}/submissions/team-{team}' },
  { name: 'review queue', as: 'scale-facilitator', path: '/reviews' },
  { name: 'review queue (expert)', as: 'scale-expert', path: '/reviews' },
  // Issue 12's pages:
  { name: 'course dashboard', as: 'scale-facilitator', path: '/courses/{course}/dashboard' },
  { name: 'course report', as: 'scale-facilitator', path: '/courses/{course}/report' },
  { name: 'leader home', as: 'scale-leader', path: '/dashboard' },
  { name: 'expert home', as: 'scale-expert', path: '/dashboard' },
  // Not a page people use: the app's "not found" page for a signed-in person (session, person, the
  // course look-up, the layout), the fixed cost every signed-in page pays, beside the same page on the ceiling.
  { name: 'signed-in 404', as: 'scale-leader', path: '/courses/99999999', status: 404 },
].filter((p) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(p.name));

if (!fs.existsSync(source)) throw new Error(`${source} is missing: run node bench/scale-seed.mjs first`);
const ids = (() => {
  const db = new Sqlite(source, { readonly: true });
  const course = db.prepare(`SELECT id FROM courses WHERE title LIKE 'Scale workshop 1%' ORDER BY id LIMIT 1`).get().id;
  const task = db.prepare(`SELECT id FROM tasks WHERE course_id = ? AND kind = 'team' ORDER BY position, id LIMIT 1`).get(course).id;
  const team = db.prepare(`SELECT id FROM teams WHERE course_id = ? ORDER BY id LIMIT 1`).get(course).id;
  db.close();
  return { course, task, team };
})();
const PAGES = RAW_PAGES.map((p) => ({ ...p, path: p.path.replace(/\{(\w+)\}/g, (_, k) => String(ids[k])) }));
const proto = { 'x-forwarded-proto': 'https' };

async function start(kind, port, file) {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: 'https://bench.invalid',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-42',
    MAIL_TRANSPORT: 'file',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    TRUST_PROXY_HOPS: '1',
    DATA_DIR: path.dirname(file),
    DATABASE_URL: `sqlite:${file}`,
  };
  if (kind === 'obligated') env.CEILING_OBLIGATIONS = '1';
  const script = kind === 'app' ? path.join(appRoot, 'dist/src/main.js') : path.join(root, 'bench/ceiling/server.mjs');
  const args = [...(process.env.BENCH_PROFILE && kind === 'app' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), script];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: kind === 'app' ? appRoot : root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    if (i > 1000) throw new Error(`${kind} did not start`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { kind, child, base, coldStartMs: performance.now() - t0 };
}

/** Signs in to the app (the ceiling reads the same session rows, so the cookie serves both). */
async function signIn(base, who) {
  const page = await fetch(`${base}/sign-in`, { headers: proto });
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)[1];
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...proto, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email: `${who}@atelier.example`, password: PASSWORD }),
  });
  if (res.status !== 303) throw new Error(`sign-in as ${who} answered ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

/** CPU time the process has used (user + system), in ms: per page it does not depend on what else the machine runs. */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in ticks of 1/100 s
}

/** While `fn` runs: WRITES commits a second on the round's database from a connection of its own. */
async function whileWriting(file, fn) {
  if (!WRITES) return fn();
  const db = new Sqlite(file);
  db.pragma('busy_timeout = 1000');
  const write = db.prepare('UPDATE teams SET city = city WHERE id = ?');
  let commits = 0;
  const timer = setInterval(() => {
    write.run(ids.team);
    commits++;
  }, 1000 / WRITES);
  try {
    return { ...(await fn()), commits };
  } finally {
    clearInterval(timer);
    db.close();
  }
}

async function measure(server, pathname, cookie, seconds = SECONDS, expected = 200) {
  const base = server.base;
  const cpu0 = cpuMs(server.child.pid);
  const latencies = [];
  let resets = 0;
  let bytes = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        let res;
        try {
          res = await fetch(`${base}${pathname}`, { headers: { ...proto, cookie, 'accept-encoding': 'identity' } });
        } catch (e) {
          // A kept-alive connection the server closed as it was reused (ECONNRESET): counted, not fatal.
          if (++resets > 20) throw e;
          continue;
        }
        const body = await res.text();
        if (res.status !== expected) throw new Error(`${base}${pathname} answered ${res.status}`);
        bytes = body.length;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  const cpu = (cpuMs(server.child.pid) - cpu0) / latencies.length;
  return { rate: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), kb: bytes / 1024, cpu };
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill()));
const results = {}; // kind → page → [round results]
const KINDS = ['app', ...(NO_CEILING ? [] : ['ceiling', ...(NO_OBLIGATED ? [] : ['obligated'])])];
const starts = Object.fromEntries(KINDS.map((k) => [k, []]));
const memory = Object.fromEntries(KINDS.map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-scale-'));
  const file = path.join(dir, 'atelier.sqlite');
  fs.copyFileSync(source, file);
  const app = await start('app', PORT, file);
  const cookies = {};
  for (const who of new Set(PAGES.map((p) => p.as))) cookies[who] = await signIn(app.base, who);
  const servers = [app];
  if (KINDS.includes('ceiling')) servers.push(await start('ceiling', PORT + 1, file));
  if (KINDS.includes('obligated')) servers.push(await start('obligated', PORT + 2, file));
  for (const s of servers) starts[s.kind].push(s.coldStartMs);
  const order = round % 2 ? [...servers].reverse() : servers;
  for (const page of PAGES) {
    for (const server of order) {
      if (server.kind !== 'app' && page.ceiling === false) continue;
      // Warm-up, not counted: the JIT, the first page's share of start-up work (the worker's first runs).
      if (WARMUP > 0) await measure(server, page.path, cookies[page.as], WARMUP, page.status);
      const r = await whileWriting(file, () => measure(server, page.path, cookies[page.as], SECONDS, page.status));
      ((results[server.kind] ??= {})[page.name] ??= []).push(r);
      console.error(
        `round ${round + 1} ${server.kind.padEnd(7)} ${page.name.padEnd(22)} ${r.rate.toFixed(0).padStart(5)}/s p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} ms ${r.kb.toFixed(1)} KB, CPU ${r.cpu.toFixed(2)} ms/page`,
      );
    }
  }
  for (const s of servers) memory[s.kind].push(rssMb(s.child.pid));
  for (const s of servers) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGINT');
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f0 = (x) => Math.round(x).toLocaleString('en');
console.log(
  `\n${ROUNDS} rounds, ${CONNECTIONS} connections, ${SECONDS} s per page and server${WRITES ? `, ${WRITES} writes a second from another connection` : ', reads only'}; medians (pages/s of each round in brackets)\n`,
);
console.log(
  '| page | app pages/s | ceiling pages/s | app/ceiling | obligated ceiling pages/s | app/obligated | p50 / p99 ms: app, ceiling, obligated | CPU ms/page: app, ceiling, obligated | size app / ceiling |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const page of PAGES) {
  const [a, c, o] = ['app', 'ceiling', 'obligated'].map((k) => results[k]?.[page.name]);
  const rate = (xs) => (xs ? median(xs.map((r) => r.rate)) : NaN);
  const rates = (xs) => (xs ? `${f0(rate(xs))} (${xs.map((r) => f0(r.rate)).join(', ')})` : '—');
  const ratio = (xs) => (xs ? (rate(a) / rate(xs)).toFixed(2) : '—');
  const lat = (xs) => (xs ? `${median(xs.map((r) => r.p50)).toFixed(1)} / ${median(xs.map((r) => r.p99)).toFixed(1)}` : '—');
  const cpu = (xs) => (xs ? median(xs.map((r) => r.cpu)).toFixed(2) : '—');
  console.log(
    `| ${page.name} | ${rates(a)} | ${rates(c)} | ${ratio(c)} | ${rates(o)} | ${ratio(o)} | ${[a, c, o].map(lat).join(', ')} | ${[a, c, o].map(cpu).join(', ')} | ${a[0].kb.toFixed(1)} / ${c ? c[0].kb.toFixed(1) : '—'} KB |`,
  );
}
const each = (xs) => KINDS.map((k) => `${k} ${f0(median(xs[k]))}`).join(', ');
console.log(`\ncold start (spawn to /healthz 200), ms: ${each(starts)} (each round: app ${starts.app.map(f0).join(', ')})`);
console.log(`resident memory after the round, MB: ${each(memory)}`);
process.exit(0);
