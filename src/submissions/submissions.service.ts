import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { In, IsNull, type EntityManager } from 'typeorm';
import { findOrFail, FormInvalidError, NotFoundError } from '../common/errors';
import type { SniffedKind } from '../common/file-sniff';
import { renderMarkdown, renderRemembered } from '../common/markdown';
import { htmlDiff } from '../common/html-diff';
import { zonedToUtcForField } from '../common/zoned-time';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { TeamMemberships } from '../courses/team-memberships';
import { Database } from '../database/database.service';
import { rawBool, rawDate } from '../database/raw-values';
import { EventsService } from '../events/events.service';
import { downloadOf, FileStore, storedFileColumns, type StoredFile } from '../files/file-store.service';
import type { Upload } from '../files/upload';
import { readRubric } from '../tasks/rubric';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import type { ExtensionDto, ReviewDto, SubmitDto } from './dto/submission.dto';
import { Review, ReviewFile, Submission, SubmissionEvent, SubmissionFile, type SubmissionStatus, SubmissionVersion, VersionFile } from './submission.entity';
import {
  AlreadyAcceptedError,
  AlreadySubmittedError,
  CutOffPassedError,
  DraftConflictError,
  NothingToReviewError,
  NothingToSubmitError,
  NotTheSubmitterError,
  StaleDraftError,
  StaleVersionError,
  TaskNotOpenError,
} from './submissions.errors';
import { toFileView, type FileView } from './submission.view';
import { isAwaitingReview, STATUS_LABELS, submitAction, transition, type WorkflowAction } from './workflow';
import { type Owner, ownerKey, parseOwner } from './owner';

/** A submission's row as a hand-written read gives it (SQLite: 1/0 and UTC text; PostgreSQL: booleans and Dates). */
interface SubmissionRow {
  id: number | string;
  taskId: number | string;
  ownerKey: string;
  teamId: number | string | null;
  userId: number | string | null;
  status: SubmissionStatus;
  draftText: string;
  draftRevision: number | string;
  draftUpdatedAt: Date | string | null;
  draftUpdatedById: number | string | null;
  late: boolean | number;
  dueAtOverride: Date | string | null;
  cutOffAtOverride: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

function submissionOfRow(r: SubmissionRow): Submission {
  const num = (x: number | string | null) => (x === null ? null : Number(x));
  const at = (x: Date | string | null) => (x === null ? null : rawDate(x));
  return Object.assign(new Submission(), {
    id: Number(r.id),
    taskId: Number(r.taskId),
    ownerKey: r.ownerKey,
    teamId: num(r.teamId),
    userId: num(r.userId),
    status: r.status,
    draftText: r.draftText,
    draftRevision: Number(r.draftRevision),
    draftUpdatedAt: at(r.draftUpdatedAt),
    draftUpdatedById: num(r.draftUpdatedById),
    late: rawBool(r.late),
    dueAtOverride: at(r.dueAtOverride),
    cutOffAtOverride: at(r.cutOffAtOverride),
    createdAt: rawDate(r.createdAt),
    updatedAt: rawDate(r.updatedAt),
  });
}

/** A task as the tasks module gives it (the submissions module never reads the tasks table). */
export type TaskOfWork = Awaited<ReturnType<TasksService['task']>>;

/** For callers that still import owner helpers from here; the one implementation is ./owner. */
export { type Owner, ownerParam, parseOwner } from './owner';

export interface SubmissionContext {
  v: CourseViewer;
  task: TaskOfWork;
  owner: Owner;
  ownerKey: string;
  ownerLabel: string;
  submission: Submission | null;
  canEdit: boolean;
  canSubmit: boolean;
  canReview: boolean;
}

const REVIEW_FILE_KINDS: SniffedKind[] = ['pdf', 'docx', 'odt', 'xlsx', 'pptx', 'txt'];

@Injectable()
export class SubmissionsService {
  constructor(
    private readonly db: Database,
    private readonly files: FileStore,
    private readonly tasks: TasksService,
    private readonly teams: TeamsService,
    private readonly users: UsersService,
    private readonly memberships: TeamMemberships,
    private readonly events: EventsService,
  ) {}

  /**
   * Who may do what with one team's or person's submission for a task (`:taskId`, `:owner` of the
   * address); 404 for anyone else, and for another team's work.
   */
  async context(v: CourseViewer, taskId: number, ownerSegment: string): Promise<SubmissionContext> {
    const owner = findOrFail(parseOwner(ownerSegment));
    const { task, teamIds: links } = await this.tasks.withTeams(v, taskId);
    const inAudience = (teamId: number) => task.audience === 'all' || links.includes(teamId);
    let ownerLabel: string;
    let canEdit: boolean;
    let canSubmit: boolean;
    let canReview = v.canManage;
    if (task.kind === 'team') {
      const team = findOrFail(owner.teamId ? await this.teams.teamInCourse(v.course.id, owner.teamId) : null);
      if (!inAudience(team.id)) throw new NotFoundError();
      const member = v.memberTeamIds.includes(team.id);
      canReview = canReview || v.expertTeamIds.includes(team.id);
      if (!member && !canReview) throw new NotFoundError();
      canEdit = member;
      canSubmit = v.leaderTeamIds.includes(team.id);
      ownerLabel = team.name;
    } else {
      if (!owner.userId) throw new NotFoundError();
      const teamIds = (await this.memberships.inCourse(owner.userId, v.course.id)).map((r) => r.teamId).filter(inAudience);
      if (!teamIds.length) throw new NotFoundError();
      const self = owner.userId === v.user.id;
      canReview = canReview || teamIds.some((id) => v.expertTeamIds.includes(id));
      if (!self && !canReview) throw new NotFoundError();
      canEdit = canSubmit = self;
      ownerLabel = findOrFail((await this.users.namesByIds([owner.userId])).get(owner.userId));
    }
    const key = ownerKey(owner);
    const [row] = await this.db.rows<SubmissionRow>`
      SELECT id, task_id AS "taskId", owner_key AS "ownerKey", team_id AS "teamId", user_id AS "userId", status, draft_text AS "draftText",
        draft_revision AS "draftRevision", draft_updated_at AS "draftUpdatedAt", draft_updated_by_id AS "draftUpdatedById", late,
        due_at_override AS "dueAtOverride", cut_off_at_override AS "cutOffAtOverride", created_at AS "createdAt", updated_at AS "updatedAt"
      FROM submissions WHERE task_id = ${task.id} AND owner_key = ${key}`;
    const submission = row ? submissionOfRow(row) : null;
    return { v, task, owner, ownerKey: key, ownerLabel, submission, canEdit, canSubmit, canReview };
  }

  deadlines(ctx: SubmissionContext, now = new Date()) {
    const due = ctx.submission?.dueAtOverride ?? ctx.task.dueAt;
    // An extension replaces both times: without its own cut-off, the extended task has none.
    const cutOff = ctx.submission?.dueAtOverride ? ctx.submission.cutOffAtOverride : ctx.task.cutOffAt;
    return {
      opensAt: ctx.task.opensAt,
      dueAt: due,
      cutOffAt: cutOff,
      extended: Boolean(ctx.submission?.dueAtOverride),
      notOpenYet: now < ctx.task.opensAt,
      late: now > due,
      closed: cutOff !== null && now > cutOff,
    };
  }

  /** Saves the working draft unless someone saved it since the page was opened (then: conflict). */
  async saveDraft(ctx: SubmissionContext, text: string, revision: number): Promise<Submission> {
    this.assertCanWork(ctx);
    const userId = ctx.v.user.id;
    return this.db.tx(async (em) => {
      const sub = await this.ensure(em, ctx);
      if (sub.status === 'accepted') throw AlreadyAcceptedError.onDraft();
      const now = new Date();
      const r = await em
        .createQueryBuilder()
        .update(Submission)
        .set({ draftText: text, draftRevision: () => 'draft_revision + 1', draftUpdatedAt: now, draftUpdatedById: userId, updatedAt: now })
        .where('id = :id AND draft_revision = :revision', { id: sub.id, revision })
        .execute();
      if (r.affected !== 1) throw await this.conflict(em, sub, text);
      if (sub.status === 'not_started') await this.move(em, sub, 'edit', userId, '');
      return em.getRepository(Submission).findOneByOrFail({ id: sub.id });
    });
  }

  /** Both texts of a draft that someone saved after this page was opened. */
  private async conflict(em: EntityManager, sub: Submission, mine: string): Promise<DraftConflictError> {
    const current = await em.getRepository(Submission).findOneByOrFail({ id: sub.id });
    const by = current.draftUpdatedById ? await this.users.findById(current.draftUpdatedById) : null;
    return new DraftConflictError(mine, current.draftText, current.draftRevision, by?.name ?? null, current.draftUpdatedAt);
  }

  /** Attaches a file to the draft: checked, stored, then its row written; on any failure nothing remains. */
  async addFile(ctx: SubmissionContext, upload: Upload | null | undefined): Promise<SubmissionFile> {
    this.assertCanWork(ctx);
    if (!ctx.task.expectsFiles) throw FormInvalidError.field('file', 'This task does not ask for files.');
    if (!upload) throw FormInvalidError.field('file', 'Choose a file to attach.');
    const allowed = ctx.task.allowedTypes.split(',').filter(Boolean) as SniffedKind[];
    const existing = ctx.submission ? await this.db.repo(SubmissionFile).countBy({ submissionId: ctx.submission.id }) : 0;
    if (existing >= ctx.task.maxFiles)
      throw FormInvalidError.field('file', `A submission for this task may have at most ${ctx.task.maxFiles} file(s). Remove one first.`);
    const stored = await this.files.keep(upload, 'file', allowed);
    try {
      return await this.db.tx(async (em) => {
        const sub = await this.ensure(em, ctx);
        if ((await em.getRepository(SubmissionFile).countBy({ submissionId: sub.id })) >= ctx.task.maxFiles) {
          throw FormInvalidError.field('file', `A submission for this task may have at most ${ctx.task.maxFiles} file(s). Remove one first.`);
        }
        const row = await em
          .getRepository(SubmissionFile)
          .save(em.getRepository(SubmissionFile).create({ submissionId: sub.id, ...storedFileColumns(stored), addedById: ctx.v.user.id, addedAt: new Date() }));
        if (sub.status === 'not_started') await this.move(em, sub, 'edit', ctx.v.user.id, '');
        await em.getRepository(Submission).update({ id: sub.id }, { updatedAt: new Date() });
        return row;
      });
    } catch (err) {
      await this.files.discard(stored.key);
      throw err;
    }
  }

  async removeFile(ctx: SubmissionContext, fileId: number): Promise<SubmissionFile> {
    this.assertCanWork(ctx);
    const file = await this.draftFile(ctx, fileId);
    await this.db.tx((em) => em.getRepository(SubmissionFile).delete({ id: file.id }));
    // Versions keep their files: only a file no version refers to is deleted from the store.
    if (!(await this.db.repo(VersionFile).existsBy({ fileKey: file.fileKey }))) await this.files.discard(file.fileKey);
    return file;
  }

  /**
   * Freezes the draft into the next immutable version. With `text` (the editor's content, from the
   * one draft form), that text is saved into the draft and frozen in the same transaction; if
   * someone saved the draft since the page was opened, nothing changes and both texts go to the
   * conflict page. Without it (the older submit-only form), the saved draft is frozen.
   */
  async submit(ctx: SubmissionContext, dto: SubmitDto & { text?: string }): Promise<SubmissionVersion> {
    if (!ctx.canSubmit) throw new NotTheSubmitterError(ctx.task.kind === 'team');
    const d = this.deadlines(ctx);
    if (d.notOpenYet) throw new TaskNotOpenError();
    if (d.closed) throw CutOffPassedError.onSubmit();
    return this.db.tx(async (em) => {
      const sub = await this.ensure(em, ctx);
      const action = submitAction(sub.status);
      if (!action) {
        const latest = await em.getRepository(SubmissionVersion).findOne({ where: { submissionId: sub.id }, order: { number: 'DESC' } });
        throw sub.status === 'accepted' ? AlreadyAcceptedError.onSubmit() : new AlreadySubmittedError(latest?.number ?? null);
      }
      const typed = dto.text;
      if (sub.draftRevision !== dto.revision && !(typed !== undefined && typed === sub.draftText)) {
        if (typed === undefined) throw new StaleDraftError();
        throw await this.conflict(em, sub, typed);
      }
      const text = typed ?? sub.draftText;
      const files = await em.getRepository(SubmissionFile).findBy({ submissionId: sub.id });
      const problems: string[] = [];
      if (!text.trim() && !files.length) problems.push('The draft is empty: write the text or attach files before submitting.');
      else {
        if (ctx.task.expectsText && !ctx.task.expectsFiles && !text.trim()) problems.push('This task asks for text: the draft has none.');
        if (ctx.task.expectsFiles && !ctx.task.expectsText && !files.length) problems.push('This task asks for files: attach at least one.');
      }
      if (problems.length) throw new NothingToSubmitError(problems);
      const now = new Date();
      if (text !== sub.draftText) {
        await em
          .getRepository(Submission)
          .update(
            { id: sub.id },
            { draftText: text, draftRevision: sub.draftRevision + 1, draftUpdatedAt: now, draftUpdatedById: ctx.v.user.id, updatedAt: now },
          );
      }
      const last = await em.getRepository(SubmissionVersion).findOne({ where: { submissionId: sub.id }, order: { number: 'DESC' } });
      const late = now > d.dueAt;
      const version = await em.getRepository(SubmissionVersion).save(
        em.getRepository(SubmissionVersion).create({
          submissionId: sub.id,
          number: (last?.number ?? 0) + 1,
          text,
          note: dto.note,
          authorId: ctx.v.user.id,
          submittedAt: now,
          late,
          sharedAt: null,
          sharedById: null,
        }),
      );
      if (files.length) {
        await em.getRepository(VersionFile).insert(
          files.map((f) => ({
            versionId: version.id,
            fileKey: f.fileKey,
            fileName: f.fileName,
            fileType: f.fileType,
            fileSize: f.fileSize,
            fileSha256: f.fileSha256,
          })),
        );
      }
      sub.late = sub.late || late;
      await this.move(em, sub, action, ctx.v.user.id, dto.note ? `Version ${version.number}: ${dto.note}` : `Version ${version.number}`);
      await this.events.record(em, {
        kind: 'submission.submitted',
        actorId: ctx.v.user.id,
        courseId: ctx.task.courseId,
        subject: { type: 'submission', id: sub.id },
        payload: { taskId: ctx.task.id, version: version.number, late },
      });
      return version;
    });
  }

  /** Saves or releases a review of the latest version; releasing applies the decision. */
  async review(ctx: SubmissionContext, dto: ReviewDto, upload?: Upload | null): Promise<Review> {
    if (!ctx.canReview) throw new NotFoundError();
    const sub = findOrFail(ctx.submission);
    const rubric = readRubric(ctx.task.rubric);
    const levels = dto.levels ?? [];
    const comments = dto.comments ?? [];
    const scores = rubric.map((c, i) => ({ criterion: c.title, level: levels[i] ?? '', comment: (comments[i] ?? '').trim() }));
    const problems: Record<string, string[]> = {};
    for (const [i, s] of scores.entries()) {
      if (s.level && !rubric[i].levels.some((l) => l.label === s.level)) (problems.levels ??= []).push(`Choose a level of “${rubric[i].title}” from the list.`);
    }
    if (dto.action === 'release') {
      if (scores.some((s) => !s.level)) (problems.levels ??= []).push('Choose a level for every criterion before releasing the review.');
      if (!dto.overall.trim()) (problems.overall ??= []).push('Write overall feedback before releasing the review.');
    }
    if (Object.keys(problems).length) throw new FormInvalidError(problems);
    const stored = upload ? await this.files.keep(upload, 'file', REVIEW_FILE_KINDS) : null;
    try {
      return await this.saveReview(ctx, sub, dto, scores, stored);
    } catch (err) {
      if (stored) await this.files.discard(stored.key);
      throw err;
    }
  }

  private saveReview(ctx: SubmissionContext, sub: Submission, dto: ReviewDto, scores: unknown[], stored: StoredFile | null): Promise<Review> {
    return this.db.tx(async (em) => {
      const current = await this.locked(em, { id: sub.id });
      const latest = findOrFail(await em.getRepository(SubmissionVersion).findOne({ where: { submissionId: sub.id }, order: { number: 'DESC' } }));
      if (latest.number !== dto.versionNumber) throw new StaleVersionError(latest.number, dto.versionNumber);
      if (!isAwaitingReview(current.status)) throw new NothingToReviewError(current.status);
      const now = new Date();
      let review = await em.getRepository(Review).findOneBy({ versionId: latest.id, reviewerId: ctx.v.user.id, releasedAt: IsNull() });
      review ??= em.getRepository(Review).create({ versionId: latest.id, reviewerId: ctx.v.user.id, createdAt: now });
      Object.assign(review, {
        decision: dto.decision,
        overall: dto.overall,
        scores: JSON.stringify(scores),
        updatedAt: now,
        releasedAt: dto.action === 'release' ? now : null,
      });
      review = await em.getRepository(Review).save(review);
      if (stored) {
        await em.getRepository(ReviewFile).insert({ reviewId: review.id, ...storedFileColumns(stored) });
      }
      if (current.status !== 'in_review') await this.move(em, current, 'startReview', ctx.v.user.id, `Review of version ${latest.number} started`);
      if (dto.action === 'release') {
        await this.move(em, current, dto.decision === 'accept' ? 'accept' : 'requestChanges', ctx.v.user.id, `Feedback on version ${latest.number} released`);
        await this.events.record(em, {
          kind: 'review.released',
          actorId: ctx.v.user.id,
          courseId: ctx.task.courseId,
          subject: { type: 'review', id: review.id },
          payload: { submissionId: current.id, taskId: ctx.task.id, version: latest.number, decision: dto.decision },
        });
      }
      return review;
    });
  }

  private reviewFiles(reviewIds: number[]): Promise<ReviewFile[]> {
    return reviewIds.length ? this.db.repo(ReviewFile).findBy({ reviewId: In(reviewIds) }) : Promise.resolve([]);
  }

  /** The files of one review, as the review form shows them. */
  async reviewFileViews(reviewId: number): Promise<FileView[]> {
    return (await this.reviewFiles([reviewId])).map(toFileView);
  }

  /** A reviewer's file: for reviewers always, for the team once the review is released. */
  async reviewFile(ctx: SubmissionContext, reviewId: number, fileId: number): Promise<ReviewFile> {
    const sub = findOrFail(ctx.submission);
    const found = await this.db
      .repo(Review)
      .createQueryBuilder('r')
      .innerJoin(SubmissionVersion, 'v', 'v.id = r.version_id')
      .where('r.id = :reviewId AND v.submission_id = :sid', { reviewId, sid: sub.id })
      .getOne();
    const review = findOrFail(found);
    // Unreleased feedback is its reviewer's own until released.
    if (!review.releasedAt && !(ctx.canReview && review.reviewerId === ctx.v.user.id)) throw new NotFoundError();
    return findOrFail(await this.db.repo(ReviewFile).findOneBy({ id: fileId, reviewId }));
  }

  /** A manager reopens accepted work for more changes. */
  async reopen(m: CourseManager, ctx: SubmissionContext, note: string): Promise<void> {
    const { id } = findOrFail(ctx.submission);
    await this.db.tx(async (em) => {
      const sub = await this.locked(em, { id });
      const from = sub.status;
      await this.move(em, sub, 'reopen', m.user.id, note || 'Reopened for more changes');
      await this.events.record(em, {
        kind: 'submission.reopened',
        actorId: m.user.id,
        courseId: m.course.id,
        subject: { type: 'submission', id: sub.id },
        payload: { taskId: ctx.task.id, from },
      });
    });
  }

  /**
   * A manager grants new due and cut-off times for this work, typed in the course's zone; a time
   * skipped by a daylight-saving change is refused at its field (422), as on the task form.
   */
  async extend(m: CourseManager, ctx: SubmissionContext, dto: ExtensionDto): Promise<void> {
    const zone = m.course.timeZone;
    const problems: Record<string, string[]> = {};
    const due = zonedToUtcForField(problems, 'dueTime', dto.dueDay, dto.dueTime, zone);
    const cutOff = zonedToUtcForField(problems, 'cutOffTime', dto.cutOffDay, dto.cutOffTime, zone);
    if (due && cutOff && cutOff < due) (problems.cutOffDay ??= []).push('The cut-off cannot be before the new due time.');
    if (Object.keys(problems).length) throw new FormInvalidError(problems);
    await this.db.tx(async (em) => {
      const sub = await this.ensure(em, ctx);
      await em.getRepository(Submission).update({ id: sub.id }, { dueAtOverride: due, cutOffAtOverride: cutOff, updatedAt: new Date() });
      await em
        .getRepository(SubmissionEvent)
        .insert({ submissionId: sub.id, fromStatus: sub.status, toStatus: sub.status, actorId: m.user.id, at: new Date(), note: 'Extension granted' });
      await this.events.record(em, {
        kind: 'extension.granted',
        actorId: m.user.id,
        courseId: m.course.id,
        subject: { type: 'submission', id: sub.id },
        payload: { taskId: ctx.task.id, dueAt: due?.toISOString() ?? null, cutOffAt: cutOff?.toISOString() ?? null },
      });
    });
  }

  /**
   * Everything the submission page shows (a constant number of queries). The names of everyone it
   * mentions, and of `alsoName` (the discussion's authors), come from one look-up: `nameOf`.
   */
  async page(ctx: SubmissionContext, alsoName: (number | null)[] = []) {
    const sub = ctx.submission;
    if (!sub) {
      const names = await this.users.namesByIds(alsoName.filter((x): x is number => x !== null));
      const nameOf = (id: number | null) => (id !== null ? names.get(id) : undefined) ?? '—';
      return { status: 'not_started' as SubmissionStatus, draftText: '', draftRevision: 0, files: [] as FileView[], versions: [], events: [], nameOf };
    }
    // Hand-written reads of the columns shown (decision 54), each by the submission's id: the
    // version, review and file rows of every version in one statement each, whatever their number.
    const id = sub.id;
    type FileRow = { id: number | string; ownerId: number | string; fileName: string; fileType: string; fileSize: number | string };
    const [files, versions, events, vfiles, reviews, rfiles] = await Promise.all([
      this.db.rows<FileRow>`
        SELECT id, submission_id AS "ownerId", file_name AS "fileName", file_type AS "fileType", file_size AS "fileSize"
        FROM submission_files WHERE submission_id = ${id} ORDER BY added_at, id`,
      this.db.rows<{
        id: number | string;
        number: number | string;
        text: string;
        note: string;
        authorId: number | string | null;
        submittedAt: Date | string;
        late: boolean | number;
        sharedAt: Date | string | null;
      }>`
        SELECT id, number, text, note, author_id AS "authorId", submitted_at AS "submittedAt", late, shared_at AS "sharedAt"
        FROM submission_versions WHERE submission_id = ${id} ORDER BY number DESC`,
      this.db.rows<{ fromStatus: SubmissionStatus; toStatus: SubmissionStatus; actorId: number | string | null; at: Date | string; note: string }>`
        SELECT from_status AS "fromStatus", to_status AS "toStatus", actor_id AS "actorId", at, note
        FROM submission_events WHERE submission_id = ${id} ORDER BY at, id`,
      this.db.rows<FileRow>`
        SELECT f.id, f.version_id AS "ownerId", f.file_name AS "fileName", f.file_type AS "fileType", f.file_size AS "fileSize"
        FROM version_files f JOIN submission_versions v ON v.id = f.version_id WHERE v.submission_id = ${id} ORDER BY f.id`,
      this.db.rows<{
        id: number | string;
        versionId: number | string;
        reviewerId: number | string | null;
        decision: Review['decision'];
        overall: string;
        scores: string;
        releasedAt: Date | string | null;
      }>`
        SELECT r.id, r.version_id AS "versionId", r.reviewer_id AS "reviewerId", r.decision, r.overall, r.scores, r.released_at AS "releasedAt"
        FROM reviews r JOIN submission_versions v ON v.id = r.version_id WHERE v.submission_id = ${id} ORDER BY r.created_at, r.id`,
      this.db.rows<FileRow>`
        SELECT f.id, f.review_id AS "ownerId", f.file_name AS "fileName", f.file_type AS "fileType", f.file_size AS "fileSize"
        FROM review_files f JOIN reviews r ON r.id = f.review_id JOIN submission_versions v ON v.id = r.version_id
        WHERE v.submission_id = ${id} ORDER BY f.id`,
    ]);
    const num = (x: number | string | null) => (x === null ? null : Number(x));
    const fileView = (f: FileRow): FileView => ({ id: Number(f.id), fileName: f.fileName, fileType: f.fileType, fileSize: Number(f.fileSize) });
    const filesOf = (rows: FileRow[]) => {
      const by = new Map<number, FileView[]>();
      for (const f of rows) {
        const list = by.get(Number(f.ownerId)) ?? [];
        list.push(fileView(f));
        by.set(Number(f.ownerId), list);
      }
      return (ownerId: number) => by.get(ownerId) ?? [];
    };
    const versionFiles = filesOf(vfiles);
    const reviewFiles = filesOf(rfiles);
    const people = [
      ...alsoName,
      ...versions.map((x) => num(x.authorId)),
      ...events.map((e) => num(e.actorId)),
      ...reviews.map((r) => num(r.reviewerId)),
    ].filter((x): x is number => x !== null);
    const names = await this.users.namesByIds(people);
    const nameOf = (id: number | null) => (id !== null ? names.get(id) : undefined) ?? '—';
    const rubric = readRubric(ctx.task.rubric);
    return {
      status: sub.status,
      draftText: sub.draftText,
      draftRevision: sub.draftRevision,
      files: files.map(fileView),
      versions: versions.map((x, i) => {
        const versionId = Number(x.id);
        return {
          id: versionId,
          number: Number(x.number),
          isLatest: i === 0,
          author: nameOf(num(x.authorId)),
          submittedAt: rawDate(x.submittedAt),
          late: rawBool(x.late),
          note: x.note,
          sharedAt: x.sharedAt === null ? null : rawDate(x.sharedAt),
          html: renderRemembered(x.text),
          files: versionFiles(versionId),
          reviews: reviews
            .filter((r) => Number(r.versionId) === versionId && (r.releasedAt !== null || (ctx.canReview && num(r.reviewerId) === ctx.v.user.id)))
            .map((r) => ({
              id: Number(r.id),
              reviewer: nameOf(num(r.reviewerId)),
              decision: r.decision,
              decisionLabel: r.decision === 'accept' ? 'Accepted' : 'Changes requested',
              released: r.releasedAt !== null,
              releasedAt: r.releasedAt === null ? null : rawDate(r.releasedAt),
              overallHtml: renderRemembered(r.overall, 5),
              summaryHtml: renderRemembered(r.overall, 3),
              files: reviewFiles(Number(r.id)),
              scores: (JSON.parse(r.scores) as { criterion: string; level: string; comment: string }[]).map((s) => ({
                ...s,
                descriptor: rubric.find((c) => c.title === s.criterion)?.levels.find((l) => l.label === s.level)?.descriptor ?? '',
              })),
            })),
        };
      }),
      events: events.map((e) => ({
        at: rawDate(e.at),
        from: STATUS_LABELS[e.fromStatus],
        to: STATUS_LABELS[e.toStatus],
        changed: e.fromStatus !== e.toStatus,
        actor: nameOf(num(e.actorId)),
        note: e.note,
      })),
      nameOf,
    };
  }

  /** My own unreleased review of the latest version, to continue it. */
  async myDraftReview(ctx: SubmissionContext, versionId: number): Promise<Review | null> {
    return this.db.repo(Review).findOneBy({ versionId, reviewerId: ctx.v.user.id, releasedAt: IsNull() });
  }

  private async version(ctx: SubmissionContext, number: number): Promise<SubmissionVersion & { files: VersionFile[] }> {
    const sub = findOrFail(ctx.submission);
    const v = findOrFail(Number.isSafeInteger(number) ? await this.db.repo(SubmissionVersion).findOneBy({ submissionId: sub.id, number }) : null);
    return Object.assign(v, { files: await this.db.repo(VersionFile).findBy({ versionId: v.id }) });
  }

  /** Numbers of the submitted versions, newest first (for choosing two to compare). */
  async versionNumbers(ctx: SubmissionContext): Promise<number[]> {
    if (!ctx.submission) return [];
    const rows = await this.db
      .repo(SubmissionVersion)
      .find({ where: { submissionId: ctx.submission.id }, select: { number: true }, order: { number: 'DESC' } });
    return rows.map((r) => r.number);
  }

  /**
   * Word-level differences of two versions' texts, rendered as the team wrote them (Markdown) with
   * the changed words marked, and their file changes (by content hash).
   */
  async compare(ctx: SubmissionContext, from: number, to: number) {
    const [a, b] = await Promise.all([this.version(ctx, from), this.version(ctx, to)]);
    const inline = htmlDiff(renderMarkdown(a.text, 3), renderMarkdown(b.text, 3));
    const sides = htmlDiff(renderMarkdown(a.text, 4), renderMarkdown(b.text, 4));
    const byName = (files: VersionFile[]) => new Map(files.map((f) => [f.fileName, f]));
    const fa = byName(a.files);
    const fb = byName(b.files);
    const fileChanges = [
      ...[...fb.values()].filter((f) => !fa.has(f.fileName)).map((f) => ({ name: f.fileName, change: 'added' })),
      ...[...fa.values()].filter((f) => !fb.has(f.fileName)).map((f) => ({ name: f.fileName, change: 'removed' })),
      ...[...fb.values()]
        .filter((f) => fa.has(f.fileName) && fa.get(f.fileName)!.fileSha256 !== f.fileSha256)
        .map((f) => ({ name: f.fileName, change: 'changed' })),
      ...[...fb.values()]
        .filter((f) => fa.has(f.fileName) && fa.get(f.fileName)!.fileSha256 === f.fileSha256)
        .map((f) => ({ name: f.fileName, change: 'unchanged' })),
    ];
    return {
      from: { number: a.number, submittedAt: a.submittedAt },
      to: { number: b.number, submittedAt: b.submittedAt },
      inlineHtml: inline.inline,
      beforeHtml: sides.before,
      afterHtml: sides.after,
      compared: inline.compared,
      stats: { added: inline.added, removed: inline.removed },
      fileChanges,
    };
  }

  async draftFile(ctx: SubmissionContext, fileId: number): Promise<SubmissionFile> {
    const sub = findOrFail(ctx.submission);
    return findOrFail(await this.db.repo(SubmissionFile).findOneBy({ id: fileId, submissionId: sub.id }));
  }

  async versionFile(ctx: SubmissionContext, number: number, fileId: number): Promise<VersionFile> {
    const v = await this.version(ctx, number);
    return findOrFail(v.files.find((x) => x.id === fileId));
  }

  /** Sends a draft's, a version's or a review's file as a download. */
  sendFile(res: Response, row: SubmissionFile | VersionFile | ReviewFile): Promise<void> {
    return this.files.send(res, downloadOf(row));
  }

  private assertCanWork(ctx: SubmissionContext) {
    if (!ctx.canEdit) throw new NotFoundError();
    const d = this.deadlines(ctx);
    if (d.notOpenYet) throw new TaskNotOpenError();
    if (d.closed) throw CutOffPassedError.onDraft();
  }

  /**
   * The submission row, created on first use (status "not started"), and locked for the rest of
   * the transaction on PostgreSQL so that two requests (a double click, two reviewers) are applied
   * one after the other. On SQLite, Database.tx() already runs transactions one at a time.
   */
  async ensure(em: EntityManager, ctx: SubmissionContext): Promise<Submission> {
    const now = new Date();
    await em
      .createQueryBuilder()
      .insert()
      .into(Submission)
      .values({
        taskId: ctx.task.id,
        ownerKey: ctx.ownerKey,
        teamId: ctx.owner.teamId,
        userId: ctx.owner.userId,
        status: 'not_started',
        draftText: '',
        draftRevision: 0,
        draftUpdatedAt: null,
        draftUpdatedById: null,
        late: false,
        dueAtOverride: null,
        cutOffAtOverride: null,
        createdAt: now,
        statusChangedAt: now,
        updatedAt: now,
      })
      .orIgnore()
      .execute();
    return this.locked(em, { taskId: ctx.task.id, ownerKey: ctx.ownerKey });
  }

  private locked(em: EntityManager, where: { id: number } | { taskId: number; ownerKey: string }): Promise<Submission> {
    return em.getRepository(Submission).findOneOrFail({ where, ...(this.db.isPostgres ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Applies one workflow action and records it. */
  private async move(em: EntityManager, sub: Submission, action: WorkflowAction, actorId: number, note: string) {
    const to = transition(action, sub.status);
    const now = new Date();
    await em.getRepository(SubmissionEvent).insert({ submissionId: sub.id, fromStatus: sub.status, toStatus: to, actorId, at: now, note });
    await em.getRepository(Submission).update({ id: sub.id }, { status: to, late: sub.late, statusChangedAt: now, updatedAt: now });
    sub.status = to;
  }

  // Read API for housekeeping

  /** Keys of the stored files this module's rows name (draft, version and review files), or those of them `among` these keys (one statement); housekeeping keeps these. */
  async referencedFileKeys(among?: readonly string[]): Promise<string[]> {
    if (among) {
      if (!among.length) return [];
      const list = [...among];
      const rows = await this.db.rows<{ key: string }>`
        SELECT file_key AS "key" FROM submission_files WHERE file_key IN ${list}
        UNION SELECT file_key FROM version_files WHERE file_key IN ${list}
        UNION SELECT file_key FROM review_files WHERE file_key IN ${list}`;
      return rows.map((r) => r.key);
    }
    const keys: string[] = [];
    for (const entity of [SubmissionFile, VersionFile, ReviewFile]) {
      const rows: { key: string }[] = await this.db
        .repo(entity)
        .createQueryBuilder('f')
        .select('f.file_key', 'key')
        .where('f.file_key IS NOT NULL')
        .getRawMany();
      keys.push(...rows.map((r) => r.key));
    }
    return keys;
  }
}
