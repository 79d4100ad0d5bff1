import { type MigrationInterface, type QueryRunner, Table, TableColumn, type TableColumnOptions, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * The e-mail outbox (one row per e-mail, written in the transaction that causes it) and the mark
 * the worker sets on each domain event once it has been handed to its readers (notifications).
 * Events recorded before this migration count as handed over: nobody is told about the past.
 */
export class OutboxAndDispatch1764700000000 implements MigrationInterface {
  name = 'OutboxAndDispatch1764700000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
    await q.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          str('kind', 40),
          int('user_id', true),
          int('course_id', true),
          str('to_address', 320),
          str('subject', 300),
          { name: 'text', type: 'text' },
          { name: 'html', type: 'text', isNullable: true },
          str('status', 20),
          int('attempts'),
          { name: 'next_attempt_at', type: ts },
          { name: 'locked_until', type: ts, isNullable: true },
          str('last_error', 500, true),
          { name: 'created_at', type: ts },
          { name: 'sent_at', type: ts, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IX_outbox_messages_due', columnNames: ['status', 'next_attempt_at'] })],
      }),
    );
    await q.addColumn('domain_events', new TableColumn({ name: 'dispatched_at', type: ts, isNullable: true }));
    await q.query('UPDATE domain_events SET dispatched_at = occurred_at');
    await q.createIndex('domain_events', new TableIndex({ name: 'IX_domain_events_dispatch', columnNames: ['dispatched_at', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('domain_events', 'IX_domain_events_dispatch');
    await q.dropColumn('domain_events', 'dispatched_at');
    await q.dropTable('outbox_messages');
  }
}
