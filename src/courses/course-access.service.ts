import { Injectable } from '@nestjs/common';

import { NotFoundError } from '../common/errors';
import { holdsCourseRole } from '../common/permissions';
import { Database } from '../database/database.service';
import { Team } from '../teams/team.entity';
import { TeamExpert } from '../teams/team-expert.entity';
import { TeamMember } from '../teams/team-member.entity';
import type { SessionUser } from '../users/user.view';
import { Course } from './course.entity';
import { CourseMember } from './course-member.entity';

/**
 * What one person is in one course. Built with a constant number of queries and passed to the
 * services, which decide from it; anything a person may not see answers 404.
 */
export interface CourseViewer {
  user: SessionUser;
  course: Course;
  /** Admin, or facilitator of this course: sees and changes everything in it. */
  canManage: boolean;
  isExpert: boolean;
  /** Teams the person belongs to, and those they advise as an expert. */
  memberTeamIds: number[];
  leaderTeamIds: number[];
  expertTeamIds: number[];
}

@Injectable()
export class CourseAccessService {
  constructor(private readonly db: Database) {}

  /** The course as this person may see it, or 404. */
  async viewer(user: SessionUser, courseId: number): Promise<CourseViewer> {
    const course = Number.isSafeInteger(courseId) ? await this.db.repo(Course).findOneBy({ id: courseId }) : null;
    if (!course) throw new NotFoundError();
    const [membership, teamRows, expertRows] = await Promise.all([
      this.db.repo(CourseMember).findOneBy({ courseId, userId: user.id }),
      this.db
        .repo(TeamMember)
        .createQueryBuilder('m')
        .innerJoin(Team, 't', 't.id = m.team_id')
        .where('m.user_id = :uid AND t.course_id = :cid', { uid: user.id, cid: courseId })
        .select(['m.teamId', 'm.teamRole'])
        .getMany(),
      this.db
        .repo(TeamExpert)
        .createQueryBuilder('e')
        .innerJoin(Team, 't', 't.id = e.team_id')
        .where('e.user_id = :uid AND t.course_id = :cid', { uid: user.id, cid: courseId })
        .select(['e.teamId'])
        .getMany(),
    ]);
    // A course role counts only while the site role allows it (a demotion takes effect at once).
    const courseRole = membership && holdsCourseRole(user.role, membership.role) ? membership.role : null;
    const canManage = user.role === 'admin' || courseRole === 'facilitator';
    const isExpert = courseRole === 'expert';
    const memberTeamIds = teamRows.map((r) => r.teamId);
    if (!canManage) {
      const belongs = isExpert || memberTeamIds.length > 0;
      if (!belongs || course.status !== 'published') throw new NotFoundError();
    }
    return {
      user,
      course,
      canManage,
      isExpert,
      memberTeamIds,
      leaderTeamIds: teamRows.filter((r) => r.teamRole === 'leader').map((r) => r.teamId),
      expertTeamIds: isExpert ? expertRows.map((r) => r.teamId) : [],
    };
  }

  async manager(user: SessionUser, courseId: number): Promise<CourseViewer> {
    const v = await this.viewer(user, courseId);
    if (!v.canManage) throw new NotFoundError();
    return v;
  }

  /** May this person see this team's private pages? Others get 404. */
  canSeeTeam(v: CourseViewer, teamId: number): boolean {
    return v.canManage || v.memberTeamIds.includes(teamId) || v.expertTeamIds.includes(teamId);
  }

  /** Ids of the courses a person may open, for the course list (one query each way). */
  async courseIdsFor(user: SessionUser): Promise<{ managed: number[]; member: number[] }> {
    if (user.role === 'admin') return { managed: (await this.db.repo(Course).find({ select: { id: true } })).map((c) => c.id), member: [] };
    const [staff, teams] = await Promise.all([
      this.db.repo(CourseMember).findBy({ userId: user.id }),
      this.db.repo(TeamMember).createQueryBuilder('m').innerJoin(Team, 't', 't.id = m.team_id').where('m.user_id = :uid', { uid: user.id }).select('t.course_id', 'courseId').getRawMany<{ courseId: number }>(),
    ]);
    const held = staff.filter((s) => holdsCourseRole(user.role, s.role));
    const managed = held.filter((s) => s.role === 'facilitator').map((s) => s.courseId);
    const member = [...new Set([...held.filter((s) => s.role === 'expert').map((s) => s.courseId), ...teams.map((t) => Number(t.courseId))])].filter((id) => !managed.includes(id));
    return { managed, member };
  }
}

