import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse, SignedIn } from '../common/access.decorator';
import { EditConflictError } from '../common/errors';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import { BodyLimit, longTextLimit } from '../common/request-body';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { Manager, managerOf, Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { ActionDto, ActionTaskDto, AttendanceDto, NOTES_MAX, NotesDto } from './dto/records.dto';
import { MeetingRecordsPage } from './meeting-records.page';
import { MeetingRecordsService } from './meeting-records.service';
import { MeetingsPage } from './meetings.page';

/**
 * After a meeting: its attendance, notes and action items, recorded on the meeting's page by a
 * facilitator or the expert who hosts it (the service's rule; anyone else gets 404), and an action
 * item made into a task by a facilitator.
 */
@Controller('courses')
@SignedIn()
export class MeetingRecordsController {
  constructor(
    private readonly records: MeetingRecordsService,
    private readonly pages: MeetingRecordsPage,
    private readonly meetingPages: MeetingsPage,
  ) {}

  @Post(':id/meetings/:meetingId/attendance')
  @InCourse('meetings.record')
  @FormView('meetings/show', 'formContext')
  async attendance(
    @Viewer() v: CourseViewer,
    @Param('meetingId', IdPipe) meetingId: number,
    @Body() dto: AttendanceDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      await this.records.saveAttendance(v, meetingId, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('meetings/show', await this.pages.conflict(v, meetingId, req.body, 'attendance'));
    }
    flash(req, 'success', 'Attendance saved. The meeting is marked as held.');
    res.redirect(303, `/courses/${v.course.id}/meetings/${meetingId}#attendance`);
  }

  @Post(':id/meetings/:meetingId/notes')
  @InCourse('meetings.record')
  @BodyLimit(longTextLimit(NOTES_MAX))
  @FormView('meetings/show', 'formContext')
  async notes(@Viewer() v: CourseViewer, @Param('meetingId', IdPipe) meetingId: number, @Body() dto: NotesDto, @Req() req: Request, @Res() res: Response) {
    let saved;
    try {
      saved = await this.records.saveNotes(v, meetingId, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('meetings/show', await this.pages.conflict(v, meetingId, req.body, 'notes'));
    }
    flash(
      req,
      'success',
      saved.finalised
        ? 'The notes are final: everyone in the meeting can read them now, and they have been told.'
        : dto.status === 'final'
          ? 'Your corrections to the final notes are saved.'
          : 'Draft notes saved. Only the host and the facilitators see them until you make them final.',
    );
    res.redirect(303, `/courses/${v.course.id}/meetings/${meetingId}#notes`);
  }

  @Post(':id/meetings/:meetingId/actions')
  @InCourse('meetings.record')
  @FormView('meetings/show', 'formContext')
  async addAction(@Viewer() v: CourseViewer, @Param('meetingId', IdPipe) meetingId: number, @Body() dto: ActionDto, @Req() req: Request, @Res() res: Response) {
    await this.records.addAction(v, meetingId, dto);
    flash(req, 'success', 'Action item added.');
    res.redirect(303, `/courses/${v.course.id}/meetings/${meetingId}#actions`);
  }

  @Get(':id/meetings/:meetingId/actions/:actionId/task')
  @InCourse('meetings.record')
  @Render('meetings/action-task')
  taskForm(@Manager() m: CourseManager, @Param('meetingId', IdPipe) meetingId: number, @Param('actionId', IdPipe) actionId: number) {
    return this.pages.taskForm(m, meetingId, actionId);
  }

  @Post(':id/meetings/:meetingId/actions/:actionId/task')
  @InCourse('meetings.record')
  @FormView('meetings/action-task', 'taskFormContext')
  async makeTask(
    @Manager() m: CourseManager,
    @Param('meetingId', IdPipe) meetingId: number,
    @Param('actionId', IdPipe) actionId: number,
    @Body() dto: ActionTaskDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const task = await this.records.makeTask(m, meetingId, actionId, dto);
    flash(
      req,
      'success',
      task.status === 'published'
        ? `Task “${task.title}” is published for the team.`
        : `Task “${task.title}” created as a draft for the team. Publish it when it is ready.`,
    );
    res.redirect(303, `/courses/${m.course.id}/meetings/${meetingId}#actions`);
  }

  /** The meeting page again after a 422. */
  formContext(req: Request) {
    return this.meetingPages.show(viewerOf(req), parseId(req.params.meetingId));
  }

  taskFormContext(req: Request) {
    return this.pages.taskForm(managerOf(req), parseId(req.params.meetingId), parseId(req.params.actionId));
  }
}
