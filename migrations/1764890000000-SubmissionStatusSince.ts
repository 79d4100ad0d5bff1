import type { MigrationInterface, QueryRunner } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * When a submission's status last changed (decision 79): the leader's home says how long feedback
 * has waited ("changes requested 2 days ago"), which `updated_at` cannot tell, since saving the draft
 * or an extension also moves it. Filled for existing rows from their workflow history (the last
 * step into the status they have), else from `updated_at`. Nullable: rows written straight into the
 * table by other tools (the scale seed) read `updated_at` instead.
 */
export class SubmissionStatusSince1764890000000 implements MigrationInterface {
  name = 'SubmissionStatusSince1764890000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    await q.query(`ALTER TABLE "submissions" ADD COLUMN "status_changed_at" ${ts} NULL`);
    await q.query(
      `UPDATE "submissions" SET "status_changed_at" = COALESCE(
        (SELECT MAX(e."at") FROM "submission_events" e WHERE e."submission_id" = "submissions"."id" AND e."to_status" = "submissions"."status"),
        "updated_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "submissions" DROP COLUMN "status_changed_at"`);
  }
}
