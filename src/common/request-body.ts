import { SetMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from './errors';
import { declaredRoutes } from './routes';

/** What a form may send where its handler declares nothing: every short form fits with room to spare. */
export const DEFAULT_BODY_LIMIT = 100 * 1024;

const BODY_LIMIT_KEY = 'atelier:body-limit';

/**
 * The largest request body (in bytes) this handler accepts, for forms that take long text;
 * everything else keeps DEFAULT_BODY_LIMIT. Use with longTextLimit(characters).
 */
export const BodyLimit = (bytes: number) => SetMetadata(BODY_LIMIT_KEY, bytes);

/**
 * The bytes a form with `characters` characters of text may need at most: a character is up to
 * 4 bytes of UTF-8, and a URL-encoded form sends each byte as %XX (so 12 bytes; a line break,
 * sent as CRLF, takes 6), plus 64 kB for the other fields.
 */
export function longTextLimit(characters: number): number {
  return characters * 12 + 64 * 1024;
}

/** The body limit a handler declared, or the default. */
export function bodyLimitOf(handler: object): number {
  return (Reflect.getMetadata(BODY_LIMIT_KEY, handler) as number | undefined) ?? DEFAULT_BODY_LIMIT;
}

/** A request body over the limit: a page saying so, that nothing was saved, and what to do. */
export class TooLargeError extends DomainError {
  constructor(message: string) {
    super(413, 'Too large', message);
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`;
}

/**
 * URL-encoded and JSON bodies: each route with @BodyLimit gets parsers with its own limit, the
 * rest the default. (A body-parser skips a body another one already read.) A body over the limit
 * becomes a TooLargeError page.
 */
export function useBodyParsers(app: NestExpressApplication): void {
  const server = app.getHttpAdapter().getInstance();
  const parsers = (limit: number): RequestHandler[] => [express.urlencoded({ extended: false, limit, parameterLimit: 200 }), express.json({ limit })];
  for (const route of declaredRoutes(app)) {
    const limit = bodyLimitOf(route.handler);
    if (limit === DEFAULT_BODY_LIMIT || route.method === 'GET') continue;
    server.route(route.path)[route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](...parsers(limit));
  }
  app.use(...parsers(DEFAULT_BODY_LIMIT));
  app.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const e = err as { type?: string; limit?: number; length?: number } | null;
    if (e?.type !== 'entity.too.large') return next(err);
    next(
      new TooLargeError(
        `What you sent${e.length ? ` (${formatBytes(e.length)})` : ''} is larger than Atelier accepts here (${formatBytes(e.limit ?? DEFAULT_BODY_LIMIT)}). Nothing was saved. ` +
          'Go back with your browser: what you typed is usually still in the form. Shorten it, or attach a long document as a file.',
      ),
    );
  });
}
