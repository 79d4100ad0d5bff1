import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Course } from '../courses/course.entity';
import { TIMESTAMP } from '../database/column-types';

export const DELIVERABLES = [
  { value: 'policy', label: 'Lifelong-learning policy' },
  { value: 'implementation_strategy', label: 'Implementation strategy' },
  { value: 'action_plan', label: 'Targeted action plan' },
  { value: 'learning_city_strategy', label: 'Learning-city strategy' },
] as const;
export type Deliverable = (typeof DELIVERABLES)[number]['value'];
export const DELIVERABLE_VALUES = DELIVERABLES.map((d) => d.value);

/** A country team in one course: a Member State (optionally one of its cities) developing one deliverable. */
@Entity('teams')
@Index('UQ_teams_course_country_city', ['courseId', 'country', 'city'], { unique: true })
export class Team {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_teams_course' })
  course: Relation<Course>;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'varchar', length: 2 })
  country: string;

  /** For learning-city courses; '' when the team is national. */
  @Column({ type: 'varchar', length: 200 })
  city: string;

  @Column({ type: 'varchar', length: 40 })
  region: string;

  @Column({ type: 'varchar', length: 40 })
  deliverable: Deliverable;

  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;
}
