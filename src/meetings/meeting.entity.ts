import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Course } from '../courses/course.entity';
import { TIMESTAMP } from '../database/column-types';
import { Task } from '../tasks/task.entity';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';

export type MeetingKind = 'expert_consultation' | 'peer_exchange' | 'plenary' | 'other';
export type MeetingStatus = 'scheduled' | 'rescheduled' | 'cancelled' | 'held';
export type NotesStatus = 'none' | 'draft' | 'final';
/** Someone taking part besides the host and the teams' members. */
export type MeetingPersonRole = 'expert' | 'facilitator' | 'guest';

/**
 * A meeting of a course, times in UTC. The host is the person who holds it: the expert of a
 * consultation, the facilitator or expert chairing a peer exchange or plenary. A host is never
 * booked twice for one start: the partial unique index below (meetings not cancelled) is the
 * database's last word; overlaps are refused in the booking transaction (decision 53).
 */
@Entity('meetings')
@Index('IX_meetings_course_starts', ['courseId', 'startsAt'])
@Index('UQ_meetings_expert_starts', ['hostId', 'startsAt'], { unique: true, where: "status <> 'cancelled'" })
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

  /** Who holds the meeting (column renamed from expert_id by migration 1764770000000; index and key keep their names). */
  @Column({ name: 'host_id', type: 'integer' })
  hostId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'FK_meetings_expert' })
  host: Relation<User>;

  @Column({ name: 'booked_by', type: 'integer', nullable: true })
  bookedBy: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'booked_by', foreignKeyConstraintName: 'FK_meetings_booked_by' })
  booker: Relation<User> | null;

  @Column({ type: 'varchar', length: 16 })
  status: MeetingStatus;

  /** Languages interpretation was asked for, e.g. "French, Chinese" (null: none). */
  @Column({ name: 'interpretation_requested', type: 'varchar', length: 200, nullable: true })
  interpretationRequested: string | null;

  /** Languages interpretation is provided in (null: none). */
  @Column({ name: 'interpretation_provided', type: 'varchar', length: 200, nullable: true })
  interpretationProvided: string | null;

  /** Why it was last rescheduled or cancelled, as the person who did it wrote it. */
  @Column({ name: 'change_reason', type: 'text', nullable: true })
  changeReason: string | null;

  /** Notes of the meeting: none, a draft only the host and facilitators see, or final (everyone in the meeting). */
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'notes_status', type: 'varchar', length: 8, default: 'none' })
  notesStatus: NotesStatus;

  /** Who last saved the notes. */
  @Column({ name: 'notes_by', type: 'integer', nullable: true })
  notesBy: number | null;

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

/** A person taking part besides the host and the teams' members. */
@Entity('meeting_people')
@Index('UQ_meeting_people', ['meetingId', 'userId'], { unique: true })
export class MeetingPerson {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'meeting_id', type: 'integer' })
  meetingId: number;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_people_meeting' })
  meeting: Relation<Meeting>;

  @Index('IX_meeting_people_user')
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_meeting_people_user' })
  user: Relation<User>;

  @Column({ type: 'varchar', length: 16 })
  role: MeetingPersonRole;
}

/** Who was there: one row per team or per person (exactly one of the two set), replaced as a whole on save. */
@Entity('meeting_attendance')
@Index('IX_meeting_attendance_meeting', ['meetingId'])
export class MeetingAttendance {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'meeting_id', type: 'integer' })
  meetingId: number;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_attendance_meeting' })
  meeting: Relation<Meeting>;

  @Column({ name: 'team_id', type: 'integer', nullable: true })
  teamId: number | null;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_meeting_attendance_team' })
  team: Relation<Team> | null;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_meeting_attendance_user' })
  user: Relation<User> | null;

  @Column({ type: 'boolean' })
  present: boolean;
}

/** An action item agreed in a meeting; it may become a task for its team (taskId set once it has). */
@Entity('meeting_actions')
@Index('IX_meeting_actions_meeting', ['meetingId'])
export class MeetingAction {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'meeting_id', type: 'integer' })
  meetingId: number;

  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'FK_meeting_actions_meeting' })
  meeting: Relation<Meeting>;

  @Column({ name: 'team_id', type: 'integer', nullable: true })
  teamId: number | null;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_meeting_actions_team' })
  team: Relation<Team> | null;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  /** The task made from it (the relation is for the foreign key only: tasks are read through TasksService). */
  @Column({ name: 'task_id', type: 'integer', nullable: true })
  taskId: number | null;

  @ManyToOne(() => Task, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_meeting_actions_task' })
  task: Relation<Task> | null;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_meeting_actions_created_by' })
  creator: Relation<User> | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;
}
