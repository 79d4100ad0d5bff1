// Where a .cpuprofile's time went (node --cpu-prof; bench/scale.mjs writes one with BENCH_PROFILE=<folder>).
//
//   node bench/cpu-profile.mjs <file.cpuprofile> [top N]
//
// Prints the share of samples that were idle, the functions with the most self time, and the
// inclusive share of a few parts of the stack (any sample with a frame from that package or file).
import * as fs from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = profile.samples.length;
const pct = (n) => `${((100 * n) / total).toFixed(1)} %`.padStart(7);

const self = new Map();
for (const [id, n] of counts) {
  const f = byId.get(id).callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|src)\//, '$1/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n);
}
console.log(`${total} samples`);
console.log('\nself time:');
for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`${pct(n)}  ${k}`);

const PARTS = {
  idle: (f) => f.functionName === '(idle)',
  'garbage collector': (f) => f.functionName === '(garbage collector)',
  typeorm: (f) => f.url.includes('node_modules/typeorm/'),
  'better-sqlite3 (statements)': (f) => f.url.includes('better-sqlite3') || (/^(all|run|get|prepare)$/.test(f.functionName) && f.url === ''),
  'express-session': (f) => f.url.includes('node_modules/express-session/'),
  handlebars: (f) => f.url.includes('node_modules/handlebars/'),
  'Intl / dates': (f) => /DateTimeFormat|formatToParts|toLocale/.test(f.functionName) || f.url.includes('zoned-time') || f.url.includes('common/time'),
  'Nest (router, guards, pipes)': (f) => f.url.includes('node_modules/@nestjs/'),
  'express + middleware': (f) => /node_modules\/(express|router|helmet|compression|body-parser|passport)\//.test(f.url),
  'transaction lock': (f) => f.url.includes('transaction-serializer'),
  'app code': (f) => /\/(dist|src)\//.test(f.url) && !f.url.includes('node_modules'),
};
console.log('\ninclusive (samples with such a frame on the stack):');
for (const [name, test] of Object.entries(PARTS)) {
  let n = 0;
  for (const [id, c] of counts) {
    for (let x = id; x !== undefined; x = parent.get(x)) {
      if (test(byId.get(x).callFrame)) {
        n += c;
        break;
      }
    }
  }
  console.log(`${pct(n)}  ${name}`);
}

// The app's own functions by inclusive time (each counted once per sample).
const inclusive = new Map();
for (const [id, c] of counts) {
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const f = byId.get(x).callFrame;
    if (!/\/(dist|src)\//.test(f.url) || f.url.includes('node_modules')) continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(dist|src)\//, '$1/')}:${f.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + c);
  }
}
console.log('\napp functions, inclusive:');
for (const [k, n] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`${pct(n)}  ${k}`);
