import { Controller, Get, Param, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InCourse } from '../common/access.decorator';
import type { CourseManager } from '../courses/course-access.service';
import { Manager } from '../courses/course-viewer.decorator';
import { ReportPages } from './report.page';

/** The course report for its managers (404 for anyone else): the page, a CSV per table, a printable one-page summary. Read only. */
@Controller('courses/:id/report')
@InCourse('course.report')
export class ReportsController {
  constructor(private readonly pages: ReportPages) {}

  @Get()
  @Render('reports/index')
  index(@Manager() m: CourseManager) {
    return this.pages.page(m);
  }

  @Get('summary')
  @Render('reports/summary')
  summary(@Manager() m: CourseManager) {
    return this.pages.summary(m);
  }

  @Get(':table.csv')
  csv(@Manager() m: CourseManager, @Param('table') table: string, @Res() res: Response) {
    return this.pages.csv(m, table, res);
  }
}
