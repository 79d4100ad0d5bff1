import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { findOrFail, FormInvalidError } from '../common/errors';
import { addDays, formatDate, localDate, wallClock, zonedToUtcForField } from '../common/zoned-time';
import { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
import type { CourseManager, CourseViewer } from './course-access.service';
import type { SessionDto } from './dto/course.dto';
import { Course } from './course.entity';
import { languageList } from './course.view';
import { Phase } from './phase.entity';
import { ProgrammeSession, type SessionKind } from './programme-session.entity';

export const SESSION_KIND_LABELS: Record<SessionKind, string> = {
  plenary: 'Plenary',
  team_work: 'Team work',
  round_table: 'Round table',
  presidents_forum: "Presidents' forum",
  site_visit: 'Site visit',
  break: 'Break',
  other: 'Other',
};

export interface SessionView {
  id: number;
  phaseId: number;
  kind: SessionKind;
  kindLabel: string;
  title: string;
  room: string;
  startsAt: Date;
  endsAt: Date;
  /** Wall-clock times in the venue's zone. */
  day: string;
  startTime: string;
  endTime: string;
  chairs: string;
  speakers: string;
  interpretationLanguages: string[];
  description: string;
}

/** A course and its in-person programme, as the calendar feed needs them. */
export interface CourseProgramme {
  course: { id: number; title: string; published: boolean; timeZone: string; venueCampus: string; venueCity: string };
  sessions: SessionView[];
}

function sameRoom(a: string, b: string): boolean {
  return a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The languages a session may be interpreted into: the workshop's, plus any the session already has. */
export function sessionLanguages(course: Pick<Course, 'interpretationLanguages'>, session: Pick<ProgrammeSession, 'interpretationLanguages'> | null): string[] {
  const split = (s: string | null | undefined) => (s ? s.split(',').filter(Boolean) : []);
  return [...new Set([...split(course.interpretationLanguages), ...split(session?.interpretationLanguages)])];
}

@Injectable()
export class ProgrammeService {
  constructor(private readonly db: Database) {}

  /** The in-person programme of a course, day by day in the venue's zone (two queries). */
  async timetable(courseId: number, timeZone: string) {
    const phases = await this.db.repo(Phase).find({ where: { courseId, kind: 'in_person' }, order: { startsOn: 'ASC' } });
    const sessions = phases.length
      ? await this.db.repo(ProgrammeSession).find({ where: { phaseId: In(phases.map((p) => p.id)) }, order: { startsAt: 'ASC', id: 'ASC' } })
      : [];
    const views = sessions.map((s) => this.view(s, timeZone));
    const days = new Map<string, SessionView[]>();
    for (const p of phases) {
      for (let d = p.startsOn; d <= p.endsOn; d = addDays(d, 1)) days.set(d, []);
    }
    for (const s of views) (days.get(s.day) ?? days.set(s.day, []).get(s.day)!).push(s);
    return {
      /** The in-person phases, in order. */
      phases: phases.map((p) => ({ id: p.id, title: p.title })),
      days: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, items]) => ({ day, label: formatDate(day), sessions: items })),
      sessions: views,
    };
  }

  /**
   * The days of the in-person programme that have sessions, each session's times in the venue's
   * zone: what the course home shows (one hand-written query, only the columns shown).
   */
  async daysWithSessions(
    courseId: number,
    timeZone: string,
  ): Promise<{ label: string; sessions: { title: string; room: string; startTime: string; endTime: string }[] }[]> {
    const rows = await this.db.rows<{ title: string; room: string; startsAt: Date | string; endsAt: Date | string }>`
      SELECT s.title, s.room, s.starts_at AS "startsAt", s.ends_at AS "endsAt" FROM programme_sessions s JOIN phases p ON p.id = s.phase_id
      WHERE p.course_id = ${courseId} AND p.kind = 'in_person' ORDER BY s.starts_at, s.id`;
    const days = new Map<string, { title: string; room: string; startTime: string; endTime: string }[]>();
    for (const r of rows) {
      const startsAt = rawDate(r.startsAt);
      const day = localDate(startsAt, timeZone);
      const session = {
        title: r.title,
        room: r.room,
        startTime: wallClock(startsAt, timeZone).slice(11),
        endTime: wallClock(rawDate(r.endsAt), timeZone).slice(11),
      };
      (days.get(day) ?? days.set(day, []).get(day)!).push(session);
    }
    return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, sessions]) => ({ label: formatDate(day), sessions }));
  }

  /**
   * These courses with their in-person programmes, sessions in each venue's zone: for the calendar
   * feed (two queries, whatever the number of courses and sessions).
   */
  async programmesOf(courseIds: readonly number[]): Promise<CourseProgramme[]> {
    const ids = [...new Set(courseIds)];
    if (!ids.length) return [];
    const courses = await this.db.repo(Course).find({
      where: { id: In(ids) },
      select: { id: true, title: true, status: true, timeZone: true, venueCampus: true, venueCity: true },
      order: { startsOn: 'ASC', id: 'ASC' },
    });
    const sessions = await this.db
      .repo(ProgrammeSession)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.phase', 'p')
      .where('p.courseId IN (:...ids)', { ids })
      .andWhere('p.kind = :kind', { kind: 'in_person' })
      .orderBy('s.startsAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    return courses.map((c) => ({
      course: { id: c.id, title: c.title, published: c.status === 'published', timeZone: c.timeZone, venueCampus: c.venueCampus, venueCity: c.venueCity },
      sessions: sessions.filter((s) => s.phase.courseId === c.id).map((s) => this.view(s, c.timeZone)),
    }));
  }

  async session(v: CourseViewer, id: number): Promise<ProgrammeSession> {
    return findOrFail(
      Number.isSafeInteger(id)
        ? await this.db
            .repo(ProgrammeSession)
            .createQueryBuilder('s')
            .innerJoin(Phase, 'p', 'p.id = s.phase_id')
            .where('s.id = :id AND p.course_id = :cid', { id, cid: v.course.id })
            .getOne()
        : null,
    );
  }

  /** A new session in phase `phaseId` of the course (404 for another course's phase). */
  async add(m: CourseManager, phaseId: number, dto: SessionDto): Promise<ProgrammeSession> {
    const phase = findOrFail(Number.isSafeInteger(phaseId) ? await this.db.repo(Phase).findOneBy({ id: phaseId, courseId: m.course.id }) : null);
    return this.save(m, phase, dto, null);
  }

  async update(m: CourseManager, id: number, dto: SessionDto): Promise<ProgrammeSession> {
    const existing = await this.session(m, id);
    const phase = await this.db.repo(Phase).findOneByOrFail({ id: existing.phaseId });
    return this.save(m, phase, dto, existing);
  }

  async remove(m: CourseManager, id: number): Promise<ProgrammeSession> {
    const s = await this.session(m, id);
    await this.db.tx((em) => em.getRepository(ProgrammeSession).delete({ id: s.id }));
    return s;
  }

  private async save(m: CourseManager, phase: Phase, dto: SessionDto, existing: ProgrammeSession | null): Promise<ProgrammeSession> {
    const zone = m.course.timeZone;
    const problems: Record<string, string[]> = {};
    const add = (f: string, message: string) => (problems[f] ??= []).push(message);
    if (phase.kind !== 'in_person') add('_form', 'Programme sessions belong to an in-person phase.');
    if (dto.day < phase.startsOn || dto.day > phase.endsOn)
      add('day', `Choose a day of the phase “${phase.title}” (${formatDate(phase.startsOn)} to ${formatDate(phase.endsOn)}).`);
    const startsAt = zonedToUtcForField(problems, 'startTime', dto.day, dto.startTime, zone);
    const endsAt = zonedToUtcForField(problems, 'endTime', dto.day, dto.endTime, zone);
    if (startsAt && endsAt && endsAt <= startsAt) add('endTime', 'The session must end after it starts (on the same day).');
    // Interpretation only into the workshop's languages (a session keeps those it already had).
    const offered = sessionLanguages(m.course, existing);
    const unknown = (dto.interpretationLanguages ?? []).filter((l) => !offered.includes(l));
    if (unknown.length) {
      add(
        'interpretationLanguages',
        offered.length
          ? `The workshop offers interpretation in ${languageList(offered.join(','))} only. Add other languages on the workshop's details page first.`
          : 'The workshop offers no interpretation. Add languages on the workshop’s details page first.',
      );
    }
    if (Object.keys(problems).length) throw new FormInvalidError(problems);

    return this.db.tx(async (em) => {
      const phases = await em.getRepository(Phase).find({ where: { courseId: m.course.id, kind: 'in_person' }, select: { id: true } });
      const clashes = await em
        .getRepository(ProgrammeSession)
        .createQueryBuilder('s')
        .where('s.phase_id IN (:...phaseIds)', { phaseIds: phases.map((p) => p.id) })
        .andWhere('s.starts_at < :end AND s.ends_at > :start', { start: startsAt, end: endsAt })
        .getMany();
      const clash = clashes.find((c) => c.id !== existing?.id && sameRoom(c.room, dto.room));
      if (clash) {
        throw FormInvalidError.field(
          'room',
          `${dto.room.trim()} is already booked for “${clash.title}” from ${wallClock(clash.startsAt, zone).slice(11)} to ${wallClock(clash.endsAt, zone).slice(11)}. Choose another room or time.`,
        );
      }
      const row = existing ?? em.getRepository(ProgrammeSession).create({ phaseId: phase.id });
      Object.assign(row, {
        kind: dto.kind,
        title: dto.title,
        room: dto.room,
        startsAt,
        endsAt,
        chairs: dto.chairs,
        speakers: dto.speakers,
        interpretationLanguages: [...new Set(dto.interpretationLanguages ?? [])].join(','),
        description: dto.description,
      });
      return em.getRepository(ProgrammeSession).save(row);
    });
  }

  view(s: ProgrammeSession, zone: string): SessionView {
    return {
      id: s.id,
      phaseId: s.phaseId,
      kind: s.kind,
      kindLabel: SESSION_KIND_LABELS[s.kind],
      title: s.title,
      room: s.room,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      day: localDate(s.startsAt, zone),
      startTime: wallClock(s.startsAt, zone).slice(11),
      endTime: wallClock(s.endsAt, zone).slice(11),
      chairs: s.chairs,
      speakers: s.speakers,
      interpretationLanguages: s.interpretationLanguages ? s.interpretationLanguages.split(',') : [],
      description: s.description,
    };
  }
}
