import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/** Notifications (in-app, with their e-mail state), per-person preferences per kind, and the digests sent (one per person and local day). */
export class Notifications1764720000000 implements MigrationInterface {
  name = 'Notifications1764720000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
    await q.createTable(
      new Table({
        name: 'notifications',
        columns: [
          id,
          int('user_id'),
          str('kind', 40),
          int('course_id', true),
          str('title', 300),
          str('href', 500),
          str('dedupe_key', 120),
          { name: 'created_at', type: ts },
          { name: 'read_at', type: ts, isNullable: true },
          str('email_state', 20),
        ],
        indices: [
          new TableIndex({ name: 'UQ_notifications_dedupe', columnNames: ['user_id', 'dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'IX_notifications_user', columnNames: ['user_id', 'read_at'] }),
          new TableIndex({ name: 'IX_notifications_email', columnNames: ['email_state', 'user_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notification_preferences',
        columns: [id, int('user_id'), str('kind', 40), str('mode', 20)],
        indices: [new TableIndex({ name: 'UQ_notification_preferences', columnNames: ['user_id', 'kind'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notification_digests',
        columns: [id, int('user_id'), str('local_date', 10), { name: 'sent_at', type: ts }, int('items')],
        indices: [new TableIndex({ name: 'UQ_notification_digests', columnNames: ['user_id', 'local_date'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('notification_digests');
    await q.dropTable('notification_preferences');
    await q.dropTable('notifications');
  }
}
