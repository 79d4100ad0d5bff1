import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Resources linked from tasks; files attached to reviews. */
export class TaskResourcesReviewFiles1764400000000 implements MigrationInterface {
  name = 'TaskResourcesReviewFiles1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await q.createTable(
      new Table({
        name: 'task_resources',
        columns: [id, { name: 'task_id', type: 'integer' }, { name: 'resource_id', type: 'integer' }],
        indices: [new TableIndex({ name: 'UQ_task_resources', columnNames: ['task_id', 'resource_id'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_task_resources_task',
            columnNames: ['task_id'],
            referencedTableName: 'tasks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'FK_task_resources_resource',
            columnNames: ['resource_id'],
            referencedTableName: 'resources',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'review_files',
        columns: [
          id,
          { name: 'review_id', type: 'integer' },
          { name: 'file_key', type: 'varchar', length: '100' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'file_type', type: 'varchar', length: '100' },
          { name: 'file_size', type: 'integer' },
          { name: 'file_sha256', type: 'varchar', length: '64' },
        ],
        indices: [new TableIndex({ name: 'IX_review_files_review', columnNames: ['review_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_review_files_review',
            columnNames: ['review_id'],
            referencedTableName: 'reviews',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('review_files');
    await q.dropTable('task_resources');
  }
}
