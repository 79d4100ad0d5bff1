import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { JsonLogger } from './json-logger';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
  }
}

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives each request an id (X-Request-Id, echoed back) and logs one line when it ends:
 * method, the matched route pattern (so tokens in paths such as /invite/:token never reach the
 * log), status, duration and user id. Never bodies, cookies, passwords, tokens or session ids.
 */
export function requestLogger(logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const routePath = (req.route as { path?: string } | undefined)?.path; // Express types req.route as any
      const route = routePath ? `${req.baseUrl}${routePath}` : routeless(req.path);
      logger.emit(res.statusCode >= 500 ? 'error' : 'info', {
        msg: 'request',
        reqId: req.id,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        userId: req.user?.id,
      });
    });
    next();
  };
}

/** A path that matched no route: static files keep their path; anything else is cut to its first segment. */
function routeless(path: string): string {
  if (path.startsWith('/public/')) return path;
  const first = path.split('/')[1];
  return first ? `/${first}/…` : '/';
}
