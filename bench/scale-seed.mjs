// A database at real scale for bench/scale.mjs (run by hand; `npm run build` first). See bench/README.md.
//
//   node bench/scale-seed.mjs            # writes bench/.data/scale.sqlite (about 30 s)
//
// The app's migrations and the demo seed run first (through the built app's own code), then the
// scale data is written straight into the migrated schema with better-sqlite3: prepared statements
// in one transaction. The same run gives the same rows (no randomness, fixed dates).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = path.join(root, 'bench', '.data');
const file = path.join(dataDir, 'scale.sqlite');

const COURSES = 50;
const TEAMS_PER_COURSE = 10; // 500 teams
const PEOPLE = 5000; // 150 staff (a facilitator and two experts per course) and 4,850 participants
const VERSIONS = 100_000;
const EVENTS = 200_000;
const TASKS_PER_COURSE = 10; // the last two of each course are individual tasks
// Fixed dates: the middle (online) phase of every scale course runs from 2026-10-01 to 2027-03-31.
const T0 = Date.UTC(2026, 9, 1);

fs.mkdirSync(dataDir, { recursive: true });
for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });

// 1. Schema and demo data through the app's own code.
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  SESSION_SECRET: 'x'.repeat(40),
  PUBLIC_BASE_URL: 'http://bench.invalid',
};
const { loadConfig } = require(path.join(root, 'dist/src/config/config.js'));
const { dataSourceOptions } = require(path.join(root, 'dist/src/database/data-source-options.js'));
const { openDataSource } = require(path.join(root, 'dist/src/database/open-data-source.js'));
const { Database } = require(path.join(root, 'dist/src/database/database.service.js'));
const { seedDemo } = require(path.join(root, 'dist/src/seed/demo-seed.js'));
const config = loadConfig(env, root);
const ds = await openDataSource(dataSourceOptions({ ...config, database: { type: 'sqlite', path: file } }));
await seedDemo(new Database(ds), new Date(T0));
await ds.destroy();

// 2. Scale data, in bulk.
const Sqlite = require('better-sqlite3');
const db = new Sqlite(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
const started = Date.now();
const ts = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const H = 3600_000;
const D = 24 * H;
const hash = db.prepare(`SELECT password_hash FROM users WHERE email = 'admin@atelier.example'`).get().password_hash;
const ins = (sql) => db.prepare(sql);
const q = {
  user: ins(`INSERT INTO users (email, name, password_hash, time_zone, language, role, active, created_at, updated_at) VALUES (?, ?, ?, ?, 'en', ?, 1, ?, ?)`),
  course:
    ins(`INSERT INTO courses (title, series, edition, summary, organisers, venue_campus, venue_city, venue_country, time_zone, starts_on, ends_on, participation,
    working_language, interpretation_languages, status, created_by_id, created_at, updated_at, version)
    VALUES (?, 'Scale series', ?, ?, 'Scale organisers', 'Main campus', 'Hamburg', 'DE', 'Europe/Berlin', ?, ?, 'invitation', 'en', 'fr,zh', 'published', NULL, ?, ?, 1)`),
  phase: ins(`INSERT INTO phases (course_id, title, kind, starts_on, ends_on, description, platform_url, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`),
  session: ins(`INSERT INTO programme_sessions (phase_id, kind, title, room, starts_at, ends_at, chairs, speakers, interpretation_languages, description)
    VALUES (?, ?, ?, 'Hall A', ?, ?, '', '', '', '')`),
  member: ins(`INSERT INTO course_members (course_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`),
  team: ins(`INSERT INTO teams (course_id, country, city, region, deliverable, time_zone, created_at) VALUES (?, ?, ?, 'europe', 'policy', ?, ?)`),
  teamMember: ins(`INSERT INTO team_members (team_id, user_id, team_role, position, level, created_at) VALUES (?, ?, ?, 'policymaker', 'national', ?)`),
  teamExpert: ins(`INSERT INTO team_experts (team_id, user_id, created_at) VALUES (?, ?, ?)`),
  resource: ins(
    `INSERT INTO resources (course_id, phase_id, title, kind, description, url, created_by_id, created_at) VALUES (?, ?, ?, 'publication', ?, 'https://example.org/r', NULL, ?)`,
  ),
  task: ins(`INSERT INTO tasks (course_id, phase_id, position, title, instructions, kind, opens_at, due_at, cut_off_at, expects_text, expects_files, allowed_types,
    max_files, rubric, audience, status, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, 1, 'pdf,docx,odt', 3, '', 'all', 'published', ?, ?, 1)`),
  submission:
    ins(`INSERT INTO submissions (task_id, owner_key, team_id, user_id, status, draft_text, draft_revision, draft_updated_at, draft_updated_by_id, late, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, '', 0, NULL, NULL, ?, ?, ?)`),
  version: ins(`INSERT INTO submission_versions (submission_id, number, text, note, author_id, submitted_at, late) VALUES (?, ?, ?, '', ?, ?, ?)`),
  versionFile: ins(`INSERT INTO version_files (version_id, file_key, file_name, file_type, file_size, file_sha256) VALUES (?, ?, ?, 'application/pdf', ?, ?)`),
  review: ins(
    `INSERT INTO reviews (version_id, reviewer_id, decision, overall, scores, released_at, created_at, updated_at) VALUES (?, ?, ?, 'Thank you: see the comments.', '[]', ?, ?, ?)`,
  ),
  subEvent: ins(`INSERT INTO submission_events (submission_id, from_status, to_status, actor_id, at, note) VALUES (?, ?, ?, ?, ?, '')`),
  availability:
    ins(`INSERT INTO availabilities (course_id, user_id, time_zone, slot_minutes, buffer_minutes, min_notice_minutes, horizon_days, max_per_team, version, created_at, updated_at)
    VALUES (?, ?, ?, 45, 15, 720, 28, 2, 1, ?, ?)`),
  weekly: ins(`INSERT INTO availability_weekly_windows (availability_id, weekday, start_time, end_time) VALUES (?, ?, ?, ?)`),
  meeting:
    ins(`INSERT INTO meetings (course_id, kind, title, agenda, online_link, starts_at, ends_at, host_id, booked_by, status, sequence, version, created_at, updated_at, notes_status)
    VALUES (?, 'expert_consultation', ?, 'The draft and the next steps.', 'https://meet.example.org/scale', ?, ?, ?, ?, ?, 0, 1, ?, ?, 'none')`),
  meetingTeam: ins(`INSERT INTO meeting_teams (meeting_id, team_id) VALUES (?, ?)`),
  event: ins(
    `INSERT INTO domain_events (kind, actor_id, course_id, subject_type, subject_id, payload, occurred_at, dispatched_at) VALUES ('submission.submitted', ?, ?, 'submission', ?, ?, ?, ?)`,
  ),
};
const ZONES = ['Europe/Berlin', 'Asia/Shanghai', 'America/Mexico_City', 'Africa/Nairobi', 'Asia/Ho_Chi_Minh', 'America/New_York', 'Pacific/Fiji'];
const COUNTRIES = ['DE', 'FR', 'KE', 'VN', 'MX', 'CN', 'GH', 'NG', 'ET', 'ID'];
const STATUSES = ['submitted', 'in_review', 'changes_requested', 'resubmitted', 'accepted'];

const counts = { users: 0, courses: 0, teams: 0, submissions: 0, versions: 0, events: 0, meetings: 0 };
// Meetings before this instant were held; the others are to come (the online phase runs to 2027-03-31).
const HELD_BEFORE = T0 + 56 * D;
db.transaction(() => {
  const now = ts(T0);
  // People: staff first (facilitator, expert, expert per course), then participants.
  const staff = [];
  const participants = [];
  for (let i = 0; i < PEOPLE; i++) {
    const isStaff = i < COURSES * 3;
    const role = isStaff ? (i % 3 === 0 ? 'facilitator' : 'expert') : 'participant';
    let email = `scale${i}@atelier.example`;
    if (i === 0) email = 'scale-facilitator@atelier.example';
    if (i === 1) email = 'scale-expert@atelier.example';
    if (i === COURSES * 3) email = 'scale-leader@atelier.example';
    const id = Number(q.user.run(email, `Scale Person ${i}`, hash, ZONES[i % ZONES.length], role, now, now).lastInsertRowid);
    (isStaff ? staff : participants).push(id);
    counts.users++;
  }
  let p = 0; // next participant
  let versionsLeft = VERSIONS;
  let eventsLeft = EVENTS;
  const plans = []; // [courseId, taskId, ownerKey, teamId, userId, authorIds]
  for (let c = 0; c < COURSES; c++) {
    const start = T0 - 30 * D;
    const courseId = Number(
      q.course.run(
        `Scale workshop ${c + 1}`,
        c + 1,
        `Workshop ${c + 1} of the scale benchmark: ten country teams over three phases.`,
        day(start),
        day(start + 300 * D),
        now,
        now,
      ).lastInsertRowid,
    );
    counts.courses++;
    const phases = [
      [`Online phase ${c + 1}.1`, 'online', start, T0 - D],
      [`Online phase ${c + 1}.2`, 'online', T0, T0 + 181 * D],
      [`In-person week ${c + 1}`, 'in_person', T0 + 182 * D, T0 + 188 * D],
    ].map(([title, kind, a, b]) =>
      Number(q.phase.run(courseId, title, kind, day(a), day(b), 'Work with the experts and the other teams.', now).lastInsertRowid),
    );
    for (let s = 0; s < 12; s++) {
      const at = T0 + 182 * D + Math.floor(s / 3) * D + (8 + (s % 3) * 3) * H;
      q.session.run(phases[2], s % 3 === 1 ? 'team_work' : 'plenary', `Session ${s + 1}`, ts(at), ts(at + 2 * H));
    }
    const [facilitator, expertA, expertB] = staff.slice(c * 3, c * 3 + 3);
    q.member.run(courseId, facilitator, 'facilitator', now);
    q.member.run(courseId, expertA, 'expert', now);
    q.member.run(courseId, expertB, 'expert', now);
    for (let r = 0; r < 8; r++)
      q.resource.run(courseId, phases[r % 3], `Reading ${r + 1} for workshop ${c + 1}`, 'A chapter to read before the next meeting.', now);
    const teams = [];
    for (let t = 0; t < TEAMS_PER_COURSE; t++) {
      const teamId = Number(q.team.run(courseId, COUNTRIES[t], `City ${t + 1}`, ZONES[t % ZONES.length], now).lastInsertRowid);
      counts.teams++;
      q.teamExpert.run(teamId, t % 2 ? expertB : expertA, now);
      const size =
        Math.floor(participants.length / (COURSES * TEAMS_PER_COURSE)) +
        (c * TEAMS_PER_COURSE + t < participants.length % (COURSES * TEAMS_PER_COURSE) ? 1 : 0);
      const members = participants.slice(p, p + size);
      p += size;
      members.forEach((u, k) => {
        q.member.run(courseId, u, 'participant', now);
        q.teamMember.run(teamId, u, k === 0 ? 'leader' : 'member', now);
      });
      teams.push({ teamId, members });
    }
    // Each expert's availability (Monday to Thursday, two windows a day, in their own zone) and a
    // consultation with each of their teams every two weeks through the online phase.
    for (const expert of [expertA, expertB]) {
      const availabilityId = Number(q.availability.run(courseId, expert, ZONES[(expert - staff[0]) % ZONES.length], now, now).lastInsertRowid);
      for (let weekday = 1; weekday <= 4; weekday++) {
        q.weekly.run(availabilityId, weekday, '09:00', '12:00');
        q.weekly.run(availabilityId, weekday, '14:00', '16:00');
      }
    }
    teams.forEach(({ teamId, members }, t) => {
      for (let k = 0; k < 13; k++) {
        const at = T0 + (14 * k + t) * D + (7 + (t % 5)) * H;
        q.meetingTeam.run(
          Number(
            q.meeting.run(
              courseId,
              `Consultation ${k + 1}, City ${t + 1}`,
              ts(at),
              ts(at + 45 * 60_000),
              t % 2 ? expertB : expertA,
              members[0],
              at < HELD_BEFORE ? 'held' : 'scheduled',
              now,
              now,
            ).lastInsertRowid,
          ),
          teamId,
        );
        counts.meetings++;
      }
    });
    for (let k = 0; k < TASKS_PER_COURSE; k++) {
      const individual = k >= TASKS_PER_COURSE - 2;
      const phase = k < 3 ? phases[0] : phases[1];
      const opens = k < 3 ? start : T0;
      const taskId = Number(
        q.task.run(
          courseId,
          phase,
          k + 1,
          `Task ${k + 1}`,
          '## What to do\n\nWrite **two pages** on the question.',
          individual ? 'individual' : 'team',
          ts(opens),
          ts(opens + (20 + k * 7) * D),
          now,
          now,
        ).lastInsertRowid,
      );
      for (const { teamId, members } of teams) {
        if (individual) for (const u of members) plans.push([courseId, taskId, `user:${u}`, null, u, [u]]);
        else plans.push([courseId, taskId, `team:${teamId}`, teamId, null, members]);
      }
    }
  }
  // Submissions with their versions (spread evenly: 100,000 in all), a file each, a review of every
  // version but the last, and one event per version.
  plans.forEach(([courseId, taskId, key, teamId, userId, authors], i) => {
    const n = Math.floor(VERSIONS / plans.length) + (i < VERSIONS % plans.length ? 1 : 0);
    const status = STATUSES[i % STATUSES.length];
    const late = i % 7 === 0 ? 1 : 0;
    const first = T0 + (i % 97) * H;
    const subId = Number(q.submission.run(taskId, key, teamId, userId, status, late, ts(first), ts(first + n * D)).lastInsertRowid);
    counts.submissions++;
    for (let v = 1; v <= n; v++) {
      const at = first + (v - 1) * D;
      const author = authors[v % authors.length];
      const versionId = Number(q.version.run(subId, v, `Version ${v} of the work.`, author, ts(at), v === n ? late : 0).lastInsertRowid);
      q.versionFile.run(versionId, `scale-${versionId}`, `draft-${v}.pdf`, 120_000 + (versionId % 1000), 'f'.repeat(64));
      if (v < n || status === 'accepted')
        q.review.run(versionId, null, v < n ? 'changes_requested' : 'accepted', ts(at + 12 * H), ts(at + 6 * H), ts(at + 12 * H));
      q.subEvent.run(subId, v === 1 ? 'draft' : 'changes_requested', v === 1 ? 'submitted' : 'resubmitted', author, ts(at));
      versionsLeft--;
      // Two events per version: the submission and (standing in for the rest of a course's life) one more.
      for (let e = 0; e < 2 && eventsLeft > 0; e++, eventsLeft--) {
        q.event.run(author, courseId, subId, JSON.stringify({ taskId, version: v, late: false }), ts(at + e * H), ts(at + e * H));
        counts.events++;
      }
      counts.versions++;
    }
  });
})();
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
console.log(
  `${file}: ${counts.users} people, ${counts.courses} courses, ${counts.teams} teams, ${counts.submissions} submissions, ${counts.versions} versions, ${counts.events} events, ${counts.meetings} meetings in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log('Sign in with the demo password as scale-leader@, scale-facilitator@ or scale-expert@atelier.example (scale workshop 1).');
