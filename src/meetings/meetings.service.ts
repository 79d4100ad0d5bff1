import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, In, Not, type Repository } from 'typeorm';
import { writeCalendar } from '../common/ical';
import { EditConflictError, FormInvalidError, NotFoundError } from '../common/errors';
import { canSeeTeam } from '../common/permissions';
import { formatDate, localDate, wallClock, zonedToUtcForField } from '../common/zoned-time';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { CourseViewer } from '../courses/course-access.service';
import { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
import { EventLogService } from '../events/event-log.service';
import { EventsService } from '../events/events.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { Availability } from './availability.entity';
import { AvailabilityService } from './availability.service';
import { placeOf } from './place';
import { Clock } from './clock';
import type { BookingDto } from './dto/booking.dto';
import { type CancelMeetingDto, REASON_MAX, type RescheduleDto } from './dto/meeting-change.dto';
import { meetingEvent, type MeetingForCalendar } from './meeting-ics';
import { Meeting, type MeetingKind, MeetingPerson, MeetingTeam } from './meeting.entity';
import { freeSlots, type Interval } from './slots';
import type { SavedAvailability } from './availability.service';

export const JUST_BOOKED = 'This time was just booked by someone else — choose another.';
export const TOO_CLOSE = 'This time is now too close to another meeting of the expert — choose another.';
export const NOT_OFFERED = 'This time is not one of the expert’s free slots — choose one from the list.';

export const HOST_BUSY = 'The host has another meeting at that time — choose another time.';
export const IN_THE_PAST = 'Choose a day and time still to come.';
export const SAME_TIME = 'That is the meeting’s time already — choose another.';
export const CANCELLED_ALREADY = 'This meeting has been cancelled: it cannot be moved or cancelled again.';
export const BEGUN_ALREADY = 'This meeting has already begun: it can no longer be moved or cancelled.';

const isUniqueViolation = (err: unknown) => /unique|duplicate/i.test(String((err as { message?: unknown })?.message)) && /meetings/i.test(String(err));

const hhmm = (instant: Date, zone: string) => wallClock(instant, zone).slice(11);
const shortDay = (date: string) => formatDate(date).split(' ').slice(0, 3).join(' ');

/** "Tue 21 Oct 16:00 Shanghai": a time in one zone, with its day. */
const atIn = (instant: Date, zone: string) => `${shortDay(localDate(instant, zone))} ${hhmm(instant, zone)} ${placeOf(zone)}`;

/** A time in the viewer's zone, then in each other zone (only where it differs). */
export function timesIn(start: Date, end: Date, zone: string, others: readonly string[]) {
  return {
    main: `${formatDate(localDate(start, zone))}, ${hhmm(start, zone)}–${hhmm(end, zone)} ${placeOf(zone)}`,
    elsewhere: [...new Set(others)].filter((z) => z !== zone).map((z) => atIn(start, z)),
  };
}

/**
 * Is `offered` (one of the expert's slots, found without their meetings) still clear of their other
 * meetings by the break? Read inside the transaction that holds the host's calendar; a taken start
 * is JUST_BOOKED, one within the break TOO_CLOSE (422 at the slot field).
 */
function assertSlotClear(saved: SavedAvailability, now: Date, offered: Interval, others: Meeting[]): void {
  const busy = others.map((m) => ({ start: m.startsAt, end: m.endsAt }));
  if (!freeSlots(saved, { now, within: [offered], busy }).some((s) => s.start.getTime() === offered.start.getTime()))
    throw FormInvalidError.field('slot', others.some((m) => m.startsAt.getTime() === offered.start.getTime()) ? JUST_BOOKED : TOO_CLOSE);
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

interface MeetingRow {
  id: number;
  courseId: number;
  title: string;
  kind: string;
  startsAt: Date;
  endsAt: Date;
  hostId: number;
  status: string;
  sequence: number;
  version: number;
  changeReason: string | null;
  updatedAt: Date;
  agenda: string;
  onlineLink: string | null;
  interpretationRequested: string | null;
  interpretationProvided: string | null;
  teamIds: number[];
  /** People taking part besides the host and the teams (meeting_people). */
  personIds: number[];
}

const STATUS_LABELS: Record<string, string> = { scheduled: 'Scheduled', rescheduled: 'Rescheduled', cancelled: 'Cancelled', held: 'Held' };

const KIND_LABELS: Record<string, string> = {
  expert_consultation: 'Expert consultation',
  peer_exchange: 'Peer exchange',
  plenary: 'Plenary',
  other: 'Other',
};

/**
 * Meetings: booking an expert consultation from the expert's free slots, the lists and a page per
 * meeting, its .ics. Who may see a meeting: the course's managers, its expert and its teams' members.
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly db: Database,
    private readonly availability: AvailabilityService,
    private readonly teams: TeamsService,
    private readonly users: UsersService,
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly eventLog: EventLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The expert's meetings not cancelled (in any course), as busy intervals (one query). */
  async busy(expertId: number): Promise<Interval[]> {
    const rows = await this.db.rows<{ startsAt: Date | string; endsAt: Date | string }>`
      SELECT starts_at AS "startsAt", ends_at AS "endsAt" FROM meetings
      WHERE status <> 'cancelled' AND (host_id = ${expertId} OR id IN (SELECT meeting_id FROM meeting_people WHERE user_id = ${expertId}))`;
    return rows.map((m) => ({ start: rawDate(m.startsAt), end: rawDate(m.endsAt) }));
  }

  /** The expert's free slots for the course now (their availability, the online phases, their other meetings). */
  async freeSlotsOf(v: CourseViewer, expertId: number): Promise<{ slots: Interval[]; zone: string; maxPerTeam: number | null } | null> {
    const saved = await this.availability.saved(v.course.id, expertId);
    if (!saved) return null;
    const [online, busy] = await Promise.all([this.availability.onlinePhases(v), this.busy(expertId)]);
    return { slots: freeSlots(saved, { now: this.clock.now(), within: online.intervals, busy }), zone: saved.zone, maxPerTeam: saved.maxPerTeam };
  }

  /** The teams this leader leads that the expert advises. */
  private async ledTeamsAdvisedBy(v: CourseViewer, expertId?: number) {
    const experts = await this.teams.expertsOf(v.leaderTeamIds);
    return experts.filter((x) => expertId === undefined || x.userId === expertId);
  }

  /** The booking page: the experts who advise the leader's team and have published availability; with `expertId`, their free slots. */
  async bookPage(v: CourseViewer, expertId?: number) {
    const advising = await this.ledTeamsAdvisedBy(v);
    const published = advising.length
      ? await this.db
          .repo(Availability)
          .find({ where: { courseId: v.course.id, userId: In([...new Set(advising.map((a) => a.userId))]) }, select: { userId: true } })
      : [];
    const people = await this.users.people(published.map((p) => p.userId));
    const experts = [...people.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => ({ id: p.id, name: p.name, href: `/courses/${v.course.id}/meetings/book?expert=${p.id}`, current: p.id === expertId }));
    if (expertId === undefined || !experts.some((e) => e.id === expertId)) {
      if (expertId !== undefined) throw new NotFoundError();
      return { experts, expert: null, leads: v.leaderTeamIds.length > 0 };
    }
    const teamId = advising.find((a) => a.userId === expertId)!.teamId;
    const [team] = await this.teams.zones(v.course.id, [teamId]);
    const free = (await this.freeSlotsOf(v, expertId))!;
    const used = await this.countWithTeam(expertId, teamId);
    const full = free.maxPerTeam !== null && used >= free.maxPerTeam;
    const days: { label: string; slots: { value: string; id: string; text: string; elsewhere: string }[] }[] = [];
    for (const s of full ? [] : free.slots) {
      const label = formatDate(localDate(s.start, team.timeZone));
      if (days[days.length - 1]?.label !== label) days.push({ label, slots: [] });
      const iso = s.start.toISOString();
      days[days.length - 1].slots.push({
        value: iso,
        id: `slot-${s.start.getTime()}`,
        text: `${shortDay(localDate(s.start, team.timeZone))} ${hhmm(s.start, team.timeZone)}–${hhmm(s.end, team.timeZone)} ${placeOf(team.timeZone)}`,
        elsewhere: free.zone !== team.timeZone ? atIn(s.start, free.zone) : '',
      });
    }
    return {
      experts,
      leads: true,
      expert: { id: expertId, name: people.get(expertId)!.name, place: placeOf(free.zone) },
      team: { id: team.id, name: team.name, place: placeOf(team.timeZone) },
      sameZone: free.zone === team.timeZone,
      days,
      full,
      maxPerTeam: free.maxPerTeam,
    };
  }

  private countWithTeam(expertId: number, teamId: number): Promise<number> {
    return this.db.repo(MeetingTeam).count({ where: { teamId, meeting: { hostId: expertId, status: Not('cancelled') } }, relations: { meeting: true } });
  }

  /**
   * Books a consultation for a team the viewer leads with an expert advising it, in one of the
   * expert's free slots. Inside one transaction: the expert's availability row is locked
   * (PostgreSQL; SQLite's transactions are serialised), their meetings read again, the slot checked,
   * the meeting written and `meeting.booked` recorded. Of two bookings of one slot, one wins; the
   * other gets JUST_BOOKED at the slot field. The partial unique index is the last word.
   */
  async book(v: CourseViewer, dto: BookingDto): Promise<Meeting> {
    if (!v.leaderTeamIds.includes(dto.team) || !(await this.ledTeamsAdvisedBy(v, dto.expert)).some((a) => a.teamId === dto.team)) throw new NotFoundError();
    const saved = await this.availability.saved(v.course.id, dto.expert);
    if (!saved) throw new NotFoundError();
    const online = await this.availability.onlinePhases(v);
    const start = new Date(dto.slot);
    const now = this.clock.now();
    const offered = freeSlots(saved, { now, within: online.intervals, busy: [] }).find((s) => s.start.getTime() === start.getTime());
    if (!offered) throw FormInvalidError.field('slot', NOT_OFFERED);
    const [team] = await this.teams.zones(v.course.id, [dto.team]);
    const people = await this.users.people([dto.expert]);
    const title = `${team.name} with ${people.get(dto.expert)?.name ?? 'the expert'}`;
    try {
      return await this.db.tx(async (em) => {
        const others = await this.lockCalendarOf(em, dto.expert);
        assertSlotClear(saved, now, offered, others);
        if (saved.maxPerTeam !== null) {
          const ids = others.map((m) => m.id);
          const withTeam = ids.length ? await em.getRepository(MeetingTeam).countBy({ teamId: dto.team, meetingId: In(ids) }) : 0;
          if (withTeam >= saved.maxPerTeam)
            throw FormInvalidError.field(
              'slot',
              `Your team already has ${withTeam} meeting${withTeam === 1 ? '' : 's'} with this expert, the most they offer per team.`,
            );
        }
        const repo = em.getRepository(Meeting);
        const meeting = await repo.save(
          repo.create({
            courseId: v.course.id,
            kind: 'expert_consultation',
            title,
            agenda: dto.agenda,
            onlineLink: dto.link ?? null,
            startsAt: offered.start,
            endsAt: offered.end,
            hostId: dto.expert,
            bookedBy: v.user.id,
            status: 'scheduled',
            sequence: 0,
            version: 1,
            createdAt: now,
            updatedAt: now,
          }),
        );
        await em.getRepository(MeetingTeam).insert({ meetingId: meeting.id, teamId: dto.team });
        await this.events.record(em, {
          kind: 'meeting.booked',
          actorId: v.user.id,
          courseId: v.course.id,
          subject: { type: 'meeting', id: meeting.id },
          payload: { meetingId: meeting.id, title, startsAt: offered.start.toISOString(), expertId: dto.expert, teamIds: [dto.team] },
        });
        return meeting;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field('slot', JUST_BOOKED);
      throw err;
    }
  }

  /** The meetings of a course this viewer takes part in (a manager: all), with their teams (two queries). */
  private async visible(v: CourseViewer, meetingId?: number, overlapping?: { from: Date; to: Date }): Promise<MeetingRow[]> {
    const qb = this.db.repo(Meeting).createQueryBuilder('m').where('m.course_id = :courseId', { courseId: v.course.id });
    if (meetingId !== undefined) qb.andWhere('m.id = :meetingId', { meetingId });
    // Only the meetings that overlap the window (a workshop's whole history is not read for a week).
    if (overlapping) qb.andWhere('m.starts_at < :to AND m.ends_at > :from', overlapping);
    if (!v.canManage) {
      const teamIds = v.memberTeamIds.length ? v.memberTeamIds : [0];
      qb.andWhere(
        '(m.host_id = :me OR m.id IN (SELECT mt.meeting_id FROM meeting_teams mt WHERE mt.team_id IN (:...teamIds)) OR m.id IN (SELECT mp.meeting_id FROM meeting_people mp WHERE mp.user_id = :me))',
        { me: v.user.id, teamIds },
      );
    }
    const meetings = await qb.orderBy('m.starts_at', 'ASC').addOrderBy('m.id', 'ASC').getMany();
    const ids = meetings.map((m) => m.id);
    const [links, people] = ids.length
      ? await Promise.all([
          this.db.repo(MeetingTeam).find({ where: { meetingId: In(ids) } }),
          this.db.repo(MeetingPerson).find({ where: { meetingId: In(ids) } }),
        ])
      : [[], []];
    return meetings.map((m) => ({
      ...m,
      teamIds: links.filter((l) => l.meetingId === m.id).map((l) => l.teamId),
      personIds: people.filter((p) => p.meetingId === m.id).map((p) => p.userId),
    }));
  }

  /** What the lists and the page show of meetings: times in the viewer's zone and the others' (constant queries). */
  private async views(v: CourseViewer, rows: MeetingRow[]) {
    const teams = new Map((await this.teams.zones(v.course.id, [...new Set(rows.flatMap((r) => r.teamIds))])).map((t) => [t.id, t]));
    const people = await this.users.people(rows.flatMap((r) => [r.hostId, ...r.personIds]));
    const zone = v.user.timeZone;
    return rows.map((r) => {
      const expert = people.get(r.hostId);
      const ts = r.teamIds.map((id) => teams.get(id)).filter((t) => t !== undefined);
      const others = r.personIds.map((id) => people.get(id)).filter((p) => p !== undefined);
      const href = `/courses/${v.course.id}/meetings/${r.id}`;
      return {
        id: r.id,
        href,
        icsHref: `${href}.ics`,
        title: r.title,
        kind: KIND_LABELS[r.kind] ?? r.kind,
        status: STATUS_LABELS[r.status] ?? r.status,
        cancelled: r.status === 'cancelled',
        past: r.endsAt <= this.clock.now(),
        time: timesIn(r.startsAt, r.endsAt, zone, [...(expert ? [expert.timeZone] : []), ...ts.map((t) => t.timeZone), ...others.map((p) => p.timeZone)]),
        expert: expert?.name ?? 'Unknown',
        hostLabel: r.kind === 'expert_consultation' ? 'Expert' : 'Host',
        people: others.map((p) => p.name).join(', '),
        interpretationRequested: r.interpretationRequested,
        interpretationProvided: r.interpretationProvided,
        teams: ts.map((t) => t.name).join(', '),
        agenda: r.agenda,
        link: r.onlineLink,
        teamIds: r.teamIds,
      };
    });
  }

  /** "Our meetings" / "my meetings" / all of the course's: upcoming and past (a constant number of queries). */
  async list(v: CourseViewer) {
    const all = await this.views(v, await this.visible(v));
    return {
      canSchedule: v.canManage,
      upcoming: all.filter((m) => !m.past),
      past: all.filter((m) => m.past).reverse(),
      canBook: v.leaderTeamIds.length > 0,
      memberOnly: v.memberTeamIds.length > 0 && v.leaderTeamIds.length === 0,
    };
  }

  private async one(v: CourseViewer, meetingId: number): Promise<MeetingRow> {
    const [row] = Number.isSafeInteger(meetingId) ? await this.visible(v, meetingId) : [];
    if (!row || !(v.canManage || row.hostId === v.user.id || row.personIds.includes(v.user.id) || row.teamIds.some((id) => canSeeTeam(v, id))))
      throw new NotFoundError();
    return row;
  }

  /** One meeting, for its page (404 for anyone not taking part, a manager excepted). */
  async page(v: CourseViewer, meetingId: number) {
    const [view] = await this.views(v, [await this.one(v, meetingId)]);
    return view;
  }

  /** The meeting as an invitation (METHOD:REQUEST; METHOD:CANCEL once cancelled): the host organises, the teams' members and the meeting's people attend. */
  async ics(v: CourseViewer, meetingId: number): Promise<{ filename: string; body: string }> {
    const m = await this.one(v, meetingId);
    const members = await this.teams.membersOf(m.teamIds);
    const people = await this.users.people([m.hostId, ...m.personIds, ...members.map((x) => x.userId)]);
    const expert = people.get(m.hostId);
    const body = writeCalendar({
      product: 'Meetings',
      method: m.status === 'cancelled' ? 'CANCEL' : 'REQUEST',
      now: this.clock.now(),
      events: [
        {
          ...meetingEvent(m, this.config.publicBaseUrl),
          organizer: expert ? { name: expert.name, email: expert.email } : undefined,
          attendees: [...new Set([...m.personIds, ...members.map((x) => x.userId)])]
            .filter((id) => id !== m.hostId)
            .map((id) => people.get(id))
            .filter((p) => p !== undefined)
            .map((p) => ({ name: p.name, email: p.email, role: 'REQ-PARTICIPANT' as const, partstat: 'NEEDS-ACTION' as const, rsvp: true })),
        },
      ],
    });
    return { filename: `meeting-${m.id}.ics`, body };
  }

  /**
   * The course's meetings this viewer takes part in (a manager: all) that overlap [from, to),
   * cancelled ones included and marked, as the lists show them: for the course dashboard's "this
   * week". A constant number of queries (the rule of who sees which meeting is `visible`'s).
   */
  async between(v: CourseViewer, from: Date, to: Date) {
    return this.views(v, await this.visible(v, undefined, { from, to }));
  }

  /** A person's meetings not cancelled, in every course: those they host and those they take part in as one of its people (one query). */
  private calendarRows(repo: Repository<Meeting>, personId: number): Promise<Meeting[]> {
    return repo
      .createQueryBuilder('m')
      .where("m.status <> 'cancelled'")
      .andWhere('(m.host_id = :me OR m.id IN (SELECT mp.meeting_id FROM meeting_people mp WHERE mp.user_id = :me))', { me: personId })
      .getMany();
  }

  /**
   * Holds the host's calendar for the rest of the transaction and reads their meetings not
   * cancelled (every course; `exceptId` left out). The lock is the host's own row (PostgreSQL;
   * SQLite serialises transactions): every write that places or moves a meeting in a host's
   * calendar takes it first, so of two such writes the second reads the first's result.
   */
  private async lockCalendarOf(em: EntityManager, hostId: number, exceptId?: number): Promise<Meeting[]> {
    await this.users.lockForUpdate(em, hostId);
    const rows = await this.calendarRows(em.getRepository(Meeting), hostId);
    return rows.filter((m) => m.id !== exceptId);
  }

  /** May this viewer reschedule or cancel the meeting? A manager any; the host their own; a team's leader its consultations. */
  private mayChange(v: CourseViewer, m: MeetingRow): boolean {
    return v.canManage || m.hostId === v.user.id || (m.kind === 'expert_consultation' && m.teamIds.some((id) => v.leaderTeamIds.includes(id)));
  }

  /** The meeting, if this viewer may change it (anyone else: 404, as if it did not exist). */
  private async changeable(v: CourseViewer, meetingId: number): Promise<MeetingRow> {
    const m = await this.one(v, meetingId);
    if (!this.mayChange(v, m)) throw new NotFoundError();
    return m;
  }

  /** Why the meeting can no longer change (cancelled, or begun), or null. */
  private closed(m: { status: string; startsAt: Date }, now: Date): string | null {
    if (m.status === 'cancelled') return CANCELLED_ALREADY;
    if (m.status === 'held' || m.startsAt <= now) return BEGUN_ALREADY;
    return null;
  }

  /** The expert's slots a consultation may move to: their free slots now, the meeting itself not counted as busy, its own time left out. */
  private async slotsFor(v: CourseViewer, m: MeetingRow, saved: SavedAvailability): Promise<Interval[]> {
    const [online, busy] = await Promise.all([this.availability.onlinePhases(v), this.busy(m.hostId)]);
    const others = busy.filter((b) => b.start.getTime() !== m.startsAt.getTime());
    return freeSlots(saved, { now: this.clock.now(), within: online.intervals, busy: others }).filter((s) => s.start.getTime() !== m.startsAt.getTime());
  }

  /**
   * The new time a form asks for. A consultation: one of the expert's free slots (checked again in
   * the transaction). Any other meeting: a day and time in the viewer's zone, in the future, not
   * skipped by a daylight-saving change, the meeting's length kept. 422 at the field otherwise.
   */
  private async newTime(v: CourseViewer, m: MeetingRow, dto: RescheduleDto): Promise<{ start: Date; end: Date; saved: SavedAvailability | null }> {
    if (m.kind === 'expert_consultation') {
      if (!dto.slot) throw FormInvalidError.field('slot', 'Choose one of the free times.');
      const saved = await this.availability.saved(v.course.id, m.hostId);
      const online = saved ? await this.availability.onlinePhases(v) : null;
      const start = new Date(dto.slot).getTime();
      const offered =
        saved && online && start !== m.startsAt.getTime()
          ? freeSlots(saved, { now: this.clock.now(), within: online.intervals, busy: [] }).find((s) => s.start.getTime() === start)
          : undefined;
      if (!offered) throw FormInvalidError.field('slot', NOT_OFFERED);
      return { ...offered, saved };
    }
    const problems: Record<string, string[]> = {};
    if (!dto.day) problems.day = ['Enter the new day as YYYY-MM-DD, e.g. 2024-11-05.'];
    if (!dto.time) problems.time = ['Enter the new time as HH:MM (24-hour clock), e.g. 14:30.'];
    const start = zonedToUtcForField(problems, 'time', dto.day, dto.time, v.user.timeZone);
    if (start && start <= this.clock.now()) problems.day = [IN_THE_PAST];
    else if (start && start.getTime() === m.startsAt.getTime()) problems.time = [SAME_TIME];
    if (Object.keys(problems).length || !start) throw new FormInvalidError(problems);
    return { start, end: new Date(start.getTime() + (m.endsAt.getTime() - m.startsAt.getTime())), saved: null };
  }

  /** The meeting read again inside the transaction: still open, and the version the form was opened on (else 422 / edit conflict). */
  private async current(em: EntityManager, meetingId: number, version: number, now: Date): Promise<Meeting> {
    const m = await em.getRepository(Meeting).findOneByOrFail({ id: meetingId });
    const closed = this.closed(m, now);
    if (closed) throw FormInvalidError.field('_form', closed);
    if (m.version !== version) throw new EditConflictError('meeting');
    return m;
  }

  /** Writes the change only if nobody changed the meeting since `m` was read; its people, for the event. */
  private async applyChange(em: EntityManager, m: Meeting, change: Partial<Meeting>, now: Date): Promise<number[]> {
    const result = await em
      .getRepository(Meeting)
      .update({ id: m.id, version: m.version }, { ...change, sequence: m.sequence + 1, version: m.version + 1, updatedAt: now });
    if (result.affected !== 1) throw new EditConflictError('meeting');
    return (await em.getRepository(MeetingPerson).find({ where: { meetingId: m.id }, select: { userId: true } })).map((p) => p.userId);
  }

  /**
   * Moves a meeting, with a reason. Consultations move only to one of the expert's free slots, in
   * the transaction and behind the lock that booking takes (so a booking and a move of one expert
   * queue up); other meetings to any future time clear of the host's other meetings. The status
   * becomes 'rescheduled', SEQUENCE and version rise by one, `meeting.rescheduled` is recorded.
   */
  async reschedule(v: CourseViewer, meetingId: number, dto: RescheduleDto): Promise<void> {
    const m = await this.changeable(v, meetingId);
    const now = this.clock.now();
    const closed = this.closed(m, now);
    if (closed) throw FormInvalidError.field('_form', closed);
    const next = await this.newTime(v, m, dto);
    try {
      await this.db.tx(async (em) => {
        const others = await this.lockCalendarOf(em, m.hostId, m.id);
        const row = await this.current(em, m.id, dto.version, now);
        if (next.saved) assertSlotClear(next.saved, now, next, others);
        else if (others.some((o) => overlaps({ start: o.startsAt, end: o.endsAt }, next))) throw FormInvalidError.field('time', HOST_BUSY);
        const personIds = await this.applyChange(em, row, { startsAt: next.start, endsAt: next.end, status: 'rescheduled', changeReason: dto.reason }, now);
        await this.events.record(em, {
          kind: 'meeting.rescheduled',
          actorId: v.user.id,
          courseId: v.course.id,
          subject: { type: 'meeting', id: m.id },
          payload: {
            meetingId: m.id,
            title: row.title,
            from: row.startsAt.toISOString(),
            startsAt: next.start.toISOString(),
            sequence: row.sequence + 1,
            reason: dto.reason,
            hostId: row.hostId,
            teamIds: m.teamIds,
            personIds,
          },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field(next.saved ? 'slot' : 'time', next.saved ? JUST_BOOKED : HOST_BUSY);
      throw err;
    }
  }

  /**
   * Cancels a meeting, with a reason: status 'cancelled', SEQUENCE and version up by one,
   * `meeting.cancelled` recorded. Its time is free again (cancelled meetings are not busy, and the
   * unique index leaves them out). A cancelled meeting stays cancelled.
   */
  async cancel(v: CourseViewer, meetingId: number, dto: CancelMeetingDto): Promise<void> {
    const m = await this.changeable(v, meetingId);
    const now = this.clock.now();
    const closed = this.closed(m, now);
    if (closed) throw FormInvalidError.field('_form', closed);
    await this.db.tx(async (em) => {
      const row = await this.current(em, m.id, dto.version, now);
      const personIds = await this.applyChange(em, row, { status: 'cancelled', changeReason: dto.cancelReason }, now);
      await this.events.record(em, {
        kind: 'meeting.cancelled',
        actorId: v.user.id,
        courseId: v.course.id,
        subject: { type: 'meeting', id: m.id },
        payload: {
          meetingId: m.id,
          title: row.title,
          startsAt: row.startsAt.toISOString(),
          sequence: row.sequence + 1,
          reason: dto.cancelReason,
          hostId: row.hostId,
          teamIds: m.teamIds,
          personIds,
        },
      });
    });
  }

  /**
   * What the meeting page shows of changes: the reason of the last one, the time it was moved from,
   * and, for someone who may change it while it can still change, the forms (a consultation: the
   * expert's free slots in the viewer's zone; other meetings: a day and a time).
   */
  async changeSection(v: CourseViewer, meetingId: number) {
    const m = await this.one(v, meetingId);
    const zone = v.user.timeZone;
    const length = m.endsAt.getTime() - m.startsAt.getTime();
    const [last] =
      m.status === 'rescheduled'
        ? await this.eventLog.chunk({ courseId: m.courseId, kind: 'meeting.rescheduled', subject: { type: 'meeting', id: m.id } }, null, 1)
        : [];
    const from = typeof last?.payload.from === 'string' ? new Date(last.payload.from) : null;
    const history = {
      reason: m.status === 'rescheduled' || m.status === 'cancelled' ? m.changeReason : null,
      reasonLabel: m.status === 'cancelled' ? 'Why it was cancelled' : 'Why it was moved',
      movedFrom: from ? timesIn(from, new Date(from.getTime() + length), zone, []).main : null,
      savedAt: m.updatedAt,
      startsAt: m.startsAt.toISOString(),
      consultation: m.kind === 'expert_consultation',
    };
    if (!this.mayChange(v, m) || this.closed(m, this.clock.now())) return { ...history, form: null, values: {} };
    const local = wallClock(m.startsAt, zone);
    const values = { version: m.version, slot: '', day: local.slice(0, 10), time: local.slice(11), reason: '', cancelReason: '' };
    const form = {
      version: m.version,
      reasonMax: REASON_MAX,
      place: placeOf(zone),
      minutes: Math.round(length / 60_000),
      consultation: false,
      days: [] as SlotDay[],
    };
    if (m.kind !== 'expert_consultation') return { ...history, form, values };
    const saved = await this.availability.saved(v.course.id, m.hostId);
    const slots = saved ? await this.slotsFor(v, m, saved) : [];
    const days: SlotDay[] = [];
    for (const s of slots) {
      const label = formatDate(localDate(s.start, zone));
      if (days[days.length - 1]?.label !== label) days.push({ label, slots: [] });
      const there = saved && saved.zone !== zone ? ` · ${atIn(s.start, saved.zone)}` : '';
      days[days.length - 1].slots.push({ value: s.start.toISOString(), text: `${hhmm(s.start, zone)}–${hhmm(s.end, zone)} ${placeOf(zone)}${there}` });
    }
    return { ...history, form: { ...form, consultation: true, days }, values };
  }

  /** For the form again after a 422: the page's change section, only for someone who may change the meeting (else 404). */
  async changeSectionFor(v: CourseViewer, meetingId: number) {
    await this.changeable(v, meetingId);
    return this.changeSection(v, meetingId);
  }

  /**
   * The meetings in a person's calendar: those they host, those they are listed in, and those of
   * `teamIds` (their teams, in the courses their feed shows). One query.
   */
  async calendarOf(personId: number, teamIds: number[]): Promise<MeetingForCalendar[]> {
    const qb = this.db
      .repo(Meeting)
      .createQueryBuilder('m')
      .select(['m.id', 'm.courseId', 'm.title', 'm.agenda', 'm.onlineLink', 'm.startsAt', 'm.endsAt', 'm.status', 'm.sequence'])
      .where('m.host_id = :me', { me: personId })
      .orWhere('m.id IN (SELECT mp.meeting_id FROM meeting_people mp WHERE mp.user_id = :me)', { me: personId });
    if (teamIds.length) qb.orWhere('m.id IN (SELECT mt.meeting_id FROM meeting_teams mt WHERE mt.team_id IN (:...teamIds))', { teamIds });
    return qb.orderBy('m.starts_at', 'ASC').addOrderBy('m.id', 'ASC').getMany();
  }

  /**
   * The course's meetings marked held, per kind: how many, how many have attendance recorded, and
   * the attendance rows (teams and people) recorded and present. For the course report (one query).
   */
  async heldSummary(courseId: number): Promise<HeldSummaryRow[]> {
    const rows = await this.db.rows<Record<keyof HeldSummaryRow, string | number | null>>`
      SELECT m.kind AS "kind", COUNT(DISTINCT m.id) AS "held", COUNT(DISTINCT a.meeting_id) AS "recorded",
        SUM(CASE WHEN a.team_id IS NOT NULL THEN 1 ELSE 0 END) AS "teamRows",
        SUM(CASE WHEN a.team_id IS NOT NULL AND a.present THEN 1 ELSE 0 END) AS "teamsPresent",
        SUM(CASE WHEN a.user_id IS NOT NULL THEN 1 ELSE 0 END) AS "personRows",
        SUM(CASE WHEN a.user_id IS NOT NULL AND a.present THEN 1 ELSE 0 END) AS "peoplePresent"
      FROM meetings m LEFT JOIN meeting_attendance a ON a.meeting_id = m.id
      WHERE m.course_id = ${courseId} AND m.status = 'held'
      GROUP BY m.kind`;
    return rows.map((r) => ({
      kind: String(r.kind) as MeetingKind,
      held: Number(r.held ?? 0),
      recorded: Number(r.recorded ?? 0),
      teamRows: Number(r.teamRows ?? 0),
      teamsPresent: Number(r.teamsPresent ?? 0),
      personRows: Number(r.personRows ?? 0),
      peoplePresent: Number(r.peoplePresent ?? 0),
    }));
  }

  // Read API for the home panels

  /**
   * The next meetings not cancelled of one of the viewer's teams (`teamId`), or the viewer's own
   * (`mine`: those they host or take part in), soonest first, as the lists show them (four queries).
   */
  async upcomingOf(v: CourseViewer, of: { teamId: number } | 'mine', limit: number) {
    if (of !== 'mine' && !v.memberTeamIds.includes(of.teamId) && !v.canManage) return [];
    const now = this.clock.now();
    // Hand-written (every home shows it): only the next `limit` meetings are read, not every meeting
    // the viewer may see (their own, or the team's: visible to whoever asks for them here).
    // Instants are bound as each database stores them: timestamptz, or UTC text on SQLite.
    const after = this.db.isPostgres ? now : now.toISOString().replace('T', ' ').replace('Z', '');
    type Raw = Omit<MeetingRow, 'id' | 'courseId' | 'hostId' | 'sequence' | 'version' | 'startsAt' | 'endsAt' | 'updatedAt' | 'teamIds' | 'personIds'> & {
      id: number | string;
      hostId: number | string;
      sequence: number | string;
      version: number | string;
      startsAt: Date | string;
      endsAt: Date | string;
      updatedAt: Date | string;
    };
    const raw =
      of === 'mine'
        ? await this.db.rows<Raw>`
            SELECT id, title, kind, starts_at AS "startsAt", ends_at AS "endsAt", host_id AS "hostId", status, sequence, version, change_reason AS "changeReason",
              updated_at AS "updatedAt", agenda, online_link AS "onlineLink", interpretation_requested AS "interpretationRequested", interpretation_provided AS "interpretationProvided"
            FROM meetings WHERE course_id = ${v.course.id} AND status <> 'cancelled' AND ends_at > ${after}
              AND (host_id = ${v.user.id} OR id IN (SELECT meeting_id FROM meeting_people WHERE user_id = ${v.user.id}))
            ORDER BY starts_at, id LIMIT ${limit}`
        : await this.db.rows<Raw>`
            SELECT id, title, kind, starts_at AS "startsAt", ends_at AS "endsAt", host_id AS "hostId", status, sequence, version, change_reason AS "changeReason",
              updated_at AS "updatedAt", agenda, online_link AS "onlineLink", interpretation_requested AS "interpretationRequested", interpretation_provided AS "interpretationProvided"
            FROM meetings WHERE course_id = ${v.course.id} AND id IN (SELECT meeting_id FROM meeting_teams WHERE team_id = ${of.teamId}) AND status <> 'cancelled' AND ends_at > ${after}
            ORDER BY starts_at, id LIMIT ${limit}`;
    const ids = raw.map((r) => Number(r.id));
    const [links, people] = ids.length
      ? await Promise.all([
          this.db.rows<{ meetingId: number | string; teamId: number | string }>`
            SELECT meeting_id AS "meetingId", team_id AS "teamId" FROM meeting_teams WHERE meeting_id IN ${ids} ORDER BY id`,
          this.db.rows<{ meetingId: number | string; userId: number | string }>`
            SELECT meeting_id AS "meetingId", user_id AS "userId" FROM meeting_people WHERE meeting_id IN ${ids} ORDER BY id`,
        ])
      : [[], []];
    const rows: MeetingRow[] = raw.map((r) => ({
      ...r,
      id: Number(r.id),
      courseId: v.course.id,
      hostId: Number(r.hostId),
      sequence: Number(r.sequence),
      version: Number(r.version),
      startsAt: rawDate(r.startsAt),
      endsAt: rawDate(r.endsAt),
      updatedAt: rawDate(r.updatedAt),
      teamIds: links.filter((l) => Number(l.meetingId) === Number(r.id)).map((l) => Number(l.teamId)),
      personIds: people.filter((p) => Number(p.meetingId) === Number(r.id)).map((p) => Number(p.userId)),
    }));
    return this.views(v, rows);
  }

  /**
   * What the viewer offers as an expert in this course: weekly windows in their zone, the slot
   * length, how many slots are free now and the first of them; null before they publish any
   * (seven queries).
   */
  async availabilitySummary(v: CourseViewer) {
    const saved = await this.availability.saved(v.course.id, v.user.id);
    if (!saved) return null;
    const [online, busy] = await Promise.all([this.availability.onlinePhases(v), this.busy(v.user.id)]);
    const slots = freeSlots(saved, { now: this.clock.now(), within: online.intervals, busy });
    return {
      zone: saved.zone,
      weekly: saved.weekly,
      oneOffCount: saved.oneOff.length,
      slotMinutes: saved.slotMinutes,
      maxPerTeam: saved.maxPerTeam,
      freeCount: slots.length,
      firstFree: slots[0]?.start ?? null,
    };
  }
}

interface SlotDay {
  label: string;
  slots: { value: string; text: string }[];
}

/** The held meetings of one kind in a course, with their recorded attendance (rows: one per team or person). */
export interface HeldSummaryRow {
  kind: MeetingKind;
  held: number;
  /** Held meetings with any attendance recorded. */
  recorded: number;
  teamRows: number;
  teamsPresent: number;
  personRows: number;
  peoplePresent: number;
}
