import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/**
 * Something that happened, written in the same transaction as the change it describes
 * (`EventsService.record`). Rows are only ever added: the audit log, notifications and the e-mail
 * outbox read them. `actor_id` and `course_id` carry no foreign keys on purpose: an event outlives
 * the account or course it names.
 */
@Entity('domain_events')
@Index('IX_domain_events_course', ['courseId', 'occurredAt'])
@Index('IX_domain_events_actor', ['actorId', 'occurredAt'])
@Index('IX_domain_events_kind', ['kind', 'occurredAt'])
@Index('IX_domain_events_dispatch', ['dispatchedAt', 'id'])
@Index('IX_domain_events_time', ['occurredAt', 'id'])
export class DomainEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 60 })
  kind: string;

  /** Who did it; null for the system (and for a failed sign-in to no known account). */
  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ name: 'course_id', type: 'integer', nullable: true })
  courseId: number | null;

  /** What it is about, e.g. ('submission', 42). */
  @Column({ name: 'subject_type', type: 'varchar', length: 40 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'integer', nullable: true })
  subjectId: number | null;

  /** JSON text, small; never secrets, tokens, passwords or typed e-mail addresses. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'occurred_at', type: TIMESTAMP })
  occurredAt: Date;

  /** When the worker handed the event to its readers (notifications); null until then. */
  @Column({ name: 'dispatched_at', type: TIMESTAMP, nullable: true })
  dispatchedAt: Date | null;
}
