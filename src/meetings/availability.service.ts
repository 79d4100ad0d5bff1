import { Injectable } from '@nestjs/common';
import { EditConflictError, FormInvalidError } from '../common/errors';
import { addDays, formatDateRange, localDate, zonedToUtcCompatible } from '../common/zoned-time';
import type { CourseViewer } from '../courses/course-access.service';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
import { readAvailabilityRows } from './availability-form';
import { Availability, AvailabilityDayOff, AvailabilityOneOffWindow, AvailabilityWeeklyWindow } from './availability.entity';
import { Clock } from './clock';
import type { AvailabilityDto } from './dto/availability.dto';
import type { AvailabilityRules, Interval } from './slots';

/** An expert's saved availability for a course: the rules `freeSlots` reads, and the form's bookkeeping. */
export interface SavedAvailability extends AvailabilityRules {
  maxPerTeam: number | null;
  version: number;
  updatedAt: Date;
}

/** The online phases of a course as instants (phase dates are whole days in the venue's zone), and as people read them. */
export interface OnlinePhases {
  intervals: Interval[];
  label: string;
}

const isUniqueViolation = (err: unknown) => /unique/i.test(String((err as { message?: unknown })?.message)) && /availabilities/i.test(String(err));

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesService,
    private readonly clock: Clock,
  ) {}

  /** What this person has published for this course, or null (four queries, hand-written: the expert's home reads it). */
  async saved(courseId: number, userId: number): Promise<SavedAvailability | null> {
    type Num = number | string;
    const [row] = await this.db.rows<{
      id: Num;
      zone: string;
      slotMinutes: Num;
      bufferMinutes: Num;
      minNoticeMinutes: Num;
      horizonDays: Num;
      maxPerTeam: Num | null;
      version: Num;
      updatedAt: Date | string;
    }>`
      SELECT id, time_zone AS "zone", slot_minutes AS "slotMinutes", buffer_minutes AS "bufferMinutes", min_notice_minutes AS "minNoticeMinutes",
        horizon_days AS "horizonDays", max_per_team AS "maxPerTeam", version, updated_at AS "updatedAt"
      FROM availabilities WHERE course_id = ${courseId} AND user_id = ${userId}`;
    if (!row) return null;
    const id = Number(row.id);
    const [weekly, oneOff, daysOff] = await Promise.all([
      this.db.rows<{ weekday: Num; start: string; end: string }>`
        SELECT weekday, start_time AS "start", end_time AS "end" FROM availability_weekly_windows WHERE availability_id = ${id} ORDER BY weekday, start_time, id`,
      this.db.rows<{ date: string; start: string; end: string }>`
        SELECT CAST(day AS TEXT) AS "date", start_time AS "start", end_time AS "end" FROM availability_one_off_windows
        WHERE availability_id = ${id} ORDER BY day, start_time, id`,
      this.db.rows<{ day: string }>`SELECT CAST(day AS TEXT) AS "day" FROM availability_days_off WHERE availability_id = ${id} ORDER BY day`,
    ]);
    return {
      zone: row.zone,
      weekly: weekly.map((w) => ({ weekday: Number(w.weekday), start: w.start, end: w.end })),
      oneOff,
      daysOff: daysOff.map((d) => d.day),
      slotMinutes: Number(row.slotMinutes),
      bufferMinutes: Number(row.bufferMinutes),
      minNoticeMinutes: Number(row.minNoticeMinutes),
      horizonDays: Number(row.horizonDays),
      maxPerTeam: row.maxPerTeam === null ? null : Number(row.maxPerTeam),
      version: Number(row.version),
      updatedAt: rawDate(row.updatedAt),
    };
  }

  /** The course's online phases (one query). */
  async onlinePhases(v: CourseViewer): Promise<OnlinePhases> {
    const zone = v.course.timeZone;
    const online = (await this.courses.phases(v.course.id)).filter((p) => p.kind === 'online');
    return {
      intervals: online.map((p) => ({
        start: zonedToUtcCompatible(p.startsOn, '00:00', zone),
        end: zonedToUtcCompatible(addDays(p.endsOn, 1), '00:00', zone),
      })),
      label: online.map((p) => formatDateRange(p.startsOn, p.endsOn)).join('; '),
    };
  }

  /**
   * Saves the person's availability for the course as the form sent it: every row checked first
   * (422 and nothing stored on any problem), then the rules and all rows replaced in one
   * transaction, provided nobody saved since the form was opened (else EditConflictError).
   */
  async save(v: CourseViewer, dto: AvailabilityDto): Promise<void> {
    const [online, before] = await Promise.all([this.onlinePhases(v), this.saved(v.course.id, v.user.id)]);
    const rows = readAvailabilityRows(dto, {
      zone: dto.timeZone,
      online: online.intervals,
      onlineLabel: online.label,
      today: localDate(this.clock.now(), dto.timeZone),
      saved: before?.oneOff.map((w) => w.date),
    });
    if (Object.keys(rows.errors).length) throw new FormInvalidError(rows.errors);
    const fields = {
      timeZone: dto.timeZone,
      slotMinutes: dto.slotMinutes,
      bufferMinutes: dto.bufferMinutes,
      minNoticeMinutes: dto.minNoticeHours * 60,
      horizonDays: dto.horizonDays,
      maxPerTeam: dto.maxPerTeam ?? null,
    };
    try {
      await this.db.tx(async (em) => {
        const now = new Date();
        const repo = em.getRepository(Availability);
        const existing = await repo.findOneBy({ courseId: v.course.id, userId: v.user.id });
        if ((existing?.version ?? 0) !== dto.version) throw new EditConflictError('availability');
        let id: number;
        if (existing) {
          // Conditional on the version read: of two saves from the same page, one wins.
          const result = await repo.update({ id: existing.id, version: dto.version }, { ...fields, version: dto.version + 1, updatedAt: now });
          if (result.affected !== 1) throw new EditConflictError('availability');
          id = existing.id;
          for (const child of [AvailabilityWeeklyWindow, AvailabilityOneOffWindow, AvailabilityDayOff])
            await em.getRepository(child).delete({ availabilityId: id });
        } else {
          id = (await repo.save(repo.create({ ...fields, courseId: v.course.id, userId: v.user.id, version: 1, createdAt: now, updatedAt: now }))).id;
        }
        if (rows.weekly.length)
          await em
            .getRepository(AvailabilityWeeklyWindow)
            .insert(rows.weekly.map((w) => ({ availabilityId: id, weekday: w.weekday, startTime: w.start, endTime: w.end })));
        if (rows.oneOff.length)
          await em
            .getRepository(AvailabilityOneOffWindow)
            .insert(rows.oneOff.map((w) => ({ availabilityId: id, day: w.date, startTime: w.start, endTime: w.end })));
        if (rows.daysOff.length) await em.getRepository(AvailabilityDayOff).insert(rows.daysOff.map((day) => ({ availabilityId: id, day })));
      });
    } catch (err) {
      // Two first saves at once: the unique (course, person) index lets one in.
      if (isUniqueViolation(err)) throw new EditConflictError('availability');
      throw err;
    }
  }
}
