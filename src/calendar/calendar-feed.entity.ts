import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * A person's calendar feed address: at most one per person (unique `user_id`). Only the secret
 * token's SHA-256 is stored; turning the feed off deletes the row, replacing it changes the hash.
 */
@Entity('calendar_feeds')
export class CalendarFeed {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_calendar_feeds_user', { unique: true })
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_calendar_feeds_user' })
  user: Relation<User>;

  @Index('UQ_calendar_feeds_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;
}
