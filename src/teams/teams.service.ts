import { Injectable } from '@nestjs/common';
import { CoursesService } from '../courses/courses.service';
import { In, type EntityManager } from 'typeorm';
import { findOrFail, FormInvalidError, NotFoundError } from '../common/errors';
import { type CourseManager, type CourseViewer, viewerSeesTeam } from '../courses/course-access.service';
import { CourseStaffService } from '../courses/course-staff.service';
import { Database } from '../database/database.service';
import { ROLE_LABELS } from '../users/user.view';
import { UsersService } from '../users/users.service';
import type { MemberChangeDto, StaffDto, TeamDto } from './dto/team.dto';
import { DELIVERABLES, Team } from './team.entity';
import { TeamExpert } from './team-expert.entity';
import { AlreadyAdvisesTeamError, AlreadyInTeamError, TeamHasLeaderError } from './teams.errors';
import { TeamInvitations } from './team-invitations';
import { TeamMember, type Level, type Position, type TeamRole } from './team-member.entity';
import { LEVEL_LABELS, POSITION_LABELS, TEAM_ROLE_LABELS, teamName, toTeamView } from './team.view';

/** A person with an account joining a team from its page. */
export interface NewTeamMember {
  email: string;
  teamRole: TeamRole;
  position: Position;
  level: Level;
  /** The facilitator allows this person into a second team of the workshop. */
  allowOtherTeam: boolean;
}

/** A team as an invitation into it names it: the team and its workshop, as plain values. */
export interface TeamPlace {
  name: string;
  timeZone: string;
  courseId: number;
  course: { title: string; startsOn: string; endsOn: string; status: string; timeZone: string };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

@Injectable()
export class TeamsService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly staffOf: CourseStaffService,
    private readonly courses: CoursesService,
    private readonly invitations: TeamInvitations,
  ) {}

  /** Every team of a course with its leader and member count (three queries whatever the size). */
  async list(courseId: number) {
    const teams = await this.db.repo(Team).find({ where: { courseId } });
    if (!teams.length) return [];
    const ids = teams.map((t) => t.id);
    const [members, experts] = await Promise.all([
      this.db.repo(TeamMember).find({ where: { teamId: In(ids) } }),
      this.db.repo(TeamExpert).find({ where: { teamId: In(ids) } }),
    ]);
    const people = await this.users.people([...members.filter((m) => m.teamRole === 'leader').map((m) => m.userId), ...experts.map((e) => e.userId)]);
    const nameOf = (userId: number) => people.get(userId)?.name ?? '';
    return teams
      .map((t) => {
        const mine = members.filter((m) => m.teamId === t.id);
        return {
          ...toTeamView(t),
          memberCount: mine.length,
          leader: ((l) => (l ? nameOf(l.userId) : null))(mine.find((m) => m.teamRole === 'leader')),
          experts: experts.filter((e) => e.teamId === t.id).map((e) => nameOf(e.userId)),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  /**
   * Every team of a course with its name and deliverable, sorted by name: for pages that name the
   * teams without their members (the course home). One hand-written query of the columns shown.
   */
  async summaries(courseId: number): Promise<{ id: number; name: string; deliverableLabel: string }[]> {
    const rows = await this.db.rows<{ id: number | string; country: string; city: string; deliverable: string }>`
      SELECT id, country, city, deliverable FROM teams WHERE course_id = ${courseId}`;
    return rows
      .map((t) => ({
        id: Number(t.id),
        name: teamName(t),
        deliverableLabel: DELIVERABLES.find((d) => d.value === t.deliverable)?.label ?? t.deliverable,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  /** A team of the viewer's course that the viewer may see (the one visibility rule), or 404. */
  async team(v: CourseViewer, teamId: number): Promise<Team> {
    if (!viewerSeesTeam(v, teamId)) throw new NotFoundError();
    return findOrFail(Number.isSafeInteger(teamId) ? await this.db.repo(Team).findOneBy({ id: teamId, courseId: v.course.id }) : null);
  }

  /** The team page: details, members, assigned experts, pending invitations (four queries). */
  async page(v: CourseViewer, team: Team) {
    const [members, experts, pending] = await Promise.all([
      this.db.repo(TeamMember).find({ where: { teamId: team.id }, order: { teamRole: 'ASC', createdAt: 'ASC' } }),
      this.db.repo(TeamExpert).find({ where: { teamId: team.id } }),
      v.canManage ? this.invitations.pendingForTeam(team.id) : Promise.resolve([]),
    ]);
    const people = await this.users.people([
      ...members.flatMap((m) => [m.userId, ...(m.otherTeamAllowedById ? [m.otherTeamAllowedById] : [])]),
      ...experts.map((e) => e.userId),
    ]);
    const person = (userId: number) => findOrFail(people.get(userId));
    return {
      team: toTeamView(team),
      members: members.map((m) => ({
        id: m.id,
        userId: m.userId,
        name: person(m.userId).name,
        email: person(m.userId).email,
        active: person(m.userId).active,
        teamRole: m.teamRole,
        teamRoleLabel: TEAM_ROLE_LABELS[m.teamRole],
        position: m.position,
        positionLabel: POSITION_LABELS[m.position],
        level: m.level,
        levelLabel: LEVEL_LABELS[m.level],
        timeZone: person(m.userId).timeZone,
        isMe: m.userId === v.user.id,
        // A second team in this workshop, allowed by a facilitator: who and when.
        secondTeam: m.otherTeamAllowedAt
          ? { by: (m.otherTeamAllowedById && people.get(m.otherTeamAllowedById)?.name) || 'a former facilitator', at: m.otherTeamAllowedAt }
          : null,
      })),
      experts: experts.map((e) => ({
        id: e.id,
        userId: e.userId,
        name: person(e.userId).name,
        email: person(e.userId).email,
        timeZone: person(e.userId).timeZone,
      })),
      pending,
    };
  }

  async create(m: CourseManager, dto: TeamDto): Promise<Team> {
    try {
      return await this.db.tx((em) =>
        em.getRepository(Team).save(em.getRepository(Team).create({ ...dto, city: dto.city.trim(), courseId: m.course.id, createdAt: new Date() })),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field('country', `${teamName(dto)} already has a team in this course.`);
      throw err;
    }
  }

  async update(m: CourseManager, teamId: number, dto: TeamDto): Promise<Team> {
    const team = await this.team(m, teamId);
    try {
      return await this.db.tx((em) => em.getRepository(Team).save(Object.assign(team, dto, { city: dto.city.trim() })));
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field('country', `${teamName(dto)} already has a team in this course.`);
      throw err;
    }
  }

  /** Where invitations into these teams lead: team name and zone, and the workshop (two queries: teams, then their courses from CoursesService). */
  async invitationTargets(teamIds: number[]): Promise<Map<number, TeamPlace>> {
    const ids = [...new Set(teamIds)];
    if (!ids.length) return new Map();
    const teams = await this.db.repo(Team).findBy({ id: In(ids) });
    const courses = await this.courses.briefs(teams.map((t) => t.courseId));
    return new Map(
      teams.flatMap((t) => {
        const course = courses.get(t.courseId);
        return course ? [[t.id, { name: teamName(t), timeZone: t.timeZone, courseId: t.courseId, course }] as const] : [];
      }),
    );
  }

  /** How the team is named in an invitation: "Kenya team in “Workshop”", or undefined when it is gone. */
  async inviteLabel(teamId: number | null): Promise<string | undefined> {
    if (!teamId) return undefined;
    const team = await this.db.repo(Team).findOneBy({ id: teamId });
    const course = team && (await this.courses.briefs([team.courseId])).get(team.courseId);
    return team && course ? `${teamName(team)} team in “${course.title}”` : undefined;
  }

  /** Ids of the teams of these courses (one query). */
  async idsInCourses(courseIds: number[]): Promise<number[]> {
    if (!courseIds.length) return [];
    return (await this.db.repo(Team).find({ where: { courseId: In(courseIds) }, select: { id: true } })).map((t) => t.id);
  }

  /** Adds a person with an account to the team (the invitations module invites anyone else). */
  async addMember(m: CourseManager, teamId: number, dto: NewTeamMember): Promise<{ name: string; email: string }> {
    const team = await this.team(m, teamId);
    const user = await this.users.findByEmail(dto.email);
    if (!user) throw FormInvalidError.field('email', 'No Atelier account uses this address.');
    if (!user.active) throw FormInvalidError.field('email', `${user.name}'s account is deactivated. An administrator can reactivate it.`);
    // Team leaders and members are participants: experts advise teams, facilitators run the workshop.
    if (user.role !== 'participant') {
      throw FormInvalidError.field(
        'email',
        user.role === 'expert'
          ? `${user.name} is an expert on Atelier; team leaders and members are participants. Add experts on the workshop’s People page, then assign them to this team as advisers.`
          : `${user.name} has the ${ROLE_LABELS[user.role].toLowerCase()} role on Atelier; team leaders and members are participants. An administrator can change a person’s role.`,
      );
    }
    await this.db.tx(async (em) => {
      if (await em.getRepository(TeamMember).existsBy({ teamId: team.id, userId: user.id })) {
        throw new AlreadyInTeamError(user.name);
      }
      // One team per workshop, unless a facilitator explicitly allows a second one (recorded).
      const elsewhere = await em
        .getRepository(TeamMember)
        .createQueryBuilder('m')
        .innerJoinAndSelect('m.team', 't')
        .where('m.user_id = :uid AND t.course_id = :cid AND t.id <> :tid', { uid: user.id, cid: m.course.id, tid: team.id })
        .getOne();
      if (elsewhere && !dto.allowOtherTeam) {
        throw FormInvalidError.field(
          'allowOtherTeam',
          `${user.name} is already in the ${teamName(elsewhere.team)} team of this workshop. A person is in one team per workshop; to add them to this team as well, tick “Allow a second team”.`,
        );
      }
      await this.ensureOneLeader(em, team.id, dto.teamRole, null);
      const now = new Date();
      await em.getRepository(TeamMember).save(
        em.getRepository(TeamMember).create({
          teamId: team.id,
          userId: user.id,
          teamRole: dto.teamRole,
          position: dto.position,
          level: dto.level,
          createdAt: now,
          otherTeamAllowedById: elsewhere ? m.user.id : null,
          otherTeamAllowedAt: elsewhere ? now : null,
        }),
      );
    });
    return { name: user.name, email: user.email };
  }

  /**
   * A person who accepted an invitation into a team joins it; as member if someone became leader
   * meanwhile; nothing when the team is gone. Joins an open transaction (the acceptance's).
   */
  async joinByInvitation(teamId: number, userId: number, place: { teamRole: TeamRole | null; position: Position | null; level: Level | null }): Promise<void> {
    await this.db.tx(async (em) => {
      if (!(await em.getRepository(Team).existsBy({ id: teamId }))) return;
      const leaderTaken = place.teamRole === 'leader' && (await em.getRepository(TeamMember).existsBy({ teamId, teamRole: 'leader' }));
      await em.getRepository(TeamMember).save(
        em.getRepository(TeamMember).create({
          teamId,
          userId,
          teamRole: leaderTaken ? 'member' : (place.teamRole ?? 'member'),
          position: place.position ?? 'other',
          level: place.level ?? 'national',
          createdAt: new Date(),
        }),
      );
    });
  }

  async changeMember(m: CourseManager, teamId: number, memberId: number, dto: MemberChangeDto) {
    const team = await this.team(m, teamId);
    return this.db.tx(async (em) => {
      const member = findOrFail(await em.getRepository(TeamMember).findOneBy({ id: memberId, teamId: team.id }));
      await this.ensureOneLeader(em, team.id, dto.teamRole, member.id);
      Object.assign(member, dto);
      await em.getRepository(TeamMember).save(member);
      return { name: await this.nameOf(member.userId), teamRole: member.teamRole, position: member.position, level: member.level };
    });
  }

  async removeMember(m: CourseManager, teamId: number, memberId: number) {
    const team = await this.team(m, teamId);
    return this.db.tx(async (em) => {
      const member = findOrFail(await em.getRepository(TeamMember).findOneBy({ id: memberId, teamId: team.id }));
      await em.getRepository(TeamMember).delete({ id: member.id });
      return { name: await this.nameOf(member.userId) };
    });
  }

  /** Course experts who may be assigned to a team (one query). */
  async courseExperts(courseId: number) {
    const experts = await this.staffOf.experts(courseId);
    return experts.map((e) => ({ value: String(e.id), label: `${e.name} (${e.email})` })).sort((a, b) => a.label.localeCompare(b.label));
  }

  async assignExpert(m: CourseManager, teamId: number, userId: number) {
    const team = await this.team(m, teamId);
    const expert = await this.staffOf.expert(m.course.id, userId);
    if (!expert) throw FormInvalidError.field('userId', 'Choose one of the course’s experts. Add experts to the course on its People page first.');
    return this.db.tx(async (em) => {
      if (await em.getRepository(TeamExpert).existsBy({ teamId: team.id, userId })) throw new AlreadyAdvisesTeamError(expert.name);
      await em.getRepository(TeamExpert).save(em.getRepository(TeamExpert).create({ teamId: team.id, userId, createdAt: new Date() }));
      return expert;
    });
  }

  async unassignExpert(m: CourseManager, teamId: number, assignmentId: number) {
    const team = await this.team(m, teamId);
    return this.db.tx(async (em) => {
      const a = findOrFail(await em.getRepository(TeamExpert).findOneBy({ id: assignmentId, teamId: team.id }));
      await em.getRepository(TeamExpert).delete({ id: a.id });
      return { name: await this.nameOf(a.userId) };
    });
  }

  /** Facilitators and experts of a course (one query). */
  staff(courseId: number) {
    return this.staffOf.staff(courseId);
  }

  addStaff(m: CourseManager, dto: StaffDto) {
    return this.staffOf.add(m, dto);
  }

  /** Removes a facilitator or expert; an expert's team assignments in the course go with the role (one transaction). */
  async removeStaff(m: CourseManager, memberId: number) {
    return this.db.tx(async (em) => {
      const removed = await this.staffOf.remove(m, memberId); // joins this transaction
      if (removed.role === 'expert') {
        const teamIds = (await em.getRepository(Team).find({ where: { courseId: m.course.id }, select: { id: true } })).map((t) => t.id);
        if (teamIds.length) await em.getRepository(TeamExpert).delete({ userId: removed.id, teamId: In(teamIds) });
      }
      return removed;
    });
  }

  /** At most one leader per team: asking for a second one is refused with the current leader's name. */
  private async ensureOneLeader(em: EntityManager, teamId: number, role: TeamRole, exceptMemberId: number | null) {
    if (role !== 'leader') return;
    const leader = await em.getRepository(TeamMember).findOneBy({ teamId, teamRole: 'leader' });
    if (leader && leader.id !== exceptMemberId) {
      throw new TeamHasLeaderError(await this.nameOf(leader.userId));
    }
  }

  // Read API for tasks and submissions

  /** A course's teams, or those of `ids` in it, with their display names (one query). */
  async names(courseId: number, ids?: readonly number[]): Promise<{ id: number; name: string }[]> {
    if (ids && !ids.length) return [];
    type Row = { id: number | string; country: string; city: string };
    const teams = ids
      ? await this.db.rows<Row>`SELECT id, country, city FROM teams WHERE course_id = ${courseId} AND id IN ${[...ids]} ORDER BY id`
      : await this.db.rows<Row>`SELECT id, country, city FROM teams WHERE course_id = ${courseId} ORDER BY id`;
    return teams.map((t) => ({ id: Number(t.id), name: teamName(t) }));
  }

  /** How many of these ids are teams of the course (one query). */
  async countInCourse(courseId: number, ids: readonly number[]): Promise<number> {
    return ids.length ? this.db.repo(Team).countBy({ id: In([...ids]), courseId }) : 0;
  }

  /** The members of these teams, with their names (two queries: the members, then their names from UsersService). */
  async membersOf(teamIds: readonly number[]): Promise<{ teamId: number; userId: number; name: string }[]> {
    if (!teamIds.length) return [];
    const rows = await this.memberIdsOf(teamIds);
    const people = await this.users.people(rows.map((m) => m.userId));
    return rows.map((m) => ({ teamId: m.teamId, userId: m.userId, name: people.get(m.userId)?.name ?? '' }));
  }

  /** Who is in which of these teams, without names (one hand-written query): for counts per team. */
  async memberIdsOf(teamIds: readonly number[]): Promise<{ teamId: number; userId: number }[]> {
    if (!teamIds.length) return [];
    const rows = await this.db.rows<{ teamId: number | string; userId: number | string }>`
      SELECT team_id AS "teamId", user_id AS "userId" FROM team_members WHERE team_id IN ${[...new Set(teamIds)]}`;
    return rows.map((r) => ({ teamId: Number(r.teamId), userId: Number(r.userId) }));
  }

  private async nameOf(userId: number): Promise<string> {
    return findOrFail(await this.users.findById(userId)).name;
  }

  // Read API for submissions

  /** A team of this course by id, as a name (one query), or null. */
  async teamInCourse(courseId: number, teamId: number): Promise<{ id: number; name: string } | null> {
    if (!Number.isSafeInteger(teamId)) return null;
    const [team] = await this.db.rows<{ id: number | string; country: string; city: string }>`
      SELECT id, country, city FROM teams WHERE id = ${teamId} AND course_id = ${courseId}`;
    return team ? { id: Number(team.id), name: teamName(team) } : null;
  }

  /** Names of these teams by id (one query). */
  async teamNames(teamIds: number[]): Promise<Map<number, string>> {
    if (!teamIds.length) return new Map();
    const rows = await this.db.rows<{ id: number; country: string; city: string }>`SELECT id, country, city FROM teams WHERE id IN ${teamIds}`;
    return new Map(rows.map((t) => [Number(t.id), teamName(t)]));
  }

  /** These teams of a course with their names and time zones, by name (one query). */
  async zones(courseId: number, teamIds: readonly number[]): Promise<{ id: number; name: string; timeZone: string }[]> {
    if (!teamIds.length) return [];
    // Hand-written (the homes and the meeting pages ask for it on every view): the columns shown.
    const teams = await this.db.rows<{ id: number | string; country: string; city: string; timeZone: string }>`
      SELECT id, country, city, time_zone AS "timeZone" FROM teams WHERE course_id = ${courseId} AND id IN ${[...teamIds]}`;
    return teams.map((t) => ({ id: Number(t.id), name: teamName(t), timeZone: t.timeZone })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The teams this person advises as an expert, with their course and their members (one query). */
  async advisedTeams(userId: number): Promise<{ teamId: number; courseId: number; memberIds: number[] }[]> {
    const rows = await this.db.rows<{ teamId: number | string; courseId: number | string; userId: number | string | null }>`
      SELECT e.team_id AS "teamId", t.course_id AS "courseId", m.user_id AS "userId"
      FROM team_experts e JOIN teams t ON t.id = e.team_id LEFT JOIN team_members m ON m.team_id = e.team_id
      WHERE e.user_id = ${userId}`;
    const teams = new Map<number, { teamId: number; courseId: number; memberIds: number[] }>();
    for (const r of rows) {
      const teamId = Number(r.teamId);
      let team = teams.get(teamId);
      if (!team) teams.set(teamId, (team = { teamId, courseId: Number(r.courseId), memberIds: [] }));
      if (r.userId !== null) team.memberIds.push(Number(r.userId));
    }
    return [...teams.values()];
  }

  /** The teams these people belong to, with each team's course (one query). */
  async teamsOfPeople(userIds: number[]): Promise<{ userId: number; teamId: number; courseId: number }[]> {
    if (!userIds.length) return [];
    const rows = await this.db.rows<{ userId: number | string; teamId: number | string; courseId: number | string }>`
      SELECT m.user_id AS "userId", m.team_id AS "teamId", t.course_id AS "courseId" FROM team_members m JOIN teams t ON t.id = m.team_id
      WHERE m.user_id IN ${[...new Set(userIds)]}`;
    return rows.map((r) => ({ userId: Number(r.userId), teamId: Number(r.teamId), courseId: Number(r.courseId) }));
  }

  // Read API for notifications

  /** The experts assigned to these teams (one query). */
  async expertsOf(teamIds: readonly number[]): Promise<{ teamId: number; userId: number }[]> {
    if (!teamIds.length) return [];
    const rows = await this.db.rows<{ teamId: number | string; userId: number | string }>`
      SELECT team_id AS "teamId", user_id AS "userId" FROM team_experts WHERE team_id IN ${[...new Set(teamIds)]}`;
    return rows.map((r) => ({ teamId: Number(r.teamId), userId: Number(r.userId) }));
  }

  /** The teams of these courses, with their course (one query). */
  async teamsOfCourses(courseIds: readonly number[]): Promise<{ id: number; courseId: number }[]> {
    if (!courseIds.length) return [];
    const rows = await this.db.rows<{ id: number | string; courseId: number | string }>`
      SELECT id, course_id AS "courseId" FROM teams WHERE course_id IN ${[...new Set(courseIds)]}`;
    return rows.map((r) => ({ id: Number(r.id), courseId: Number(r.courseId) }));
  }
}
