import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { DbSessionStore } from './db-session.store';
import { Database } from '../database/database.service';
import { FileStore } from '../files/file-store.service';

const EVERY_MS = 15 * 60_000;

/** Every table that refers to stored files. A file none of them names is an orphan. */
export const FILE_KEY_TABLES = ['resources', 'submission_files', 'version_files', 'review_files'] as const;

export async function referencedFileKeys(db: Database): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const table of FILE_KEY_TABLES) {
    const rows: { file_key: string }[] = await db.manager.query(`SELECT file_key FROM ${table} WHERE file_key IS NOT NULL`);
    for (const r of rows) keys.add(r.file_key);
  }
  return keys;
}

/** Every quarter hour: drop ended sessions and rate-limit windows, and files nothing refers to. */
export function startHousekeeping(app: INestApplication): () => void {
  const logger = new Logger('Housekeeping');
  const sessions = app.get(DbSessionStore);
  const limits = app.get(RateLimitService, { strict: false });
  const files = app.get(FileStore, { strict: false });
  const db = app.get(Database, { strict: false });
  const sweepFiles = async () => {
    await files.sweep(await referencedFileKeys(db));
  };
  const run = () => Promise.all([sessions.prune(), limits.prune(), sweepFiles()]).catch((err) => logger.warn({ msg: 'housekeeping failed', error: String(err) }));
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
