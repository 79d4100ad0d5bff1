import { Global, Injectable, Module } from '@nestjs/common';
import { Database } from '../database/database.service';
import { TeamMemberships } from '../courses/team-memberships';
import type { TeamRole } from '../common/roles';
import { Team } from './team.entity';
import { TeamExpert } from './team-expert.entity';
import { TeamMember } from './team-member.entity';
import { teamName } from './team.view';

/** The teams module's answer to what courses need to know about team membership (one query each). */
@Injectable()
export class TeamMembershipsReader extends TeamMemberships {
  constructor(private readonly db: Database) {
    super();
  }

  async inCourse(userId: number, courseId: number): Promise<{ teamId: number; teamRole: TeamRole }[]> {
    const rows = await this.db
      .repo(TeamMember)
      .createQueryBuilder('m')
      .innerJoin(Team, 't', 't.id = m.team_id')
      .where('m.user_id = :uid AND t.course_id = :cid', { uid: userId, cid: courseId })
      .select(['m.teamId', 'm.teamRole'])
      .getMany();
    return rows.map((r) => ({ teamId: r.teamId, teamRole: r.teamRole }));
  }

  async advisedInCourse(userId: number, courseId: number): Promise<number[]> {
    const rows = await this.db
      .repo(TeamExpert)
      .createQueryBuilder('e')
      .innerJoin(Team, 't', 't.id = e.team_id')
      .where('e.user_id = :uid AND t.course_id = :cid', { uid: userId, cid: courseId })
      .select(['e.teamId'])
      .getMany();
    return rows.map((r) => r.teamId);
  }

  async ofPerson(userId: number): Promise<{ courseId: number; teamId: number; teamName: string; teamRole: TeamRole }[]> {
    const rows = await this.db.repo(TeamMember).find({ where: { userId }, relations: { team: true } });
    return rows.map((m) => ({ courseId: m.team.courseId, teamId: m.teamId, teamName: teamName(m.team), teamRole: m.teamRole }));
  }
}

/**
 * Provides TeamMemberships app-wide. Global because the courses module, which the teams module
 * builds on, needs it: a module import would be a cycle; this is the dependency turned around.
 */
@Global()
@Module({ providers: [{ provide: TeamMemberships, useClass: TeamMembershipsReader }], exports: [TeamMemberships] })
export class TeamMembershipsModule {}
