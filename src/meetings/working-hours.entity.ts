import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * A person's working hours, wall-clock minutes after midnight in their own zone (the account's),
 * start before end, and their working days. At most one row per person; no row means the default,
 * 08:00–20:00, Monday to Friday.
 */
@Entity('working_hours')
export class WorkingHours {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_working_hours_user', { unique: true })
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_working_hours_user' })
  user: Relation<User>;

  @Column({ name: 'starts_minute', type: 'integer' })
  startsMinute: number;

  @Column({ name: 'ends_minute', type: 'integer' })
  endsMinute: number;

  /** ISO weekdays as digits in order, "12345" = Monday to Friday (1 = Monday … 7 = Sunday), at least one. */
  @Column({ type: 'varchar', length: 7, default: '12345' })
  days: string;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;
}
