// The slot finder at the size issue 11 names: 9 teams + 3 experts, 6 weeks, 15-minute steps,
// with working hours as people set them (a team's: what its members share, see teamHours) and
// every team's and expert's other meetings as busy.
// Run by hand after `npm run build`: node bench/slot-finder.mjs
import { findSlots } from '../dist/src/meetings/slot-finder.js';
import { teamHours } from '../dist/src/meetings/schedule.service.js';

const zones = [
  'Europe/Berlin',
  'Asia/Shanghai',
  'Africa/Nairobi',
  'Pacific/Fiji',
  'Asia/Kolkata',
  'Africa/Lagos',
  'Asia/Manila',
  'Africa/Johannesburg',
  'Asia/Jakarta',
  'Europe/Hamburg',
  'America/New_York',
  'Asia/Tokyo',
];
// Members' own hours: some keep the default, others set a shorter day.
const memberHours = [
  { start: '08:00', end: '20:00', saved: false },
  { start: '09:00', end: '17:00', saved: true },
  { start: '08:30', end: '18:00', saved: true },
  { start: '10:00', end: '19:00', saved: true },
  { start: '08:00', end: '20:00', saved: false },
];
const invitees = zones.map((zone, i) => {
  const hours = i < 9 ? teamHours(memberHours.slice(0, 1 + (i % 5))) : { start: i === 9 ? '07:00' : '09:00', end: i === 9 ? '15:00' : '18:00' };
  return {
    key: `p${i}`,
    label: i < 9 ? `Team ${i + 1}` : `Expert ${i - 8}`,
    zone: zone === 'Europe/Hamburg' ? 'Europe/Berlin' : zone,
    workStart: hours.start,
    workEnd: hours.end,
    workDays: [1, 2, 3, 4, 5],
    people: i < 9 ? 5 : 1,
    // Each expert already has a meeting every weekday; each team a peer exchange twice a week.
    busy:
      i < 9
        ? Array.from({ length: 12 }, (_, w) => ({
            start: new Date(Date.UTC(2025, 9, 1 + Math.floor(w * 3.5), 6 + i)),
            end: new Date(Date.UTC(2025, 9, 1 + Math.floor(w * 3.5), 7 + i)),
          }))
        : Array.from({ length: 42 }, (_, d) => ({ start: new Date(Date.UTC(2025, 9, 1 + d, 8 + i)), end: new Date(Date.UTC(2025, 9, 1 + d, 9 + i)) })),
  };
});
const from = new Date('2025-10-01T00:00:00Z'); // across the October daylight-saving changes
const to = new Date(from.getTime() + 42 * 86_400_000);
const run = () => findSlots({ invitees, from, to, durationMinutes: 90, stepMinutes: 15, limit: 10 });

for (let i = 0; i < 5; i++) run(); // warm up
const times = [];
for (let i = 0; i < 50; i++) {
  const t0 = performance.now();
  run();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const best = run()[0];
console.log(
  `slot finder, ${invitees.length} invitees, 6 weeks, 15-min steps (${(42 * 96).toLocaleString('en')} starts): median ${times[25].toFixed(1)} ms, p90 ${times[45].toFixed(1)} ms, max ${times[49].toFixed(1)} ms`,
);
console.log(`best: ${best.start.toISOString()} — ${best.peopleInside}/${best.peopleTotal} people inside hours, comfort ${best.comfort}`);
// A cold call (new process: Intl formatters not yet built) is the first run above; time it alone with `node -e`.
