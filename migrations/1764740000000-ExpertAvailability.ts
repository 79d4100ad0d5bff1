import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * Expert availability (issue 11): one row per expert and course with the zone and the booking
 * rules, and child rows for weekly windows, one-off windows and days off.
 */
export class ExpertAvailability1764740000000 implements MigrationInterface {
  name = 'ExpertAvailability1764740000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const time = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '5' });
    const fk = (name: string, column: string, table: string) =>
      new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    const parent = (table: string) => fk(`FK_${table}_availability`, 'availability_id', 'availabilities');

    await q.createTable(
      new Table({
        name: 'availabilities',
        columns: [
          id,
          int('course_id'),
          int('user_id'),
          { name: 'time_zone', type: 'varchar', length: '64' },
          int('slot_minutes'),
          int('buffer_minutes'),
          int('min_notice_minutes'),
          int('horizon_days'),
          int('max_per_team', true),
          int('version'),
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'UQ_availabilities', columnNames: ['course_id', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'IX_availabilities_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [fk('FK_availabilities_course', 'course_id', 'courses'), fk('FK_availabilities_user', 'user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'availability_weekly_windows',
        columns: [id, int('availability_id'), int('weekday'), time('start_time'), time('end_time')],
        indices: [new TableIndex({ name: 'IX_availability_weekly_windows_availability', columnNames: ['availability_id'] })],
        foreignKeys: [parent('availability_weekly_windows')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'availability_one_off_windows',
        columns: [id, int('availability_id'), { name: 'day', type: 'date' }, time('start_time'), time('end_time')],
        indices: [new TableIndex({ name: 'IX_availability_one_off_windows_availability', columnNames: ['availability_id'] })],
        foreignKeys: [parent('availability_one_off_windows')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'availability_days_off',
        columns: [id, int('availability_id'), { name: 'day', type: 'date' }],
        indices: [new TableIndex({ name: 'UQ_availability_days_off', columnNames: ['availability_id', 'day'], isUnique: true })],
        foreignKeys: [parent('availability_days_off')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['availability_days_off', 'availability_one_off_windows', 'availability_weekly_windows', 'availabilities']) await q.dropTable(t);
  }
}
