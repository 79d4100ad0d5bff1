import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse, SignedIn } from '../common/access.decorator';
import { EditConflictError } from '../common/errors';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { AvailabilityPage } from './availability.page';
import { AvailabilityService } from './availability.service';
import { AvailabilityDto } from './dto/availability.dto';

/** An expert's availability for meetings with the course's teams ("My availability"). */
@Controller('courses')
@SignedIn()
export class AvailabilityController {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly pages: AvailabilityPage,
  ) {}

  @Get(':id/availability')
  @InCourse('meetings.offer')
  @Render('meetings/availability')
  show(@Viewer() v: CourseViewer) {
    return this.pages.page(v);
  }

  @Post(':id/availability')
  @InCourse('meetings.offer')
  @FormView('meetings/availability', 'formContext')
  async save(@Viewer() v: CourseViewer, @Body() dto: AvailabilityDto, @Req() req: Request, @Res() res: Response) {
    try {
      await this.availability.save(v, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('meetings/availability', await this.pages.conflict(v, req.body));
    }
    flash(req, 'success', 'Your availability has been saved. The next slots teams can book are listed below the form.');
    res.redirect(303, `/courses/${v.course.id}/availability#preview`);
  }

  /** The form again after a 422. */
  formContext(req: Request) {
    return this.pages.page(viewerOf(req), req.body);
  }
}
