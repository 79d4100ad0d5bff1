import { Global, Injectable, Module } from '@nestjs/common';
import { Database } from '../database/database.service';
import { TeamMemberships } from '../courses/team-memberships';
import type { TeamRole } from '../common/roles';
import { teamName } from './team.view';

/** The teams module's answer to what courses need to know about team membership (one query each). */
@Injectable()
export class TeamMembershipsReader extends TeamMemberships {
  constructor(private readonly db: Database) {
    super();
  }

  async inCourse(userId: number, courseId: number): Promise<{ teamId: number; teamRole: TeamRole }[]> {
    const rows = await this.db.rows<{ teamId: number | string; teamRole: TeamRole }>`
      SELECT m.team_id AS "teamId", m.team_role AS "teamRole" FROM team_members m JOIN teams t ON t.id = m.team_id
      WHERE m.user_id = ${userId} AND t.course_id = ${courseId} ORDER BY m.id`;
    return rows.map((r) => ({ teamId: Number(r.teamId), teamRole: r.teamRole }));
  }

  /** Read by every course page (the access check): hand-written, the three columns used. */
  async placesInCourse(userId: number, courseId: number): Promise<{ teamId: number; teamRole: TeamRole | null; advises: boolean }[]> {
    const rows = await this.db.rows<{ teamId: number | string; teamRole: TeamRole | null; expertId: number | string | null }>`
      SELECT t.id AS "teamId", m.team_role AS "teamRole", e.id AS "expertId" FROM teams t
      LEFT JOIN team_members m ON m.team_id = t.id AND m.user_id = ${userId}
      LEFT JOIN team_experts e ON e.team_id = t.id AND e.user_id = ${userId}
      WHERE t.course_id = ${courseId} AND (m.id IS NOT NULL OR e.id IS NOT NULL)`;
    return rows.map((r) => ({ teamId: Number(r.teamId), teamRole: r.teamRole ?? null, advises: r.expertId !== null && r.expertId !== undefined }));
  }

  async ofPerson(userId: number): Promise<{ courseId: number; teamId: number; teamName: string; teamRole: TeamRole }[]> {
    // Hand-written (decision 54): every home and the workshop list ask it; a repository read with the relation cost ~0.3 ms of query building.
    const rows = await this.db.rows<{ courseId: number | string; teamId: number | string; country: string; city: string; teamRole: TeamRole }>`
      SELECT t.course_id AS "courseId", m.team_id AS "teamId", t.country, t.city, m.team_role AS "teamRole"
      FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ${userId} ORDER BY m.id`;
    return rows.map((r) => ({ courseId: Number(r.courseId), teamId: Number(r.teamId), teamName: teamName(r), teamRole: r.teamRole }));
  }
}

/**
 * Provides TeamMemberships app-wide. Global because the courses module, which the teams module
 * builds on, needs it: a module import would be a cycle; this is the dependency turned around.
 */
@Global()
@Module({ providers: [{ provide: TeamMemberships, useClass: TeamMembershipsReader }], exports: [TeamMemberships] })
export class TeamMembershipsModule {}
