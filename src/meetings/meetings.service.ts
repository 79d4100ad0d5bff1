import { Inject, Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { writeCalendar } from '../common/ical';
import { FormInvalidError, NotFoundError } from '../common/errors';
import { canSeeTeam } from '../common/permissions';
import { formatDate, localDate, wallClock } from '../common/zoned-time';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { CourseViewer } from '../courses/course-access.service';
import { Database } from '../database/database.service';
import { EventsService } from '../events/events.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { Availability } from './availability.entity';
import { AvailabilityService } from './availability.service';
import { placeOf } from './place';
import { Clock } from './clock';
import type { BookingDto } from './dto/booking.dto';
import { Meeting, MeetingTeam } from './meeting.entity';
import { freeSlots, type Interval } from './slots';

export const JUST_BOOKED = 'This time was just booked by someone else — choose another.';
export const TOO_CLOSE = 'This time is now too close to another meeting of the expert — choose another.';
export const NOT_OFFERED = 'This time is not one of the expert’s free slots — choose one from the list.';

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
  agenda: string;
  onlineLink: string | null;
  teamIds: number[];
}

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The expert's meetings not cancelled (in any course), as busy intervals (one query). */
  async busy(expertId: number): Promise<Interval[]> {
    const rows = await this.db.repo(Meeting).find({ where: { hostId: expertId, status: Not('cancelled') }, select: { startsAt: true, endsAt: true } });
    return rows.map((m) => ({ start: m.startsAt, end: m.endsAt }));
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
        if (this.db.isPostgres) await em.query('SELECT id FROM availabilities WHERE course_id = $1 AND user_id = $2 FOR UPDATE', [v.course.id, dto.expert]);
        const others = await em.getRepository(Meeting).find({ where: { hostId: dto.expert, status: Not('cancelled') } });
        const busy = others.map((m) => ({ start: m.startsAt, end: m.endsAt }));
        if (!freeSlots(saved, { now, within: [offered], busy }).some((s) => s.start.getTime() === start.getTime()))
          throw FormInvalidError.field('slot', others.some((m) => m.startsAt.getTime() === start.getTime()) ? JUST_BOOKED : TOO_CLOSE);
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
  private async visible(v: CourseViewer, meetingId?: number): Promise<MeetingRow[]> {
    const qb = this.db.repo(Meeting).createQueryBuilder('m').where('m.course_id = :courseId', { courseId: v.course.id });
    if (meetingId !== undefined) qb.andWhere('m.id = :meetingId', { meetingId });
    if (!v.canManage) {
      const teamIds = v.memberTeamIds.length ? v.memberTeamIds : [0];
      qb.andWhere('(m.host_id = :me OR m.id IN (SELECT mt.meeting_id FROM meeting_teams mt WHERE mt.team_id IN (:...teamIds)))', { me: v.user.id, teamIds });
    }
    const meetings = await qb.orderBy('m.starts_at', 'ASC').addOrderBy('m.id', 'ASC').getMany();
    const links = meetings.length ? await this.db.repo(MeetingTeam).find({ where: { meetingId: In(meetings.map((m) => m.id)) } }) : [];
    return meetings.map((m) => ({ ...m, teamIds: links.filter((l) => l.meetingId === m.id).map((l) => l.teamId) }));
  }

  /** What the lists and the page show of meetings: times in the viewer's zone and the others' (constant queries). */
  private async views(v: CourseViewer, rows: MeetingRow[]) {
    const teams = new Map((await this.teams.zones(v.course.id, [...new Set(rows.flatMap((r) => r.teamIds))])).map((t) => [t.id, t]));
    const people = await this.users.people(rows.map((r) => r.hostId));
    const zone = v.user.timeZone;
    return rows.map((r) => {
      const expert = people.get(r.hostId);
      const ts = r.teamIds.map((id) => teams.get(id)).filter((t) => t !== undefined);
      const href = `/courses/${v.course.id}/meetings/${r.id}`;
      return {
        id: r.id,
        href,
        icsHref: `${href}.ics`,
        title: r.title,
        kind: KIND_LABELS[r.kind] ?? r.kind,
        status: r.status === 'cancelled' ? 'Cancelled' : 'Scheduled',
        cancelled: r.status === 'cancelled',
        past: r.endsAt <= this.clock.now(),
        time: timesIn(r.startsAt, r.endsAt, zone, [...(expert ? [expert.timeZone] : []), ...ts.map((t) => t.timeZone)]),
        expert: expert?.name ?? 'Unknown',
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
      upcoming: all.filter((m) => !m.past),
      past: all.filter((m) => m.past).reverse(),
      canBook: v.leaderTeamIds.length > 0,
      memberOnly: v.memberTeamIds.length > 0 && v.leaderTeamIds.length === 0,
    };
  }

  private async one(v: CourseViewer, meetingId: number): Promise<MeetingRow> {
    const [row] = Number.isSafeInteger(meetingId) ? await this.visible(v, meetingId) : [];
    if (!row || !(row.hostId === v.user.id || row.teamIds.some((id) => canSeeTeam(v, id)))) throw new NotFoundError();
    return row;
  }

  /** One meeting, for its page (404 for anyone not taking part, a manager excepted). */
  async page(v: CourseViewer, meetingId: number) {
    const [view] = await this.views(v, [await this.one(v, meetingId)]);
    return view;
  }

  /** The meeting as an invitation (METHOD:REQUEST): the expert organises, the teams' members attend. */
  async ics(v: CourseViewer, meetingId: number): Promise<{ filename: string; body: string }> {
    const m = await this.one(v, meetingId);
    const members = await this.teams.membersOf(m.teamIds);
    const people = await this.users.people([m.hostId, ...members.map((x) => x.userId)]);
    const base = this.config.publicBaseUrl.replace(/\/$/, '');
    const host = new URL(base).host;
    const expert = people.get(m.hostId);
    const url = `${base}/courses/${m.courseId}/meetings/${m.id}`;
    const body = writeCalendar({
      product: 'Meetings',
      method: 'REQUEST',
      now: this.clock.now(),
      events: [
        {
          uid: `meeting-${m.id}@${host}`,
          start: m.startsAt,
          end: m.endsAt,
          summary: m.title,
          description: [m.agenda, m.onlineLink ?? ''].filter(Boolean).join('\n\n'),
          location: m.onlineLink ?? undefined,
          url,
          sequence: m.sequence,
          status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
          organizer: expert ? { name: expert.name, email: expert.email } : undefined,
          attendees: [...new Set(members.map((x) => x.userId))]
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
   * week". A constant number of queries.
   */
  async between(v: CourseViewer, from: Date, to: Date) {
    const qb = this.db
      .repo(Meeting)
      .createQueryBuilder('m')
      .where('m.course_id = :courseId AND m.starts_at < :to AND m.ends_at > :from', { courseId: v.course.id, from, to });
    if (!v.canManage) {
      const teamIds = v.memberTeamIds.length ? v.memberTeamIds : [0];
      qb.andWhere('(m.host_id = :me OR m.id IN (SELECT mt.meeting_id FROM meeting_teams mt WHERE mt.team_id IN (:...teamIds)))', { me: v.user.id, teamIds });
    }
    const meetings = await qb.orderBy('m.starts_at', 'ASC').addOrderBy('m.id', 'ASC').getMany();
    const links = meetings.length ? await this.db.repo(MeetingTeam).find({ where: { meetingId: In(meetings.map((m) => m.id)) } }) : [];
    return this.views(
      v,
      meetings.map((m) => ({ ...m, teamIds: links.filter((l) => l.meetingId === m.id).map((l) => l.teamId) })),
    );
  }
}
