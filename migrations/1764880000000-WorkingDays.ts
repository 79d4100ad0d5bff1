import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's working days beside their working hours (decision 77): the ISO weekdays they work on
 * their own calendar, as digits ("12345" = Monday to Friday, "71234" reads the same as "12347").
 * Rows saved before keep Monday to Friday, which the slot finder assumed for everyone until now.
 * A plain ADD COLUMN on both databases: SQLite keeps the table (and its content-version triggers).
 */
export class WorkingDays1764880000000 implements MigrationInterface {
  name = 'WorkingDays1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "working_hours" ADD COLUMN "days" varchar(7) NOT NULL DEFAULT '12345'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "working_hours" DROP COLUMN "days"`);
  }
}
