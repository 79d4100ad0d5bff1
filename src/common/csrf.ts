import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * The app's CSRF protection: a synchroniser token kept in the session, sent back by every form as
 * _csrf (or in an X-CSRF-Token header). Every request other than GET, HEAD and OPTIONS is checked,
 * whatever its Content-Type: multipart bodies are parsed before the check (files/upload.ts), and a
 * body nothing parsed (text/plain, …) carries no token and is refused. The only exception is
 * signing out when not signed in, which changes nothing.
 *
 * The token is created, and with it the session row, only when a page with a form is rendered
 * (res.locals.csrfToken is a function the templates call), so visitors who only follow redirects,
 * health checks and static files never cause a session to be stored.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
  getTokenFromState: (req) => req.session?.csrfToken,
  storeTokenInState: (req, token) => {
    if (req.session) req.session.csrfToken = token;
  },
  skipCsrfProtection: (req: Request) => req.path === '/sign-out' && !req.user,
});
