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

  /** Keys of every stored file some row names, each module answering for its own tables. */
  async referencedFileKeys(): Promise<Set<string>> {
    const lists = await Promise.all([this.resources.referencedFileKeys(), this.submissions.referencedFileKeys()]);
    return new Set(lists.flat());
  }

  async sweepFiles(): Promise<number> {
    return this.files.sweep(await this.referencedFileKeys());
  }

  /** One round; a failure is logged, never thrown (the next round tries again). */
  async run(): Promise<void> {
    await Promise.all([this.sessions.prune(), this.limits.prune(), this.sweepFiles()]).catch((err) =>
      this.logger.warn({ msg: 'housekeeping failed', error: String(err) }),
    );
  }
}
