import { Body, Controller, Get, Inject, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { IdPipe, parseId } from '../common/ids';
import { pageLinks } from '../common/pagination';
import type { Request, Response } from 'express';
import { Allow, SignedIn } from '../common/access.decorator';
import { COUNTRIES } from '../common/countries';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { timeZonePicker } from '../common/time';
import { addDays, formatDate, localDate } from '../common/zoned-time';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { LANGUAGES } from '../users/user.view';
import { CourseAccessService } from './course-access.service';
import { courseHeader, languageList, STATUS_LABELS } from './course.view';
import { CoursesService } from './courses.service';
import { EditConflictError } from '../common/errors';
import { type ConflictField, editConflictView, show } from '../common/edit-conflict';
import { EditCourseDto, NewCourseDto, PageQuery, PhaseDto, SessionDto } from './dto/course.dto';
import { PHASE_KINDS } from './phase.entity';
import { programmeIcs } from './programme-ics';
import { ProgrammeService, SESSION_KIND_LABELS, sessionLanguages } from './programme.service';
import { SESSION_KINDS } from './programme-session.entity';
import { setDownloadHeaders } from '../files/file-store.service';

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));
const SESSION_KIND_OPTIONS = SESSION_KINDS.map((k) => ({ value: k, label: SESSION_KIND_LABELS[k] }));
/** The workshop form's fields, for the page shown when someone else saved the workshop first. */
const COURSE_FIELDS: ConflictField[] = [
  { label: 'Title', show: show.text('title') },
  { label: 'Series', show: show.text('series') },
  { label: 'Edition', show: show.text('edition') },
  { label: 'Summary', show: show.text('summary') },
  { label: 'Organisers', show: show.text('organisers') },
  { label: 'Campus or building', show: show.text('venueCampus') },
  { label: 'City', show: show.text('venueCity') },
  { label: 'Country', show: show.choice('venueCountry', COUNTRY_OPTIONS) },
  { label: 'Time zone of the venue', show: show.text('timeZone') },
  { label: 'First day', show: show.text('startsOn') },
  { label: 'Last day', show: show.text('endsOn') },
  { label: 'Working language', show: show.choice('workingLanguage', LANGUAGES) },
  { label: 'Interpretation', show: show.choices('interpretationLanguages', LANGUAGES) },
];
const PHASE_KIND_OPTIONS = PHASE_KINDS.map((k) => ({ value: k, label: k === 'online' ? 'Online' : 'In person' }));

@Controller('courses')
@SignedIn()
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly access: CourseAccessService,
    private readonly programme: ProgrammeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Render('courses/index')
  async index(@Req() req: Request, @Query() query: PageQuery) {
    const list = await this.courses.listFor(req.user!, query.page);
    return {
      title: 'Workshops',
      nav: 'courses',
      courses: list.rows.map((c) => ({ ...c, statusLabel: STATUS_LABELS[c.status] })),
      pagination: pageLinks('/courses', {}, list.page, list.pages),
      canCreate: req.user!.role === 'admin' || req.user!.role === 'facilitator',
    };
  }

  @Get('new')
  @Allow('courses.create')
  @Render('courses/new')
  newCourse(@Req() req: Request) {
    return this.formContext('New workshop', { workingLanguage: 'en', participation: 'invitation', timeZone: 'Asia/Shanghai', venueCountry: 'CN', interpretationLanguages: [] }, {}, [req.user!.timeZone, 'Asia/Shanghai']);
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
  @Render('courses/edit')
  async edit(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.editContext(req, id);
  }

  @Post(':id/edit')
  @FormView('courses/edit', 'editContext')
  async update(@Param('id', IdPipe) id: number, @Body() dto: EditCourseDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    try {
      await this.courses.update(v, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      const fresh = await this.editContext(req, id);
      const savedAt = (fresh.values as { updatedAt: Date }).updatedAt;
      return res.status(409).render('courses/edit', editConflictView(fresh, req.body, COURSE_FIELDS, { what: 'workshop', savedAt, discardHref: `/courses/${id}/edit` }));
    }
    flash(req, 'success', 'The course details have been saved.');
    res.redirect(303, `/courses/${id}/setup`);
  }

  // Phases

  @Get(':id/phases/new')
  @Render('courses/phase-form')
  async newPhase(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.phaseContext(req, id);
  }

  @Post(':id/phases')
  @FormView('courses/phase-form', 'phaseFormContext')
  async addPhase(@Param('id', IdPipe) id: number, @Body() dto: PhaseDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const p = await this.courses.addPhase(v, dto);
    flash(req, 'success', `Phase “${p.title}” added.`);
    res.redirect(303, `/courses/${id}/setup`);
  }

  @Get(':id/phases/:phaseId/edit')
  @Render('courses/phase-form')
  async editPhase(@Param('id', IdPipe) id: number, @Param('phaseId', IdPipe) phaseId: number, @Req() req: Request) {
    return this.phaseContext(req, id, phaseId);
  }

  @Post(':id/phases/:phaseId/edit')
  @FormView('courses/phase-form', 'phaseFormContext')
  async updatePhase(@Param('id', IdPipe) id: number, @Param('phaseId', IdPipe) phaseId: number, @Body() dto: PhaseDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const p = await this.courses.updatePhase(v, phaseId, dto);
    flash(req, 'success', `Phase “${p.title}” saved.`);
    res.redirect(303, `/courses/${id}/setup`);
  }

  @Post(':id/phases/:phaseId/delete')
  @FormView('courses/phase-form', 'phaseFormContext')
  async deletePhase(@Param('id', IdPipe) id: number, @Param('phaseId', IdPipe) phaseId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const p = await this.courses.deletePhase(v, phaseId);
    flash(req, 'success', `Phase “${p.title}” removed.`);
    res.redirect(303, `/courses/${id}/setup`);
  }

  // Programme

  @Get(':id/programme')
  @Render('courses/programme')
  async programmePage(@Param('id', IdPipe) id: number, @Req() req: Request) {
    const v = await this.access.viewer(req.user!, id);
    const prog = await this.programme.timetable(id, v.course.timeZone);
    const viewerZone = req.user!.timeZone;
    return {
      ...courseHeader(v, 'programme'),
      title: `Programme: ${v.course.title}`,
      days: prog.days.map((d) => ({ ...d, sessions: d.sessions.map((s) => ({ ...s, interpretation: languageList(s.interpretationLanguages.join(',')) })) })),
      hasSessions: prog.sessions.length > 0,
      inPersonPhases: prog.phases.map((p) => ({ id: p.id, title: p.title })),
      otherZone: viewerZone !== v.course.timeZone ? viewerZone : null,
    };
  }

  @Get(':id/programme.ics')
  async programmeCalendar(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.viewer(req.user!, id);
    const prog = await this.programme.timetable(id, v.course.timeZone);
    const host = new URL(this.config.publicBaseUrl).host;
    setDownloadHeaders(res, { name: `programme-course-${id}.ics`, mime: 'text/calendar; charset=utf-8' });
    res.send(programmeIcs(v.course, prog.sessions, host));
  }

  @Get(':id/phases/:phaseId/sessions/new')
  @Render('courses/session-form')
  async newSession(@Param('id', IdPipe) id: number, @Param('phaseId', IdPipe) phaseId: number, @Req() req: Request) {
    return this.sessionContext(req, id, phaseId);
  }

  @Post(':id/phases/:phaseId/sessions')
  @FormView('courses/session-form', 'sessionFormContext')
  async addSession(@Param('id', IdPipe) id: number, @Param('phaseId', IdPipe) phaseId: number, @Body() dto: SessionDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const phase = await this.courses.phaseOf(v, phaseId);
    const s = await this.programme.add(v, phase, dto);
    flash(req, 'success', `“${s.title}” added to the programme on ${formatDate(dto.day)}.`);
    res.redirect(303, `/courses/${id}/programme#day-${dto.day}`);
  }

  @Get(':id/sessions/:sessionId/edit')
  @Render('courses/session-form')
  async editSession(@Param('id', IdPipe) id: number, @Param('sessionId', IdPipe) sessionId: number, @Req() req: Request) {
    return this.sessionContext(req, id, undefined, sessionId);
  }

  @Post(':id/sessions/:sessionId/edit')
  @FormView('courses/session-form', 'sessionFormContext')
  async updateSession(@Param('id', IdPipe) id: number, @Param('sessionId', IdPipe) sessionId: number, @Body() dto: SessionDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const s = await this.programme.update(v, sessionId, dto);
    flash(req, 'success', `“${s.title}” saved.`);
    res.redirect(303, `/courses/${id}/programme#day-${dto.day}`);
  }

  @Post(':id/sessions/:sessionId/delete')
  @FormView('courses/session-form', 'sessionFormContext')
  async deleteSession(@Param('id', IdPipe) id: number, @Param('sessionId', IdPipe) sessionId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const s = await this.programme.remove(v, sessionId);
    flash(req, 'success', `“${s.title}” removed from the programme.`);
    res.redirect(303, `/courses/${id}/programme`);
  }

  // Form contexts (also used to re-render a form after a 422)

  formContext(title: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}, zones: (string | undefined)[] = []) {
    return { title, nav: 'courses', values, countries: COUNTRY_OPTIONS, timeZones: timeZonePicker(zones), languages: LANGUAGES, ...extra };
  }

  newCourseContext(req: Request) {
    return this.formContext('New workshop', {}, {}, [req.user!.timeZone, 'Asia/Shanghai']);
  }

  async editContext(req: Request, id = parseId(req.params.id)) {
    const v = await this.access.manager(req.user!, id);
    const c = v.course;
    return this.formContext(`Edit: ${c.title}`, { ...c, interpretationLanguages: c.interpretationLanguages ? c.interpretationLanguages.split(',') : [] }, courseHeader(v, 'setup'), [c.timeZone, req.user!.timeZone]);
  }

  async phaseContext(req: Request, id: number, phaseId?: number) {
    const v = await this.access.manager(req.user!, id);
    const phase = phaseId ? await this.courses.phaseOf(v, phaseId) : null;
    return {
      ...courseHeader(v, 'setup'),
      title: phase ? `Edit phase: ${phase.title}` : 'Add a phase',
      phase,
      kinds: PHASE_KIND_OPTIONS,
      values: phase ?? { kind: 'online', startsOn: v.course.startsOn, endsOn: v.course.endsOn },
      courseDates: `${formatDate(v.course.startsOn)} to ${formatDate(v.course.endsOn)}`,
    };
  }

  phaseFormContext(req: Request) {
    return this.phaseContext(req, parseId(req.params.id), req.params.phaseId ? parseId(req.params.phaseId) : undefined);
  }

  async sessionContext(req: Request, id: number, phaseId?: number, sessionId?: number) {
    const v = await this.access.manager(req.user!, id);
    const session = sessionId ? await this.programme.session(v, sessionId) : null;
    const phase = await this.courses.phaseOf(v, session ? session.phaseId : phaseId!);
    const view = session ? this.programme.view(session, v.course.timeZone) : null;
    const days: { value: string; label: string }[] = [];
    for (let d = phase.startsOn; d <= phase.endsOn; d = addDays(d, 1)) days.push({ value: d, label: formatDate(d) });
    return {
      ...courseHeader(v, 'programme'),
      title: session ? `Edit session: ${session.title}` : `Add a session to “${phase.title}”`,
      phase: { id: phase.id, title: phase.title },
      session: view,
      days,
      kinds: SESSION_KIND_OPTIONS,
      // Interpretation: the workshop's languages only (and any this session already has).
      languages: LANGUAGES.filter((l) => sessionLanguages(v.course, session).includes(l.value)),
      zone: v.course.timeZone,
      values: view ?? { kind: 'plenary', day: days.find((d) => d.value >= localDate(new Date(), v.course.timeZone))?.value ?? phase.startsOn, startTime: '09:00', endTime: '10:30', interpretationLanguages: [] },
    };
  }

  sessionFormContext(req: Request) {
    return this.sessionContext(req, parseId(req.params.id), req.params.phaseId ? parseId(req.params.phaseId) : undefined, req.params.sessionId ? parseId(req.params.sessionId) : undefined);
  }
}

