import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the scale seed (bench/scale-seed.mjs: 13,700 submissions, 100,000 versions) showed were
 * missing: the review queue finds an expert's waiting work by team; the deadline reminders look for
 * tasks and extensions due in a window. (No index on a status column alone: without statistics
 * SQLite may prefer it to a better one.) See decision 62.
 */
export class ScaleIndexes1764800000000 implements MigrationInterface {
  name = 'ScaleIndexes1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IX_submissions_team" ON "submissions" ("team_id")`);
    await q.query(`CREATE INDEX "IX_submissions_due_override" ON "submissions" ("due_at_override")`);
    await q.query(`CREATE INDEX "IX_tasks_due" ON "tasks" ("due_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IX_tasks_due"`);
    await q.query(`DROP INDEX "IX_submissions_due_override"`);
    await q.query(`DROP INDEX "IX_submissions_team"`);
  }
}
