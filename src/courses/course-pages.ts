import { Inject, Injectable } from '@nestjs/common';
import { COUNTRIES } from '../common/countries';
import { type ConflictField, editConflictView, show } from '../common/edit-conflict';
import { pageLinks } from '../common/pagination';
import { timeZonePicker } from '../common/time';
import { addDays, formatDate, localDate } from '../common/zoned-time';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { LANGUAGES, type SessionUser } from '../users/user.view';
import type { CourseManager, CourseViewer } from './course-access.service';
import type { Course } from './course.entity';
import { courseHeader, languageList, STATUS_LABELS } from './course.view';
import { CoursesService } from './courses.service';
import { PHASE_KINDS, type Phase } from './phase.entity';
import { programmeIcs } from './programme-ics';
import { SESSION_KINDS } from './programme-session.entity';
import { ProgrammeService, SESSION_KIND_LABELS, sessionLanguages } from './programme.service';

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));
const SESSION_KIND_OPTIONS = SESSION_KINDS.map((k) => ({ value: k, label: SESSION_KIND_LABELS[k] }));
const PHASE_KIND_OPTIONS = PHASE_KINDS.map((k) => ({ value: k, label: k === 'online' ? 'Online' : 'In person' }));

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

/** The workshop form's values for a saved course, field by field (the entity never reaches the template). */
function courseValues(c: Course) {
  return {
    title: c.title,
    series: c.series,
    edition: c.edition,
    summary: c.summary,
    organisers: c.organisers,
    venueCampus: c.venueCampus,
    venueCity: c.venueCity,
    venueCountry: c.venueCountry,
    timeZone: c.timeZone,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    workingLanguage: c.workingLanguage,
    interpretationLanguages: c.interpretationLanguages ? c.interpretationLanguages.split(',') : [],
    version: c.version,
  };
}

/** The phase form's values for a saved phase. */
function phaseValues(p: Phase) {
  return { title: p.title, kind: p.kind, startsOn: p.startsOn, endsOn: p.endsOn, description: p.description, platformUrl: p.platformUrl };
}

/** View models of the courses module's own pages: the course list and forms, phases, the programme. */
@Injectable()
export class CoursePages {
  constructor(
    private readonly courses: CoursesService,
    private readonly programme: ProgrammeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async index(user: SessionUser, pageNo?: number) {
    const list = await this.courses.listFor(user, pageNo);
    return {
      title: 'Workshops',
      nav: 'courses',
      courses: list.rows.map((c) => ({ ...c, statusLabel: STATUS_LABELS[c.status] })),
      pagination: pageLinks('/courses', {}, list.page, list.pages),
      canCreate: user.role === 'admin' || user.role === 'facilitator',
    };
  }

  private courseForm(title: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}, zones: (string | undefined)[] = []) {
    return { title, nav: 'courses', values, countries: COUNTRY_OPTIONS, timeZones: timeZonePicker(zones), languages: LANGUAGES, ...extra };
  }

  /** The new-workshop form; `blank` leaves the values out (the form again after a 422 keeps what was typed). */
  newCourse(user: SessionUser, blank = false) {
    const values = blank
      ? {}
      : { workingLanguage: 'en', participation: 'invitation', timeZone: 'Asia/Shanghai', venueCountry: 'CN', interpretationLanguages: [] };
    return this.courseForm('New workshop', values, {}, [user.timeZone, 'Asia/Shanghai']);
  }

  edit(m: CourseManager) {
    const c = m.course;
    return this.courseForm(`Edit: ${c.title}`, courseValues(c), courseHeader(m, 'setup'), [c.timeZone, m.user.timeZone]);
  }

  /** The edit form after someone else saved the workshop first (409): what was typed, and what differs. */
  editConflict(m: CourseManager, body: unknown) {
    return editConflictView(this.edit(m), body, COURSE_FIELDS, { what: 'workshop', savedAt: m.course.updatedAt, discardHref: `/courses/${m.course.id}/edit` });
  }

  async phaseForm(m: CourseManager, phaseId?: number) {
    const phase = phaseId !== undefined ? await this.courses.phaseOf(m, phaseId) : null;
    return {
      ...courseHeader(m, 'setup'),
      title: phase ? `Edit phase: ${phase.title}` : 'Add a phase',
      phase: phase ? { id: phase.id, title: phase.title } : null,
      kinds: PHASE_KIND_OPTIONS,
      values: phase ? phaseValues(phase) : { kind: 'online', startsOn: m.course.startsOn, endsOn: m.course.endsOn },
      courseDates: `${formatDate(m.course.startsOn)} to ${formatDate(m.course.endsOn)}`,
    };
  }

  async programmePage(v: CourseViewer) {
    const prog = await this.programme.timetable(v.course.id, v.course.timeZone);
    const viewerZone = v.user.timeZone;
    return {
      ...courseHeader(v, 'programme'),
      title: `Programme: ${v.course.title}`,
      days: prog.days.map((d) => ({ ...d, sessions: d.sessions.map((s) => ({ ...s, interpretation: languageList(s.interpretationLanguages.join(',')) })) })),
      hasSessions: prog.sessions.length > 0,
      inPersonPhases: prog.phases.map((p) => ({ id: p.id, title: p.title })),
      otherZone: viewerZone !== v.course.timeZone ? viewerZone : null,
    };
  }

  /** The programme as an iCalendar file: its name and text. */
  async calendar(v: CourseViewer) {
    const prog = await this.programme.timetable(v.course.id, v.course.timeZone);
    const host = new URL(this.config.publicBaseUrl).host;
    return { name: `programme-course-${v.course.id}.ics`, text: programmeIcs(v.course, prog.sessions, host) };
  }

  /** The session form: a new session in phase `at.phaseId`, or session `at.sessionId` to edit. */
  async sessionForm(m: CourseManager, at: { phaseId?: number; sessionId?: number }) {
    const session = at.sessionId !== undefined ? await this.programme.session(m, at.sessionId) : null;
    const phase = await this.courses.phaseOf(m, session ? session.phaseId : at.phaseId!);
    const view = session ? this.programme.view(session, m.course.timeZone) : null;
    const days: { value: string; label: string }[] = [];
    for (let d = phase.startsOn; d <= phase.endsOn; d = addDays(d, 1)) days.push({ value: d, label: formatDate(d) });
    return {
      ...courseHeader(m, 'programme'),
      title: session ? `Edit session: ${session.title}` : `Add a session to “${phase.title}”`,
      phase: { id: phase.id, title: phase.title },
      session: view,
      days,
      kinds: SESSION_KIND_OPTIONS,
      // Interpretation: the workshop's languages only (and any this session already has).
      languages: LANGUAGES.filter((l) => sessionLanguages(m.course, session).includes(l.value)),
      zone: m.course.timeZone,
      values: view ?? {
        kind: 'plenary',
        day: days.find((d) => d.value >= localDate(new Date(), m.course.timeZone))?.value ?? phase.startsOn,
        startTime: '09:00',
        endTime: '10:30',
        interpretationLanguages: [],
      },
    };
  }
}
