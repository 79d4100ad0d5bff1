import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The housekeeping sweep asks, per batch of stored files, which of their keys a row names; the
 * scale seed (100,000 version files) showed a lookup by key scanning the version files (25 ms a
 * batch) without this index. The other file tables are small there. See decision 65.
 */
export class FileKeyIndex1764820000000 implements MigrationInterface {
  name = 'FileKeyIndex1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IX_version_files_key" ON "version_files" ("file_key")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IX_version_files_key"`);
  }
}
