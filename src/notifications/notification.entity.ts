import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** What happens to a notification's e-mail: none (off), sent at once, waiting for the digest, sent in a digest. */
export const EMAIL_STATES = ['none', 'immediate', 'digest_pending', 'digested'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

/**
 * One thing one person is told about, in the app (and by e-mail as their preferences say).
 * `dedupe_key` is unique per person: the event or reminder it comes from, so handling the same
 * thing twice never tells anyone twice. `user_id`/`course_id` carry no foreign keys: like the
 * events they come from, notifications are history.
 */
@Entity('notifications')
@Index('UQ_notifications_dedupe', ['userId', 'dedupeKey'], { unique: true })
@Index('IX_notifications_user', ['userId', 'readAt'])
@Index('IX_notifications_email', ['emailState', 'userId'])
export class Notification {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ name: 'course_id', type: 'integer', nullable: true })
  courseId: number | null;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  /** The page it is about, a path within Atelier ("/courses/3/tasks/9"). */
  @Column({ type: 'varchar', length: 500 })
  href: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 120 })
  dedupeKey: string;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'read_at', type: TIMESTAMP, nullable: true })
  readAt: Date | null;

  @Column({ name: 'email_state', type: 'varchar', length: 20 })
  emailState: EmailState;
}

/** A person's choice for one kind of notification; without a row, the kind's default applies. */
@Entity('notification_preferences')
@Index('UQ_notification_preferences', ['userId', 'kind'], { unique: true })
export class NotificationPreference {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** 'immediately', 'digest' or 'off'. */
  @Column({ type: 'varchar', length: 20 })
  mode: string;
}

/** The digest e-mail a person was sent for one local day: at most one per person and day. */
@Entity('notification_digests')
@Index('UQ_notification_digests', ['userId', 'localDate'], { unique: true })
export class NotificationDigest {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  /** The day in the person's zone, YYYY-MM-DD. */
  @Column({ name: 'local_date', type: 'varchar', length: 10 })
  localDate: string;

  @Column({ name: 'sent_at', type: TIMESTAMP })
  sentAt: Date;

  /** How many notifications it listed. */
  @Column({ type: 'integer' })
  items: number;
}
