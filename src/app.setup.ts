import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import type { NextFunction, Request, Response } from 'express';
import hbs from 'hbs';
import * as path from 'node:path';
import { AppPassport } from './auth/app-passport';
import { logOut } from './auth/session-login';
import { csrf, maskToken } from './common/csrf';
import { securityHeaders } from './common/security-headers';
import { takeFlash } from './common/flash';
import { FormValidationPipe } from './common/form-validation.pipe';
import { lateErrorsLogged } from './common/late-errors';
import { can } from './common/permissions';
import { useBodyParsers } from './common/request-body';
import { APP_CONFIG, type AppConfig } from './config/config';
import { HealthService, healthRoute } from './health/health';
import { useMultipartParsers } from './files/upload';
import { JsonLogger } from './logging/json-logger';
import { requestLogger } from './logging/request-logger';
import { NotificationsService } from './notifications/notifications.service';
import { DbSessionStore } from './sessions/db-session.store';
import { sessionMiddleware } from './sessions/session-middleware';
import { ROLE_LABELS } from './users/user.view';
import { HELPERS } from './views/helpers';

/** Where views/ and public/ are: the project root, whether running from src/ (tests) or dist/. */
export const PROJECT_ROOT = process.cwd();

/**
 * Everything an app needs besides its modules, in one place: used by main.ts and by every test,
 * so the tests exercise the very set-up that serves people.
 */
export async function configureApp(app: NestExpressApplication): Promise<NestExpressApplication> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = new JsonLogger(config.logLevel);
  app.useLogger(logger);
  app.enableShutdownHooks();

  const server = app.getHttpAdapter().getInstance();
  server.disable('x-powered-by');
  if (config.trustProxyHops > 0) server.set('trust proxy', config.trustProxyHops);

  // Views: one layout, partials, and the helper registry.
  app.setBaseViewsDir(path.join(PROJECT_ROOT, 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layout' });
  app.set('view cache', config.env === 'production');
  for (const [name, fn] of Object.entries(HELPERS)) hbs.registerHelper(name, fn);
  await new Promise<void>((resolve, reject) =>
    hbs.registerPartials(path.join(PROJECT_ROOT, 'views', 'partials'), (err?: Error) => (err ? reject(err) : resolve())),
  );

  app.use(requestLogger(logger));
  // gzip for pages, CSS and JSON: a form page goes from ~25 KB to ~7 KB on slow links. Proxies
  // pass compressed answers on as they are (see README, "Compression").
  app.use(compression({ threshold: 1024 }));
  const https = config.publicBaseUrl.startsWith('https:');
  app.use(securityHeaders(https));
  app.useStaticAssets(path.join(PROJECT_ROOT, 'public'), { prefix: '/public/', maxAge: config.env === 'production' ? '7d' : 0, index: false });
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Static files (above) and the health check answer before anything that touches the database
  // (sessions, CSRF), so neither waits on a database lock or writes a session.
  app.use(healthRoute(app.get(HealthService)));

  // Form and JSON bodies: 100 kB, more where a handler declares @BodyLimit (long texts).
  useBodyParsers(app);

  // Sessions in the application database; passport on top.
  const store = app.get(DbSessionStore);
  app.use(
    lateErrorsLogged(
      sessionMiddleware({ cookieName: config.session.cookieName, secret: config.session.secret, idleMinutes: config.session.idleMinutes, https }, store),
      logger,
    ),
  );
  const passport = app.get(AppPassport);
  app.use(passport.initialize());
  app.use(passport.session());

  // Absolute session lifetime: after it, sign in again whatever the activity.
  const absoluteMs = config.session.absoluteHours * 3600_000;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.user) return next();
    const since = req.session.signedInAt ?? 0;
    if (Date.now() - since <= absoluteMs) return next();
    logOut(req, res, config.session.cookieName).then(() => res.redirect(303, '/sign-in?expired=1'), next);
  });

  // Multipart forms are parsed here (a file only where a handler takes one), so the CSRF check sees their token.
  useMultipartParsers(app, config);

  // CSRF: a synchroniser token in the session, sent back by every form as _csrf; every non-GET request is checked.
  const { csrfSynchronisedProtection, generateToken } = csrf;
  app.use(csrfSynchronisedProtection);
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.body && typeof req.body === 'object' && '_csrf' in req.body) delete (req.body as Record<string, unknown>)._csrf;
    next();
  });

  // What every page's layout needs.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'POST') {
      // Called by the templates only where a form is shown: a session is stored only then. One
      // fresh mask per response (not per form): the pad still changes with every page, which is
      // what defeats guessing the token by the compressed size (BREACH).
      let masked: string | undefined;
      res.locals.csrfToken = () => (masked ??= maskToken(generateToken(req)));
      res.locals.flash = takeFlash(req);
    }
    const user = req.user;
    res.locals.currentUser = user ? { ...user, roleLabel: ROLE_LABELS[user.role] } : null;
    res.locals.navItems = user
      ? [
          { href: '/dashboard', label: 'Home', key: 'home' },
          { href: '/courses', label: 'Workshops', key: 'courses' },
          ...(can(user.role, 'reviews.queue') ? [{ href: '/reviews', label: 'Reviews', key: 'reviews' }] : []),
          ...(can(user.role, 'invitations.manage') ? [{ href: '/invitations', label: 'Invitations', key: 'invitations' }] : []),
          ...(can(user.role, 'users.manage') ? [{ href: '/admin/users', label: 'People', key: 'users' }] : []),
          ...(can(user.role, 'audit.view') ? [{ href: '/admin/audit', label: 'Audit log', key: 'audit' }] : []),
          ...(can(user.role, 'outbox.manage') ? [{ href: '/admin/outbox', label: 'Outbox', key: 'outbox' }] : []),
          { href: '/account', label: 'Your account', key: 'account' },
        ]
      : [];
    res.locals.appName = 'Atelier';
    next();
  });

  // The header's unread count: one query, made only when a page with the header is rendered for a
  // signed-in person (not for redirects, JSON, downloads, or error pages of a failing database).
  const notifications = app.get(NotificationsService);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const user = req.user;
    if (!user) return next();
    const render = res.render.bind(res) as (...args: unknown[]) => void;
    res.render = (...args: unknown[]) => {
      const options = typeof args[1] === 'object' && args[1] !== null ? (args[1] as { layout?: unknown }) : {};
      if (res.statusCode >= 500 || options.layout === 'layouts/bare') return render(...args);
      notifications.unreadCount(user.id).then(
        (n) => {
          res.locals.unreadNotifications = n;
          render(...args);
        },
        () => render(...args),
      );
    };
    next();
  });

  app.useGlobalPipes(new FormValidationPipe());

  return app;
}
