import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampTypeFor } from '../src/database/column-types';

/**
 * People, invitations, password resets, sessions and rate limits.
 * Written with the schema-builder API so the same history runs on SQLite and PostgreSQL.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = timestampTypeFor(q.connection.options.type);
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };

    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'time_zone', type: 'varchar', length: '64' },
          { name: 'language', type: 'varchar', length: '16' },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'active', type: 'boolean' },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
          { name: 'last_sign_in_at', type: ts, isNullable: true },
          { name: 'deactivated_at', type: ts, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'UQ_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'invitations',
        columns: [
          id,
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'message', type: 'text', isNullable: true },
          { name: 'invited_by_id', type: 'integer', isNullable: true },
          { name: 'created_at', type: ts },
          { name: 'expires_at', type: ts },
          { name: 'last_sent_at', type: ts },
          { name: 'send_count', type: 'integer' },
          { name: 'accepted_at', type: ts, isNullable: true },
          { name: 'accepted_user_id', type: 'integer', isNullable: true },
          { name: 'revoked_at', type: ts, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IX_invitations_email', columnNames: ['email'] }),
          new TableIndex({ name: 'UQ_invitations_token_hash', columnNames: ['token_hash'], isUnique: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_invitations_invited_by',
            columnNames: ['invited_by_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          }),
          new TableForeignKey({
            name: 'FK_invitations_accepted_user',
            columnNames: ['accepted_user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'password_resets',
        columns: [
          id,
          { name: 'user_id', type: 'integer' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: ts },
          { name: 'expires_at', type: ts },
          { name: 'used_at', type: ts, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'UQ_password_resets_token_hash', columnNames: ['token_hash'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_password_resets_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'sid', type: 'varchar', length: '128', isPrimary: true },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'data', type: 'text' },
          { name: 'expires_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'IX_sessions_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'IX_sessions_expires_at', columnNames: ['expires_at'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          { name: 'key', type: 'varchar', length: '300', isPrimary: true },
          { name: 'hits', type: 'integer' },
          { name: 'reset_at', type: ts },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['rate_limits', 'sessions', 'password_resets', 'invitations', 'users']) {
      await q.dropTable(table);
    }
  }
}
