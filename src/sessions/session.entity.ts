import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/**
 * A server-side session (express-session). Kept in the application database so sessions survive
 * a restart and are shared by every app instance; user_id lets deactivation end them at once.
 */
@Entity('sessions')
export class SessionRow {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid: string;

  @Index('IX_sessions_user_id')
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'text' })
  data: string;

  @Index('IX_sessions_expires_at')
  @Column({ name: 'expires_at', type: TIMESTAMP })
  expiresAt: Date;
}
