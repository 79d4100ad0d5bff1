import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The course report asks, for every version of a workshop, when its first review was released and
 * whether a released review asked for changes (2,240 versions at scale workshop 1). Through
 * `IX_reviews_version` each answer read the review rows; this index, which starts with the same
 * column and so replaces it, answers from the index alone (the report's two statements: about
 * 0.7 ms less CPU a page on the scale seed). See decision 71.
 */
export class ReviewReleaseIndex1764850000000 implements MigrationInterface {
  name = 'ReviewReleaseIndex1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IX_reviews_version_release" ON "reviews" ("version_id", "released_at", "decision")`);
    await q.query(`DROP INDEX "IX_reviews_version"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IX_reviews_version" ON "reviews" ("version_id")`);
    await q.query(`DROP INDEX "IX_reviews_version_release"`);
  }
}
