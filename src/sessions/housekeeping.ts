import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { DbSessionStore } from './db-session.store';

const EVERY_MS = 15 * 60_000;

/** Every quarter hour: drop ended sessions and rate-limit windows. */
export function startHousekeeping(app: INestApplication): () => void {
  const logger = new Logger('Housekeeping');
  const sessions = app.get(DbSessionStore);
  const limits = app.get(RateLimitService, { strict: false });
  const run = () => Promise.all([sessions.prune(), limits.prune()]).catch((err) => logger.warn({ msg: 'housekeeping failed', error: String(err) }));
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
