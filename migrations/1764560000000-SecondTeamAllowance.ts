import { type MigrationInterface, type QueryRunner, TableColumn, TableForeignKey } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * A person is in at most one team per workshop unless a facilitator allows a second one: who
 * allowed it, and when, is kept on that membership.
 */
export class SecondTeamAllowance1764560000000 implements MigrationInterface {
  name = 'SecondTeamAllowance1764560000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    await q.addColumns('team_members', [
      new TableColumn({ name: 'other_team_allowed_by_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'other_team_allowed_at', type: ts, isNullable: true }),
    ]);
    await q.createForeignKey(
      'team_members',
      new TableForeignKey({
        name: 'FK_team_members_other_team_allowed_by',
        columnNames: ['other_team_allowed_by_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'SET NULL',
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropForeignKey('team_members', 'FK_team_members_other_team_allowed_by');
    await q.dropColumn('team_members', 'other_team_allowed_at');
    await q.dropColumn('team_members', 'other_team_allowed_by_id');
  }
}
