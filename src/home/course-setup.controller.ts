import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import type { CourseManager } from '../courses/course-access.service';
import { Manager, managerOf } from '../courses/course-viewer.decorator';
import { STATUS_LABELS } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { CourseStatusDto } from '../courses/dto/course.dto';
import { CourseSetupPage } from './course-setup.page';

/** Set-up of a course for its facilitators: the overview page and the course's status. */
@Controller('courses/:id')
@InCourse('course.manage')
export class CourseSetupController {
  constructor(
    private readonly page: CourseSetupPage,
    private readonly courses: CoursesService,
  ) {}

  @Get('setup')
  @Render('courses/setup')
  setup(@Manager() m: CourseManager) {
    return this.page.build(m);
  }

  @Post('status')
  @FormView('courses/setup', 'setupContext')
  async status(@Manager() m: CourseManager, @Body() dto: CourseStatusDto, @Req() req: Request, @Res() res: Response) {
    const c = await this.courses.setStatus(m, dto.status);
    flash(
      req,
      'success',
      c.status === 'published'
        ? 'The course is published: its participants and experts can now see it.'
        : `The course is now ${STATUS_LABELS[c.status].toLowerCase()}.`,
    );
    res.redirect(303, `/courses/${m.course.id}/setup`);
  }

  setupContext(req: Request) {
    return this.page.build(managerOf(req));
  }
}
