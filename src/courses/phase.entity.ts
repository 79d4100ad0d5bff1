import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { Course } from './course.entity';

export const PHASE_KINDS = ['online', 'in_person'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

/** A stretch of a course: online before, the in-person week, online after. Dates inclusive, venue zone. */
@Entity('phases')
@Index('IX_phases_course', ['courseId', 'startsOn'])
export class Phase {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_phases_course' })
  course: Relation<Course>;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  kind: PhaseKind;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'platform_url', type: 'varchar', length: 500, nullable: true })
  platformUrl: string | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;
}
