// The ceiling for bench/scale.mjs: the same pages as the app, from the same database file, served
// by bare Express + hbs + better-sqlite3 with the best hand-written prepared statements. Not part
// of the app: no Nest, no ORM, no session middleware, no CSRF, no compression. It renders the
// app's own templates (views/, the built helpers and pure view functions from dist/), so the
// Handlebars work is the same and only the way to the data differs. It reads the app's session
// rows, so one sign-in to the app serves both.
//
// Run by bench/scale.mjs (PORT, DATABASE_URL=sqlite:<file>, SESSION_SECRET as for the app).
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const express = require('express');
const hbs = require('hbs');
const signature = require('cookie-signature');
const Sqlite = require('better-sqlite3');
const dist = (p) => require(path.join(root, 'dist/src', p));
const { HELPERS } = dist('views/helpers.js');
const { courseHeader, timeline, languageList } = dist('courses/course.view.js');
const { teamName } = dist('teams/team.view.js');
const { DELIVERABLES } = dist('teams/team.entity.js');
const { RESOURCE_KINDS } = dist('resources/resource.entity.js');
const { STATUS_LABELS, AWAITING_REVIEW } = dist('submissions/workflow.js');
const { ROLE_LABELS } = dist('users/user.view.js');
const { can, courseRoles } = dist('common/permissions.js');
const { TasksService } = dist('tasks/tasks.service.js');

const file = process.env.DATABASE_URL.replace(/^sqlite:/, '');
const db = new Sqlite(file, { readonly: true });
db.pragma('busy_timeout = 5000');
const secret = process.env.SESSION_SECRET;

// Dates as TypeORM returns them from SQLite (UTC text).
const date = (s) => (s === null ? null : new Date(`${s.replace(' ', 'T')}Z`));

const q = {
  session: db.prepare(`SELECT data FROM sessions WHERE sid = ? AND expires_at > ?`),
  user: db.prepare(`SELECT id, email, name, time_zone AS timeZone, role FROM users WHERE id = ? AND active = 1`),
  unread: db.prepare(`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL`),
  course:
    db.prepare(`SELECT id, title, series, edition, summary, organisers, venue_campus AS venueCampus, venue_city AS venueCity, venue_country AS venueCountry,
    time_zone AS timeZone, starts_on AS startsOn, ends_on AS endsOn, working_language AS workingLanguage, interpretation_languages AS interpretationLanguages, status
    FROM courses WHERE id = ?`),
  role: db.prepare(`SELECT role FROM course_members WHERE course_id = ? AND user_id = ?`),
  myTeams: db.prepare(
    `SELECT t.id, t.country, t.city, t.deliverable, m.team_role AS teamRole FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.course_id = ? AND m.user_id = ?`,
  ),
  expertTeams: db.prepare(
    `SELECT t.id, t.country, t.city, t.deliverable FROM team_experts e JOIN teams t ON t.id = e.team_id WHERE t.course_id = ? AND e.user_id = ?`,
  ),
  teamCount: db.prepare(`SELECT COUNT(*) AS n FROM teams WHERE course_id = ?`),
  phases: db.prepare(
    `SELECT id, title, kind, starts_on AS startsOn, ends_on AS endsOn, description, platform_url AS platformUrl FROM phases WHERE course_id = ? ORDER BY starts_on, id`,
  ),
  sessions: db.prepare(`SELECT s.title, s.room, s.starts_at AS startsAt, s.ends_at AS endsAt FROM programme_sessions s JOIN phases p ON p.id = s.phase_id
    WHERE p.course_id = ? AND p.kind = 'in_person' ORDER BY s.starts_at, s.id`),
  tasks: db.prepare(`SELECT t.id, t.title, t.kind, t.due_at AS dueAt FROM tasks t WHERE t.course_id = ? AND t.phase_id = ? AND t.status = 'published'
    AND (t.audience = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = t.id AND tt.team_id IN (SELECT value FROM json_each(?)))) ORDER BY t.position, t.id`),
  work: db.prepare(`SELECT task_id AS taskId, team_id AS teamId, user_id AS userId, status, late, due_at_override AS dueAtOverride FROM submissions
    WHERE task_id IN (SELECT value FROM json_each(?)) AND owner_key IN (SELECT value FROM json_each(?))`),
  resources: db.prepare(
    `SELECT id, course_id AS courseId, title, kind, url, file_key AS fileKey FROM resources WHERE course_id = ? ORDER BY title, id LIMIT 6`,
  ),
  resourceCount: db.prepare(`SELECT COUNT(*) AS n FROM resources WHERE course_id = ?`),
  task: db.prepare(`SELECT id, course_id AS courseId, phase_id AS phaseId, title, instructions, kind, opens_at AS opensAt, due_at AS dueAt, cut_off_at AS cutOffAt,
    expects_text AS expectsText, expects_files AS expectsFiles, allowed_types AS allowedTypes, max_files AS maxFiles, rubric, audience, status
    FROM tasks WHERE id = ? AND course_id = ?`),
  taskTeams: db.prepare(`SELECT id, country, city FROM teams t WHERE t.course_id = ?
    AND (? = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = ? AND tt.team_id = t.id))`),
  taskWork: db.prepare(`SELECT owner_key AS ownerKey, status, late, updated_at AS updatedAt FROM submissions WHERE task_id = ?`),
  taskResources:
    db.prepare(`SELECT r.id, r.course_id AS courseId, r.title, r.url, r.file_key AS fileKey FROM task_resources x JOIN resources r ON r.id = x.resource_id
    WHERE x.task_id = ? ORDER BY r.title`),
  staffCourses: db.prepare(`SELECT course_id AS id FROM course_members WHERE user_id = ? AND role = ?`),
  advised:
    db.prepare(`SELECT e.team_id AS id FROM team_experts e JOIN teams t ON t.id = e.team_id JOIN course_members m ON m.course_id = t.course_id AND m.user_id = e.user_id AND m.role = 'expert'
    WHERE e.user_id = ?`),
  queue:
    db.prepare(`SELECT s.id, s.status, s.late, s.team_id AS teamId, s.user_id AS userId, t.id AS taskId, t.title AS taskTitle, c.id AS courseId, c.title AS courseTitle,
      lv.number AS latest, lv.submitted_at AS waitingSince, tm.country, tm.city, u.name AS userName
    FROM submissions s
    JOIN tasks t ON t.id = s.task_id
    JOIN courses c ON c.id = t.course_id
    JOIN submission_versions lv ON lv.id = (SELECT v.id FROM submission_versions v WHERE v.submission_id = s.id ORDER BY v.number DESC LIMIT 1)
    LEFT JOIN teams tm ON tm.id = s.team_id
    LEFT JOIN users u ON u.id = s.user_id
    WHERE s.status IN ('submitted', 'resubmitted', 'in_review')
      AND s.id IN (SELECT s2.id FROM submissions s2 JOIN tasks t2 ON t2.id = s2.task_id WHERE t2.course_id IN (SELECT value FROM json_each(?))
        UNION ALL SELECT s3.id FROM submissions s3 CROSS JOIN tasks t3 CROSS JOIN courses c3 ON t3.id = s3.task_id AND c3.id = t3.course_id
          WHERE s3.team_id IN (SELECT value FROM json_each(?)) AND t3.status = 'published' AND c3.status = 'published')
    ORDER BY lv.submitted_at, s.id LIMIT 1000`),
};

const app = express();
app.disable('x-powered-by');
app.set('views', path.join(root, 'views'));
app.set('view engine', 'hbs');
app.set('view options', { layout: 'layout' });
app.set('view cache', true);
for (const [name, fn] of Object.entries(HELPERS)) hbs.registerHelper(name, fn);
await new Promise((resolve, reject) => hbs.registerPartials(path.join(root, 'views', 'partials'), (err) => (err ? reject(err) : resolve())));

app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));

// The signed session cookie → the session row → the person (what express-session and passport do).
app.use((req, res, next) => {
  const raw = /(?:^|;\s*)atelier\.sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const value = raw && decodeURIComponent(raw);
  const sid = value?.startsWith('s:') ? signature.unsign(value.slice(2), secret) : false;
  const row = sid && q.session.get(sid, new Date().toISOString().replace('T', ' ').replace('Z', ''));
  const userId = row && JSON.parse(row.data).passport?.user;
  const user = userId && q.user.get(userId);
  if (!user) return res.status(303).redirect('/sign-in');
  req.user = user;
  res.set('Cache-Control', 'no-store');
  res.locals.currentUser = { ...user, roleLabel: ROLE_LABELS[user.role] };
  res.locals.navItems = [
    { href: '/dashboard', label: 'Home', key: 'home' },
    { href: '/courses', label: 'Workshops', key: 'courses' },
    ...(can(user.role, 'reviews.queue') ? [{ href: '/reviews', label: 'Reviews', key: 'reviews' }] : []),
    ...(can(user.role, 'invitations.manage') ? [{ href: '/invitations', label: 'Invitations', key: 'invitations' }] : []),
    ...(can(user.role, 'users.manage') ? [{ href: '/admin/users', label: 'People', key: 'users' }] : []),
    ...(can(user.role, 'audit.view') ? [{ href: '/admin/audit', label: 'Audit log', key: 'audit' }] : []),
    ...(can(user.role, 'outbox.manage') ? [{ href: '/admin/outbox', label: 'Outbox', key: 'outbox' }] : []),
    { href: '/account', label: 'Your account', key: 'account' },
  ];
  res.locals.csrfToken = 'ceiling-token-ceiling-token-ceiling-token';
  res.locals.unreadNotifications = q.unread.get(user.id).n;
  next();
});

const dayLabel = new Map();
const formatter = (zone, options) => {
  const key = zone + JSON.stringify(options);
  let f = dayLabel.get(key);
  if (!f) dayLabel.set(key, (f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options })));
  return f;
};

app.get('/courses/:id', (req, res) => {
  const user = req.user;
  const c = q.course.get(Number(req.params.id));
  const role = c && q.role.get(c.id, user.id)?.role;
  if (!c || !role) return res.sendStatus(404);
  const mine = q.myTeams.all(c.id, user.id);
  const advised = q.expertTeams.all(c.id, user.id);
  const canManage = role === 'facilitator' || user.role === 'admin';
  const memberTeamIds = mine.map((t) => t.id);
  const leaderTeamIds = mine.filter((t) => t.teamRole === 'leader').map((t) => t.id);
  const viewer = { course: c, roles: courseRoles({ canManage, isExpert: role === 'expert', memberTeamIds, leaderTeamIds }), canManage };
  const phases = q.phases.all(c.id);
  const line = timeline(c, phases);
  const teamIds = mine.map((t) => t.id);
  const tasks = line.current ? q.tasks.all(c.id, line.current.id, JSON.stringify(teamIds)) : [];
  const keys = [...teamIds.map((t) => `team:${t}`), `user:${user.id}`];
  const work = q.work.all(JSON.stringify(tasks.map((t) => t.id)), JSON.stringify(keys));
  const zone = c.timeZone;
  const days = new Map();
  for (const s of q.sessions.all(c.id)) {
    const start = date(s.startsAt);
    const label = formatter(zone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(start).replace(',', '');
    const time = formatter(zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (!days.has(label)) days.set(label, { label, sessions: [] });
    days.get(label).sessions.push({ title: s.title, room: s.room, startTime: time.format(start), endTime: time.format(date(s.endsAt)) });
  }
  const teams = [...mine, ...advised.filter((a) => !teamIds.includes(a.id))];
  res.render('courses/home', {
    ...courseHeader(viewer, 'home'),
    title: c.title,
    summary: c.summary,
    organisers: c.organisers,
    participation: 'By invitation only',
    workingLanguage: languageList(c.workingLanguage),
    interpretation: languageList(c.interpretationLanguages),
    timeline: line,
    programmeDays: [...days.values()],
    myTeams: teams.map((t) => ({
      id: t.id,
      name: teamName(t),
      deliverableLabel: DELIVERABLES.find((d) => d.value === t.deliverable)?.label,
      isLeader: t.teamRole === 'leader',
      asExpert: advised.some((a) => a.id === t.id),
    })),
    teamCount: q.teamCount.get(c.id).n,
    tasks: tasks.map((t) => {
      const own = work.filter((w) => w.taskId === t.id && (t.kind === 'team' ? w.teamId !== null : w.userId === user.id));
      const s = own[0];
      const owner = t.kind === 'team' ? `team-${s?.teamId ?? teamIds[0]}` : `person-${user.id}`;
      const single =
        own.length <= 1 ? { status: s?.status ?? 'not_started', statusLabel: STATUS_LABELS[s?.status ?? 'not_started'], late: s?.late === 1 } : null;
      return {
        title: t.title,
        dueAt: date(t.dueAt),
        href: `/courses/${c.id}/tasks/${t.id}/submissions/${owner}`,
        taskHref: `/courses/${c.id}/tasks/${t.id}`,
        single,
        rows: [],
        people: [],
      };
    }),
    resources: q.resources.all(c.id).map((r) => ({ ...r, hasFile: r.fileKey !== null, kindLabel: RESOURCE_KINDS.find((k) => k.value === r.kind)?.label })),
    resourceCount: q.resourceCount.get(c.id).n,
  });
});

// The task overview as a facilitator sees it (team tasks: one row per team).
app.get('/courses/:id/tasks/:taskId', (req, res) => {
  const user = req.user;
  const c = q.course.get(Number(req.params.id));
  const role = c && q.role.get(c.id, user.id)?.role;
  const t = role && q.task.get(Number(req.params.taskId), c.id);
  if (!t || t.kind !== 'team') return res.sendStatus(404);
  const canManage = role === 'facilitator' || user.role === 'admin';
  const viewer = { course: c, roles: courseRoles({ canManage, isExpert: role === 'expert', memberTeamIds: [], leaderTeamIds: [] }), canManage };
  const work = new Map(q.taskWork.all(t.id).map((w) => [w.ownerKey, w]));
  const rows = q.taskTeams
    .all(c.id, t.audience, t.id)
    .map((team) => {
      const w = work.get(`team:${team.id}`);
      return {
        owner: teamName(team),
        href: `/courses/${c.id}/tasks/${t.id}/submissions/team-${team.id}`,
        status: STATUS_LABELS[w?.status ?? 'not_started'],
        late: w?.late === 1,
        updatedAt: w ? date(w.updatedAt) : null,
      };
    })
    .sort((a, b) => a.owner.localeCompare(b.owner));
  const counts = Object.values(STATUS_LABELS)
    .map((label) => ({ label, count: rows.filter((r) => r.status === label).length }))
    .filter((x) => x.count > 0);
  const task = {
    ...t,
    opensAt: date(t.opensAt),
    dueAt: date(t.dueAt),
    cutOffAt: date(t.cutOffAt),
    expectsText: t.expectsText === 1,
    expectsFiles: t.expectsFiles === 1,
  };
  res.render('tasks/show', {
    ...courseHeader(viewer, 'tasks'),
    title: t.title,
    task: TasksService.prototype.view.call(null, task, c.timeZone),
    resources: q.taskResources
      .all(t.id)
      .map((r) => ({ id: r.id, title: r.title, href: r.fileKey ? `/courses/${r.courseId}/resources/${r.id}/download` : r.url })),
    rows,
    counts,
    isOverview: true,
  });
});

app.get('/reviews', (req, res) => {
  const user = req.user;
  const facilitated = q.staffCourses.all(user.id, 'facilitator').map((r) => r.id);
  const advised = q.advised.all(user.id).map((r) => r.id);
  const raw = q.queue.all(JSON.stringify(facilitated), JSON.stringify(advised));
  const rows = raw.map((r) => ({
    id: r.id,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    late: r.late === 1,
    courseId: r.courseId,
    courseTitle: r.courseTitle,
    taskId: r.taskId,
    taskTitle: r.taskTitle,
    owner: r.teamId !== null ? teamName(r) : r.userName,
    teamId: r.teamId,
    href: `/courses/${r.courseId}/tasks/${r.taskId}/submissions/${r.teamId !== null ? `team-${r.teamId}` : `person-${r.userId}`}`,
    latest: r.latest,
    waitingSince: date(r.waitingSince),
  }));
  const options = (pairs) =>
    [...new Map(pairs.filter(([id]) => id !== null).map(([id, label]) => [id, { value: String(id), label }])).values()].sort((a, b) =>
      a.label.localeCompare(b.label),
    );
  const courses = options(rows.map((r) => [r.courseId, r.courseTitle]));
  const shown = rows.slice(0, 200);
  res.render('reviews/queue', {
    title: 'Review queue',
    nav: 'reviews',
    rows: shown,
    total: shown.length,
    courses,
    tasks: options(rows.map((r) => [r.taskId, courses.length > 1 ? `${r.taskTitle} (${r.courseTitle})` : r.taskTitle])),
    teams: options(rows.map((r) => [r.teamId, r.owner])),
    statuses: AWAITING_REVIEW.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
    values: {},
    unmatched: '',
  });
});

const server = app.listen(Number(process.env.PORT ?? 3992), '127.0.0.1');
process.on('SIGINT', () => server.close(() => process.exit(0)));
