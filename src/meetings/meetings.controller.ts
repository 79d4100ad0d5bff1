import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse, SignedIn } from '../common/access.decorator';
import { EditConflictError } from '../common/errors';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { setDownloadHeaders } from '../files/file-store.service';
import { BookingDto } from './dto/booking.dto';
import { CancelMeetingDto, RescheduleDto } from './dto/meeting-change.dto';
import { MeetingsPage } from './meetings.page';
import { MeetingsService } from './meetings.service';

/** Meetings of a course: booking a consultation with an expert, the lists, a page and an .ics per meeting, rescheduling and cancelling. */
@Controller('courses')
@SignedIn()
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly pages: MeetingsPage,
  ) {}

  @Get(':id/meetings')
  @InCourse('meetings.view')
  @Render('meetings/list')
  list(@Viewer() v: CourseViewer) {
    return this.pages.list(v);
  }

  @Get(':id/meetings/book')
  @InCourse('meetings.book')
  @Render('meetings/book')
  bookPage(@Viewer() v: CourseViewer, @Query('expert') expert?: string) {
    return this.pages.book(v, expert === undefined ? undefined : parseId(expert));
  }

  @Post(':id/meetings/book')
  @InCourse('meetings.book')
  @FormView('meetings/book', 'formContext')
  async book(@Viewer() v: CourseViewer, @Body() dto: BookingDto, @Req() req: Request, @Res() res: Response) {
    const meeting = await this.meetings.book(v, dto);
    flash(req, 'success', 'The meeting is booked. The expert and your team have been told.');
    res.redirect(303, `/courses/${v.course.id}/meetings/${meeting.id}`);
  }

  @Get(':id/meetings/:meetingId.ics')
  @InCourse('meetings.view')
  async ics(@Viewer() v: CourseViewer, @Param('meetingId', IdPipe) meetingId: number, @Res() res: Response) {
    const ics = await this.meetings.ics(v, meetingId);
    setDownloadHeaders(res, { name: ics.filename, mime: 'text/calendar; charset=utf-8' });
    res.send(ics.body);
  }

  @Get(':id/meetings/:meetingId')
  @InCourse('meetings.view')
  @Render('meetings/show')
  show(@Viewer() v: CourseViewer, @Param('meetingId', IdPipe) meetingId: number) {
    return this.pages.show(v, meetingId);
  }

  @Post(':id/meetings/:meetingId/reschedule')
  @InCourse('meetings.change')
  @FormView('meetings/show', 'changeContext')
  async reschedule(
    @Viewer() v: CourseViewer,
    @Param('meetingId', IdPipe) meetingId: number,
    @Body() dto: RescheduleDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      await this.meetings.reschedule(v, meetingId, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('meetings/show', await this.pages.conflict(v, meetingId, req.body));
    }
    flash(req, 'success', 'The meeting is moved. Everyone in it will be told, with your reason.');
    res.redirect(303, `/courses/${v.course.id}/meetings/${meetingId}`);
  }

  @Post(':id/meetings/:meetingId/cancel')
  @InCourse('meetings.change')
  @FormView('meetings/show', 'changeContext')
  async cancel(
    @Viewer() v: CourseViewer,
    @Param('meetingId', IdPipe) meetingId: number,
    @Body() dto: CancelMeetingDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      await this.meetings.cancel(v, meetingId, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('meetings/show', await this.pages.conflict(v, meetingId, req.body));
    }
    flash(req, 'success', 'The meeting is cancelled. Everyone in it will be told, with your reason.');
    res.redirect(303, `/courses/${v.course.id}/meetings/${meetingId}`);
  }

  /** The meeting page again after a refused reschedule or cancellation (404 for anyone who may not change the meeting). */
  changeContext(req: Request) {
    return this.pages.changeForm(viewerOf(req), parseId(req.params.meetingId));
  }

  /** The booking form again after a 422, with the same expert's slots. */
  formContext(req: Request) {
    const body = req.body as Record<string, unknown>;
    const expert = Number(body?.expert);
    return this.pages.book(viewerOf(req), Number.isSafeInteger(expert) && expert > 0 ? expert : undefined);
  }
}
