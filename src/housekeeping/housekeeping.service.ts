import { Injectable, Logger } from '@nestjs/common';
import { FileStore } from '../files/file-store.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { ResourcesService } from '../resources/resources.service';
import { DbSessionStore } from '../sessions/db-session.store';
import { SubmissionsService } from '../submissions/submissions.service';

/**
 * Every table that refers to stored files, and so the modules that answer for them: resources
 * (ResourcesService) and submission, version and review files (SubmissionsService). A file none of
 * them names is an orphan. A new table with a file_key must be listed here and answered for by
 * its module (test/housekeeping.e2e-spec.ts and test/submission-files.e2e-spec.ts check both).
 */
export const FILE_KEY_TABLES = ['resources', 'submission_files', 'version_files', 'review_files'] as const;

/** The periodic clean-up: ended sessions, rate-limit windows, and files nothing refers to. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger('Housekeeping');

  constructor(
    private readonly sessions: DbSessionStore,
    private readonly limits: RateLimitService,
    private readonly files: FileStore,
    private readonly resources: ResourcesService,
    private readonly submissions: SubmissionsService,
  ) {}

  /**
   * Of these stored files' keys, those some row names (all keys that rows name, without a list),
   * each module answering for its own tables: an indexed lookup per batch of keys.
   */
  async referencedFileKeys(keys?: readonly string[]): Promise<Set<string>> {
    if (keys && !keys.length) return new Set();
    const lists = await Promise.all([this.resources.referencedFileKeys(keys), this.submissions.referencedFileKeys(keys)]);
    return new Set(lists.flat());
  }

  /** Files nothing refers to: the store walks its folder in batches and asks about each batch's keys. */
  async sweepFiles(): Promise<number> {
    return this.files.sweep((keys) => this.referencedFileKeys(keys));
  }

  /** One round; a failure is logged, never thrown (the next round tries again). */
  async run(): Promise<void> {
    await Promise.all([this.sessions.prune(), this.limits.prune(), this.sweepFiles()]).catch((err) =>
      this.logger.warn({ msg: 'housekeeping failed', error: String(err) }),
    );
  }
}
