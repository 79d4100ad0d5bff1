import { createHmac, randomBytes } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';

export interface SessionCookieSettings {
  cookieName: string;
  secret: string;
  idleMinutes: number;
  https: boolean;
}

/**
 * A store that can say whether an answer renews the session's stored expiry (DbSessionStore: at
 * most once a minute, decision 62).
 */
export interface RenewingStore {
  renews(sid: string, expires: Date): boolean;
}

function knowsRenewal(store: session.Store): store is session.Store & RenewingStore {
  return typeof (store as Partial<RenewingStore>).renews === 'function';
}

/**
 * The session middleware: a signed, HTTP-only, SameSite=Lax cookie naming a row in the database
 * (store), stored only once something is put in it, its expiry renewed by activity. One function so
 * that the scale benchmark's ceiling (bench/ceiling/) can carry the very same.
 *
 * The renewal (rolling): the cookie's expiry is sent again whenever the store writes the row's new
 * expiry, which it does at most once a minute; in between, the browser's cookie and the row expire
 * at the same time anyway (the row decides: an expired row is no session), so re-signing and
 * re-sending the same cookie on every answer bought nothing (decision 69). express-session itself
 * still sends the cookie of a new, regenerated or changed session. A store that cannot say when it
 * renews gets express-session's own rolling cookie, on every answer.
 */
export function sessionMiddleware(settings: SessionCookieSettings, store: session.Store): RequestHandler {
  const cookie: session.CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.https ? true : 'auto',
    maxAge: settings.idleMinutes * 60_000,
    path: '/',
  };
  const options = { name: settings.cookieName, secret: settings.secret, store, resave: false, saveUninitialized: false, unset: 'destroy' as const, cookie };
  if (!knowsRenewal(store)) return session({ ...options, rolling: true });
  const renewing: RenewingStore = store;
  // Requests whose session express-session made afresh (none named, unknown, or regenerated): their
  // cookie, if any, is express-session's to send. The id is what express-session's own would be (24 random bytes).
  const fresh = new WeakSet<Request>();
  const genid = (req: Request) => {
    fresh.add(req);
    return randomBytes(24).toString('base64url');
  };
  const middleware = session({ ...options, genid, rolling: false });
  const cookieValue = (sid: string) => `s:${sid}.${createHmac('sha256', settings.secret).update(sid).digest('base64').replace(/=+$/, '')}`;

  return (req: Request, res: Response, next: NextFunction) => {
    // Wrapped before express-session wraps it: express-session's own cookie is decided first.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      renewCookie(req, res);
      return writeHead(...args);
    }) as Response['writeHead'];
    middleware(req, res, next);
  };

  function renewCookie(req: Request, res: Response): void {
    const sess = req.session as session.Session | undefined;
    if (!sess || typeof req.sessionID !== 'string' || fresh.has(req)) return; // none, signed out, new or regenerated
    if (sess.cookie.secure && !req.secure) return; // as express-session: a Secure cookie only over HTTPS
    const sent = res.getHeader('Set-Cookie');
    const prefix = `${settings.cookieName}=`;
    if ((Array.isArray(sent) ? sent : sent === undefined ? [] : [String(sent)]).some((c) => c.startsWith(prefix))) return;
    sess.touch(); // the new expiry: now + the idle time-out (express-session does the same before it touches the store)
    const expires = sess.cookie.expires;
    if (!expires || !renewing.renews(req.sessionID, expires)) return;
    res.cookie(settings.cookieName, cookieValue(req.sessionID), (sess.cookie as unknown as { data: CookieOptions }).data);
  }
}
