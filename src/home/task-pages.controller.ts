import { Controller, Get, Param, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { IdPipe } from '../common/ids';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { Manager, Viewer } from '../courses/course-viewer.decorator';
import { TaskPages } from './task-pages.page';

/**
 * A course's tasks with the work done on them. The task form, publishing and order are the tasks
 * module's (`/courses/:id/tasks/new` reaches its controller first: TasksModule is imported before
 * HomeModule).
 */
@Controller('courses/:id/tasks')
export class TaskPagesController {
  constructor(private readonly pages: TaskPages) {}

  @Get()
  @InCourse('course.view')
  @Render('tasks/index')
  index(@Viewer() v: CourseViewer) {
    return this.pages.list(v);
  }

  @Get(':taskId')
  @InCourse('course.view')
  @Render('tasks/show')
  show(@Viewer() v: CourseViewer, @Param('taskId', IdPipe) taskId: number) {
    return this.pages.show(v, taskId);
  }

  /** What taking a published task back to draft does to the teams' work, and the button that does it. */
  @Get(':taskId/unpublish')
  @InCourse('tasks.manage')
  @Render('tasks/unpublish')
  confirmUnpublish(@Manager() m: CourseManager, @Param('taskId', IdPipe) taskId: number) {
    return this.pages.unpublish(m, taskId);
  }

  @Get(':taskId/download.zip')
  @InCourse('tasks.manage')
  async download(@Manager() m: CourseManager, @Param('taskId', IdPipe) taskId: number, @Res() res: Response) {
    await this.pages.download(m, taskId, res);
  }
}
