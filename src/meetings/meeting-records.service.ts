import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull, Not } from 'typeorm';
import { DomainError, EditConflictError, FormInvalidError, NotFoundError } from '../common/errors';
import { renderMarkdown } from '../common/markdown';
import { isOwnTeam } from '../common/permissions';
import { addDays, formatDate, localDate, zonedToUtcForField } from '../common/zoned-time';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { EventsService } from '../events/events.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';
import { UsersService } from '../users/users.service';
import { Clock } from './clock';
import { TASK_TITLE_MAX, type ActionDto, type ActionTaskDto, type AttendanceDto, type NotesDto } from './dto/records.dto';
import { Meeting, MeetingAction, MeetingAttendance, MeetingPerson, type MeetingPersonRole, MeetingTeam } from './meeting.entity';

export const BEFORE_START = 'Attendance can be recorded once the meeting has begun.';
export const NOTES_BEFORE_START = 'Notes can be written once the meeting has begun.';
export const ACTIONS_BEFORE_START = 'Action items can be added once the meeting has begun.';
export const NOT_IN_LIST = 'Tick teams and people from the list.';
export const NOT_A_MEETING_TEAM = 'Choose one of the meeting’s teams.';
export const FINAL_STAYS_FINAL = 'These notes are final: save your corrections as final notes.';

/** Nothing is recorded for a cancelled meeting. */
export class MeetingCancelledError extends DomainError {
  constructor() {
    super(409, 'Meeting cancelled', 'This meeting was cancelled: there is no attendance, notes or action items to record for it.');
  }
}

/** An action item is made into a task once. */
export class ActionAlreadyTaskError extends DomainError {
  constructor() {
    super(409, 'Already a task', 'This action item has already been made into a task. Open the meeting to follow its link.');
  }
}

const ROLE_LABELS: Record<MeetingPersonRole | 'host', string> = { host: 'Host', expert: 'Expert', facilitator: 'Facilitator', guest: 'Guest' };

/** A participant of a meeting as the attendance form and list show them. */
interface Participants {
  teams: { id: number; name: string; key: string; people: { id: number; name: string; key: string }[] }[];
  /** The host and the people taking part besides the teams' members. */
  others: { id: number; name: string; key: string; role: string }[];
  teamIds: number[];
  personIds: number[];
}

const teamKey = (id: number) => `team-${id}`;
const userKey = (id: number) => `user-${id}`;

/** Brackets and backslashes in a title kept literal inside a Markdown link text. */
const mdText = (s: string) => s.replace(/[[\]\\]/g, '\\$&');

/**
 * What is recorded after a meeting (decision 58): who was there (the set replaced as a whole, the
 * meeting then "held"), the notes (a draft the host and the facilitators see, then final for
 * everyone in the meeting) and action items, each of which a facilitator may make into a task for
 * its team. Who records: a manager of the course, or the expert who hosts the meeting; anyone else
 * gets 404. Saves are checked against the meeting's version (a stale form: EditConflictError).
 */
@Injectable()
export class MeetingRecordsService {
  constructor(
    private readonly db: Database,
    private readonly events: EventsService,
    private readonly teams: TeamsService,
    private readonly users: UsersService,
    private readonly tasks: TasksService,
    private readonly courses: CoursesService,
    private readonly clock: Clock,
  ) {}

  /** May this viewer record this meeting? A manager, or its host (the route already asks for an expert's or a manager's permission). */
  canRecord(v: CourseViewer, m: Pick<Meeting, 'hostId'>): boolean {
    return v.canManage || m.hostId === v.user.id;
  }

  /** The meeting of this course, or 404 (one query). */
  private async meeting(v: CourseViewer, meetingId: number): Promise<Meeting> {
    const m = Number.isSafeInteger(meetingId) ? await this.db.repo(Meeting).findOneBy({ id: meetingId, courseId: v.course.id }) : null;
    if (!m) throw new NotFoundError();
    return m;
  }

  /** The meeting, if this viewer may record it (else 404). */
  private async recordable(v: CourseViewer, meetingId: number): Promise<Meeting> {
    const m = await this.meeting(v, meetingId);
    if (!this.canRecord(v, m)) throw new NotFoundError();
    return m;
  }

  /** Refuses records for a cancelled meeting, or one that has not begun (422 at `field`). */
  private refuseUnlessOpen(m: Meeting, field: string, beforeStart: string) {
    if (m.status === 'cancelled') throw new MeetingCancelledError();
    if (m.startsAt > this.clock.now()) throw FormInvalidError.field(field, beforeStart);
  }

  /** The teams, their members, the host and the other people taking part (five queries). */
  private async participants(m: Meeting): Promise<Participants> {
    const [links, extra] = await Promise.all([
      this.db.repo(MeetingTeam).find({ where: { meetingId: m.id }, select: { teamId: true } }),
      this.db.repo(MeetingPerson).find({ where: { meetingId: m.id }, order: { id: 'ASC' } }),
    ]);
    const teamIds = links.map((l) => l.teamId);
    const [teams, members] = await Promise.all([this.teams.zones(m.courseId, teamIds), this.teams.membersOf(teamIds)]);
    const hostAndExtra = [
      { userId: m.hostId, role: 'host' as const },
      ...extra.filter((p) => p.userId !== m.hostId).map((p) => ({ userId: p.userId, role: p.role })),
    ];
    const people = await this.users.people(hostAndExtra.map((p) => p.userId));
    // Each person once: the host and the other people first, then under their first team.
    const listed = new Set(hostAndExtra.map((p) => p.userId));
    const teamPeople = new Map<number, { id: number; name: string; key: string }[]>(teams.map((t) => [t.id, []]));
    for (const t of teams)
      for (const x of members.filter((y) => y.teamId === t.id).sort((a, b) => a.name.localeCompare(b.name))) {
        if (listed.has(x.userId)) continue;
        listed.add(x.userId);
        teamPeople.get(t.id)!.push({ id: x.userId, name: x.name, key: userKey(x.userId) });
      }
    return {
      teams: teams.map((t) => ({ id: t.id, name: t.name, key: teamKey(t.id), people: teamPeople.get(t.id)! })),
      others: hostAndExtra.map((p) => ({ id: p.userId, name: people.get(p.userId)?.name ?? 'Unknown', key: userKey(p.userId), role: ROLE_LABELS[p.role] })),
      teamIds,
      personIds: extra.map((p) => p.userId),
    };
  }

  /**
   * The "after the meeting" part of a meeting's page for this viewer (who may see the meeting:
   * MeetingsService.page decides first): attendance, the notes (a draft only to those who may
   * record), the action items with their tasks, and the forms for those who may record.
   * A constant number of queries, whatever the number of teams, people and action items.
   */
  async section(v: CourseViewer, meetingId: number) {
    const m = await this.meeting(v, meetingId);
    const [parts, attendance, actions] = await Promise.all([
      this.participants(m),
      this.db.repo(MeetingAttendance).find({ where: { meetingId: m.id } }),
      this.db.repo(MeetingAction).find({ where: { meetingId: m.id }, order: { id: 'ASC' } }),
    ]);
    const briefs = new Map((await this.tasks.briefs(actions.map((a) => a.taskId).filter((id): id is number => id !== null))).map((t) => [t.id, t]));
    const names = await this.users.namesByIds(m.notesBy !== null ? [m.notesBy] : []);
    const canRecord = this.canRecord(v, m) && m.status !== 'cancelled';
    const started = m.startsAt <= this.clock.now();
    const presence = new Map(attendance.map((a) => [a.teamId !== null ? teamKey(a.teamId) : userKey(a.userId!), a.present]));
    const state = (key: string) => {
      const p = presence.get(key);
      return p === undefined ? 'Not recorded' : p ? 'Present' : 'Absent';
    };
    const teamName = new Map(parts.teams.map((t) => [t.id, t.name]));
    const notesVisible = m.notesStatus === 'final' || (m.notesStatus === 'draft' && this.canRecord(v, m));
    const meetingHref = `/courses/${v.course.id}/meetings/${m.id}`;
    return {
      cancelled: m.status === 'cancelled',
      canRecord,
      canManage: v.canManage,
      started,
      open: canRecord && started,
      startsAt: m.startsAt,
      attendance: {
        recorded: attendance.length > 0,
        teams: parts.teams.map((t) => ({
          name: t.name,
          key: t.key,
          state: state(t.key),
          people: t.people.map((p) => ({ ...p, state: state(p.key) })),
        })),
        others: parts.others.map((p) => ({ ...p, state: state(p.key) })),
        teamsPresent: attendance.filter((a) => a.teamId !== null && a.present).length,
        peoplePresent: attendance.filter((a) => a.userId !== null && a.present).length,
      },
      notes: {
        status: m.notesStatus,
        draft: m.notesStatus === 'draft',
        final: m.notesStatus === 'final',
        visible: notesVisible,
        html: notesVisible ? renderMarkdown(m.notes) : '',
        by: m.notesBy !== null ? (names.get(m.notesBy) ?? null) : null,
      },
      actions: actions.map((a) => {
        const task = a.taskId !== null ? briefs.get(a.taskId) : undefined;
        const seesTask = !!task && (v.canManage || (task.published && a.teamId !== null && isOwnTeam(v, a.teamId)));
        return {
          id: a.id,
          text: a.text,
          team: a.teamId !== null ? (teamName.get(a.teamId) ?? 'A team') : 'No team',
          task: seesTask ? { href: `/courses/${v.course.id}/tasks/${task.id}`, title: task.title, draft: !task.published } : null,
          madeTask: a.taskId !== null,
          makeTaskHref: v.canManage && a.taskId === null && a.teamId !== null ? `${meetingHref}/actions/${a.id}/task` : null,
        };
      }),
      teamOptions: parts.teams.map((t) => ({ value: String(t.id), label: t.name })),
      /** The forms' values as saved (a 422 or a conflict page puts what was typed over them). */
      values: {
        present: [...presence].filter(([, p]) => p).map(([k]) => k),
        notes: m.notes ?? '',
        version: m.version,
        actionText: '',
        actionTeam: parts.teams.length === 1 ? String(parts.teams[0].id) : '',
      },
      savedAt: m.updatedAt,
    };
  }

  /**
   * Raises the meeting's version if it is still the one the form was opened on and the meeting is
   * not cancelled (one conditional UPDATE: of two saves from the same version, one wins).
   */
  private async bump(em: EntityManager, m: Meeting, version: number, changes: Partial<Meeting>, what: string) {
    const result = await em
      .getRepository(Meeting)
      .update({ id: m.id, version, status: Not('cancelled') }, { ...changes, version: version + 1, updatedAt: this.clock.now() });
    if (result.affected === 1) return;
    const now = await em.getRepository(Meeting).findOneBy({ id: m.id });
    if (now?.status === 'cancelled') throw new MeetingCancelledError();
    throw new EditConflictError(what);
  }

  /**
   * Records who was there: every team and person of the meeting present (ticked) or absent, the
   * set replacing any saved before; the meeting becomes "held" and `meeting.held` is recorded, in
   * one transaction.
   */
  async saveAttendance(v: CourseViewer, meetingId: number, dto: AttendanceDto): Promise<void> {
    const m = await this.recordable(v, meetingId);
    this.refuseUnlessOpen(m, 'present', BEFORE_START);
    const parts = await this.participants(m);
    const ticked = new Set(dto.present);
    const keys = [...parts.teams.map((t) => t.key), ...parts.teams.flatMap((t) => t.people.map((p) => p.key)), ...parts.others.map((p) => p.key)];
    if ([...ticked].some((k) => !keys.includes(k))) throw FormInvalidError.field('present', NOT_IN_LIST);
    const rows = [
      ...parts.teams.map((t) => ({ meetingId: m.id, teamId: t.id, userId: null, present: ticked.has(t.key) })),
      ...[...parts.teams.flatMap((t) => t.people), ...parts.others].map((p) => ({ meetingId: m.id, teamId: null, userId: p.id, present: ticked.has(p.key) })),
    ];
    await this.db.tx(async (em) => {
      await this.bump(em, m, dto.version, { status: 'held' }, 'meeting’s attendance');
      await em.getRepository(MeetingAttendance).delete({ meetingId: m.id });
      if (rows.length) await em.getRepository(MeetingAttendance).insert(rows);
      await this.events.record(em, {
        kind: 'meeting.held',
        actorId: v.user.id,
        courseId: v.course.id,
        subject: { type: 'meeting', id: m.id },
        payload: {
          meetingId: m.id,
          title: m.title,
          teamsPresent: rows.filter((r) => r.teamId !== null && r.present).length,
          peoplePresent: rows.filter((r) => r.userId !== null && r.present).length,
        },
      });
    });
  }

  /**
   * Saves the notes as a draft or as final. Final notes stay final: corrections are saved as final
   * again (a new version, checked like any save). Making them final records
   * `meeting.notes_finalised` in the same transaction (everyone in the meeting is then told).
   */
  async saveNotes(v: CourseViewer, meetingId: number, dto: NotesDto): Promise<{ finalised: boolean }> {
    const m = await this.recordable(v, meetingId);
    this.refuseUnlessOpen(m, 'notes', NOTES_BEFORE_START);
    if (m.notesStatus === 'final' && dto.status === 'draft') throw FormInvalidError.field('notes', FINAL_STAYS_FINAL);
    const finalised = dto.status === 'final' && m.notesStatus !== 'final';
    await this.db.tx(async (em) => {
      await this.bump(em, m, dto.version, { notes: dto.notes, notesStatus: dto.status, notesBy: v.user.id }, 'meeting’s notes');
      if (!finalised) return;
      const [teams, people] = await Promise.all([
        em.getRepository(MeetingTeam).find({ where: { meetingId: m.id }, select: { teamId: true } }),
        em.getRepository(MeetingPerson).find({ where: { meetingId: m.id }, select: { userId: true } }),
      ]);
      await this.events.record(em, {
        kind: 'meeting.notes_finalised',
        actorId: v.user.id,
        courseId: v.course.id,
        subject: { type: 'meeting', id: m.id },
        payload: { meetingId: m.id, title: m.title, hostId: m.hostId, teamIds: teams.map((t) => t.teamId), personIds: people.map((p) => p.userId) },
      });
    });
    return { finalised };
  }

  /** Adds an action item for one of the meeting's teams. */
  async addAction(v: CourseViewer, meetingId: number, dto: ActionDto): Promise<void> {
    const m = await this.recordable(v, meetingId);
    this.refuseUnlessOpen(m, 'actionText', ACTIONS_BEFORE_START);
    if (!(await this.db.repo(MeetingTeam).existsBy({ meetingId: m.id, teamId: dto.actionTeam })))
      throw FormInvalidError.field('actionTeam', NOT_A_MEETING_TEAM);
    await this.db.tx(async (em) => {
      await em.getRepository(MeetingAction).insert({
        meetingId: m.id,
        teamId: dto.actionTeam,
        text: dto.actionText,
        taskId: null,
        createdBy: v.user.id,
        createdAt: this.clock.now(),
      });
    });
  }

  /** An action item of a meeting of this course not yet made into a task, with its meeting (404 otherwise). */
  private async openAction(m: CourseManager, meetingId: number, actionId: number) {
    const meeting = await this.meeting(m, meetingId);
    const action = Number.isSafeInteger(actionId) ? await this.db.repo(MeetingAction).findOneBy({ id: actionId, meetingId: meeting.id }) : null;
    if (!action || action.teamId === null) throw new NotFoundError();
    if (action.taskId !== null) throw new ActionAlreadyTaskError();
    return { meeting, action };
  }

  /** The "make it a task" form: the action item, its team, and the values it starts with (due a week after the meeting, 17:00 at the venue). */
  async taskForm(m: CourseManager, meetingId: number, actionId: number) {
    const { meeting, action } = await this.openAction(m, meetingId, actionId);
    const [team] = await this.teams.zones(m.course.id, [action.teamId!]);
    const zone = m.course.timeZone;
    const dueDay = addDays(localDate(meeting.startsAt > this.clock.now() ? meeting.startsAt : this.clock.now(), zone), 7);
    return {
      meeting: { id: meeting.id, title: meeting.title, href: `/courses/${m.course.id}/meetings/${meeting.id}` },
      action: { id: action.id, text: action.text, team: team?.name ?? 'the team' },
      zone,
      values: { title: action.text.slice(0, TASK_TITLE_MAX), dueDay, dueTime: '17:00', publish: '' },
    };
  }

  /**
   * Makes an action item into a task for its team (TasksService.createForTeam): its instructions
   * link back to the meeting; the item keeps the task's id. One transaction; an item already made
   * into a task (two facilitators at once) is refused and the task not kept.
   */
  async makeTask(m: CourseManager, meetingId: number, actionId: number, dto: ActionTaskDto): Promise<{ id: number; title: string; status: string }> {
    const { meeting, action } = await this.openAction(m, meetingId, actionId);
    const zone = m.course.timeZone;
    const problems: Record<string, string[]> = {};
    const now = this.clock.now();
    const dueAt = zonedToUtcForField(problems, 'dueTime', dto.dueDay, dto.dueTime, zone);
    if (dueAt && dueAt <= now) (problems.dueDay ??= []).push('Choose a due time in the future.');
    if (Object.keys(problems).length) throw new FormInvalidError(problems);
    const phases = await this.courses.phases(m.course.id);
    const phase =
      phases.find((p) => p.startsOn <= dto.dueDay && dto.dueDay <= p.endsOn) ?? [...phases].reverse().find((p) => p.startsOn <= dto.dueDay) ?? phases[0];
    if (!phase) throw FormInvalidError.field('dueDay', 'This workshop has no phases yet: add one before making tasks.');
    const href = `/courses/${m.course.id}/meetings/${meeting.id}`;
    const instructions = `${action.text}\n\nAgreed in the meeting [${mdText(meeting.title)}](${href}) of ${formatDate(localDate(meeting.startsAt, zone))}.`;
    return this.db.tx(async (em) => {
      const task = await this.tasks.createForTeam(em, m, {
        teamId: action.teamId!,
        title: dto.title,
        instructions,
        phaseId: phase.id,
        opensAt: now,
        dueAt: dueAt!,
        publish: dto.publish,
      });
      const linked = await em.getRepository(MeetingAction).update({ id: action.id, taskId: IsNull() }, { taskId: task.id });
      if (linked.affected !== 1) throw new ActionAlreadyTaskError();
      return task;
    });
  }
}
