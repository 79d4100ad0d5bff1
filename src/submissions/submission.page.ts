import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormInvalidError, NotFoundError } from '../common/errors';
import { parseId } from '../common/ids';
import { renderMarkdown } from '../common/markdown';
import { formatInstant } from '../common/time';
import { wallClock } from '../common/zoned-time';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import type { Upload } from '../files/upload';
import { TasksService } from '../tasks/tasks.service';
import type { DraftDto, ExtensionDto, ReviewDto, SubmitDto } from './dto/submission.dto';
import { submissionHref } from './owner';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';
import { DraftConflictError } from './submissions.errors';
import { type SubmissionContext, SubmissionsService } from './submissions.service';
import { isAwaitingReview, STATUS_LABELS, submitAction } from './workflow';

/** Which submission a request is about: `:taskId` and `:owner` of its address. */
export interface WorkAddress {
  taskId: number;
  owner: string;
}

export function workAddressOf(req: Request): WorkAddress {
  return { taskId: parseId(req.params.taskId), owner: String(req.params.owner) };
}

/** Where to go after a form, and what to tell the person there. */
export interface Done {
  to: string;
  message?: string;
}

/** What the one draft form leads to: a page, a JSON answer (autosave) or a redirect. */
export type DraftOutcome =
  | { kind: 'render'; status: number; template: string; model: Record<string, unknown> }
  | { kind: 'json'; status: number; body: Record<string, unknown> }
  | ({ kind: 'redirect' } & Done);

type PageData = Awaited<ReturnType<SubmissionsService['page']>>;

function submittedMessage(version: { number: number; late: boolean }): string {
  return `Submitted as version ${version.number}${version.late ? ' (late)' : ''}. It can no longer change; keep working in the draft for the next version.`;
}

const hrefOf = (ctx: SubmissionContext) => submissionHref(ctx.v.course.id, ctx.task.id, ctx.owner);

/**
 * What the team should read first when feedback is waiting: the latest released review of the
 * latest version (decision, what it asks for), linked to the full feedback further down.
 */
export function feedbackSummary(page: Pick<PageData, 'versions' | 'status' | 'events'>) {
  const latest = page.versions[0];
  if (!latest || !['changes_requested', 'accepted'].includes(page.status)) return null;
  const released = latest.reviews.filter((r) => r.released).sort((a, b) => (b.releasedAt?.getTime() ?? 0) - (a.releasedAt?.getTime() ?? 0));
  const r = released[0];
  if (!r) return null;
  const reopened = page.status === 'changes_requested' && r.decision === 'accept';
  const reopenNote = reopened ? ([...page.events].reverse().find((e) => e.changed && e.to === STATUS_LABELS.changes_requested)?.note ?? '') : '';
  return {
    id: r.id,
    version: latest.number,
    reviewer: r.reviewer,
    releasedAt: r.releasedAt,
    accepted: r.decision === 'accept' && !reopened,
    reopened,
    reopenNote,
    summaryHtml: r.summaryHtml,
    asks: r.scores.filter((x) => x.comment),
    others: released.length - 1,
  };
}

/**
 * The submission page and its forms: builds the page's view models and runs each form's action
 * on the submission the address names (the services check who may do what: 404 for others).
 */
@Injectable()
export class SubmissionPages {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly sharing: SharingAndDiscussionService,
    private readonly tasks: TasksService,
  ) {}

  private context(v: CourseViewer, at: WorkAddress): Promise<SubmissionContext> {
    return this.submissions.context(v, at.taskId, at.owner);
  }

  private header(ctx: SubmissionContext) {
    return {
      ...courseHeader(ctx.v, 'tasks'),
      task: this.tasks.view(ctx.task, ctx.v.course.timeZone),
      ownerLabel: ctx.ownerLabel,
      // Words that differ between team work and individual work.
      who:
        ctx.task.kind === 'team'
          ? { ready: 'when the team is ready', owner: 'the team', discussion: 'the team and its reviewers' }
          : { ready: 'when you are ready', owner: ctx.ownerLabel, discussion: `${ctx.ownerLabel} and the reviewers` },
      base: hrefOf(ctx),
    };
  }

  /** The submission page. */
  async show(v: CourseViewer, at: WorkAddress, given?: SubmissionContext) {
    const ctx = given ?? (await this.context(v, at));
    const thread = await this.sharing.messages(ctx);
    const page = await this.submissions.page(
      ctx,
      thread.map((m) => m.authorId),
    );
    const d = this.submissions.deadlines(ctx);
    const zone = ctx.v.course.timeZone;
    const split = (date: Date | null) => (date ? wallClock(date, zone).split(' ') : ['', '']);
    const [dueDay, dueTime] = split(d.dueAt);
    const next = submitAction(page.status);
    const waiting = isAwaitingReview(page.status);
    return {
      ...this.header(ctx),
      title: `${ctx.task.title}: ${ctx.ownerLabel}`,
      status: page.status,
      statusLabel: STATUS_LABELS[page.status],
      late: ctx.submission?.late ?? false,
      deadlines: d,
      draftHtml: renderMarkdown(page.draftText),
      files: page.files,
      versions: page.versions,
      latest: page.versions[0] ?? null,
      nextNumber: (page.versions[0]?.number ?? 0) + 1,
      comparable: page.versions.length > 1 ? { from: page.versions[1].number, to: page.versions[0].number } : null,
      versionChoices: page.versions.map((x) => ({ value: String(x.number), label: `Version ${x.number}` })),
      feedback: feedbackSummary(page),
      events: page.events,
      messages: thread.map(({ authorId, ...m }) => ({ ...m, author: page.nameOf(authorId) })),
      taskResources: await this.tasks.resourcesFor(ctx.task.id),
      canDiscuss: ctx.canEdit || ctx.canReview,
      canShare: ctx.canSubmit,
      canEdit: ctx.canEdit && !d.closed && !d.notOpenYet && page.status !== 'accepted',
      canSubmit: ctx.canSubmit && !d.closed && !d.notOpenYet && next !== null,
      isLeaderTask: ctx.task.kind === 'team',
      isSubmitter: ctx.canSubmit,
      waiting,
      canReview: ctx.canReview && waiting,
      canManage: ctx.v.canManage,
      canReopen: ctx.v.canManage && page.status === 'accepted',
      fileSlots: Math.max(0, ctx.task.maxFiles - page.files.length),
      // The extension form starts from the current due time; its cut-off starts empty (an old cut-off
      // would refuse any later due time), with the current one in the hint.
      cutOffHint: `${d.cutOffAt ? `Now ${formatInstant(d.cutOffAt, zone)}. ` : ''}Leave both empty for no cut-off: after the new due time, work is still accepted and marked late.`,
      values: { text: page.draftText, revision: page.draftRevision, note: '', dueDay, dueTime, cutOffDay: '', cutOffTime: '' },
    };
  }

  /** The review form of the latest version, for a reviewer of this work. */
  async review(v: CourseViewer, at: WorkAddress) {
    const ctx = await this.context(v, at);
    if (!ctx.canReview) throw new NotFoundError();
    const page = await this.submissions.page(ctx);
    const latest = page.versions[0];
    if (!latest) throw new NotFoundError('Nothing has been submitted yet.');
    const draft = await this.submissions.myDraftReview(ctx, latest.id);
    const draftFiles = draft ? await this.submissions.reviewFileViews(draft.id) : [];
    const saved = draft ? (JSON.parse(draft.scores) as { level: string; comment: string }[]) : [];
    const rubric = this.tasks.view(ctx.task, ctx.v.course.timeZone).rubric;
    return {
      ...this.header(ctx),
      title: `Review version ${latest.number}: ${ctx.ownerLabel}`,
      latest,
      draftFiles,
      statusLabel: STATUS_LABELS[page.status],
      criteria: rubric.map((c, i) => ({
        ...c,
        index: i,
        options: c.levels.map((l) => ({ value: l.label, label: `${l.label}: ${l.descriptor}` })),
        level: saved[i]?.level ?? '',
        comment: saved[i]?.comment ?? '',
      })),
      values: { overall: draft?.overall ?? '', decision: draft?.decision ?? 'changes', versionNumber: latest.number },
    };
  }

  /**
   * Any two versions, chosen with a GET form. Anything the address asks for that does not exist
   * (a version number that is not there, words instead of numbers) falls back to the previous and
   * the latest version, with a plain message: never a dead end.
   */
  async compare(v: CourseViewer, at: WorkAddress, query: { from?: unknown; to?: unknown }) {
    const ctx = await this.context(v, at);
    const numbers = await this.submissions.versionNumbers(ctx);
    const header = this.header(ctx);
    const choices = numbers.map((n) => ({ value: String(n), label: `Version ${n}` }));
    if (numbers.length < 2) {
      return {
        ...header,
        title: 'Compare versions',
        choices,
        nothingToCompare: true,
        notice: numbers.length
          ? 'Only one version has been submitted so far: there is nothing to compare yet.'
          : 'Nothing has been submitted yet: there is nothing to compare.',
      };
    }
    const pick = (raw: unknown, fallback: number) => {
      const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : NaN;
      return numbers.includes(n) ? { n, ok: true } : { n: fallback, ok: raw === undefined || raw === '' };
    };
    const from = pick(query.from, numbers[1]);
    const to = pick(query.to, numbers[0]);
    const c = await this.submissions.compare(ctx, from.n, to.n);
    return {
      ...header,
      title: `Compare versions ${c.from.number} and ${c.to.number}`,
      ...c,
      choices,
      same: c.from.number === c.to.number,
      notice:
        from.ok && to.ok
          ? null
          : `The address asked for versions that do not exist here, so versions ${c.from.number} and ${c.to.number} are shown. Choose others below.`,
    };
  }

  /**
   * The one draft form: "Save draft", "Preview" and (for whoever submits) "Submit this version"
   * send the text in the editor. Scripts (autosave) post the same form with
   * `Accept: application/json` and get JSON back, conflicts included.
   */
  async draft(v: CourseViewer, at: WorkAddress, dto: DraftDto, json: boolean): Promise<DraftOutcome> {
    const ctx = await this.context(v, at);
    if (dto.action === 'preview' && !json) {
      // Preview: the page again with the text as typed and its rendering; nothing is saved.
      const model = {
        ...(await this.show(v, at, ctx)),
        values: { text: dto.text, revision: dto.revision, note: dto.note ?? '' },
        previewHtml: renderMarkdown(dto.text),
        previewing: true,
      };
      return { kind: 'render', status: 200, template: 'submissions/show', model };
    }
    if (json && dto.action && dto.action !== 'save')
      throw FormInvalidError.field('action', 'Scripts may only save the draft; preview and submit with the form’s buttons.');
    try {
      if (dto.action === 'submit') {
        const version = await this.submissions.submit(ctx, { text: dto.text, revision: dto.revision, note: dto.note ?? '' });
        return { kind: 'redirect', to: hrefOf(ctx), message: submittedMessage(version) };
      }
      const saved = await this.submissions.saveDraft(ctx, dto.text, dto.revision);
      if (json)
        return { kind: 'json', status: 200, body: { saved: true, revision: saved.draftRevision, savedAt: (saved.draftUpdatedAt ?? new Date()).toISOString() } };
      return { kind: 'redirect', to: hrefOf(ctx), message: 'Draft saved.' };
    } catch (err) {
      if (!(err instanceof DraftConflictError)) throw err;
      if (json) {
        return {
          kind: 'json',
          status: 409,
          body: {
            saved: false,
            conflict: true,
            revision: err.theirsRevision,
            message:
              'Someone else saved this draft after you opened the page, so it was not saved automatically. Press “Save draft” to see both texts and choose.',
          },
        };
      }
      const model = {
        ...(await this.show(v, at, ctx)),
        title: 'Edited by someone else',
        mine: err.mine,
        mineNote: dto.note ?? '',
        submitting: dto.action === 'submit',
        theirs: err.theirs,
        theirsRevision: err.theirsRevision,
        theirsBy: err.theirsBy,
        theirsAt: err.theirsAt,
      };
      return { kind: 'render', status: 409, template: 'submissions/conflict', model };
    }
  }

  async addFile(v: CourseViewer, at: WorkAddress, upload: Upload | null | undefined): Promise<Done> {
    const ctx = await this.context(v, at);
    const f = await this.submissions.addFile(ctx, upload);
    return { to: `${hrefOf(ctx)}#files`, message: `${f.fileName} attached to the draft.` };
  }

  async removeFile(v: CourseViewer, at: WorkAddress, fileId: number): Promise<Done> {
    const ctx = await this.context(v, at);
    const f = await this.submissions.removeFile(ctx, fileId);
    return { to: `${hrefOf(ctx)}#files`, message: `${f.fileName} removed from the draft. Submitted versions keep their files.` };
  }

  async submit(v: CourseViewer, at: WorkAddress, dto: SubmitDto): Promise<Done> {
    const ctx = await this.context(v, at);
    const version = await this.submissions.submit(ctx, dto);
    return { to: hrefOf(ctx), message: submittedMessage(version) };
  }

  async saveReview(v: CourseViewer, at: WorkAddress, dto: ReviewDto, upload: Upload | null | undefined): Promise<Done> {
    const ctx = await this.context(v, at);
    const r = await this.submissions.review(ctx, dto, upload);
    const owner = ctx.task.kind === 'team' ? 'The team' : ctx.ownerLabel;
    return r.releasedAt
      ? { to: hrefOf(ctx), message: `Feedback released: ${r.decision === 'accept' ? 'accepted' : 'changes requested'}. ${owner} can see it now.` }
      : { to: `${hrefOf(ctx)}/review`, message: `Review saved as a draft. ${owner} does not see it until you release it.` };
  }

  async reopen(m: CourseManager, at: WorkAddress, note: string): Promise<Done> {
    const ctx = await this.context(m, at);
    await this.submissions.reopen(m, ctx, note);
    return { to: hrefOf(ctx), message: `Reopened: ${ctx.task.kind === 'team' ? 'the team' : ctx.ownerLabel} can submit a new version.` };
  }

  async extend(m: CourseManager, at: WorkAddress, dto: ExtensionDto): Promise<Done> {
    const ctx = await this.context(m, at);
    await this.submissions.extend(m, ctx, dto);
    return { to: hrefOf(ctx), message: 'Extension granted.' };
  }

  async share(v: CourseViewer, at: WorkAddress, n: number, shared: boolean): Promise<Done> {
    const ctx = await this.context(v, at);
    await this.sharing.share(ctx, n, shared);
    return {
      to: hrefOf(ctx),
      message: shared ? `Version ${n} is shared with the other teams of the workshop (Gallery).` : `Version ${n} is no longer shared.`,
    };
  }

  async post(v: CourseViewer, at: WorkAddress, body: string): Promise<Done> {
    const ctx = await this.context(v, at);
    const m = await this.sharing.post(ctx, body);
    return { to: `${hrefOf(ctx)}#message-${m.id}` };
  }

  async editMessage(v: CourseViewer, at: WorkAddress, messageId: number, body: string): Promise<Done> {
    const ctx = await this.context(v, at);
    await this.sharing.edit(ctx, messageId, body);
    return { to: `${hrefOf(ctx)}#message-${messageId}`, message: 'Message edited; the earlier wording stays visible in its history.' };
  }

  /** A file of the draft, of a version, or of a review, sent as a download. */
  async sendFile(
    v: CourseViewer,
    at: WorkAddress,
    which: { draftFile: number } | { version: number; file: number } | { review: number; file: number },
    res: Response,
  ): Promise<void> {
    const ctx = await this.context(v, at);
    const row =
      'draftFile' in which
        ? await this.submissions.draftFile(ctx, which.draftFile)
        : 'version' in which
          ? await this.submissions.versionFile(ctx, which.version, which.file)
          : await this.submissions.reviewFile(ctx, which.review, which.file);
    await this.submissions.sendFile(res, row);
  }
}
