import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/** Courses, phases, the in-person programme, course members, country teams, resources. */
export class CoursesTeamsResources1764100000000 implements MigrationInterface {
  name = 'CoursesTeamsResources1764100000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const fk = (name: string, column: string, table: string, onDelete: string) =>
      new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

    await q.createTable(
      new Table({
        name: 'courses',
        columns: [
          id,
          { name: 'title', type: 'varchar', length: '300' },
          { name: 'series', type: 'varchar', length: '300', isNullable: true },
          { name: 'edition', type: 'integer', isNullable: true },
          { name: 'summary', type: 'text' },
          { name: 'organisers', type: 'text' },
          { name: 'venue_campus', type: 'varchar', length: '200' },
          { name: 'venue_city', type: 'varchar', length: '200' },
          { name: 'venue_country', type: 'varchar', length: '2' },
          { name: 'time_zone', type: 'varchar', length: '64' },
          { name: 'starts_on', type: 'date' },
          { name: 'ends_on', type: 'date' },
          { name: 'participation', type: 'varchar', length: '20' },
          { name: 'working_language', type: 'varchar', length: '16' },
          { name: 'interpretation_languages', type: 'varchar', length: '200' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'created_by_id', type: 'integer', isNullable: true },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
          { name: 'version', type: 'integer' },
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'phases',
        columns: [
          id,
          { name: 'course_id', type: 'integer' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'starts_on', type: 'date' },
          { name: 'ends_on', type: 'date' },
          { name: 'description', type: 'text' },
          { name: 'platform_url', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: ts },
        ],
        indices: [new TableIndex({ name: 'IX_phases_course', columnNames: ['course_id', 'starts_on'] })],
        foreignKeys: [fk('FK_phases_course', 'course_id', 'courses', 'CASCADE')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'programme_sessions',
        columns: [
          id,
          { name: 'phase_id', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'title', type: 'varchar', length: '300' },
          { name: 'room', type: 'varchar', length: '200' },
          { name: 'starts_at', type: ts },
          { name: 'ends_at', type: ts },
          { name: 'chairs', type: 'text' },
          { name: 'speakers', type: 'text' },
          { name: 'interpretation_languages', type: 'varchar', length: '200' },
          { name: 'description', type: 'text' },
        ],
        indices: [new TableIndex({ name: 'IX_programme_sessions_phase', columnNames: ['phase_id', 'starts_at'] })],
        foreignKeys: [fk('FK_programme_sessions_phase', 'phase_id', 'phases', 'CASCADE')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'course_members',
        columns: [
          id,
          { name: 'course_id', type: 'integer' },
          { name: 'user_id', type: 'integer' },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'created_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'UQ_course_members', columnNames: ['course_id', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'IX_course_members_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [fk('FK_course_members_course', 'course_id', 'courses', 'CASCADE'), fk('FK_course_members_user', 'user_id', 'users', 'CASCADE')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'teams',
        columns: [
          id,
          { name: 'course_id', type: 'integer' },
          { name: 'country', type: 'varchar', length: '2' },
          { name: 'city', type: 'varchar', length: '200' },
          { name: 'region', type: 'varchar', length: '40' },
          { name: 'deliverable', type: 'varchar', length: '40' },
          { name: 'time_zone', type: 'varchar', length: '64' },
          { name: 'created_at', type: ts },
        ],
        indices: [new TableIndex({ name: 'UQ_teams_course_country_city', columnNames: ['course_id', 'country', 'city'], isUnique: true })],
        foreignKeys: [fk('FK_teams_course', 'course_id', 'courses', 'CASCADE')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'team_members',
        columns: [
          id,
          { name: 'team_id', type: 'integer' },
          { name: 'user_id', type: 'integer' },
          { name: 'team_role', type: 'varchar', length: '20' },
          { name: 'position', type: 'varchar', length: '20' },
          { name: 'level', type: 'varchar', length: '20' },
          { name: 'created_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'UQ_team_members', columnNames: ['team_id', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'IX_team_members_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [fk('FK_team_members_team', 'team_id', 'teams', 'CASCADE'), fk('FK_team_members_user', 'user_id', 'users', 'CASCADE')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'team_experts',
        columns: [id, { name: 'team_id', type: 'integer' }, { name: 'user_id', type: 'integer' }, { name: 'created_at', type: ts }],
        indices: [
          new TableIndex({ name: 'UQ_team_experts', columnNames: ['team_id', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'IX_team_experts_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [fk('FK_team_experts_team', 'team_id', 'teams', 'CASCADE'), fk('FK_team_experts_user', 'user_id', 'users', 'CASCADE')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'resources',
        columns: [
          id,
          { name: 'course_id', type: 'integer' },
          { name: 'phase_id', type: 'integer', isNullable: true },
          { name: 'title', type: 'varchar', length: '300' },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'description', type: 'text' },
          { name: 'url', type: 'varchar', length: '1000', isNullable: true },
          { name: 'file_key', type: 'varchar', length: '100', isNullable: true },
          { name: 'file_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'file_type', type: 'varchar', length: '100', isNullable: true },
          { name: 'file_size', type: 'integer', isNullable: true },
          { name: 'file_sha256', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_by_id', type: 'integer', isNullable: true },
          { name: 'created_at', type: ts },
        ],
        indices: [new TableIndex({ name: 'IX_resources_course', columnNames: ['course_id', 'title'] })],
        foreignKeys: [fk('FK_resources_course', 'course_id', 'courses', 'CASCADE'), fk('FK_resources_phase', 'phase_id', 'phases', 'SET NULL')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'resource_tags',
        columns: [id, { name: 'resource_id', type: 'integer' }, { name: 'tag', type: 'varchar', length: '60' }],
        indices: [
          new TableIndex({ name: 'UQ_resource_tags', columnNames: ['resource_id', 'tag'], isUnique: true }),
          new TableIndex({ name: 'IX_resource_tags_tag', columnNames: ['tag'] }),
        ],
        foreignKeys: [fk('FK_resource_tags_resource', 'resource_id', 'resources', 'CASCADE')],
      }),
    );

    await q.addColumns('invitations', [
      new TableColumn({ name: 'team_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'team_role', type: 'varchar', length: '20', isNullable: true }),
      new TableColumn({ name: 'team_position', type: 'varchar', length: '20', isNullable: true }),
      new TableColumn({ name: 'team_level', type: 'varchar', length: '20', isNullable: true }),
    ]);
    await q.createForeignKey('invitations', fk('FK_invitations_team', 'team_id', 'teams', 'CASCADE'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropForeignKey('invitations', 'FK_invitations_team');
    for (const c of ['team_level', 'team_position', 'team_role', 'team_id']) await q.dropColumn('invitations', c);
    for (const t of ['resource_tags', 'resources', 'team_experts', 'team_members', 'teams', 'course_members', 'programme_sessions', 'phases', 'courses']) {
      await q.dropTable(t);
    }
  }
}
