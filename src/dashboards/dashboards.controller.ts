import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { FormView } from '../common/form-view';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { CourseDashboardPage } from './course-dashboard.page';

type FilterQuery = Record<string, unknown>;

/** The course dashboard for its facilitators (every team) and experts (their teams); 404 for anyone else. Read only. */
@Controller('courses/:id')
@InCourse('course.dashboard')
export class DashboardsController {
  constructor(private readonly page: CourseDashboardPage) {}

  @Get('dashboard')
  @Render('dashboards/course')
  @FormView('dashboards/course', 'formContext')
  show(@Viewer() v: CourseViewer, @Query() query: FilterQuery) {
    return this.page.page(v, query);
  }

  @Get('dashboard.csv')
  @FormView('dashboards/course', 'formContext')
  async csv(@Viewer() v: CourseViewer, @Query() query: FilterQuery, @Res() res: Response) {
    const { filename, body } = await this.page.csv(v, query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(body);
  }

  formContext(req: Request) {
    return this.page.form(viewerOf(req), req.query);
  }
}
