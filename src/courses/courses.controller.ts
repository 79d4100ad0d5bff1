import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, InCourse, SignedIn } from '../common/access.decorator';
import { EditConflictError } from '../common/errors';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import { formatDate } from '../common/zoned-time';
import { setDownloadHeaders } from '../files/file-store.service';
import type { CourseManager, CourseViewer } from './course-access.service';
import { CoursePages } from './course-pages';
import { Manager, managerOf, Viewer } from './course-viewer.decorator';
import { CoursesService } from './courses.service';
import { EditCourseDto, NewCourseDto, PageQuery, PhaseDto, SessionDto } from './dto/course.dto';
import { ProgrammeService } from './programme.service';

/** Optional numeric route parameter of a form's context (`:phaseId`, `:sessionId`). */
const optionalId = (req: Request, name: string) => (req.params[name] ? parseId(req.params[name]) : undefined);

@Controller('courses')
@SignedIn()
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly programme: ProgrammeService,
    private readonly pages: CoursePages,
  ) {}

  @Get()
  @Render('courses/index')
  index(@Req() req: Request, @Query() query: PageQuery) {
    return this.pages.index(req.user!, query.page);
  }

  @Get('new')
  @Allow('courses.create')
  @Render('courses/new')
  newCourse(@Req() req: Request) {
    return this.pages.newCourse(req.user!);
  }

  @Post()
  @Allow('courses.create')
  @FormView('courses/new', 'newCourseContext')
  async create(@Body() dto: NewCourseDto, @Req() req: Request, @Res() res: Response) {
    const course = await this.courses.create(req.user!, dto);
    flash(req, 'success', `“${course.title}” has been created as a draft with its phases. Add the programme, teams and resources, then publish it.`);
    res.redirect(303, `/courses/${course.id}/setup`);
  }

  @Get(':id/edit')
  @InCourse('course.manage')
  @Render('courses/edit')
  edit(@Manager() m: CourseManager) {
    return this.pages.edit(m);
  }

  @Post(':id/edit')
  @InCourse('course.manage')
  @FormView('courses/edit', 'editContext')
  async update(@Manager() m: CourseManager, @Body() dto: EditCourseDto, @Req() req: Request, @Res() res: Response) {
    try {
      await this.courses.update(m, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      return res.status(409).render('courses/edit', this.pages.editConflict(m, req.body));
    }
    flash(req, 'success', 'The course details have been saved.');
    res.redirect(303, `/courses/${m.course.id}/setup`);
  }

  // Phases

  @Get(':id/phases/new')
  @InCourse('course.manage')
  @Render('courses/phase-form')
  newPhase(@Manager() m: CourseManager) {
    return this.pages.phaseForm(m);
  }

  @Post(':id/phases')
  @InCourse('course.manage')
  @FormView('courses/phase-form', 'phaseFormContext')
  async addPhase(@Manager() m: CourseManager, @Body() dto: PhaseDto, @Req() req: Request, @Res() res: Response) {
    const p = await this.courses.addPhase(m, dto);
    flash(req, 'success', `Phase “${p.title}” added.`);
    res.redirect(303, `/courses/${m.course.id}/setup`);
  }

  @Get(':id/phases/:phaseId/edit')
  @InCourse('course.manage')
  @Render('courses/phase-form')
  editPhase(@Manager() m: CourseManager, @Param('phaseId', IdPipe) phaseId: number) {
    return this.pages.phaseForm(m, phaseId);
  }

  @Post(':id/phases/:phaseId/edit')
  @InCourse('course.manage')
  @FormView('courses/phase-form', 'phaseFormContext')
  async updatePhase(@Manager() m: CourseManager, @Param('phaseId', IdPipe) phaseId: number, @Body() dto: PhaseDto, @Req() req: Request, @Res() res: Response) {
    const p = await this.courses.updatePhase(m, phaseId, dto);
    flash(req, 'success', `Phase “${p.title}” saved.`);
    res.redirect(303, `/courses/${m.course.id}/setup`);
  }

  @Post(':id/phases/:phaseId/delete')
  @InCourse('course.manage')
  @FormView('courses/phase-form', 'phaseFormContext')
  async deletePhase(@Manager() m: CourseManager, @Param('phaseId', IdPipe) phaseId: number, @Req() req: Request, @Res() res: Response) {
    const p = await this.courses.deletePhase(m, phaseId);
    flash(req, 'success', `Phase “${p.title}” removed.`);
    res.redirect(303, `/courses/${m.course.id}/setup`);
  }

  // Programme

  @Get(':id/programme')
  @InCourse('course.view')
  @Render('courses/programme')
  programmePage(@Viewer() v: CourseViewer) {
    return this.pages.programmePage(v);
  }

  @Get(':id/programme.ics')
  @InCourse('course.view')
  async programmeCalendar(@Viewer() v: CourseViewer, @Res() res: Response) {
    const ics = await this.pages.calendar(v);
    setDownloadHeaders(res, { name: ics.name, mime: 'text/calendar; charset=utf-8' });
    res.send(ics.text);
  }

  @Get(':id/phases/:phaseId/sessions/new')
  @InCourse('course.manage')
  @Render('courses/session-form')
  newSession(@Manager() m: CourseManager, @Param('phaseId', IdPipe) phaseId: number) {
    return this.pages.sessionForm(m, { phaseId });
  }

  @Post(':id/phases/:phaseId/sessions')
  @InCourse('course.manage')
  @FormView('courses/session-form', 'sessionFormContext')
  async addSession(@Manager() m: CourseManager, @Param('phaseId', IdPipe) phaseId: number, @Body() dto: SessionDto, @Req() req: Request, @Res() res: Response) {
    const s = await this.programme.add(m, phaseId, dto);
    flash(req, 'success', `“${s.title}” added to the programme on ${formatDate(dto.day)}.`);
    res.redirect(303, `/courses/${m.course.id}/programme#day-${dto.day}`);
  }

  @Get(':id/sessions/:sessionId/edit')
  @InCourse('course.manage')
  @Render('courses/session-form')
  editSession(@Manager() m: CourseManager, @Param('sessionId', IdPipe) sessionId: number) {
    return this.pages.sessionForm(m, { sessionId });
  }

  @Post(':id/sessions/:sessionId/edit')
  @InCourse('course.manage')
  @FormView('courses/session-form', 'sessionFormContext')
  async updateSession(
    @Manager() m: CourseManager,
    @Param('sessionId', IdPipe) sessionId: number,
    @Body() dto: SessionDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const s = await this.programme.update(m, sessionId, dto);
    flash(req, 'success', `“${s.title}” saved.`);
    res.redirect(303, `/courses/${m.course.id}/programme#day-${dto.day}`);
  }

  @Post(':id/sessions/:sessionId/delete')
  @InCourse('course.manage')
  @FormView('courses/session-form', 'sessionFormContext')
  async deleteSession(@Manager() m: CourseManager, @Param('sessionId', IdPipe) sessionId: number, @Req() req: Request, @Res() res: Response) {
    const s = await this.programme.remove(m, sessionId);
    flash(req, 'success', `“${s.title}” removed from the programme.`);
    res.redirect(303, `/courses/${m.course.id}/programme`);
  }

  // Form contexts: the form again after a 422

  newCourseContext(req: Request) {
    return this.pages.newCourse(req.user!, true);
  }

  editContext(req: Request) {
    return this.pages.edit(managerOf(req));
  }

  phaseFormContext(req: Request) {
    return this.pages.phaseForm(managerOf(req), optionalId(req, 'phaseId'));
  }

  sessionFormContext(req: Request) {
    return this.pages.sessionForm(managerOf(req), { phaseId: optionalId(req, 'phaseId'), sessionId: optionalId(req, 'sessionId') });
  }
}
