import type { INestApplication } from '@nestjs/common';
import { HousekeepingService } from './housekeeping.service';

const EVERY_MS = 15 * 60_000;

/** Every quarter hour: drop ended sessions and rate-limit windows, and files nothing refers to. */
export function startHousekeeping(app: INestApplication): () => void {
  const housekeeping = app.get(HousekeepingService, { strict: false });
  const run = () => void housekeeping.run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  run();
  return () => clearInterval(timer);
}
