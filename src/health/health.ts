import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Database } from '../database/database.service';

/** /healthz answers within this bound even when the database hangs. */
export const HEALTH_TIMEOUT_MS = 2000;

export interface HealthReport {
  status: number;
  body: { status: 'ok' | 'error'; database: 'up' | 'down'; databaseMs?: number };
}

/** For load balancers and monitors: 200 when the database answers in time, 503 when it does not. */
@Injectable()
export class HealthService {
  constructor(private readonly db: Database) {}

  async check(timeoutMs = HEALTH_TIMEOUT_MS): Promise<HealthReport> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.manager.query('SELECT 1 FROM migrations LIMIT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
      ]);
      return { status: 200, body: { status: 'ok', database: 'up', databaseMs: Date.now() - started } };
    } catch {
      return { status: 503, body: { status: 'error', database: 'down' } };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * GET /healthz as plain Express middleware, mounted before sessions, CSRF and everything else
 * that touches the database (src/app.setup.ts): a health check must neither write a session nor
 * queue behind a database lock. It is public by nature, like the static files.
 */
export function healthRoute(health: HealthService) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/healthz' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    health.check().then((report) => res.status(report.status).json(report.body), next);
  };
}
