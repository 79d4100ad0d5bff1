import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * What is recorded after a meeting (issue 11): attendance per team and per person (one row each,
 * the set replaced as a whole on save), and action items, each of which may become a task for its
 * team (task_id set once it has).
 */
export class MeetingRecords1764780000000 implements MigrationInterface {
  name = 'MeetingRecords1764780000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
    const fk = (name: string, column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' = 'CASCADE') =>
      new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
    await q.createTable(
      new Table({
        name: 'meeting_attendance',
        columns: [
          id,
          { name: 'meeting_id', type: 'integer' },
          { name: 'team_id', type: 'integer', isNullable: true },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'present', type: 'boolean' },
        ],
        indices: [new TableIndex({ name: 'IX_meeting_attendance_meeting', columnNames: ['meeting_id'] })],
        foreignKeys: [
          fk('FK_meeting_attendance_meeting', 'meeting_id', 'meetings'),
          fk('FK_meeting_attendance_team', 'team_id', 'teams'),
          fk('FK_meeting_attendance_user', 'user_id', 'users'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'meeting_actions',
        columns: [
          id,
          { name: 'meeting_id', type: 'integer' },
          { name: 'team_id', type: 'integer', isNullable: true },
          { name: 'text', type: 'varchar', length: '500' },
          { name: 'task_id', type: 'integer', isNullable: true },
          { name: 'created_by', type: 'integer', isNullable: true },
          { name: 'created_at', type: ts },
        ],
        indices: [new TableIndex({ name: 'IX_meeting_actions_meeting', columnNames: ['meeting_id'] })],
        foreignKeys: [
          fk('FK_meeting_actions_meeting', 'meeting_id', 'meetings'),
          fk('FK_meeting_actions_team', 'team_id', 'teams'),
          fk('FK_meeting_actions_task', 'task_id', 'tasks', 'SET NULL'),
          fk('FK_meeting_actions_created_by', 'created_by', 'users', 'SET NULL'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('meeting_actions');
    await q.dropTable('meeting_attendance');
  }
}
