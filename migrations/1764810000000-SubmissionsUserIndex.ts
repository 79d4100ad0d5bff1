import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scale seed showed submissions read by owner person without an index: the review queue's
 * "individual work of the advised teams' members" arm (`user_id IN …`) read all 13,700 submissions
 * on every queue and course dashboard, even with no one in the list (the statement took 3.4–7 ms
 * for the scale facilitator, 1.2–2.7 ms with the index, on the shared 2-core machine).
 * See decision 64.
 */
export class SubmissionsUserIndex1764810000000 implements MigrationInterface {
  name = 'SubmissionsUserIndex1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IX_submissions_user" ON "submissions" ("user_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IX_submissions_user"`);
  }
}
