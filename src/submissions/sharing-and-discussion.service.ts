import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream';
import { In } from 'typeorm';
import { ZipFile } from 'yazl';
import { findOrFail, FormInvalidError, NotFoundError } from '../common/errors';
import { renderMarkdown } from '../common/markdown';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
import { EventsService } from '../events/events.service';
import { downloadOf, FileStore, setDownloadHeaders } from '../files/file-store.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { submissionHref } from './owner';
import { Submission, SubmissionEvent, SubmissionMessage, SubmissionMessageEdit, SubmissionVersion, VersionFile } from './submission.entity';
import { toFileView } from './submission.view';
import { type SubmissionContext, SubmissionsService, type TaskOfWork } from './submissions.service';
import { STATUS_LABELS } from './workflow';

/** Messages may be edited for this long; every earlier wording is kept. */
export const EDIT_WINDOW_MS = 15 * 60_000;

@Injectable()
export class SharingAndDiscussionService {
  private readonly logger = new Logger('ZipExport');

  constructor(
    private readonly db: Database,
    private readonly files: FileStore,
    private readonly submissions: SubmissionsService,
    private readonly users: UsersService,
    private readonly tasks: TasksService,
    private readonly teams: TeamsService,
    private readonly events: EventsService,
  ) {}

  /** Whose work each submission is, by submission id: the team's name, or the person's (two queries). */
  private async ownerNames(subs: Pick<Submission, 'id' | 'teamId' | 'userId'>[]): Promise<Map<number, string>> {
    const [teams, people] = await Promise.all([
      this.teams.teamNames([...new Set(subs.map((s) => s.teamId).filter((x): x is number => x !== null))]),
      this.users.namesByIds(subs.map((s) => s.userId).filter((x): x is number => x !== null)),
    ]);
    return new Map(subs.map((s) => [s.id, s.teamId !== null ? (teams.get(s.teamId) ?? '') : ((s.userId !== null ? people.get(s.userId) : undefined) ?? '')]));
  }

  // Sharing between teams

  /**
   * The team leader (or the participant, for individual work) shares a version with the other
   * teams, or stops sharing it; either is recorded in the submission's timeline.
   */
  async share(ctx: SubmissionContext, number: number, shared: boolean): Promise<SubmissionVersion> {
    if (!ctx.canSubmit) throw new NotFoundError();
    const sub = findOrFail(ctx.submission);
    const v = findOrFail(await this.db.repo(SubmissionVersion).findOneBy({ submissionId: sub.id, number }));
    if ((v.sharedAt !== null) === shared) return v; // already so: nothing to record
    const now = new Date();
    v.sharedAt = shared ? now : null;
    v.sharedById = shared ? ctx.v.user.id : null;
    await this.db.tx(async (em) => {
      await em.getRepository(SubmissionVersion).update({ id: v.id }, { sharedAt: v.sharedAt, sharedById: v.sharedById });
      const note = shared ? `Version ${number} shared with the other teams (gallery)` : `Version ${number} no longer shared with the other teams`;
      await em
        .getRepository(SubmissionEvent)
        .insert({ submissionId: sub.id, fromStatus: sub.status, toStatus: sub.status, actorId: ctx.v.user.id, at: now, note });
    });
    return v;
  }

  /** Versions shared in a course's published tasks, newest first (four queries). */
  async gallery(v: CourseViewer) {
    const titles = await this.tasks.publishedTaskTitles(v.course.id);
    if (!titles.size) return [];
    // Hand-written (every team member's home shows it): the columns shown, newest first.
    const raw = await this.db.rows<{
      id: number | string;
      number: number | string;
      sharedAt: Date | string;
      submissionId: number | string;
      taskId: number | string;
      teamId: number | string | null;
      userId: number | string | null;
    }>`
      SELECT v.id, v.number, v.shared_at AS "sharedAt", s.id AS "submissionId", s.task_id AS "taskId", s.team_id AS "teamId", s.user_id AS "userId"
      FROM submission_versions v JOIN submissions s ON s.id = v.submission_id
      WHERE s.task_id IN ${[...titles.keys()]} AND v.shared_at IS NOT NULL
      ORDER BY v.shared_at DESC`;
    const rows = raw.map((r) => ({
      id: Number(r.id),
      number: Number(r.number),
      sharedAt: rawDate(r.sharedAt),
      submissionId: Number(r.submissionId),
      taskId: Number(r.taskId),
      teamId: r.teamId === null ? null : Number(r.teamId),
      userId: r.userId === null ? null : Number(r.userId),
    }));
    const owners = await this.ownerNames(rows.map((r) => ({ id: r.submissionId, teamId: r.teamId, userId: r.userId })));
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      sharedAt: r.sharedAt,
      taskTitle: titles.get(r.taskId) ?? '',
      owner: owners.get(r.submissionId) ?? '',
      teamId: r.teamId,
      userId: r.userId,
      href: `/courses/${v.course.id}/gallery/${r.id}`,
    }));
  }

  /** One shared version, for any member of the course; unshared → 404. */
  async sharedVersion(v: CourseViewer, versionId: number) {
    const r = findOrFail(
      Number.isSafeInteger(versionId) ? await this.db.repo(SubmissionVersion).findOne({ where: { id: versionId }, relations: { submission: true } }) : null,
    );
    const taskTitle = r.sharedAt ? (await this.tasks.publishedTaskTitles(v.course.id)).get(r.submission.taskId) : undefined;
    if (!r.sharedAt || taskTitle === undefined) throw new NotFoundError();
    const [files, owners, authors] = await Promise.all([
      this.db.repo(VersionFile).findBy({ versionId: r.id }),
      this.ownerNames([r.submission]),
      this.users.namesByIds(r.authorId !== null ? [r.authorId] : []),
    ]);
    return {
      id: r.id,
      number: r.number,
      html: renderMarkdown(r.text),
      sharedAt: r.sharedAt,
      submittedAt: r.submittedAt,
      author: (r.authorId !== null ? authors.get(r.authorId) : undefined) ?? '—',
      taskTitle,
      owner: owners.get(r.submissionId) ?? '',
      files: files.map(toFileView),
      // The team leader (or the person, for individual work) may stop sharing it from here too.
      unshareAction:
        (r.submission.teamId !== null && v.leaderTeamIds.includes(r.submission.teamId)) || (r.submission.teamId === null && r.submission.userId === v.user.id)
          ? `${submissionHref(v.course.id, r.submission.taskId, { teamId: r.submission.teamId, userId: r.submission.userId })}/versions/${r.number}/share`
          : null,
    };
  }

  /** A file of a shared version (the row, for sending it with `downloadOf`). */
  async sharedFile(v: CourseViewer, versionId: number, fileId: number): Promise<VersionFile> {
    const version = await this.sharedVersion(v, versionId);
    if (!version.files.some((x) => x.id === fileId)) throw new NotFoundError();
    return findOrFail(await this.db.repo(VersionFile).findOneBy({ id: fileId, versionId: version.id }));
  }

  /** Sends a file of a shared version as a download (404 unless the version is shared in this course). */
  async sendSharedFile(res: Response, v: CourseViewer, versionId: number, fileId: number): Promise<void> {
    await this.files.send(res, downloadOf(await this.sharedFile(v, versionId, fileId)));
  }

  // Discussion

  /** The discussion of a submission, oldest first; `authorId` is named by the page (one look-up for the whole page). */
  async messages(ctx: SubmissionContext) {
    if (!ctx.submission) return [];
    // Hand-written (decision 54): the columns shown.
    const raw = await this.db.rows<{
      id: number | string;
      authorId: number | string | null;
      body: string;
      createdAt: Date | string;
      editedAt: Date | string | null;
    }>`
      SELECT id, author_id AS "authorId", body, created_at AS "createdAt", edited_at AS "editedAt"
      FROM submission_messages WHERE submission_id = ${ctx.submission.id} ORDER BY created_at, id`;
    const rows = raw.map((m) => ({
      id: Number(m.id),
      authorId: m.authorId === null ? null : Number(m.authorId),
      body: m.body,
      createdAt: rawDate(m.createdAt),
      editedAt: m.editedAt === null ? null : rawDate(m.editedAt),
    }));
    // Only an edited message has earlier wordings.
    const edited = rows.filter((m) => m.editedAt).map((m) => m.id);
    const edits = edited.length
      ? await this.db.rows<{ messageId: number | string; body: string; replacedAt: Date | string }>`
          SELECT message_id AS "messageId", body, replaced_at AS "replacedAt" FROM submission_message_edits WHERE message_id IN ${edited} ORDER BY replaced_at, id`
      : [];
    const now = Date.now();
    return rows.map((m) => ({
      ...m,
      html: renderMarkdown(m.body, 4),
      canEdit: m.authorId === ctx.v.user.id && now - m.createdAt.getTime() < EDIT_WINDOW_MS,
      history: edits.filter((e) => Number(e.messageId) === m.id).map((e) => ({ body: e.body, replacedAt: rawDate(e.replacedAt) })),
    }));
  }

  async post(ctx: SubmissionContext, body: string): Promise<SubmissionMessage> {
    if (!ctx.canEdit && !ctx.canReview) throw new NotFoundError();
    if (!body.trim()) throw FormInvalidError.field('body', 'Write a message before sending it.');
    return this.db.tx(async (em) => {
      // The first activity on a submission may be a message: create it as a draft save would.
      const sub = ctx.submission ?? (await this.submissions.ensure(em, ctx));
      const message = await em
        .getRepository(SubmissionMessage)
        .save(em.getRepository(SubmissionMessage).create({ submissionId: sub.id, authorId: ctx.v.user.id, body, createdAt: new Date(), editedAt: null }));
      await this.events.record(em, {
        kind: 'comment.posted',
        actorId: ctx.v.user.id,
        courseId: ctx.task.courseId,
        subject: { type: 'message', id: message.id },
        payload: { submissionId: sub.id, taskId: ctx.task.id },
      });
      return message;
    });
  }

  /** Edits a message within the window, keeping the earlier wording in the history. */
  async edit(ctx: SubmissionContext, messageId: number, body: string): Promise<void> {
    const sub = findOrFail(ctx.submission);
    const m = findOrFail(await this.db.repo(SubmissionMessage).findOneBy({ id: messageId, submissionId: sub.id }));
    if (m.authorId !== ctx.v.user.id) throw new NotFoundError();
    if (Date.now() - m.createdAt.getTime() >= EDIT_WINDOW_MS)
      throw FormInvalidError.field('body', 'Messages can be edited for 15 minutes after sending. Write a new message instead.');
    if (!body.trim()) throw FormInvalidError.field('body', 'A message cannot be emptied; write a new message to correct it.');
    await this.db.tx(async (em) => {
      await em.getRepository(SubmissionMessageEdit).insert({ messageId: m.id, body: m.body, replacedAt: new Date() });
      await em.getRepository(SubmissionMessage).update({ id: m.id }, { body, editedAt: new Date() });
    });
  }

  // Bulk download

  /**
   * A ZIP of every team's (or person's) latest submitted version of a task: a folder each with the
   * text as Markdown and the files, plus manifest.csv. Streamed: files are read as the ZIP is sent.
   * For a manager of the task's course only.
   */
  async zip(m: CourseManager, task: TaskOfWork, res: Response): Promise<void> {
    if (task.courseId !== m.course.id) throw new NotFoundError();
    const subs = await this.db.repo(Submission).find({ where: { taskId: task.id } });
    const owners = await this.ownerNames(subs);
    const ownerName = (s: Submission) => owners.get(s.id) || `person-${s.userId}`;
    const versions = subs.length
      ? await this.db
          .repo(SubmissionVersion)
          .createQueryBuilder('v')
          .where('v.submission_id IN (:...ids)', { ids: subs.map((s) => s.id) })
          .orderBy('v.number', 'DESC')
          .getMany()
      : [];
    const latest = new Map<number, SubmissionVersion>();
    for (const x of versions) if (!latest.has(x.submissionId)) latest.set(x.submissionId, x);
    const vfiles = latest.size ? await this.db.repo(VersionFile).findBy({ versionId: In([...latest.values()].map((x) => x.id)) }) : [];
    const authors = await this.users.namesByIds([...latest.values()].map((x) => x.authorId).filter((x): x is number => x !== null));

    const zip = new ZipFile();
    const manifest = [['folder', 'team_or_person', 'version', 'submitted_at_utc', 'late', 'status', 'author', 'files'].join(',')];
    const folders = new UniqueNames(['manifest.csv']);
    for (const s of subs.sort((a, b) => ownerName(a).localeCompare(ownerName(b)) || a.id - b.id)) {
      const version = latest.get(s.id);
      if (!version) continue;
      const folder = folders.take(safeSegment(ownerName(s)));
      const text = `version-${version.number}.md`;
      const names = new UniqueNames([text]);
      const files = vfiles.filter((f) => f.versionId === version.id).sort((a, b) => a.id - b.id);
      zip.addBuffer(Buffer.from(version.text, 'utf8'), `${folder}/${text}`, { mtime: version.submittedAt });
      const written: string[] = [];
      for (const f of files) {
        const p = this.files.pathFor(f.fileKey);
        const stat = p ? fs.statSync(p, { throwIfNoEntry: false }) : undefined;
        if (!p || !stat?.isFile()) continue;
        const name = names.take(safeSegment(f.fileName));
        // Opened one at a time as the archive is sent; a read error ends the download (below), never the process.
        zip.addReadStreamLazy(`${folder}/${name}`, { mtime: version.submittedAt, size: stat.size }, (cb) =>
          cb(
            null,
            fs.createReadStream(p).on('error', (err) => zip.emit('error', err)),
          ),
        );
        written.push(name);
      }
      manifest.push(
        [
          folder,
          ownerName(s),
          String(version.number),
          version.submittedAt.toISOString(),
          version.late ? 'yes' : 'no',
          STATUS_LABELS[s.status],
          authors.get(version.authorId ?? -1) ?? '',
          written.join('; '),
        ]
          .map(csvCell)
          .join(','),
      );
    }
    zip.addBuffer(Buffer.from('\ufeff' + manifest.join('\r\n') + '\r\n', 'utf8'), 'manifest.csv');
    setDownloadHeaders(res, { name: `task-${task.id}-submissions.zip`, mime: 'application/zip' });
    zip.on('error', (err: Error) => {
      // The archive has started: all that can be done is to cut it off, so it is not taken as complete.
      this.logger.error({ msg: 'ZIP export failed', taskId: task.id, error: err.message });
      res.destroy(err);
    });
    pipeline(zip.outputStream, res, () => undefined);
    zip.end();
  }
}

// Control characters are what the expression is for: no file system takes them in a name.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_SEGMENT = /[\\/:*?"<>|\x00-\x1f]/g;

function safeSegment(name: string): string {
  return (
    name
      .replace(UNSAFE_IN_SEGMENT, '_')
      .replace(/^\.+/, '_')
      .trim()
      .slice(0, 120)
      .replace(/[. ]+$/, '') || 'unnamed'
  );
}

/**
 * Names made unique within one folder of an archive, ignoring case as Windows and macOS do when
 * extracting: "annex.pdf", then "Annex (2).pdf", "annex (3).pdf".
 */
export class UniqueNames {
  private readonly used = new Set<string>();

  constructor(reserved: string[] = []) {
    for (const r of reserved) this.used.add(r.toLowerCase());
  }

  take(name: string): string {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

function csvCell(value: string): string {
  const v = /^[=+\-@]/.test(value) ? `'${value}` : value; // no formulas in spreadsheets
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
