import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/** Working hours per person (minutes after local midnight in their own zone); no row means 08:00–20:00. */
export class WorkingHours1764790000000 implements MigrationInterface {
  name = 'WorkingHours1764790000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    await q.createTable(
      new Table({
        name: 'working_hours',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer' },
          { name: 'starts_minute', type: 'integer' },
          { name: 'ends_minute', type: 'integer' },
          { name: 'updated_at', type: ts },
        ],
        indices: [new TableIndex({ name: 'UQ_working_hours_user', columnNames: ['user_id'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_working_hours_user',
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
    await q.dropTable('working_hours');
  }
}
