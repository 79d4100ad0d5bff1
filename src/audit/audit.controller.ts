import { Controller, Get, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, InCourse } from '../common/access.decorator';
import { FormView } from '../common/form-view';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { AuditPages } from './audit.page';

type FilterQuery = Record<string, unknown>;

/** The site-wide audit log, for administrators: every event, filtered, a page at a time or as CSV. Read only. */
@Controller('admin')
@Allow('audit.view')
export class SiteAuditController {
  constructor(private readonly pages: AuditPages) {}

  @Get('audit')
  @Render('audit/index')
  @FormView('audit/index', 'formContext')
  index(@Req() req: Request, @Query() query: FilterQuery) {
    return this.pages.site(req.user!, query);
  }

  @Get('audit.csv')
  @FormView('audit/index', 'formContext')
  csv(@Req() req: Request, @Query() query: FilterQuery, @Res() res: Response) {
    return this.pages.siteCsv(req.user!, query, res);
  }

  formContext(req: Request) {
    return this.pages.siteForm(req.user!, req.query);
  }
}

/** One course's audit log, for its managers (administrators and the course's facilitators); 404 for anyone else. Read only. */
@Controller('courses/:id')
@InCourse('course.audit')
export class CourseAuditController {
  constructor(private readonly pages: AuditPages) {}

  @Get('audit')
  @Render('audit/index')
  @FormView('audit/index', 'formContext')
  index(@Viewer() v: CourseViewer, @Query() query: FilterQuery) {
    return this.pages.course(v, query);
  }

  @Get('audit.csv')
  @FormView('audit/index', 'formContext')
  csv(@Viewer() v: CourseViewer, @Query() query: FilterQuery, @Res() res: Response) {
    return this.pages.courseCsv(v, query, res);
  }

  formContext(req: Request) {
    return this.pages.courseForm(viewerOf(req), req.query);
  }
}
