import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse, SignedIn } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { ScheduleDto } from './dto/schedule.dto';
import { SchedulePage } from './schedule.page';
import { MeetingScheduleService } from './schedule.service';

/**
 * Meetings a course's facilitators schedule: the form (prefilled by the slot finder) and the slot
 * finder. Registered before MeetingsController, whose `:meetingId` route would otherwise take "new".
 */
@Controller('courses')
@SignedIn()
export class ScheduleController {
  constructor(
    private readonly schedule: MeetingScheduleService,
    private readonly pages: SchedulePage,
  ) {}

  @Get(':id/meetings/new')
  @InCourse('meetings.schedule')
  @Render('meetings/new')
  form(@Viewer() v: CourseViewer, @Query() query: Record<string, unknown>) {
    return this.pages.form(v, query);
  }

  @Post(':id/meetings/new')
  @InCourse('meetings.schedule')
  @FormView('meetings/new', 'formContext')
  async create(@Viewer() v: CourseViewer, @Body() dto: ScheduleDto, @Req() req: Request, @Res() res: Response) {
    const meeting = await this.schedule.schedule(v, dto);
    flash(req, 'success', 'The meeting is scheduled. Its host, the teams and the people in it have been told.');
    res.redirect(303, `/courses/${v.course.id}/meetings/${meeting.id}`);
  }

  @Get(':id/meetings/find')
  @InCourse('meetings.schedule')
  @Render('meetings/find')
  find(@Viewer() v: CourseViewer, @Query() query: Record<string, unknown>) {
    return this.pages.finder(v, query);
  }

  /** The form again after a 422 (the values sent are kept by the filter). */
  formContext(req: Request) {
    return this.pages.form(viewerOf(req));
  }
}
