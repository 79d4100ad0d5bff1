import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * Domain events: one row per thing that happened, written in the transaction of the change.
 * No foreign keys: an event outlives the account or course it names (decision 47).
 */
export class DomainEvents1764600000000 implements MigrationInterface {
  name = 'DomainEvents1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
    await q.createTable(
      new Table({
        name: 'domain_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          str('kind', 60),
          int('actor_id', true),
          int('course_id', true),
          str('subject_type', 40),
          int('subject_id', true),
          { name: 'payload', type: 'text' },
          { name: 'occurred_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'IX_domain_events_course', columnNames: ['course_id', 'occurred_at'] }),
          new TableIndex({ name: 'IX_domain_events_actor', columnNames: ['actor_id', 'occurred_at'] }),
          new TableIndex({ name: 'IX_domain_events_kind', columnNames: ['kind', 'occurred_at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('domain_events');
  }
}
