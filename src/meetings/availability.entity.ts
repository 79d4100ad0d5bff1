import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Course } from '../courses/course.entity';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';

/**
 * What one expert publishes for one course: the zone their windows are read in and the rules of
 * booking. The windows and days off are child rows, replaced as a whole on every save.
 */
@Entity('availabilities')
@Index('UQ_availabilities', ['courseId', 'userId'], { unique: true })
export class Availability {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_availabilities_course' })
  course: Relation<Course>;

  @Index('IX_availabilities_user')
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_availabilities_user' })
  user: Relation<User>;

  /** IANA zone the windows are wall-clock times in. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ name: 'slot_minutes', type: 'integer' })
  slotMinutes: number;

  @Column({ name: 'buffer_minutes', type: 'integer' })
  bufferMinutes: number;

  @Column({ name: 'min_notice_minutes', type: 'integer' })
  minNoticeMinutes: number;

  @Column({ name: 'horizon_days', type: 'integer' })
  horizonDays: number;

  /** At most this many meetings with any one team (null: no limit). Enforced when booking. */
  @Column({ name: 'max_per_team', type: 'integer', nullable: true })
  maxPerTeam: number | null;

  /** Raised on every save; a save from a page showing an older version is refused (edit conflict). */
  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;
}

/** A window every week on one ISO weekday (1 = Monday), "HH:MM" in the availability's zone. */
@Entity('availability_weekly_windows')
export class AvailabilityWeeklyWindow {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IX_availability_weekly_windows_availability')
  @Column({ name: 'availability_id', type: 'integer' })
  availabilityId: number;

  @ManyToOne(() => Availability, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'availability_id', foreignKeyConstraintName: 'FK_availability_weekly_windows_availability' })
  availability: Relation<Availability>;

  @Column({ type: 'integer' })
  weekday: number;

  @Column({ name: 'start_time', type: 'varchar', length: 5 })
  startTime: string;

  @Column({ name: 'end_time', type: 'varchar', length: 5 })
  endTime: string;
}

/** A window on one calendar day (in the availability's zone). */
@Entity('availability_one_off_windows')
export class AvailabilityOneOffWindow {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IX_availability_one_off_windows_availability')
  @Column({ name: 'availability_id', type: 'integer' })
  availabilityId: number;

  @ManyToOne(() => Availability, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'availability_id', foreignKeyConstraintName: 'FK_availability_one_off_windows_availability' })
  availability: Relation<Availability>;

  @Column({ type: 'date' })
  day: string;

  @Column({ name: 'start_time', type: 'varchar', length: 5 })
  startTime: string;

  @Column({ name: 'end_time', type: 'varchar', length: 5 })
  endTime: string;
}

/** A calendar day (in the availability's zone) with no meetings, whatever the windows say. */
@Entity('availability_days_off')
@Index('UQ_availability_days_off', ['availabilityId', 'day'], { unique: true })
export class AvailabilityDayOff {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'availability_id', type: 'integer' })
  availabilityId: number;

  @ManyToOne(() => Availability, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'availability_id', foreignKeyConstraintName: 'FK_availability_days_off_availability' })
  availability: Relation<Availability>;

  @Column({ type: 'date' })
  day: string;
}
