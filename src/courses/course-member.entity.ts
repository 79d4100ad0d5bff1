import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';
import { Course } from './course.entity';

export { COURSE_ROLES, type CourseRole } from '../common/roles';
import type { CourseRole } from '../common/roles';

/** A facilitator or expert attached to a course (participants belong through their teams). */
@Entity('course_members')
@Index('UQ_course_members', ['courseId', 'userId'], { unique: true })
export class CourseMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_course_members_course' })
  course: Relation<Course>;

  @Index('IX_course_members_user')
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_course_members_user' })
  user: Relation<User>;

  @Column({ type: 'varchar', length: 20 })
  role: CourseRole;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;
}
