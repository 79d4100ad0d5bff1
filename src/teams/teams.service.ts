import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { FormInvalidError, NotFoundError } from '../common/errors';
import { holdsCourseRole } from '../common/permissions';
import type { CourseViewer } from '../courses/course-access.service';
import { CourseMember } from '../courses/course-member.entity';
import { Database } from '../database/database.service';
import { InvitationsService } from '../invitations/invitations.service';
import { User } from '../users/user.entity';
import { ROLE_LABELS } from '../users/user.view';
import { normalizeEmail } from '../users/users.service';
import type { MemberChangeDto, MemberDto, StaffDto, TeamDto } from './dto/team.dto';
import { Team } from './team.entity';
import { TeamExpert } from './team-expert.entity';
import { TeamMember, type TeamRole } from './team-member.entity';
import { LEVEL_LABELS, POSITION_LABELS, TEAM_ROLE_LABELS, teamName, toTeamView } from './team.view';

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

@Injectable()
export class TeamsService {
  constructor(
    private readonly db: Database,
    private readonly invitations: InvitationsService,
  ) {}

  /** Every team of a course with its leader and member count (three queries whatever the size). */
  async list(courseId: number) {
    const teams = await this.db.repo(Team).find({ where: { courseId } });
    if (!teams.length) return [];
    const ids = teams.map((t) => t.id);
    const [members, experts] = await Promise.all([
      this.db.repo(TeamMember).find({ where: { teamId: In(ids) }, relations: { user: true } }),
      this.db.repo(TeamExpert).find({ where: { teamId: In(ids) }, relations: { user: true } }),
    ]);
    return teams
      .map((t) => {
        const mine = members.filter((m) => m.teamId === t.id);
        return {
          ...toTeamView(t),
          memberCount: mine.length,
          leader: mine.find((m) => m.teamRole === 'leader')?.user.name ?? null,
          experts: experts.filter((e) => e.teamId === t.id).map((e) => e.user.name),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  async team(v: CourseViewer, teamId: number): Promise<Team> {
    const team = Number.isSafeInteger(teamId) ? await this.db.repo(Team).findOneBy({ id: teamId, courseId: v.course.id }) : null;
    if (!team) throw new NotFoundError();
    return team;
  }

  /** The team page: details, members, assigned experts, pending invitations (four queries). */
  async page(v: CourseViewer, team: Team) {
    const [members, experts, pending] = await Promise.all([
      this.db.repo(TeamMember).find({ where: { teamId: team.id }, relations: { user: true, otherTeamAllowedBy: true }, order: { teamRole: 'ASC', createdAt: 'ASC' } }),
      this.db.repo(TeamExpert).find({ where: { teamId: team.id }, relations: { user: true } }),
      v.canManage ? this.invitations.pendingForTeam(team.id) : Promise.resolve([]),
    ]);
    return {
      team: toTeamView(team),
      members: members.map((m) => ({
        id: m.id,
        userId: m.userId,
        name: m.user.name,
        email: m.user.email,
        active: m.user.active,
        teamRole: m.teamRole,
        teamRoleLabel: TEAM_ROLE_LABELS[m.teamRole],
        position: m.position,
        positionLabel: POSITION_LABELS[m.position],
        level: m.level,
        levelLabel: LEVEL_LABELS[m.level],
        timeZone: m.user.timeZone,
        isMe: m.userId === v.user.id,
        // A second team in this workshop, allowed by a facilitator: who and when.
        secondTeam: m.otherTeamAllowedAt ? { by: m.otherTeamAllowedBy?.name ?? 'a former facilitator', at: m.otherTeamAllowedAt } : null,
      })),
      experts: experts.map((e) => ({ id: e.id, userId: e.userId, name: e.user.name, email: e.user.email, timeZone: e.user.timeZone })),
      pending,
    };
  }

  async create(v: CourseViewer, dto: TeamDto): Promise<Team> {
    try {
      return await this.db.tx((em) => em.getRepository(Team).save(em.getRepository(Team).create({ ...dto, city: dto.city.trim(), courseId: v.course.id, createdAt: new Date() })));
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field('country', `${teamName(dto)} already has a team in this course.`);
      throw err;
    }
  }

  async update(v: CourseViewer, teamId: number, dto: TeamDto): Promise<Team> {
    const team = await this.team(v, teamId);
    try {
      return await this.db.tx((em) => em.getRepository(Team).save(Object.assign(team, dto, { city: dto.city.trim() })));
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field('country', `${teamName(dto)} already has a team in this course.`);
      throw err;
    }
  }

  /**
   * Adds a person to the team: an existing account joins at once; anyone else receives an
   * invitation that makes them a member when they accept it.
   */
  async addMember(v: CourseViewer, teamId: number, dto: MemberDto): Promise<{ joined: boolean; name: string; email: string }> {
    const team = await this.team(v, teamId);
    const email = normalizeEmail(dto.email);
    const user = await this.db.repo(User).findOneBy({ email });
    if (!user) {
      await this.invitations.invite(v.user, {
        email,
        role: 'participant',
        message: dto.message,
        team: { teamId: team.id, teamRole: dto.teamRole, position: dto.position, level: dto.level, label: `${teamName(team)} team in “${v.course.title}”` },
      });
      return { joined: false, name: email, email };
    }
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
        throw FormInvalidError.field('email', `${user.name} is already in this team.`);
      }
      // One team per workshop, unless a facilitator explicitly allows a second one (recorded).
      const elsewhere = await em
        .getRepository(TeamMember)
        .createQueryBuilder('m')
        .innerJoinAndSelect('m.team', 't')
        .where('m.user_id = :uid AND t.course_id = :cid AND t.id <> :tid', { uid: user.id, cid: v.course.id, tid: team.id })
        .getOne();
      if (elsewhere && !dto.allowOtherTeam) {
        throw FormInvalidError.field('allowOtherTeam', `${user.name} is already in the ${teamName(elsewhere.team)} team of this workshop. A person is in one team per workshop; to add them to this team as well, tick “Allow a second team”.`);
      }
      await this.ensureOneLeader(em, team.id, dto.teamRole, null);
      const now = new Date();
      await em.getRepository(TeamMember).save(
        em.getRepository(TeamMember).create({
          teamId: team.id, userId: user.id, teamRole: dto.teamRole, position: dto.position, level: dto.level, createdAt: now,
          otherTeamAllowedById: elsewhere ? v.user.id : null,
          otherTeamAllowedAt: elsewhere ? now : null,
        }),
      );
    });
    return { joined: true, name: user.name, email };
  }

  async changeMember(v: CourseViewer, teamId: number, memberId: number, dto: MemberChangeDto) {
    const team = await this.team(v, teamId);
    return this.db.tx(async (em) => {
      const m = await em.getRepository(TeamMember).findOne({ where: { id: memberId, teamId: team.id }, relations: { user: true } });
      if (!m) throw new NotFoundError();
      await this.ensureOneLeader(em, team.id, dto.teamRole, m.id);
      Object.assign(m, dto);
      await em.getRepository(TeamMember).save(m);
      return m;
    });
  }

  async removeMember(v: CourseViewer, teamId: number, memberId: number) {
    const team = await this.team(v, teamId);
    return this.db.tx(async (em) => {
      const m = await em.getRepository(TeamMember).findOne({ where: { id: memberId, teamId: team.id }, relations: { user: true } });
      if (!m) throw new NotFoundError();
      await em.getRepository(TeamMember).delete({ id: m.id });
      return m;
    });
  }

  /** Course experts who may be assigned to a team (one query). */
  async courseExperts(courseId: number) {
    const rows = (await this.db.repo(CourseMember).find({ where: { courseId, role: 'expert' }, relations: { user: true } })).filter((r) => holdsCourseRole(r.user.role, r.role));
    return rows.map((r) => ({ value: String(r.userId), label: `${r.user.name} (${r.user.email})` })).sort((a, b) => a.label.localeCompare(b.label));
  }

  async assignExpert(v: CourseViewer, teamId: number, userId: number) {
    const team = await this.team(v, teamId);
    return this.db.tx(async (em) => {
      const staff = await em.getRepository(CourseMember).findOne({ where: { courseId: v.course.id, userId, role: 'expert' }, relations: { user: true } });
      if (!staff || !holdsCourseRole(staff.user.role, staff.role)) throw FormInvalidError.field('userId', 'Choose one of the course’s experts. Add experts to the course on its People page first.');
      if (await em.getRepository(TeamExpert).existsBy({ teamId: team.id, userId })) throw FormInvalidError.field('userId', `${staff.user.name} already advises this team.`);
      await em.getRepository(TeamExpert).save(em.getRepository(TeamExpert).create({ teamId: team.id, userId, createdAt: new Date() }));
      return staff.user;
    });
  }

  async unassignExpert(v: CourseViewer, teamId: number, assignmentId: number) {
    const team = await this.team(v, teamId);
    return this.db.tx(async (em) => {
      const a = await em.getRepository(TeamExpert).findOne({ where: { id: assignmentId, teamId: team.id }, relations: { user: true } });
      if (!a) throw new NotFoundError();
      await em.getRepository(TeamExpert).delete({ id: a.id });
      return a.user;
    });
  }

  /** Facilitators and experts of a course (one query). */
  async staff(courseId: number) {
    const rows = await this.db.repo(CourseMember).find({ where: { courseId }, relations: { user: true }, order: { role: 'ASC', createdAt: 'ASC' } });
    return rows.map((r) => ({
      id: r.id, userId: r.userId, role: r.role, roleLabel: r.role === 'facilitator' ? 'Facilitator' : 'Expert', name: r.user.name, email: r.user.email, timeZone: r.user.timeZone,
      // Kept but not in effect while their site role does not allow it (see COURSE_ROLE_NEEDS).
      onHold: holdsCourseRole(r.user.role, r.role) ? null : ROLE_LABELS[r.user.role].toLowerCase(),
    }));
  }

  async addStaff(v: CourseViewer, dto: StaffDto) {
    const user = await this.db.repo(User).findOneBy({ email: normalizeEmail(dto.email) });
    if (!user) throw FormInvalidError.field('email', 'No Atelier account uses this address. Invite the person first (Invitations), then add them here.');
    if (!user.active) throw FormInvalidError.field('email', `${user.name}'s account is deactivated.`);
    if (!holdsCourseRole(user.role, dto.role)) {
      throw FormInvalidError.field('role', `${user.name} is ${ROLE_LABELS[user.role].toLowerCase()} on Atelier; only ${dto.role === 'facilitator' ? 'facilitators' : 'experts and facilitators'} can be added as ${dto.role}. An administrator can change their role.`);
    }
    try {
      await this.db.tx((em) => em.getRepository(CourseMember).save(em.getRepository(CourseMember).create({ courseId: v.course.id, userId: user.id, role: dto.role, createdAt: new Date() })));
    } catch (err) {
      if (isUniqueViolation(err)) throw FormInvalidError.field('email', `${user.name} is already part of this course.`);
      throw err;
    }
    return user;
  }

  async removeStaff(v: CourseViewer, memberId: number) {
    return this.db.tx(async (em) => {
      const m = await em.getRepository(CourseMember).findOne({ where: { id: memberId, courseId: v.course.id }, relations: { user: true } });
      if (!m) throw new NotFoundError();
      if (m.role === 'facilitator' && (await em.getRepository(CourseMember).countBy({ courseId: v.course.id, role: 'facilitator' })) <= 1) {
        throw FormInvalidError.field('_form', 'A course needs at least one facilitator. Add another facilitator before removing this one.');
      }
      await em.getRepository(CourseMember).delete({ id: m.id });
      if (m.role === 'expert') {
        const teamIds = (await em.getRepository(Team).find({ where: { courseId: v.course.id }, select: { id: true } })).map((t) => t.id);
        if (teamIds.length) await em.getRepository(TeamExpert).delete({ userId: m.userId, teamId: In(teamIds) });
      }
      return m.user;
    });
  }

  /** At most one leader per team: asking for a second one is refused with the current leader's name. */
  private async ensureOneLeader(em: EntityManager, teamId: number, role: TeamRole, exceptMemberId: number | null) {
    if (role !== 'leader') return;
    const leader = await em.getRepository(TeamMember).findOne({ where: { teamId, teamRole: 'leader' }, relations: { user: true } });
    if (leader && leader.id !== exceptMemberId) {
      throw FormInvalidError.field('teamRole', `${leader.user.name} already leads this team. Make them a member first; a team has one leader.`);
    }
  }

  // Read API for submissions

  /** A team of this course by id, as a name (one query), or null. */
  async teamInCourse(courseId: number, teamId: number): Promise<{ id: number; name: string } | null> {
    const team = Number.isSafeInteger(teamId) ? await this.db.repo(Team).findOneBy({ id: teamId, courseId }) : null;
    return team ? { id: team.id, name: teamName(team) } : null;
  }

  /** Names of these teams by id (one query). */
  async teamNames(teamIds: number[]): Promise<Map<number, string>> {
    if (!teamIds.length) return new Map();
    return new Map((await this.db.repo(Team).findBy({ id: In(teamIds) })).map((t) => [t.id, teamName(t)]));
  }

  /** The teams this person advises as an expert, with their course (one query). */
  async advisedTeams(userId: number): Promise<{ teamId: number; courseId: number }[]> {
    const rows = await this.db.repo(TeamExpert).createQueryBuilder('e').innerJoinAndSelect('e.team', 't').where('e.user_id = :userId', { userId }).getMany();
    return rows.map((e) => ({ teamId: e.teamId, courseId: e.team.courseId }));
  }

  /** The teams these people belong to, with each team's course (one query). */
  async teamsOfPeople(userIds: number[]): Promise<{ userId: number; teamId: number; courseId: number }[]> {
    if (!userIds.length) return [];
    const rows = await this.db.repo(TeamMember).find({ where: { userId: In(userIds) }, relations: { team: true } });
    return rows.map((m) => ({ userId: m.userId, teamId: m.teamId, courseId: m.team.courseId }));
  }
}
