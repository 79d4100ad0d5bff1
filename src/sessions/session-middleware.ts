import session from 'express-session';

export interface SessionCookieSettings {
  cookieName: string;
  secret: string;
  idleMinutes: number;
  https: boolean;
}

/**
 * The session middleware: a signed, HTTP-only, SameSite=Lax cookie naming a row in the database
 * (store), stored only once something is put in it, its expiry renewed by activity (rolling). One
 * function so that the scale benchmark's ceiling (bench/ceiling/) can carry the very same.
 */
export function sessionMiddleware(settings: SessionCookieSettings, store: session.Store) {
  return session({
    name: settings.cookieName,
    secret: settings.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: settings.https ? true : 'auto', maxAge: settings.idleMinutes * 60_000, path: '/' },
  });
}
