import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, VersionColumn } from 'typeorm';
import { Course } from '../courses/course.entity';
import { Phase } from '../courses/phase.entity';
import { TIMESTAMP } from '../database/column-types';
import { Resource } from '../resources/resource.entity';
import { Team } from '../teams/team.entity';

export const TASK_KINDS = ['team', 'individual'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface RubricCriterion {
  title: string;
  levels: { label: string; descriptor: string }[];
}

/** Work a course asks of its teams or participants, within a phase. */
@Entity('tasks')
@Index('IX_tasks_course', ['courseId', 'position'])
@Index('IX_tasks_due', ['dueAt'])
export class Task {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_tasks_course' })
  course: Relation<Course>;

  @Column({ name: 'phase_id', type: 'integer' })
  phaseId: number;

  @ManyToOne(() => Phase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'phase_id', foreignKeyConstraintName: 'FK_tasks_phase' })
  phase: Relation<Phase>;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  /** Markdown, rendered without raw HTML. */
  @Column({ type: 'text' })
  instructions: string;

  @Column({ type: 'varchar', length: 20 })
  kind: TaskKind;

  @Column({ name: 'opens_at', type: TIMESTAMP })
  opensAt: Date;

  @Column({ name: 'due_at', type: TIMESTAMP })
  dueAt: Date;

  /** After the due time and before this, a submission is accepted and marked late; after it, closed. */
  @Column({ name: 'cut_off_at', type: TIMESTAMP, nullable: true })
  cutOffAt: Date | null;

  @Column({ name: 'expects_text', type: 'boolean' })
  expectsText: boolean;

  @Column({ name: 'expects_files', type: 'boolean' })
  expectsFiles: boolean;

  /** Comma-separated file kinds (see common/file-sniff.ts). */
  @Column({ name: 'allowed_types', type: 'varchar', length: 200 })
  allowedTypes: string;

  @Column({ name: 'max_files', type: 'integer' })
  maxFiles: number;

  /** JSON list of RubricCriterion, or '' without a rubric. */
  @Column({ type: 'text' })
  rubric: string;

  /** 'all' teams of the course, or only those in task_teams. */
  @Column({ type: 'varchar', length: 20 })
  audience: 'all' | 'selected';

  @Column({ type: 'varchar', length: 20 })
  status: 'draft' | 'published';

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

/** A team a task is for, when the task is for selected teams only. */
@Entity('task_teams')
@Index('UQ_task_teams', ['taskId', 'teamId'], { unique: true })
export class TaskTeam {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'task_id', type: 'integer' })
  taskId: number;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_teams_task' })
  task: Relation<Task>;

  @Column({ name: 'team_id', type: 'integer' })
  teamId: number;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_task_teams_team' })
  team: Relation<Team>;
}

/** A resource of the course library linked from a task (e.g. the handbook chapter to read first). */
@Entity('task_resources')
@Index('UQ_task_resources', ['taskId', 'resourceId'], { unique: true })
export class TaskResource {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'task_id', type: 'integer' })
  taskId: number;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_task_resources_task' })
  task: Relation<Task>;

  @Column({ name: 'resource_id', type: 'integer' })
  resourceId: number;

  @ManyToOne(() => Resource, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'FK_task_resources_resource' })
  resource: Relation<Resource>;
}
