import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/** Versions shared between teams; a discussion thread per submission with kept edit history. */
export class SharingAndDiscussion1764300000000 implements MigrationInterface {
  name = 'SharingAndDiscussion1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    await q.addColumns('submission_versions', [
      new TableColumn({ name: 'shared_at', type: ts, isNullable: true }),
      new TableColumn({ name: 'shared_by_id', type: 'integer', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'submission_messages',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'submission_id', type: 'integer' },
          { name: 'author_id', type: 'integer', isNullable: true },
          { name: 'body', type: 'text' },
          { name: 'created_at', type: ts },
          { name: 'edited_at', type: ts, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IX_submission_messages_submission', columnNames: ['submission_id', 'created_at'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_submission_messages_submission',
            columnNames: ['submission_id'],
            referencedTableName: 'submissions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'FK_submission_messages_author',
            columnNames: ['author_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'submission_message_edits',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'message_id', type: 'integer' },
          { name: 'body', type: 'text' },
          { name: 'replaced_at', type: ts },
        ],
        indices: [new TableIndex({ name: 'IX_submission_message_edits_message', columnNames: ['message_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_submission_message_edits_message',
            columnNames: ['message_id'],
            referencedTableName: 'submission_messages',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('submission_message_edits');
    await q.dropTable('submission_messages');
    await q.dropColumn('submission_versions', 'shared_by_id');
    await q.dropColumn('submission_versions', 'shared_at');
  }
}
