import { Injectable } from '@nestjs/common';
import { type EntityManager, In, LessThan, MoreThan, Not } from 'typeorm';
import { FormInvalidError } from '../common/errors';
import { localDate, wallClock, zonedToUtcForField } from '../common/zoned-time';
import type { CourseViewer } from '../courses/course-access.service';
import { Database } from '../database/database.service';
import { EventsService } from '../events/events.service';
import { TeamsService } from '../teams/teams.service';
import { AvailabilityService } from './availability.service';
import { UsersService } from '../users/users.service';
import { Clock } from './clock';
import { type ScheduleDto, SCHEDULED_KINDS, type ScheduledKind } from './dto/schedule.dto';
import { Meeting, MeetingPerson, MeetingTeam } from './meeting.entity';
import { timesIn } from './meetings.service';
import { placeOf } from './place';
import { findSlots, type Invitee } from './slot-finder';
import type { Interval } from './slots';
import { DEFAULT_DAYS, DEFAULT_HOURS, type WorkPattern, WorkingHoursService } from './working-hours.service';

export const KIND_CHOICES: Record<ScheduledKind, string> = {
  peer_exchange: 'Peer exchange (teams learn from each other)',
  plenary: 'Plenary (all teams of the course)',
  other: 'Other',
};
export const FINDER_DURATIONS = [30, 45, 60, 90, 120] as const;
export const FINDER_MAX_WEEKS = 6;
const STEP_MINUTES = 15;
const PROPOSALS = 8;

const isUniqueViolation = (err: unknown) => /unique|duplicate/i.test(String((err as { message?: unknown })?.message)) && /meetings/i.test(String(err));
const hhmm = (instant: Date, zone: string) => wallClock(instant, zone).slice(11);
const ids = (value: unknown): number[] => [
  ...new Set((Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((x) => /^\d{1,9}$/.test(String(x))).map(Number)),
];
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Someone who may host a meeting of the course or take part besides the teams: its facilitators and experts. */
interface StaffPerson {
  id: number;
  name: string;
  role: 'facilitator' | 'expert';
  timeZone: string;
}

/**
 * Meetings a course's facilitators schedule (peer exchanges, plenaries, others) and the slot
 * finder that proposes times for them. Kept apart from MeetingsService (booking, lists, pages),
 * which shows these meetings like any other.
 */
@Injectable()
export class MeetingScheduleService {
  constructor(
    private readonly db: Database,
    private readonly teams: TeamsService,
    private readonly hours: WorkingHoursService,
    private readonly availability: AvailabilityService,
    private readonly events: EventsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /** The course's facilitators and experts in effect now, and the viewer (an admin may host too); two queries. */
  private async staff(v: CourseViewer): Promise<StaffPerson[]> {
    const rows = (await this.teams.staff(v.course.id)).filter((s) => s.onHold === null);
    const list = rows.map((s) => ({ id: s.userId, name: s.name, role: s.role, timeZone: s.timeZone }));
    if (!list.some((p) => p.id === v.user.id)) list.unshift({ id: v.user.id, name: v.user.name, role: 'facilitator', timeZone: v.user.timeZone });
    return list;
  }

  private async courseTeams(v: CourseViewer) {
    return (await this.teams.names(v.course.id)).sort((a, b) => a.name.localeCompare(b.name));
  }

  private static options(staff: StaffPerson[]) {
    return staff.map((p) => ({ value: String(p.id), label: `${p.name} (${p.role === 'facilitator' ? 'facilitator' : 'expert'})` }));
  }

  /** The scheduling form: choices, and its values (prefilled from the finder's "Schedule this" link). */
  async form(v: CourseViewer, prefill: Record<string, unknown> = {}) {
    const [staff, teams] = await Promise.all([this.staff(v), this.courseTeams(v)]);
    const kind = SCHEDULED_KINDS.find((k) => k === prefill.kind) ?? 'peer_exchange';
    const host = ids(prefill.host).find((id) => staff.some((p) => p.id === id)) ?? v.user.id;
    return {
      kinds: SCHEDULED_KINDS.map((k) => ({ value: k, label: KIND_CHOICES[k] })),
      hosts: MeetingScheduleService.options(staff),
      teamOptions: teams.map((t) => ({ value: String(t.id), label: t.name })),
      peopleOptions: MeetingScheduleService.options(staff),
      zone: v.user.timeZone,
      place: placeOf(v.user.timeZone),
      values: {
        kind,
        host: String(host),
        title: text(prefill.title),
        date: text(prefill.date),
        time: text(prefill.time),
        duration: /^\d{1,3}$/.test(text(prefill.duration)) ? text(prefill.duration) : '60',
        teams: ids(prefill.teams).map(String),
        people: ids(prefill.people).map(String),
      },
    };
  }

  /**
   * Schedules a meeting: every field checked first (422 at the field, nothing stored), then in one
   * transaction the host's and the extra people's other meetings are read again (on PostgreSQL
   * behind the lock booking and moving take: each person's own row) and a clash refused; the meeting, its teams, its people and
   * `meeting.scheduled` are written. The partial unique index on (host, start) is the last word.
   */
  async schedule(v: CourseViewer, dto: ScheduleDto): Promise<Meeting> {
    const problems: Record<string, string[]> = {};
    const add = (field: string, message: string) => (problems[field] ??= []).push(message);
    const now = this.clock.now();
    const zone = v.user.timeZone;
    const start = zonedToUtcForField(problems, 'time', dto.date, dto.time, zone);
    if (start && start.getTime() <= now.getTime())
      add('time', `That time has passed (it is now ${localDate(now, zone)} ${hhmm(now, zone)} ${placeOf(zone)}). Choose a later time.`);
    const end = start ? new Date(start.getTime() + dto.duration * 60_000) : null;
    const [staff, courseTeams] = await Promise.all([this.staff(v), this.courseTeams(v)]);
    const byId = new Map(staff.map((p) => [p.id, p]));
    const host = byId.get(dto.host);
    if (!host) add('host', 'Choose a facilitator or an expert of this course to host the meeting.');
    const chosen = ids(dto.teams);
    const teamIds = dto.kind === 'plenary' ? courseTeams.map((t) => t.id) : chosen;
    if (chosen.some((id) => !courseTeams.some((t) => t.id === id))) add('teams', 'Choose teams of this course.');
    else if (dto.kind === 'peer_exchange' && teamIds.length < 2) add('teams', 'Choose at least two teams for a peer exchange.');
    else if (dto.kind === 'plenary' && !teamIds.length) add('teams', 'This course has no teams yet; a plenary is for all of them.');
    const personIds = ids(dto.people).filter((id) => id !== dto.host);
    if (personIds.some((id) => !byId.has(id))) add('people', 'Choose people from the course’s facilitators and experts.');
    if (Object.keys(problems).length || !start || !end || !host) throw new FormInvalidError(problems);

    const everyone = [host.id, ...personIds].sort((a, b) => a - b);
    try {
      return await this.db.tx(async (em) => {
        // The same lock as booking and moving (the person's own row, decision 56), taken in id order so two schedulings never deadlock.
        for (const id of everyone) await this.users.lockForUpdate(em, id);
        const busy = await this.busyOf(em, everyone, start, end);
        const clash = (id: number) => busy.find((b) => b.userId === id);
        if (clash(host.id)) add('host', `${host.name} already has a meeting at that time (“${clash(host.id)!.title}”). Choose another time or host.`);
        for (const id of personIds)
          if (clash(id)) add('people', `${byId.get(id)!.name} already has a meeting at that time (“${clash(id)!.title}”). Choose another time.`);
        if (Object.keys(problems).length) throw new FormInvalidError(problems);
        const repo = em.getRepository(Meeting);
        const meeting = await repo.save(
          repo.create({
            courseId: v.course.id,
            kind: dto.kind,
            title: dto.title,
            agenda: dto.agenda,
            onlineLink: dto.link ?? null,
            startsAt: start,
            endsAt: end,
            hostId: host.id,
            bookedBy: v.user.id,
            status: 'scheduled',
            interpretationRequested: dto.interpretationRequested ?? null,
            interpretationProvided: dto.interpretationProvided ?? null,
            sequence: 0,
            version: 1,
            createdAt: now,
            updatedAt: now,
          }),
        );
        if (teamIds.length) await em.getRepository(MeetingTeam).insert(teamIds.map((teamId) => ({ meetingId: meeting.id, teamId })));
        if (personIds.length)
          await em.getRepository(MeetingPerson).insert(personIds.map((userId) => ({ meetingId: meeting.id, userId, role: byId.get(userId)!.role })));
        await this.events.record(em, {
          kind: 'meeting.scheduled',
          actorId: v.user.id,
          courseId: v.course.id,
          subject: { type: 'meeting', id: meeting.id },
          payload: { meetingId: meeting.id, title: dto.title, kind: dto.kind, startsAt: start.toISOString(), hostId: host.id, teamIds, personIds },
        });
        return meeting;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw FormInvalidError.field('host', `${host.name} already has a meeting starting at that time. Choose another time or host.`);
      throw err;
    }
  }

  /** Meetings (not cancelled) overlapping [from, to) that these people host or take part in as extra people (two queries). */
  private async busyOf(em: EntityManager | null, userIds: readonly number[], from: Date, to: Date) {
    if (!userIds.length) return [];
    const m = em ? em.getRepository(Meeting) : this.db.repo(Meeting);
    const p = em ? em.getRepository(MeetingPerson) : this.db.repo(MeetingPerson);
    const overlapping = { status: Not('cancelled' as const), startsAt: LessThan(to), endsAt: MoreThan(from) };
    const [hosted, joined] = await Promise.all([
      m.find({ where: { hostId: In([...userIds]), ...overlapping }, select: { id: true, hostId: true, title: true, startsAt: true, endsAt: true } }),
      p.find({ where: { userId: In([...userIds]), meeting: overlapping }, relations: { meeting: true } }),
    ]);
    return [
      ...hosted.map((x) => ({ userId: x.hostId, title: x.title, start: x.startsAt, end: x.endsAt })),
      ...joined.map((x) => ({ userId: x.userId, title: x.meeting.title, start: x.meeting.startsAt, end: x.meeting.endsAt })),
    ];
  }

  /** Meetings (not cancelled) of these teams overlapping [from, to) (one query). */
  private async teamBusy(teamIds: readonly number[], from: Date, to: Date) {
    if (!teamIds.length) return [];
    const rows = await this.db.repo(MeetingTeam).find({
      where: { teamId: In([...teamIds]), meeting: { status: Not('cancelled' as const), startsAt: LessThan(to), endsAt: MoreThan(from) } },
      relations: { meeting: true },
    });
    return rows.map((r) => ({ teamId: r.teamId, start: r.meeting.startsAt, end: r.meeting.endsAt }));
  }

  /**
   * The slot finder's page: the form (teams, people, length, weeks) and, once teams or people are
   * chosen, the best times over the coming weeks on a 15-minute grid within the online phases,
   * ranked by how many people they suit (see slot-finder.ts). A team's hours are those all its
   * members who set theirs share (teamHours), read in the team's zone; a person's, their own in
   * their own zone. A constant number of queries, whatever the number of teams and people.
   */
  async finder(v: CourseViewer, query: Record<string, unknown>) {
    const [staff, courseTeams] = await Promise.all([this.staff(v), this.courseTeams(v)]);
    const teamIds = ids(query.teams).filter((id) => courseTeams.some((t) => t.id === id));
    const personIds = ids(query.people).filter((id) => staff.some((p) => p.id === id));
    const duration = FINDER_DURATIONS.find((d) => String(d) === text(query.duration)) ?? 60;
    const weeksAsked = Number(text(query.weeks));
    const weeks = Number.isInteger(weeksAsked) && weeksAsked >= 1 && weeksAsked <= FINDER_MAX_WEEKS ? weeksAsked : 2;
    const kind = SCHEDULED_KINDS.find((k) => k === query.kind) ?? 'peer_exchange';
    const form = {
      teamOptions: courseTeams.map((t) => ({ value: String(t.id), label: t.name })),
      peopleOptions: MeetingScheduleService.options(staff),
      durations: FINDER_DURATIONS.map((d) => ({ value: String(d), label: `${d} minutes` })),
      weekOptions: Array.from({ length: FINDER_MAX_WEEKS }, (_, i) => ({ value: String(i + 1), label: i ? `${i + 1} weeks` : '1 week' })),
      kinds: SCHEDULED_KINDS.map((k) => ({ value: k, label: KIND_CHOICES[k] })),
      values: { teams: teamIds.map(String), people: personIds.map(String), duration: String(duration), weeks: String(weeks), kind },
      zone: v.user.timeZone,
      place: placeOf(v.user.timeZone),
    };
    if (!teamIds.length && !personIds.length) {
      // The form sends both groups, even with no box ticked: then it was sent without a choice, and says so at the teams.
      if (query.teams === undefined && query.people === undefined) return { ...form, searched: false, proposals: [] };
      const message = 'Choose at least one team or person to find a time for.';
      return { ...form, searched: false, proposals: [], errors: { teams: [message] }, errorList: [{ field: 'teams', message }] };
    }

    const now = this.clock.now();
    const to = new Date(now.getTime() + weeks * 7 * 86_400_000);
    const [teams, members, online, teamBusy, personBusy] = await Promise.all([
      this.teams.zones(v.course.id, teamIds),
      this.teams.membersOf(teamIds),
      this.availability.onlinePhases(v),
      this.teamBusy(teamIds, now, to),
      this.busyOf(null, personIds, now, to),
    ]);
    const hours = await this.hours.of([...members.map((m) => m.userId), ...personIds]);
    const byId = new Map(staff.map((p) => [p.id, p]));
    const interval = (b: { start: Date; end: Date }): Interval => ({ start: b.start, end: b.end });
    const invitees: Invitee[] = [
      ...teams.map((t) => {
        const h = teamHours(members.filter((m) => m.teamId === t.id).map((m) => hours.get(m.userId)!));
        return {
          key: `team-${t.id}`,
          label: t.name,
          zone: t.timeZone,
          workStart: h.start,
          workEnd: h.end,
          workDays: h.days,
          people: Math.max(1, members.filter((m) => m.teamId === t.id).length),
          busy: teamBusy.filter((b) => b.teamId === t.id).map(interval),
        };
      }),
      ...personIds.map((id) => {
        const p = byId.get(id)!;
        const h = hours.get(id)!;
        return {
          key: `person-${id}`,
          label: p.name,
          zone: p.timeZone,
          workStart: h.start,
          workEnd: h.end,
          workDays: h.days,
          people: 1,
          busy: personBusy.filter((b) => b.userId === id).map(interval),
        };
      }),
    ];
    const found = findSlots({ invitees, from: now, to, durationMinutes: duration, stepMinutes: STEP_MINUTES, limit: PROPOSALS, within: online.intervals });
    const zone = v.user.timeZone;
    const base = `/courses/${v.course.id}/meetings/new`;
    const proposals = found.map((p, i) => {
      const params = new URLSearchParams({ kind, date: localDate(p.start, zone), time: hhmm(p.start, zone), duration: String(duration) });
      teamIds.forEach((id) => params.append('teams', String(id)));
      personIds.forEach((id) => params.append('people', String(id)));
      const localOf = (key: string) => {
        const inv = invitees.find((x) => x.key === key)!;
        return `${wallDay(p.start, inv.zone)} ${hhmm(p.start, inv.zone)}–${hhmm(p.end, inv.zone)} ${placeOf(inv.zone)}`;
      };
      return {
        rank: i + 1,
        when: timesIn(p.start, p.end, zone, []).main,
        startIso: p.start.toISOString(),
        fit:
          p.peopleInside === p.peopleTotal
            ? `Inside everyone’s working hours (${p.peopleTotal} ${p.peopleTotal === 1 ? 'person' : 'people'})`
            : `${p.peopleInside} of ${p.peopleTotal} people inside their working hours`,
        comfort: p.comfort,
        locals: p.locals.map((l) => ({ label: l.label, time: localOf(l.key), outside: p.outside.find((o) => o.key === l.key)?.reason ?? null })),
        outside: p.outside.map((o) => `${o.label} (${localOf(o.key)}, ${o.reason === 'busy' ? 'in another meeting' : 'outside working hours'})`),
        href: `${base}?${params.toString()}`,
      };
    });
    return { ...form, searched: true, proposals, onlinePhases: online.label, weeks };
  }
}

/**
 * A team's working hours and days, read in the team's zone: the hours every member who set theirs
 * shares (latest start, earliest end) on the days they all work; 08:00–20:00, Monday to Friday,
 * when nobody set any. When they share no hours or no day, the team counts as outside at every
 * time (decisions 57 and 77).
 */
export function teamHours(members: readonly (WorkPattern & { saved: boolean })[]): WorkPattern {
  const saved = members.filter((m) => m.saved);
  if (!saved.length) return { ...DEFAULT_HOURS, days: [...DEFAULT_DAYS] };
  const start = saved.map((m) => m.start).sort()[saved.length - 1];
  const end = saved.map((m) => m.end).sort()[0];
  const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => saved.every((m) => m.days.includes(d)));
  return end > start ? { start, end, days } : { start, end: start, days };
}

/** "Tue 5 Nov": the day of an instant in a zone. */
function wallDay(instant: Date, zone: string): string {
  const d = new Date(`${localDate(instant, zone)}T12:00:00Z`);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(d).replace(',', '');
}
