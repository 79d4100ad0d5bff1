import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Meetings a facilitator schedules and what a meeting records (issue 11):
 * - `expert_id` becomes `host_id`: the person who holds the meeting (the expert of a consultation; the
 *   facilitator or expert who chairs a peer exchange or plenary). The unique index over (host, start)
 *   and the foreign key keep their names.
 * - interpretation languages requested and provided, the reason of the last reschedule or cancellation,
 *   the notes (none → draft → final) and who last changed them;
 * - `meeting_people`: people taking part besides the teams' members and the host (experts, facilitators, guests).
 * Plain `ALTER TABLE` statements, the same on SQLite and PostgreSQL (no table is rebuilt).
 */
export class MeetingDetails1764770000000 implements MigrationInterface {
  name = 'MeetingDetails1764770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE meetings RENAME COLUMN expert_id TO host_id');
    await q.query('ALTER TABLE meetings ADD COLUMN interpretation_requested varchar(200)');
    await q.query('ALTER TABLE meetings ADD COLUMN interpretation_provided varchar(200)');
    await q.query('ALTER TABLE meetings ADD COLUMN change_reason text');
    await q.query('ALTER TABLE meetings ADD COLUMN notes text');
    await q.query("ALTER TABLE meetings ADD COLUMN notes_status varchar(8) NOT NULL DEFAULT 'none'");
    await q.query('ALTER TABLE meetings ADD COLUMN notes_by integer');
    await q.createTable(
      new Table({
        name: 'meeting_people',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'meeting_id', type: 'integer' },
          { name: 'user_id', type: 'integer' },
          { name: 'role', type: 'varchar', length: '16' },
        ],
        indices: [
          new TableIndex({ name: 'UQ_meeting_people', columnNames: ['meeting_id', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'IX_meeting_people_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_meeting_people_meeting',
            columnNames: ['meeting_id'],
            referencedTableName: 'meetings',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'FK_meeting_people_user',
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
    await q.dropTable('meeting_people');
    for (const c of ['notes_by', 'notes_status', 'notes', 'change_reason', 'interpretation_provided', 'interpretation_requested'])
      await q.query(`ALTER TABLE meetings DROP COLUMN ${c}`);
    await q.query('ALTER TABLE meetings RENAME COLUMN host_id TO expert_id');
  }
}
