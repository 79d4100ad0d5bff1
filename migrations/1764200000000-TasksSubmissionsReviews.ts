import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/** Tasks, submissions with their drafts, files, immutable versions, workflow events and reviews. */
export class TasksSubmissionsReviews1764200000000 implements MigrationInterface {
  name = 'TasksSubmissionsReviews1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
    const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
    const text = (name: string): TableColumnOptions => ({ name, type: 'text' });
    const time = (name: string, isNullable = false): TableColumnOptions => ({ name, type: ts, isNullable });
    const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean' });
    const fk = (name: string, column: string, table: string, onDelete: string) =>
      new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
    const fileColumns = [str('file_key', 100), str('file_name', 255), str('file_type', 100), int('file_size'), str('file_sha256', 64)];

    await q.createTable(
      new Table({
        name: 'tasks',
        columns: [
          id,
          int('course_id'),
          int('phase_id'),
          int('position'),
          str('title', 300),
          text('instructions'),
          str('kind', 20),
          time('opens_at'),
          time('due_at'),
          time('cut_off_at', true),
          bool('expects_text'),
          bool('expects_files'),
          str('allowed_types', 200),
          int('max_files'),
          text('rubric'),
          str('audience', 20),
          str('status', 20),
          time('created_at'),
          time('updated_at'),
          int('version'),
        ],
        indices: [new TableIndex({ name: 'IX_tasks_course', columnNames: ['course_id', 'position'] })],
        foreignKeys: [fk('FK_tasks_course', 'course_id', 'courses', 'CASCADE'), fk('FK_tasks_phase', 'phase_id', 'phases', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'task_teams',
        columns: [id, int('task_id'), int('team_id')],
        indices: [new TableIndex({ name: 'UQ_task_teams', columnNames: ['task_id', 'team_id'], isUnique: true })],
        foreignKeys: [fk('FK_task_teams_task', 'task_id', 'tasks', 'CASCADE'), fk('FK_task_teams_team', 'team_id', 'teams', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'submissions',
        columns: [
          id,
          int('task_id'),
          str('owner_key', 40),
          int('team_id', true),
          int('user_id', true),
          str('status', 30),
          text('draft_text'),
          int('draft_revision'),
          time('draft_updated_at', true),
          int('draft_updated_by_id', true),
          bool('late'),
          time('due_at_override', true),
          time('cut_off_at_override', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'UQ_submissions_owner', columnNames: ['task_id', 'owner_key'], isUnique: true })],
        foreignKeys: [
          fk('FK_submissions_task', 'task_id', 'tasks', 'CASCADE'),
          fk('FK_submissions_team', 'team_id', 'teams', 'CASCADE'),
          fk('FK_submissions_user', 'user_id', 'users', 'CASCADE'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'submission_files',
        columns: [id, int('submission_id'), ...fileColumns, int('added_by_id', true), time('added_at')],
        indices: [new TableIndex({ name: 'IX_submission_files_submission', columnNames: ['submission_id'] })],
        foreignKeys: [fk('FK_submission_files_submission', 'submission_id', 'submissions', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'submission_versions',
        columns: [id, int('submission_id'), int('number'), text('text'), text('note'), int('author_id', true), time('submitted_at'), bool('late')],
        indices: [new TableIndex({ name: 'UQ_submission_versions', columnNames: ['submission_id', 'number'], isUnique: true })],
        foreignKeys: [
          fk('FK_submission_versions_submission', 'submission_id', 'submissions', 'CASCADE'),
          fk('FK_submission_versions_author', 'author_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'version_files',
        columns: [id, int('version_id'), ...fileColumns],
        indices: [new TableIndex({ name: 'IX_version_files_version', columnNames: ['version_id'] })],
        foreignKeys: [fk('FK_version_files_version', 'version_id', 'submission_versions', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'submission_events',
        columns: [id, int('submission_id'), str('from_status', 30), str('to_status', 30), int('actor_id', true), time('at'), text('note')],
        indices: [new TableIndex({ name: 'IX_submission_events_submission', columnNames: ['submission_id', 'at'] })],
        foreignKeys: [
          fk('FK_submission_events_submission', 'submission_id', 'submissions', 'CASCADE'),
          fk('FK_submission_events_actor', 'actor_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'reviews',
        columns: [
          id,
          int('version_id'),
          int('reviewer_id', true),
          str('decision', 20),
          text('overall'),
          text('scores'),
          time('released_at', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'IX_reviews_version', columnNames: ['version_id'] })],
        foreignKeys: [fk('FK_reviews_version', 'version_id', 'submission_versions', 'CASCADE'), fk('FK_reviews_reviewer', 'reviewer_id', 'users', 'SET NULL')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['reviews', 'submission_events', 'version_files', 'submission_versions', 'submission_files', 'submissions', 'task_teams', 'tasks'])
      await q.dropTable(t);
  }
}
