import type { Request, RequestHandler, Response } from 'express';
import type { AppPassport } from './app-passport';
import type { SessionUser } from '../users/user.view';

/** Runs passport-local for this request and resolves with the person, or rejects with why not. */
export function authenticateLocal(passport: AppPassport, req: Request, res: Response): Promise<SessionUser> {
  return new Promise((resolve, reject) => {
    const authenticate = passport.authenticate('local', { session: false }, (err: unknown, user: SessionUser | false) => {
      if (err) return reject(asError(err));
      if (!user) return reject(new Error('passport-local returned no user'));
      resolve(user);
    }) as RequestHandler;
    authenticate(req, res, reject);
  });
}

/** Signs in: passport renews the session id (no session fixation), then we note when. */
export function logIn(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) =>
    req.login(user, (err) => {
      if (err) return reject(asError(err));
      req.session.signedInAt = Date.now();
      resolve();
    }),
  );
}

/** Signs out and destroys the whole session server-side; rejects when the session store fails. */
export function logOut(req: Request, res: Response, cookieName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const destroy = () => {
      if (!req.session) return resolve();
      req.session.destroy((err) => {
        res.clearCookie(cookieName, { path: '/' });
        if (err) reject(asError(err));
        else resolve();
      });
    };
    if (req.user) req.logout({ keepSessionInfo: false }, (err) => (err ? reject(asError(err)) : destroy()));
    else destroy();
  });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
