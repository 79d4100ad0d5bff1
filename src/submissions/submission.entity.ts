import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { StoredFileColumns } from '../files/stored-file.columns';
import { Task } from '../tasks/task.entity';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';

export const SUBMISSION_STATUSES = ['not_started', 'draft', 'submitted', 'in_review', 'changes_requested', 'resubmitted', 'accepted'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** One team's (or one person's) work on one task: a working draft and a history of versions. */
@Entity('submissions')
@Index('UQ_submissions_owner', ['taskId', 'ownerKey'], { unique: true })
@Index('IX_submissions_team', ['teamId'])
@Index('IX_submissions_user', ['userId'])
@Index('IX_submissions_due_override', ['dueAtOverride'])
export class Submission {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'task_id', type: 'integer' })
  taskId: number;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'FK_submissions_task' })
  task: Relation<Task>;

  /** "team:12" or "user:34": unique per task on both databases (NULLs would not be). */
  @Column({ name: 'owner_key', type: 'varchar', length: 40 })
  ownerKey: string;

  @Column({ name: 'team_id', type: 'integer', nullable: true })
  teamId: number | null;

  @ManyToOne(() => Team, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_submissions_team' })
  team: Relation<Team> | null;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_submissions_user' })
  user: Relation<User> | null;

  @Column({ type: 'varchar', length: 30 })
  status: SubmissionStatus;

  @Column({ name: 'draft_text', type: 'text' })
  draftText: string;

  /** Increases with every saved draft: a save made from an older revision is a conflict. */
  @Column({ name: 'draft_revision', type: 'integer' })
  draftRevision: number;

  @Column({ name: 'draft_updated_at', type: TIMESTAMP, nullable: true })
  draftUpdatedAt: Date | null;

  @Column({ name: 'draft_updated_by_id', type: 'integer', nullable: true })
  draftUpdatedById: number | null;

  @Column({ type: 'boolean' })
  late: boolean;

  /** An extension granted to this team or person. */
  @Column({ name: 'due_at_override', type: TIMESTAMP, nullable: true })
  dueAtOverride: Date | null;

  @Column({ name: 'cut_off_at_override', type: TIMESTAMP, nullable: true })
  cutOffAtOverride: Date | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  /** When `status` last changed (a workflow step); null for rows written without the workflow (read `updatedAt` then). */
  @Column({ name: 'status_changed_at', type: TIMESTAMP, nullable: true })
  statusChangedAt: Date | null;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;
}

/** A file attached to the working draft. Stored files are immutable; versions refer to the same keys. */
@Entity('submission_files')
@Index('IX_submission_files_submission', ['submissionId'])
export class SubmissionFile extends StoredFileColumns {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'submission_id', type: 'integer' })
  submissionId: number;

  @ManyToOne(() => Submission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'submission_id', foreignKeyConstraintName: 'FK_submission_files_submission' })
  submission: Relation<Submission>;

  @Column({ name: 'added_by_id', type: 'integer', nullable: true })
  addedById: number | null;

  @Column({ name: 'added_at', type: TIMESTAMP })
  addedAt: Date;
}

/** A submitted version: frozen forever (v1, v2, …). */
@Entity('submission_versions')
@Index('UQ_submission_versions', ['submissionId', 'number'], { unique: true })
// The gallery's read (shared versions of a course's tasks, decision 72).
@Index('IX_submission_versions_shared', ['submissionId', 'sharedAt'], { where: 'shared_at IS NOT NULL' })
export class SubmissionVersion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'submission_id', type: 'integer' })
  submissionId: number;

  @ManyToOne(() => Submission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'submission_id', foreignKeyConstraintName: 'FK_submission_versions_submission' })
  submission: Relation<Submission>;

  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text' })
  note: string;

  @Column({ name: 'author_id', type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'FK_submission_versions_author' })
  author: Relation<User> | null;

  @Column({ name: 'submitted_at', type: TIMESTAMP })
  submittedAt: Date;

  @Column({ type: 'boolean' })
  late: boolean;

  /** Shared with the course's other teams (peer learning) since then, by the team leader. */
  @Column({ name: 'shared_at', type: TIMESTAMP, nullable: true })
  sharedAt: Date | null;

  @Column({ name: 'shared_by_id', type: 'integer', nullable: true })
  sharedById: number | null;
}

@Entity('version_files')
@Index('IX_version_files_version', ['versionId'])
@Index('IX_version_files_key', ['fileKey'])
export class VersionFile extends StoredFileColumns {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'version_id', type: 'integer' })
  versionId: number;

  @ManyToOne(() => SubmissionVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'FK_version_files_version' })
  version: Relation<SubmissionVersion>;
}

/** One step of the status workflow: who moved the submission from what to what, when, why. */
@Entity('submission_events')
@Index('IX_submission_events_submission', ['submissionId', 'at'])
export class SubmissionEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'submission_id', type: 'integer' })
  submissionId: number;

  @ManyToOne(() => Submission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'submission_id', foreignKeyConstraintName: 'FK_submission_events_submission' })
  submission: Relation<Submission>;

  @Column({ name: 'from_status', type: 'varchar', length: 30 })
  fromStatus: SubmissionStatus;

  @Column({ name: 'to_status', type: 'varchar', length: 30 })
  toStatus: SubmissionStatus;

  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'FK_submission_events_actor' })
  actor: Relation<User> | null;

  @Column({ type: TIMESTAMP })
  at: Date;

  @Column({ type: 'text' })
  note: string;
}

/** Feedback on one version: rubric levels, overall comment, decision; seen by the team once released. */
@Entity('reviews')
@Index('IX_reviews_version_release', ['versionId', 'releasedAt', 'decision'])
export class Review {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'version_id', type: 'integer' })
  versionId: number;

  @ManyToOne(() => SubmissionVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'FK_reviews_version' })
  version: Relation<SubmissionVersion>;

  @Column({ name: 'reviewer_id', type: 'integer', nullable: true })
  reviewerId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'reviewer_id', foreignKeyConstraintName: 'FK_reviews_reviewer' })
  reviewer: Relation<User> | null;

  @Column({ type: 'varchar', length: 20 })
  decision: 'accept' | 'changes';

  @Column({ type: 'text' })
  overall: string;

  /** JSON: [{ criterion, level, comment }]. */
  @Column({ type: 'text' })
  scores: string;

  @Column({ name: 'released_at', type: TIMESTAMP, nullable: true })
  releasedAt: Date | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;
}

/** A message in a submission's discussion between the team and its reviewers. */
@Entity('submission_messages')
@Index('IX_submission_messages_submission', ['submissionId', 'createdAt'])
export class SubmissionMessage {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'submission_id', type: 'integer' })
  submissionId: number;

  @ManyToOne(() => Submission, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'submission_id', foreignKeyConstraintName: 'FK_submission_messages_submission' })
  submission: Relation<Submission>;

  @Column({ name: 'author_id', type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'FK_submission_messages_author' })
  author: Relation<User> | null;

  /** Markdown. */
  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'edited_at', type: TIMESTAMP, nullable: true })
  editedAt: Date | null;
}

/** An earlier wording of an edited message: edits never erase what was written. */
@Entity('submission_message_edits')
@Index('IX_submission_message_edits_message', ['messageId'])
export class SubmissionMessageEdit {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'message_id', type: 'integer' })
  messageId: number;

  @ManyToOne(() => SubmissionMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'FK_submission_message_edits_message' })
  message: Relation<SubmissionMessage>;

  @Column({ type: 'text' })
  body: string;

  /** When this wording was replaced. */
  @Column({ name: 'replaced_at', type: TIMESTAMP })
  replacedAt: Date;
}

/** A file a reviewer attached to their feedback (e.g. an annotated copy). */
@Entity('review_files')
@Index('IX_review_files_review', ['reviewId'])
export class ReviewFile extends StoredFileColumns {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'review_id', type: 'integer' })
  reviewId: number;

  @ManyToOne(() => Review, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'review_id', foreignKeyConstraintName: 'FK_review_files_review' })
  review: Relation<Review>;
}
