import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { IdPipe, parseId } from '../common/ids';
import type { Request, Response } from 'express';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { SignedIn } from '../common/access.decorator';
import { FormInvalidError, NotFoundError } from '../common/errors';
import { wantsJson } from '../common/app-exception.filter';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { renderMarkdown } from '../common/markdown';
import { CourseAccessService } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { AcceptsFile } from '../files/upload';
import { BodyLimit, longTextLimit } from '../common/request-body';
import { DraftDto, ExtensionDto, ReviewDto, SubmitDto } from '../tasks/dto/task.dto';
import { TasksService } from '../tasks/tasks.service';
import { formatInstant } from '../common/time';
import { wallClock } from '../common/zoned-time';
import { DraftConflictError, ownerParam, parseOwner, type SubmissionContext, SubmissionsService } from './submissions.service';
import { STATUS_LABELS, submitAction } from './workflow';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';

class ShareDto {
  @IsIn(['1', '0'])
  shared: '1' | '0';
}

class MessageDto {
  @IsString()
  @MaxLength(10000, { message: 'Keep a message under 10,000 characters.' })
  body: string;
}

class ReopenDto {
  @IsString()
  @MaxLength(2000)
  note: string;
}

function submittedMessage(version: { number: number; late: boolean }): string {
  return `Submitted as version ${version.number}${version.late ? ' (late)' : ''}. It can no longer change; keep working in the draft for the next version.`;
}

/**
 * What the team should read first when feedback is waiting: the latest released review of the
 * latest version (decision, what it asks for), linked to the full feedback further down.
 */
function feedbackSummary(page: Awaited<ReturnType<SubmissionsService['page']>>) {
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

@Controller('courses/:id/tasks/:taskId/submissions/:owner')
@SignedIn()
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly tasks: TasksService,
    private readonly access: CourseAccessService,
    private readonly sharing: SharingAndDiscussionService,
  ) {}

  @Get()
  @Render('submissions/show')
  async show(@Req() req: Request) {
    return this.pageContext(req);
  }

  /**
   * The one draft form: "Save draft", "Preview" and (for whoever submits) "Submit this version"
   * send the text in the editor. Scripts (autosave) post the same form with
   * `Accept: application/json` and get JSON back, conflicts included.
   */
  @Post('draft')
  @BodyLimit(longTextLimit(200_000))
  @FormView('submissions/show', 'pageContext')
  async saveDraft(@Body() dto: DraftDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    const json = wantsJson(req);
    if (dto.action === 'preview' && !json) {
      // Preview: the page again with the text as typed and its rendering; nothing is saved.
      return res.status(200).render('submissions/show', { ...(await this.pageContext(req, ctx)), values: { text: dto.text, revision: dto.revision, note: dto.note ?? '' }, previewHtml: renderMarkdown(dto.text), previewing: true });
    }
    if (json && dto.action && dto.action !== 'save') throw FormInvalidError.field('action', 'Scripts may only save the draft; preview and submit with the form’s buttons.');
    try {
      if (dto.action === 'submit') {
        const version = await this.submissions.submit(ctx, { text: dto.text, revision: dto.revision, note: dto.note ?? '' });
        flash(req, 'success', submittedMessage(version));
        return res.redirect(303, this.base(req));
      }
      const saved = await this.submissions.saveDraft(ctx, dto.text, dto.revision);
      if (json) return res.status(200).json({ saved: true, revision: saved.draftRevision, savedAt: (saved.draftUpdatedAt ?? new Date()).toISOString() });
    } catch (err) {
      if (err instanceof DraftConflictError) {
        if (json) {
          return res.status(409).json({ saved: false, conflict: true, revision: err.theirsRevision, message: 'Someone else saved this draft after you opened the page, so it was not saved automatically. Press “Save draft” to see both texts and choose.' });
        }
        return res.status(409).render('submissions/conflict', {
          ...(await this.pageContext(req, ctx)),
          title: 'Edited by someone else',
          mine: err.mine,
          mineNote: dto.note ?? '',
          submitting: dto.action === 'submit',
          theirs: err.theirs,
          theirsRevision: err.theirsRevision,
          theirsBy: err.theirsBy,
          theirsAt: err.theirsAt,
        });
      }
      throw err;
    }
    flash(req, 'success', 'Draft saved.');
    res.redirect(303, this.base(req));
  }

  @Post('files')
  @AcceptsFile()
  @FormView('submissions/show', 'pageContext')
  async addFile(@Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    const f = await this.submissions.addFile(ctx, req.upload);
    flash(req, 'success', `${f.fileName} attached to the draft.`);
    res.redirect(303, `${this.base(req)}#files`);
  }

  @Post('files/:fileId/remove')
  @FormView('submissions/show', 'pageContext')
  async removeFile(@Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    const f = await this.submissions.removeFile(ctx, fileId);
    flash(req, 'success', `${f.fileName} removed from the draft. Submitted versions keep their files.`);
    res.redirect(303, `${this.base(req)}#files`);
  }

  @Get('files/:fileId')
  async draftFile(@Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.submissions.sendFile(res, await this.submissions.draftFile(ctx, fileId));
  }

  @Post('submit')
  @FormView('submissions/show', 'pageContext')
  async submit(@Body() dto: SubmitDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    const version = await this.submissions.submit(ctx, dto);
    flash(req, 'success', submittedMessage(version));
    res.redirect(303, this.base(req));
  }

  @Get('versions/:number/files/:fileId')
  async versionFile(@Param('number', IdPipe) n: number, @Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.submissions.sendFile(res, await this.submissions.versionFile(ctx, n, fileId));
  }

  /**
   * Any two versions, chosen with a GET form. Anything the address asks for that does not exist
   * (a version number that is not there, words instead of numbers) falls back to the previous and
   * the latest version, with a plain message: never a dead end.
   */
  @Get('compare')
  @Render('submissions/compare')
  async compare(@Req() req: Request) {
    const ctx = await this.context(req);
    const numbers = await this.submissions.versionNumbers(ctx);
    const header = await this.header(ctx);
    const choices = numbers.map((n) => ({ value: String(n), label: `Version ${n}` }));
    if (numbers.length < 2) {
      return { ...header, title: 'Compare versions', choices, nothingToCompare: true, notice: numbers.length ? 'Only one version has been submitted so far: there is nothing to compare yet.' : 'Nothing has been submitted yet: there is nothing to compare.' };
    }
    const pick = (raw: unknown, fallback: number) => {
      const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : NaN;
      return numbers.includes(n) ? { n, ok: true } : { n: fallback, ok: raw === undefined || raw === '' };
    };
    const from = pick(req.query.from, numbers[1]);
    const to = pick(req.query.to, numbers[0]);
    const c = await this.submissions.compare(ctx, from.n, to.n);
    return {
      ...header,
      title: `Compare versions ${c.from.number} and ${c.to.number}`,
      ...c,
      choices,
      same: c.from.number === c.to.number,
      notice: from.ok && to.ok ? null : `The address asked for versions that do not exist here, so versions ${c.from.number} and ${c.to.number} are shown. Choose others below.`,
    };
  }

  @Get('review')
  @Render('submissions/review')
  async reviewForm(@Req() req: Request) {
    return this.reviewContext(req);
  }

  @Post('review')
  @AcceptsFile()
  @BodyLimit(longTextLimit(20_000 + 12 * 5_000)) // overall feedback, and a comment for each of up to 12 criteria
  @FormView('submissions/review', 'reviewContext')
  async review(@Body() dto: ReviewDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    const r = await this.submissions.review(ctx, dto, req.upload);
    const owner = ctx.task.kind === 'team' ? 'The team' : ctx.ownerLabel;
    flash(req, 'success', r.releasedAt ? `Feedback released: ${r.decision === 'accept' ? 'accepted' : 'changes requested'}. ${owner} can see it now.` : `Review saved as a draft. ${owner} does not see it until you release it.`);
    res.redirect(303, r.releasedAt ? this.base(req) : `${this.base(req)}/review`);
  }

  @Get('reviews/:reviewId/files/:fileId')
  async reviewFile(@Param('reviewId', IdPipe) reviewId: number, @Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.submissions.sendFile(res, await this.submissions.reviewFile(ctx, reviewId, fileId));
  }

  @Post('reopen')
  @FormView('submissions/show', 'pageContext')
  async reopen(@Body() dto: ReopenDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.submissions.reopen(ctx, dto.note);
    flash(req, 'success', `Reopened: ${ctx.task.kind === 'team' ? 'the team' : ctx.ownerLabel} can submit a new version.`);
    res.redirect(303, this.base(req));
  }

  @Post('extension')
  @FormView('submissions/show', 'pageContext')
  async extension(@Body() dto: ExtensionDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.submissions.extend(ctx, dto);
    flash(req, 'success', 'Extension granted.');
    res.redirect(303, this.base(req));
  }

  @Post('versions/:number/share')
  @FormView('submissions/show', 'pageContext')
  async share(@Param('number', IdPipe) n: number, @Body() dto: ShareDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.sharing.share(ctx, n, dto.shared === '1');
    flash(req, 'success', dto.shared === '1' ? `Version ${n} is shared with the other teams of the workshop (Gallery).` : `Version ${n} is no longer shared.`);
    res.redirect(303, this.base(req));
  }

  @Post('messages')
  @BodyLimit(longTextLimit(10_000))
  @FormView('submissions/show', 'pageContext')
  async post(@Body() dto: MessageDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    const m = await this.sharing.post(ctx, dto.body);
    res.redirect(303, `${this.base(req)}#message-${m.id}`);
  }

  @Post('messages/:messageId/edit')
  @BodyLimit(longTextLimit(10_000))
  @FormView('submissions/show', 'pageContext')
  async editMessage(@Param('messageId', IdPipe) messageId: number, @Body() dto: MessageDto, @Req() req: Request, @Res() res: Response) {
    const ctx = await this.context(req);
    await this.sharing.edit(ctx, messageId, dto.body);
    flash(req, 'success', 'Message edited; the earlier wording stays visible in its history.');
    res.redirect(303, `${this.base(req)}#message-${messageId}`);
  }

  private base(req: Request): string {
    return `/courses/${Number(req.params.id)}/tasks/${Number(req.params.taskId)}/submissions/${req.params.owner}`;
  }

  private async context(req: Request): Promise<SubmissionContext> {
    const owner = parseOwner(String(req.params.owner));
    if (!owner) throw new NotFoundError();
    const courseId = parseId(req.params.id);
    const taskId = parseId(req.params.taskId);
    const v = await this.access.viewer(req.user!, courseId);
    const task = await this.tasks.task(v, taskId);
    return this.submissions.context(v, task, owner);
  }

  private async header(ctx: SubmissionContext) {
    return {
      ...courseHeader(ctx.v, 'tasks'),
      task: this.tasks.view(ctx.task, ctx.v.course.timeZone),
      ownerLabel: ctx.ownerLabel,
      // Words that differ between team work and individual work.
      who: ctx.task.kind === 'team' ? { ready: 'when the team is ready', owner: 'the team', discussion: 'the team and its reviewers' } : { ready: 'when you are ready', owner: ctx.ownerLabel, discussion: `${ctx.ownerLabel} and the reviewers` },
      base: `/courses/${ctx.v.course.id}/tasks/${ctx.task.id}/submissions/${ownerParam(ctx.owner)}`,
    };
  }

  async pageContext(req: Request, given?: SubmissionContext) {
    const ctx = given ?? (await this.context(req));
    const page = await this.submissions.page(ctx);
    const d = this.submissions.deadlines(ctx);
    const zone = ctx.v.course.timeZone;
    const split = (date: Date | null) => (date ? wallClock(date, zone).split(' ') : ['', '']);
    const [dueDay, dueTime] = split(d.dueAt);
    const next = submitAction(page.status);
    return {
      ...(await this.header(ctx)),
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
      messages: await this.sharing.messages(ctx),
      taskResources: await this.tasks.resourcesFor(ctx.task.id),
      canDiscuss: ctx.canEdit || ctx.canReview,
      canShare: ctx.canSubmit,
      canEdit: ctx.canEdit && !d.closed && !d.notOpenYet && page.status !== 'accepted',
      canSubmit: ctx.canSubmit && !d.closed && !d.notOpenYet && next !== null,
      isLeaderTask: ctx.task.kind === 'team',
      isSubmitter: ctx.canSubmit,
      waiting: ['submitted', 'resubmitted', 'in_review'].includes(page.status),
      canReview: ctx.canReview && ['submitted', 'resubmitted', 'in_review'].includes(page.status),
      canManage: ctx.v.canManage,
      canReopen: ctx.v.canManage && page.status === 'accepted',
      fileSlots: Math.max(0, ctx.task.maxFiles - page.files.length),
      // The extension form starts from the current due time; its cut-off starts empty (an old cut-off
      // would refuse any later due time), with the current one in the hint.
      cutOffHint: `${d.cutOffAt ? `Now ${formatInstant(d.cutOffAt, zone)}. ` : ''}Leave both empty for no cut-off: after the new due time, work is still accepted and marked late.`,
      values: { text: page.draftText, revision: page.draftRevision, note: '', dueDay, dueTime, cutOffDay: '', cutOffTime: '' },
    };
  }

  async reviewContext(req: Request) {
    const ctx = await this.context(req);
    if (!ctx.canReview) throw new NotFoundError();
    const page = await this.submissions.page(ctx);
    const latest = page.versions[0];
    if (!latest) throw new NotFoundError('Nothing has been submitted yet.');
    const draft = await this.submissions.myDraftReview(ctx, latest.id);
    const draftFiles = draft ? await this.submissions.reviewFiles([draft.id]) : [];
    const saved = draft ? (JSON.parse(draft.scores) as { level: string; comment: string }[]) : [];
    const rubric = this.tasks.view(ctx.task, ctx.v.course.timeZone).rubric;
    return {
      ...(await this.header(ctx)),
      title: `Review version ${latest.number}: ${ctx.ownerLabel}`,
      latest,
      draftFiles,
      statusLabel: STATUS_LABELS[page.status],
      criteria: rubric.map((c, i) => ({ ...c, index: i, options: c.levels.map((l) => ({ value: l.label, label: `${l.label}: ${l.descriptor}` })), level: saved[i]?.level ?? '', comment: saved[i]?.comment ?? '' })),
      values: { overall: draft?.overall ?? '', decision: draft?.decision ?? 'changes', versionNumber: latest.number },
    };
  }
}
