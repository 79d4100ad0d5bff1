import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

export type OutboxStatus = 'queued' | 'sent' | 'failed';

/**
 * One e-mail to send, written in the transaction that causes it (`OutboxService.enqueue`) and sent
 * afterwards by the worker, with retries and back-off. `user_id` and `course_id` carry no foreign
 * keys: the message outlives the account or course it concerns.
 */
@Entity('outbox_messages')
@Index('IX_outbox_messages_due', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn()
  id: number;

  /** What it is: 'invitation', 'password_reset', 'notification', 'digest'. */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** The recipient's account, when they have one (an invitation's recipient has not yet). */
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @Column({ name: 'course_id', type: 'integer', nullable: true })
  courseId: number | null;

  @Column({ name: 'to_address', type: 'varchar', length: 320 })
  toAddress: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: OutboxStatus;

  @Column({ type: 'integer' })
  attempts: number;

  /** Not before this instant (the back-off after a failure). */
  @Column({ name: 'next_attempt_at', type: TIMESTAMP })
  nextAttemptAt: Date;

  /** A worker holds the message until then; after it, another worker may take it (the first one died). */
  @Column({ name: 'locked_until', type: TIMESTAMP, nullable: true })
  lockedUntil: Date | null;

  /** The mail server's last answer on failure (never the message's content). */
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'sent_at', type: TIMESTAMP, nullable: true })
  sentAt: Date | null;
}
