import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * The app's CSRF protection (synchroniser token in the session). Multipart forms are checked
 * after their body is parsed (see files/upload.interceptor.ts), so the global check skips them.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
  skipCsrfProtection: (req: Request) => (req.path === '/sign-out' && !req.user) || isMultipart(req),
});

export function isMultipart(req: Request): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}
