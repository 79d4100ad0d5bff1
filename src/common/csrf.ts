import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';
import { randomBytes } from 'node:crypto';

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
  // 256 random bits (csrf-sync's default is 1,024): plenty, and every form carries it, masked.
  size: 32,
  getTokenFromRequest: (req) => unmaskToken((req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token']),
  getTokenFromState: (req) => req.session?.csrfToken,
  storeTokenInState: (req, token) => {
    if (req.session) req.session.csrfToken = token;
  },
  skipCsrfProtection: (req: Request) => req.path === '/sign-out' && !req.user,
});

/**
 * Pages are sent compressed, so a secret that appears unchanged in every page could be guessed
 * byte by byte from the compressed sizes of pages that also echo the attacker's input (BREACH).
 * Each rendered form therefore carries the session's token XOR-ed with a fresh random pad:
 * `pad.masked`, both base64url. The check unmasks it; the stored token never appears in a page.
 */
export function maskToken(token: string): string {
  const plain = Buffer.from(token, 'utf8');
  const pad = randomBytes(plain.length);
  const masked = Buffer.alloc(plain.length);
  for (let i = 0; i < plain.length; i++) masked[i] = plain[i] ^ pad[i];
  return `${pad.toString('base64url')}.${masked.toString('base64url')}`;
}

/** The token inside a masked one; undefined for anything that is not a well-formed masked token. */
export function unmaskToken(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  const dot = value.indexOf('.');
  if (dot <= 0) return undefined;
  const pad = Buffer.from(value.slice(0, dot), 'base64url');
  const masked = Buffer.from(value.slice(dot + 1), 'base64url');
  if (pad.length === 0 || pad.length !== masked.length) return undefined;
  const plain = Buffer.alloc(pad.length);
  for (let i = 0; i < pad.length; i++) plain[i] = pad[i] ^ masked[i];
  return plain.toString('utf8');
}
