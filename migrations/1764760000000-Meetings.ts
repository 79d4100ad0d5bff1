import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * Meetings (issue 11): one row per meeting and the teams taking part. No expert can be booked twice
 * for the same start: a unique index over (expert, start) for meetings not cancelled (a partial
 * index, on SQLite and PostgreSQL alike). Overlaps are refused by the booking transaction.
 */
export class Meetings1764760000000 implements MigrationInterface {
  name = 'Meetings1764760000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const fk = (name: string, column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' = 'CASCADE') =>
      new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

    await q.createTable(
      new Table({
        name: 'meetings',
        columns: [
          id,
          int('course_id'),
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'agenda', type: 'text' },
          { name: 'online_link', type: 'varchar', length: '500', isNullable: true },
          { name: 'starts_at', type: ts },
          { name: 'ends_at', type: ts },
          int('expert_id'),
          int('booked_by', true),
          { name: 'status', type: 'varchar', length: '16' },
          int('sequence'),
          int('version'),
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'IX_meetings_course_starts', columnNames: ['course_id', 'starts_at'] }),
          new TableIndex({ name: 'UQ_meetings_expert_starts', columnNames: ['expert_id', 'starts_at'], isUnique: true, where: "status <> 'cancelled'" }),
        ],
        foreignKeys: [
          fk('FK_meetings_course', 'course_id', 'courses'),
          fk('FK_meetings_expert', 'expert_id', 'users'),
          fk('FK_meetings_booked_by', 'booked_by', 'users', 'SET NULL'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'meeting_teams',
        columns: [id, int('meeting_id'), int('team_id')],
        indices: [
          new TableIndex({ name: 'UQ_meeting_teams', columnNames: ['meeting_id', 'team_id'], isUnique: true }),
          new TableIndex({ name: 'IX_meeting_teams_team', columnNames: ['team_id'] }),
        ],
        foreignKeys: [fk('FK_meeting_teams_meeting', 'meeting_id', 'meetings'), fk('FK_meeting_teams_team', 'team_id', 'teams')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('meeting_teams');
    await q.dropTable('meetings');
  }
}
