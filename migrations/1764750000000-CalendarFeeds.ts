import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/** Personal calendar feeds: one per person, the secret token stored as its SHA-256 only. */
export class CalendarFeeds1764750000000 implements MigrationInterface {
  name = 'CalendarFeeds1764750000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    await q.createTable(
      new Table({
        name: 'calendar_feeds',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'UQ_calendar_feeds_user', columnNames: ['user_id'], isUnique: true }),
          new TableIndex({ name: 'UQ_calendar_feeds_token_hash', columnNames: ['token_hash'], isUnique: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_calendar_feeds_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('calendar_feeds');
  }
}
