import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { wantsJson } from '../common/app-exception.filter';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe } from '../common/ids';
import { BodyLimit, longTextLimit } from '../common/request-body';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { Manager, Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { AcceptsFile } from '../files/upload';
import { DraftDto, ExtensionDto, MessageDto, ReopenDto, ReviewDto, ShareDto, SubmitDto } from './dto/submission.dto';
import { type Done, SubmissionPages, workAddressOf } from './submission.page';

/** One team's (or person's) work on a task: the page, its draft, versions, review and discussion. */
@Controller('courses/:id/tasks/:taskId/submissions/:owner')
export class SubmissionsController {
  constructor(private readonly pages: SubmissionPages) {}

  @Get()
  @InCourse('course.view')
  @Render('submissions/show')
  show(@Viewer() v: CourseViewer, @Param('taskId', IdPipe) taskId: number, @Param('owner') owner: string) {
    return this.pages.show(v, { taskId, owner });
  }

  /** Save, preview or submit the draft; autosave scripts get JSON (conflicts included). */
  @Post('draft')
  @InCourse('work.edit')
  @BodyLimit(longTextLimit(200_000))
  @FormView('submissions/show', 'pageContext')
  async saveDraft(@Viewer() v: CourseViewer, @Body() dto: DraftDto, @Req() req: Request, @Res() res: Response) {
    const out = await this.pages.draft(v, workAddressOf(req), dto, wantsJson(req));
    if (out.kind === 'render') return res.status(out.status).render(out.template, out.model);
    if (out.kind === 'json') return res.status(out.status).json(out.body);
    this.done(req, res, out);
  }

  @Post('files')
  @InCourse('work.edit')
  @AcceptsFile()
  @FormView('submissions/show', 'pageContext')
  async addFile(@Viewer() v: CourseViewer, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.addFile(v, workAddressOf(req), req.upload));
  }

  @Post('files/:fileId/remove')
  @InCourse('work.edit')
  @FormView('submissions/show', 'pageContext')
  async removeFile(@Viewer() v: CourseViewer, @Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.removeFile(v, workAddressOf(req), fileId));
  }

  @Get('files/:fileId')
  @InCourse('course.view')
  async draftFile(@Viewer() v: CourseViewer, @Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    await this.pages.sendFile(v, workAddressOf(req), { draftFile: fileId }, res);
  }

  @Post('submit')
  @InCourse('work.edit')
  @FormView('submissions/show', 'pageContext')
  async submit(@Viewer() v: CourseViewer, @Body() dto: SubmitDto, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.submit(v, workAddressOf(req), dto));
  }

  @Get('versions/:number/files/:fileId')
  @InCourse('course.view')
  async versionFile(
    @Viewer() v: CourseViewer,
    @Param('number', IdPipe) n: number,
    @Param('fileId', IdPipe) fileId: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.pages.sendFile(v, workAddressOf(req), { version: n, file: fileId }, res);
  }

  /** Any two versions, chosen with a GET form (unknown numbers fall back, with a message). */
  @Get('compare')
  @InCourse('course.view')
  @Render('submissions/compare')
  compare(@Viewer() v: CourseViewer, @Req() req: Request) {
    return this.pages.compare(v, workAddressOf(req), req.query);
  }

  @Get('review')
  @InCourse('work.review')
  @Render('submissions/review')
  reviewForm(@Viewer() v: CourseViewer, @Req() req: Request) {
    return this.pages.review(v, workAddressOf(req));
  }

  @Post('review')
  @InCourse('work.review')
  @AcceptsFile()
  @BodyLimit(longTextLimit(20_000 + 12 * 5_000)) // overall feedback, and a comment for each of up to 12 criteria
  @FormView('submissions/review', 'reviewContext')
  async review(@Viewer() v: CourseViewer, @Body() dto: ReviewDto, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.saveReview(v, workAddressOf(req), dto, req.upload));
  }

  @Get('reviews/:reviewId/files/:fileId')
  @InCourse('course.view')
  async reviewFile(
    @Viewer() v: CourseViewer,
    @Param('reviewId', IdPipe) reviewId: number,
    @Param('fileId', IdPipe) fileId: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.pages.sendFile(v, workAddressOf(req), { review: reviewId, file: fileId }, res);
  }

  @Post('reopen')
  @InCourse('work.manage')
  @FormView('submissions/show', 'pageContext')
  async reopen(@Manager() m: CourseManager, @Body() dto: ReopenDto, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.reopen(m, workAddressOf(req), dto.note));
  }

  @Post('extension')
  @InCourse('work.manage')
  @FormView('submissions/show', 'pageContext')
  async extension(@Manager() m: CourseManager, @Body() dto: ExtensionDto, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.extend(m, workAddressOf(req), dto));
  }

  @Post('versions/:number/share')
  @InCourse('work.edit')
  @FormView('submissions/show', 'pageContext')
  async share(@Viewer() v: CourseViewer, @Param('number', IdPipe) n: number, @Body() dto: ShareDto, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.share(v, workAddressOf(req), n, dto.shared === '1'));
  }

  @Post('messages')
  @InCourse('work.discuss')
  @BodyLimit(longTextLimit(10_000))
  @FormView('submissions/show', 'pageContext')
  async post(@Viewer() v: CourseViewer, @Body() dto: MessageDto, @Req() req: Request, @Res() res: Response) {
    this.done(req, res, await this.pages.post(v, workAddressOf(req), dto.body));
  }

  @Post('messages/:messageId/edit')
  @InCourse('work.discuss')
  @BodyLimit(longTextLimit(10_000))
  @FormView('submissions/show', 'pageContext')
  async editMessage(
    @Viewer() v: CourseViewer,
    @Param('messageId', IdPipe) messageId: number,
    @Body() dto: MessageDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    this.done(req, res, await this.pages.editMessage(v, workAddressOf(req), messageId, dto.body));
  }

  /** @FormView context: the submission page behind a refused form. */
  pageContext(req: Request) {
    return this.pages.show(viewerOf(req), workAddressOf(req));
  }

  /** @FormView context: the review form behind a refused review. */
  reviewContext(req: Request) {
    return this.pages.review(viewerOf(req), workAddressOf(req));
  }

  /** POST → redirect → GET, with the flash message when there is one. */
  private done(req: Request, res: Response, d: Done): void {
    if (d.message) flash(req, 'success', d.message);
    res.redirect(303, d.to);
  }
}
