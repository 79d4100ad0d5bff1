import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Course } from '../courses/course.entity';
import { TIMESTAMP } from '../database/column-types';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';

export type MeetingKind = 'expert_consultation' | 'peer_exchange' | 'plenary' | 'other';
export type MeetingStatus = 'scheduled' | 'cancelled';

/**
 * A meeting of a course, times in UTC. An expert is never booked twice for one start: the partial
 * unique index below (meetings not cancelled) is the database's last word; overlaps are refused
 * in the booking transaction (decision 54).
 */
@Entity('meetings')
@Index('IX_meetings_course_starts', ['courseId', 'startsAt'])
@Index('UQ_meetings_expert_starts', ['expertId', 'startsAt'], { unique: true, where: "status <> 'cancelled'" })
export class Meeting {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_meetings_course' })
  course: Relation<Course>;

  @Column({ type: 'varchar', length: 32 })
  kind: MeetingKind;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  agenda: string;

  @Column({ name: 'online_link', type: 'varchar', length: 500, nullable: true })
  onlineLink: string | null;

  @Column({ name: 'starts_at', type: TIMESTAMP })
  startsAt: Date;

  @Column({ name: 'ends_at', type: TIMESTAMP })
  endsAt: Date;

  @Column({ name: 'expert_id', type: 'integer' })
  expertId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'expert_id', foreignKeyConstraintName: 'FK_meetings_expert' })
  expert: Relation<User>;

  @Column({ name: 'booked_by', type: 'integer', nullable: true })
  bookedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'booked_by', foreignKeyConstraintName: 'FK_meetings_booked_by' })
  booker: Relation<User> | null;

  @Column({ type: 'varchar', length: 16 })
  status: MeetingStatus;

  /** iCalendar SEQUENCE: raised on every change calendar apps must notice. */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;
}

/** A team taking part in a meeting. */
@Entity('meeting_teams')
@Index('UQ_meeting_teams', ['meetingId', 'teamId'], { unique: true })
export class MeetingTeam {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'meeting_id', type: 'integer' })
  meetingId: number;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_teams_meeting' })
  meeting: Relation<Meeting>;

  @Index('IX_meeting_teams_team')
  @Column({ name: 'team_id', type: 'integer' })
  teamId: number;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_meeting_teams_team' })
  team: Relation<Team>;
}
