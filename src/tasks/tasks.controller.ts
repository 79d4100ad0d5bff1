import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { EditConflictError } from '../common/errors';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import { BodyLimit, longTextLimit } from '../common/request-body';
import type { CourseManager } from '../courses/course-access.service';
import { Manager, managerOf } from '../courses/course-viewer.decorator';
import { MoveDto, TaskStatusDto } from './dto/task-status.dto';
import { EditTaskDto, TaskDto } from './dto/task.dto';
import { TaskFormPage } from './task-form.page';
import { TasksService } from './tasks.service';

/**
 * A course's tasks for its facilitators: the form, publishing and order. The pages that show the
 * work done on tasks (list, overview, back-to-draft confirmation) are the home module's.
 */
@Controller('courses/:id/tasks')
@InCourse('tasks.manage')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly form: TaskFormPage,
  ) {}

  @Get('new')
  @Render('tasks/form')
  newTask(@Manager() m: CourseManager) {
    return this.form.build(m);
  }

  @Post()
  @BodyLimit(longTextLimit(40_000)) // instructions and rubric, 20,000 characters each
  @FormView('tasks/form', 'formContext')
  async create(@Manager() m: CourseManager, @Body() dto: TaskDto, @Req() req: Request, @Res() res: Response) {
    const task = await this.tasks.create(m, dto);
    flash(req, 'success', `Task “${task.title}” created as a draft. Publish it when teams should see it.`);
    res.redirect(303, `/courses/${m.course.id}/tasks/${task.id}`);
  }

  @Get(':taskId/edit')
  @Render('tasks/form')
  edit(@Manager() m: CourseManager, @Param('taskId', IdPipe) taskId: number) {
    return this.form.build(m, taskId);
  }

  @Post(':taskId/edit')
  @BodyLimit(longTextLimit(40_000)) // instructions and rubric, 20,000 characters each
  @FormView('tasks/form', 'formContext')
  async update(@Manager() m: CourseManager, @Param('taskId', IdPipe) taskId: number, @Body() dto: EditTaskDto, @Req() req: Request, @Res() res: Response) {
    let task;
    try {
      task = await this.tasks.update(m, taskId, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('tasks/form', await this.form.conflict(m, taskId, req.body as Record<string, unknown>));
    }
    flash(req, 'success', `Task “${task.title}” saved. Existing submissions are unchanged.`);
    res.redirect(303, `/courses/${m.course.id}/tasks/${task.id}`);
  }

  @Post(':taskId/status')
  async status(@Manager() m: CourseManager, @Param('taskId', IdPipe) taskId: number, @Body() dto: TaskStatusDto, @Req() req: Request, @Res() res: Response) {
    // Hiding a task from the teams is never one click: without the confirmation, show the page that says what it does.
    if (dto.status === 'draft' && dto.confirm !== 'yes') return res.redirect(303, `/courses/${m.course.id}/tasks/${taskId}/unpublish`);
    const task = await this.tasks.setStatus(m, taskId, dto.status);
    flash(
      req,
      'success',
      task.status === 'published' ? `“${task.title}” is published: its teams can see it.` : `“${task.title}” is a draft again, hidden from teams.`,
    );
    res.redirect(303, `/courses/${m.course.id}/tasks/${taskId}`);
  }

  @Post(':taskId/move')
  async move(@Manager() m: CourseManager, @Param('taskId', IdPipe) taskId: number, @Body() dto: MoveDto, @Res() res: Response) {
    await this.tasks.move(m, taskId, dto.direction);
    res.redirect(303, `/courses/${m.course.id}/tasks`);
  }

  formContext(req: Request) {
    return this.form.build(managerOf(req), req.params.taskId ? parseId(req.params.taskId) : undefined);
  }
}
