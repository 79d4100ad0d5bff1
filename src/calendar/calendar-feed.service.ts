import { Inject, Injectable } from '@nestjs/common';
import { type IcalEvent, writeCalendar } from '../common/ical';
import { holdsCourseRole } from '../common/permissions';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CoursesService } from '../courses/courses.service';
import { meetingEvent } from '../meetings/meeting-ics';
import { MeetingsService } from '../meetings/meetings.service';
import { sessionEvent } from '../courses/programme-ics';
import { ProgrammeService } from '../courses/programme.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { NotFoundError, TooManyAttemptsError } from '../common/errors';
import { CalendarFeedsService } from './calendar-feeds.service';

type Owner = { teamId: number | null; userId: number | null };

/**
 * A person's calendar feed: the programme sessions of every course they are in (as a team member,
 * an expert or a facilitator), the deadlines of the tasks meant for them — their own due time
 * where an extension moved it; staff see every published task's due time — and their meetings. Read through the other
 * modules' services, in a constant number of queries whatever the number of courses and tasks.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly feeds: CalendarFeedsService,
    private readonly users: UsersService,
    private readonly courses: CoursesService,
    private readonly programme: ProgrammeService,
    private readonly teams: TeamsService,
    private readonly tasks: TasksService,
    private readonly work: WorkStatusService,
    private readonly meetings: MeetingsService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The feed this token opens, as iCalendar text; 404 for any token that opens none (and 429 for an address guessing them). */
  async feed(token: string, ip: string, now = new Date()): Promise<string> {
    const userId = await this.feeds.ownerOf(token);
    const person = userId === null ? undefined : (await this.users.people([userId])).get(userId);
    if (!person || !person.active) {
      // Only misses are counted, so a calendar app polling a good address never writes.
      const attempt = await this.limits.consume({
        key: `calendar-feed:ip:${ip}`,
        max: this.config.rateLimit.signInPerIp,
        windowMs: this.config.rateLimit.windowMinutes * 60_000,
      });
      if (attempt.retryAfter > 0) throw new TooManyAttemptsError(attempt.retryAfter);
      throw new NotFoundError();
    }
    const [places, staff] = await Promise.all([this.teams.teamsOfPeople([person.id]), this.courses.staffRoles(person.id)]);
    // A course role counts only while the site role allows it (as on the course pages).
    const staffRoles = staff.filter((s) => holdsCourseRole(person.role, s.role));
    const staffCourses = new Set(staffRoles.map((s) => s.courseId));
    const facilitated = new Set(staffRoles.filter((s) => s.role === 'facilitator').map((s) => s.courseId));
    const programmes = (await this.programme.programmesOf([...places.map((p) => p.courseId), ...staffCourses])).filter(
      (p) => p.course.published || facilitated.has(p.course.id),
    );
    const courses = new Map(programmes.map((p) => [p.course.id, p.course]));
    const deadlines = await this.tasks.deadlinesIn([...courses.keys()]);

    // Whose work each task is for this person: their team(s) meant by it, or themselves.
    const ownersOf = new Map<number, Owner[]>();
    for (const t of deadlines) {
      if (staffCourses.has(t.courseId)) continue;
      const mine = places.filter((p) => p.courseId === t.courseId).map((p) => p.teamId);
      const meant = t.audienceTeamIds === null ? mine : mine.filter((id) => t.audienceTeamIds!.includes(id));
      if (!meant.length) continue;
      ownersOf.set(t.id, t.kind === 'team' ? meant.map((teamId) => ({ teamId, userId: null })) : [{ teamId: null, userId: person.id }]);
    }
    const overrides = await this.work.dueOverrides([...ownersOf.keys()], [...ownersOf.values()].flat());

    const base = this.config.publicBaseUrl.replace(/\/$/, '');
    const host = new URL(base).host;
    const events: IcalEvent[] = programmes.flatMap((p) => p.sessions.map((s) => sessionEvent(p.course, s, host, `${base}/courses/${p.course.id}/programme`)));
    for (const t of deadlines) {
      const course = courses.get(t.courseId)!;
      const owners = ownersOf.get(t.id);
      if (!staffCourses.has(t.courseId) && !owners) continue;
      const extended = (owners ?? []).map((o) => overrides.get(`${t.id}|${WorkStatusService.keyOf(o)}`)).find((d) => d !== undefined);
      const due = extended ?? t.dueAt;
      events.push({
        uid: `task-${t.id}-due@${host}`,
        start: due,
        end: due,
        timeZone: course.timeZone,
        summary: `Due: ${t.title}`,
        description: [course.title, extended ? 'Your due time, extended.' : ''].filter(Boolean).join('\n'),
        url: `${base}/courses/${t.courseId}/tasks/${t.id}`,
        categories: ['Deadline'],
        sequence: t.version,
        transparent: true,
      });
    }
    // Meetings they host or are listed in, and their teams' meetings in the courses shown: cancelled ones too (STATUS:CANCELLED), so calendars drop them.
    const teamIds = places.filter((p) => courses.has(p.courseId)).map((p) => p.teamId);
    for (const m of await this.meetings.calendarOf(person.id, teamIds)) events.push({ ...meetingEvent(m, base), categories: ['Meeting'] });
    return writeCalendar({ product: 'Personal calendar', name: `Atelier — ${person.name}`, timeZone: person.timeZone, events, now });
  }
}
