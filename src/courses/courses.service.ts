import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { countryName } from '../common/countries';
import { EditConflictError, findOrFail, FormInvalidError } from '../common/errors';
import { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
import type { SessionUser } from '../users/user.view';
import { Course, type CourseStatus } from './course.entity';
import { CourseAccessService, type CourseManager, type CourseViewer } from './course-access.service';
import { CourseMember } from './course-member.entity';
import { courseDateProblems, defaultPhases, phaseProblems } from './course-rules';
import type { CourseDto, EditCourseDto, NewCourseDto, PhaseDto } from './dto/course.dto';
import { Phase } from './phase.entity';
import { ProgrammeSession } from './programme-session.entity';
import { localDate } from '../common/zoned-time';
import { holdsCourseRole } from '../common/permissions';
import { TEAM_ROLE_WORDS } from './course.view';
import { TeamMemberships } from './team-memberships';

export const COURSES_PAGE_SIZE = 20;

/** A workshop as the home lists it (CoursesService.homeLists). */
export interface HomeCourse {
  id: number;
  title: string;
  status: CourseStatus;
  startsOn: string;
  endsOn: string;
  canManage: boolean;
}

/** A phase as a timeline shows it (CoursesService.phaseSpans). */
export type PhaseSpan = Pick<Phase, 'id' | 'title' | 'kind' | 'startsOn' | 'endsOn' | 'description' | 'platformUrl'>;

/** Which course statuses may follow which: one table, checked in one place. */
export const COURSE_TRANSITIONS: Readonly<Record<CourseStatus, readonly CourseStatus[]>> = {
  draft: ['published', 'archived'],
  published: ['draft', 'archived'],
  archived: ['draft'],
};

@Injectable()
export class CoursesService {
  constructor(
    private readonly db: Database,
    private readonly access: CourseAccessService,
    private readonly teams: TeamMemberships,
  ) {}

  /**
   * One page of the courses a person may open, newest first. Admins page through every course in
   * the database (two queries); others through their own courses (three queries).
   */
  async listFor(user: SessionUser, pageNo = 1) {
    const size = COURSES_PAGE_SIZE;
    if (user.role === 'admin') {
      const total = await this.db.repo(Course).count();
      const pages = Math.max(1, Math.ceil(total / size));
      const page = Math.min(Math.max(1, pageNo), pages);
      const rows = await this.db.repo(Course).find({ order: { startsOn: 'DESC', id: 'DESC' }, skip: (page - 1) * size, take: size });
      return { rows: rows.map((c) => ({ ...this.card(c), canManage: true })), total, page, pages };
    }
    const { managed, member } = await this.access.courseIdsFor(user);
    const ids = [...managed, ...member];
    const all = ids.length ? await this.db.repo(Course).find({ where: { id: In(ids) }, order: { startsOn: 'DESC', id: 'DESC' } }) : [];
    const visible = all.filter((c) => managed.includes(c.id) || c.status === 'published');
    const pages = Math.max(1, Math.ceil(visible.length / size));
    const page = Math.min(Math.max(1, pageNo), pages);
    return {
      rows: visible.slice((page - 1) * size, page * size).map((c) => ({ ...this.card(c), canManage: managed.includes(c.id) })),
      total: visible.length,
      page,
      pages,
    };
  }

  /**
   * Workshops a participant or expert already belongs to that are not published yet: they cannot
   * be opened, but the person is told which they are in, with their team and dates (two queries:
   * their teams from the teams module, then those teams' courses).
   */
  /**
   * The home's lists, hand-written (every sign-in lands there): `listFor`'s first page (the columns
   * the home shows) and `upcomingFor`, from one read of each table whatever the number of workshops.
   * An administrator's is `listFor`'s. Keep its rules in step with `listFor`, `upcomingFor` and
   * `CourseAccessService.courseIdsFor`.
   */
  async homeLists(user: SessionUser): Promise<{ rows: HomeCourse[]; total: number; upcoming: Awaited<ReturnType<CoursesService['upcomingFor']>> }> {
    if (user.role === 'admin') {
      const [list, upcoming] = await Promise.all([this.listFor(user, 1), this.upcomingFor(user)]);
      return { rows: list.rows, total: list.total, upcoming };
    }
    const [staff, memberships] = await Promise.all([
      this.db.rows<{
        courseId: number | string;
        role: CourseMember['role'];
      }>`SELECT course_id AS "courseId", role FROM course_members WHERE user_id = ${user.id}`,
      this.teams.ofPerson(user.id),
    ]);
    // As CourseAccessService.courseIdsFor: a course role counts only while the site role allows it.
    const held = staff.map((s) => ({ courseId: Number(s.courseId), role: s.role })).filter((s) => holdsCourseRole(user.role, s.role));
    const managed = held.filter((s) => s.role === 'facilitator').map((s) => s.courseId);
    const member = [...new Set([...held.filter((s) => s.role === 'expert').map((s) => s.courseId), ...memberships.map((m) => m.courseId)])].filter(
      (id) => !managed.includes(id),
    );
    const ids = [...managed, ...member];
    const all = ids.length
      ? (
          await this.db.rows<{ id: number | string; title: string; status: CourseStatus; startsOn: string; endsOn: string }>`
            SELECT id, title, status, CAST(starts_on AS TEXT) AS "startsOn", CAST(ends_on AS TEXT) AS "endsOn" FROM courses WHERE id IN ${ids}`
        ).map((c) => ({ ...c, id: Number(c.id) }))
      : [];
    const byStart = (a: { id: number; startsOn: string }, b: { id: number; startsOn: string }) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id;
    const visible = all.filter((c) => managed.includes(c.id) || c.status === 'published').sort((a, b) => byStart(b, a));
    const drafts = all.filter((c) => c.status === 'draft' && memberships.some((m) => m.courseId === c.id)).sort(byStart);
    return {
      rows: visible.slice(0, COURSES_PAGE_SIZE).map((c) => ({ ...c, canManage: managed.includes(c.id) })),
      total: visible.length,
      upcoming: drafts.flatMap((c) =>
        memberships
          .filter((m) => m.courseId === c.id)
          .map((m) => ({ title: c.title, startsOn: c.startsOn, endsOn: c.endsOn, team: m.teamName, teamRole: TEAM_ROLE_WORDS[m.teamRole] })),
      ),
    };
  }

  /**
   * A course's phases with the columns its timeline shows, hand-written (the homes' panels): the
   * same rows in the same order as `phases`.
   */
  async phaseSpans(courseId: number): Promise<PhaseSpan[]> {
    const rows = await this.db.rows<PhaseSpan & { id: number | string }>`
      SELECT id, title, kind, CAST(starts_on AS TEXT) AS "startsOn", CAST(ends_on AS TEXT) AS "endsOn", description, platform_url AS "platformUrl"
      FROM phases WHERE course_id = ${courseId} ORDER BY starts_on, id`;
    return rows.map((p) => ({ ...p, id: Number(p.id) }));
  }

  async upcomingFor(user: SessionUser) {
    if (user.role === 'admin') return [];
    const memberships = await this.teams.ofPerson(user.id);
    if (!memberships.length) return [];
    const drafts = await this.db
      .repo(Course)
      .find({ where: { id: In([...new Set(memberships.map((m) => m.courseId))]), status: 'draft' }, order: { startsOn: 'ASC', id: 'ASC' } });
    return drafts.flatMap((c) =>
      memberships
        .filter((m) => m.courseId === c.id)
        .map((m) => ({ title: c.title, startsOn: c.startsOn, endsOn: c.endsOn, team: m.teamName, teamRole: TEAM_ROLE_WORDS[m.teamRole] })),
    );
  }

  card(c: Course) {
    return {
      id: c.id,
      title: c.title,
      series: c.series,
      edition: c.edition,
      status: c.status,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      venue: `${c.venueCampus}, ${c.venueCity}, ${countryName(c.venueCountry)}`,
      timeZone: c.timeZone,
    };
  }

  async create(user: SessionUser, dto: NewCourseDto): Promise<Course> {
    const problems = courseDateProblems(dto, []);
    const inPerson = dto.inPersonStartsOn && dto.inPersonEndsOn ? { startsOn: dto.inPersonStartsOn, endsOn: dto.inPersonEndsOn } : undefined;
    if (inPerson) {
      const p = phaseProblems(dto, [], { title: 'In-person week', ...inPerson });
      if (p.startsOn) problems.inPersonStartsOn = p.startsOn;
      if (p.endsOn) problems.inPersonEndsOn = p.endsOn;
    }
    if (Object.keys(problems).length) throw new FormInvalidError(problems);
    return this.db.tx(async (em) => {
      const now = new Date();
      const course = await em
        .getRepository(Course)
        .save(
          em
            .getRepository(Course)
            .create({ ...this.fields(dto), participation: 'invitation', status: 'draft', createdById: user.id, createdAt: now, updatedAt: now }),
        );
      await em
        .getRepository(Phase)
        .save(defaultPhases(dto, inPerson).map((p) => em.getRepository(Phase).create({ ...p, courseId: course.id, platformUrl: null, createdAt: now })));
      // Whoever creates a course facilitates it (an admin too, so it appears among their courses).
      await em
        .getRepository(CourseMember)
        .save(em.getRepository(CourseMember).create({ courseId: course.id, userId: user.id, role: 'facilitator', createdAt: now }));
      return course;
    });
  }

  async update(m: CourseManager, dto: EditCourseDto): Promise<Course> {
    return this.db.tx(async (em) => {
      const course = await em.getRepository(Course).findOneByOrFail({ id: m.course.id });
      if (course.version !== dto.version) throw new EditConflictError('course');
      const phases = await em.getRepository(Phase).findBy({ courseId: course.id });
      const problems = courseDateProblems(dto, phases);
      if (Object.keys(problems).length) throw new FormInvalidError(problems);
      Object.assign(course, this.fields(dto), { updatedAt: new Date() });
      return em.getRepository(Course).save(course);
    });
  }

  async setStatus(m: CourseManager, status: CourseStatus): Promise<Course> {
    return this.db.tx(async (em) => {
      const course = await em.getRepository(Course).findOneByOrFail({ id: m.course.id });
      if (course.status === status) return course;
      if (!COURSE_TRANSITIONS[course.status].includes(status)) throw FormInvalidError.field('_form', `A ${course.status} course cannot become ${status}.`);
      course.status = status;
      course.updatedAt = new Date();
      return em.getRepository(Course).save(course);
    });
  }

  /** A course's phases in order (read by most course pages: a hand-written read, every column, as entities). */
  async phases(courseId: number): Promise<Phase[]> {
    const rows = await this.db.rows<
      Omit<Phase, 'id' | 'courseId' | 'createdAt'> & { id: number | string; courseId: number | string; createdAt: Date | string }
    >`
      SELECT id, course_id AS "courseId", title, kind, CAST(starts_on AS TEXT) AS "startsOn", CAST(ends_on AS TEXT) AS "endsOn", description,
        platform_url AS "platformUrl", created_at AS "createdAt"
      FROM phases WHERE course_id = ${courseId} ORDER BY starts_on, id`;
    return rows.map((r) =>
      Object.assign(new Phase(), {
        id: Number(r.id),
        courseId: Number(r.courseId),
        title: r.title,
        kind: r.kind,
        startsOn: r.startsOn,
        endsOn: r.endsOn,
        description: r.description,
        platformUrl: r.platformUrl,
        createdAt: rawDate(r.createdAt),
      }),
    );
  }

  async phaseOf(v: CourseViewer, phaseId: number): Promise<Phase> {
    return findOrFail(Number.isSafeInteger(phaseId) ? await this.db.repo(Phase).findOneBy({ id: phaseId, courseId: v.course.id }) : null);
  }

  async addPhase(m: CourseManager, dto: PhaseDto): Promise<Phase> {
    return this.db.tx(async (em) => {
      const others = await em.getRepository(Phase).findBy({ courseId: m.course.id });
      const problems = phaseProblems(m.course, others, dto);
      if (Object.keys(problems).length) throw new FormInvalidError(problems);
      return em.getRepository(Phase).save(em.getRepository(Phase).create({ ...this.phaseFields(dto), courseId: m.course.id, createdAt: new Date() }));
    });
  }

  async updatePhase(m: CourseManager, phaseId: number, dto: PhaseDto): Promise<Phase> {
    return this.db.tx(async (em) => {
      const phase = findOrFail(await em.getRepository(Phase).findOneBy({ id: phaseId, courseId: m.course.id }));
      const others = await em.getRepository(Phase).findBy({ courseId: m.course.id });
      const problems = phaseProblems(m.course, others, { ...dto, id: phase.id });
      const sessions = await em.getRepository(ProgrammeSession).findBy({ phaseId: phase.id });
      if (sessions.length && dto.kind !== 'in_person') {
        (problems.kind ??= []).push('This phase has programme sessions; remove them before making it an online phase.');
      }
      const stranded = sessions.filter((s) => {
        const day = localDate(s.startsAt, m.course.timeZone);
        return day < dto.startsOn || day > dto.endsOn;
      });
      if (stranded.length) {
        (problems.startsOn ??= []).push(`The programme has ${stranded.length} session(s) outside these dates, e.g. “${stranded[0].title}”. Move them first.`);
      }
      if (Object.keys(problems).length) throw new FormInvalidError(problems);
      Object.assign(phase, this.phaseFields(dto));
      return em.getRepository(Phase).save(phase);
    });
  }

  async deletePhase(m: CourseManager, phaseId: number): Promise<Phase> {
    return this.db.tx(async (em) => {
      const phase = findOrFail(await em.getRepository(Phase).findOneBy({ id: phaseId, courseId: m.course.id }));
      if ((await em.getRepository(Phase).countBy({ courseId: m.course.id })) <= 1) {
        throw FormInvalidError.field('_form', 'A course needs at least one phase. Change this phase instead of removing it.');
      }
      await em.getRepository(Phase).delete({ id: phase.id });
      return phase;
    });
  }

  /** The course's phases as choices (id and title, in order), for other modules' forms and filters (one hand-written query). */
  async phaseOptions(courseId: number): Promise<{ id: number; title: string }[]> {
    const rows = await this.db.rows<{ id: number | string; title: string }>`
      SELECT id, title FROM phases WHERE course_id = ${courseId} ORDER BY starts_on, id`;
    return rows.map((p) => ({ id: Number(p.id), title: p.title }));
  }

  /** Is this a phase of this course? */
  hasPhase(courseId: number, phaseId: number): Promise<boolean> {
    return this.db.repo(Phase).existsBy({ id: phaseId, courseId });
  }

  private fields(dto: CourseDto) {
    return {
      title: dto.title,
      series: dto.series ?? null,
      edition: dto.edition ?? null,
      summary: dto.summary,
      organisers: dto.organisers,
      venueCampus: dto.venueCampus,
      venueCity: dto.venueCity,
      venueCountry: dto.venueCountry,
      timeZone: dto.timeZone,
      startsOn: dto.startsOn,
      endsOn: dto.endsOn,
      workingLanguage: dto.workingLanguage,
      interpretationLanguages: [...new Set(dto.interpretationLanguages ?? [])].join(','),
    };
  }

  private phaseFields(dto: PhaseDto) {
    return {
      title: dto.title,
      kind: dto.kind,
      startsOn: dto.startsOn,
      endsOn: dto.endsOn,
      description: dto.description,
      platformUrl: dto.kind === 'online' ? (dto.platformUrl ?? null) : null,
    };
  }

  // Read API for submissions (the review queue) and the calendar feed

  /** The courses in which this person holds a staff role, with the role (one query). */
  async staffRoles(userId: number): Promise<{ courseId: number; role: 'facilitator' | 'expert' }[]> {
    const rows = await this.db.rows<{ courseId: number; role: 'facilitator' | 'expert' }>`
      SELECT course_id AS "courseId", role FROM course_members WHERE user_id = ${userId} AND role IN ${['facilitator', 'expert']}`;
    return rows.map((r) => ({ courseId: Number(r.courseId), role: r.role }));
  }

  /** Titles and publication of these courses (one query). */
  async courseSummaries(ids: number[]): Promise<{ id: number; title: string; published: boolean }[]> {
    if (!ids.length) return [];
    const rows = await this.db.rows<{ id: number; title: string; status: CourseStatus }>`SELECT id, title, status FROM courses WHERE id IN ${ids}`;
    return rows.map((c) => ({ id: Number(c.id), title: c.title, published: c.status === 'published' }));
  }

  /** What other modules show of these courses: title, dates, status and venue zone, by id (one query). */
  async briefs(ids: number[]): Promise<Map<number, { title: string; startsOn: string; endsOn: string; status: CourseStatus; timeZone: string }>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db
      .repo(Course)
      .find({ where: { id: In(unique) }, select: { id: true, title: true, startsOn: true, endsOn: true, status: true, timeZone: true } });
    return new Map(rows.map((c) => [c.id, { title: c.title, startsOn: c.startsOn, endsOn: c.endsOn, status: c.status, timeZone: c.timeZone }]));
  }
}
