// The ceiling for bench/scale.mjs: the same pages as the app, from the same database file, served
// by bare Express + hbs + better-sqlite3 with the best hand-written prepared statements. Not part
// of the app: no Nest, no ORM, no session middleware, no CSRF, no compression. It renders the
// app's own templates (views/, the built helpers and pure view functions from dist/), so the
// Handlebars work is the same and only the way to the data differs. It reads the app's session
// rows, so one sign-in to the app serves both.
//
// With CEILING_OBLIGATIONS=1 it also does what any server of these pages must, with the app's own
// code and settings (from dist/): a request id and log line, compression, the security headers,
// the signed rolling session cookie through express-session (a read-only store on the same rows),
// the CSRF token in the session, masked afresh for each answer. Still no Nest, ORM or passport:
// the distance between the two ceilings is what the obligations cost on bare Express.
//
// Run by bench/scale.mjs (PORT, DATABASE_URL=sqlite:<file>, SESSION_SECRET as for the app).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const express = require('express');
const hbs = require('hbs');
const signature = require('cookie-signature');
const Sqlite = require('better-sqlite3');
const dist = (p) => require(path.join(root, 'dist/src', p));
const { HELPERS } = dist('views/helpers.js');
const { ROLE_LABELS } = dist('users/user.view.js');
const { can } = dist('common/permissions.js');
const { csrf, maskToken } = dist('common/csrf.js');
const { generateToken } = csrf;

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
};

const CSRF_TOKEN = `${'ceiling-token-'.repeat(13)}ceiling`.slice(0, 173);
const app = express();
app.disable('x-powered-by');
app.set('views', path.join(root, 'views'));
app.set('view engine', 'hbs');
app.set('view options', { layout: 'layout' });
app.set('view cache', true);
for (const [name, fn] of Object.entries(HELPERS)) hbs.registerHelper(name, fn);
await new Promise((resolve, reject) => hbs.registerPartials(path.join(root, 'views', 'partials'), (err) => (err ? reject(err) : resolve())));

const OBLIGATIONS = process.env.CEILING_OBLIGATIONS === '1';
const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
if (OBLIGATIONS) {
  const compression = require('compression');
  const session = require('express-session');
  const { JsonLogger } = dist('logging/json-logger.js');
  const { requestLogger } = dist('logging/request-logger.js');
  const { securityHeaders } = dist('common/security-headers.js');
  const { sessionMiddleware } = dist('sessions/session-middleware.js');
  const https = (process.env.PUBLIC_BASE_URL ?? '').startsWith('https:');
  app.set('trust proxy', Number(process.env.TRUST_PROXY_HOPS ?? 0));
  app.use(requestLogger(new JsonLogger(process.env.LOG_LEVEL ?? 'error')));
  app.use(compression({ threshold: 1024 }));
  app.use(securityHeaders(https));
  app.use(csrf.csrfSynchronisedProtection);
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  // The database is opened read-only: the store reads the app's rows and never writes (the app
  // writes a new expiry at most once a minute, decision 62, so this leaves out almost nothing).
  class ReadOnlyStore extends session.Store {
    get(sid, cb) {
      const row = q.session.get(sid, now());
      cb(null, row ? JSON.parse(row.data) : null);
    }
    set(_sid, _data, cb) {
      cb?.();
    }
    touch(_sid, _data, cb) {
      cb?.();
    }
    destroy(_sid, cb) {
      cb?.();
    }
  }
  app.use(sessionMiddleware({ cookieName: 'atelier.sid', secret, idleMinutes: Number(process.env.SESSION_IDLE_MINUTES ?? 120), https }, new ReadOnlyStore()));
} else {
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
}

// The signed session cookie → the session row → the person (what express-session and passport do).
app.use((req, res, next) => {
  let user;
  if (OBLIGATIONS) {
    const userId = req.session?.passport?.user;
    user = userId && q.user.get(userId);
  } else {
    const raw = /(?:^|;\s*)atelier\.sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const value = raw && decodeURIComponent(raw);
    const sid = value?.startsWith('s:') ? signature.unsign(value.slice(2), secret) : false;
    const row = sid && q.session.get(sid, now());
    const userId = row && JSON.parse(row.data).passport?.user;
    user = userId && q.user.get(userId);
  }
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
  if (OBLIGATIONS) {
    // As the app: the session's token, masked with a fresh pad once per answer, made only if a form asks.
    let masked;
    res.locals.csrfToken = () => (masked ??= maskToken(generateToken(req)));
    const messages = req.session.flash;
    if (messages) delete req.session.flash;
    res.locals.flash = messages ?? [];
  } else {
    // As long as the app's masked tokens (173 characters), so the pages' sizes match.
    res.locals.csrfToken = CSRF_TOKEN;
  }
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

// Each page is a file in pages/ exporting register(app, context): add a page by adding a file.
const context = { db, q, date, formatter, dist };
const pagesDir = path.join(root, 'bench', 'ceiling', 'pages');
for (const file of fs
  .readdirSync(pagesDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  (await import(path.join(pagesDir, file))).register(app, context);
}

const server = app.listen(Number(process.env.PORT ?? 3992), '127.0.0.1');
process.on('SIGINT', () => server.close(() => process.exit(0)));
