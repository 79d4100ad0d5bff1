import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The audit log's unfiltered pages and its CSV export read the newest events first, by
 * (occurred_at, id): this index serves them without sorting the whole table. Filters by course,
 * actor or kind use the indexes that exist.
 */
export class AuditLogIndex1764710000000 implements MigrationInterface {
  name = 'AuditLogIndex1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('domain_events', new TableIndex({ name: 'IX_domain_events_time', columnNames: ['occurred_at', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('domain_events', 'IX_domain_events_time');
  }
}
