import { Injectable } from '@nestjs/common';

import { findOrFail, NotFoundError } from '../common/errors';
import type { CourseAccessPort } from '../common/course-access.port';
import { canSeeTeam, courseCan, courseRoles, holdsCourseRole, type CoursePermission, type CourseStanding } from '../common/permissions';
import { Database } from '../database/database.service';
import type { SessionUser } from '../users/user.view';
import { Course } from './course.entity';
import { CourseMember } from './course-member.entity';
import { TeamMemberships } from './team-memberships';

/**
 * What one person is in one course. Built by the access guard for every course route (a constant
 * number of queries) and handed to the handler with `@Viewer()`; services decide from it.
 */
export interface CourseViewer extends CourseStanding {
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

declare const managerBrand: unique symbol;
/**
 * A viewer who manages the course. Only `@Manager()` (after the guard) makes one, so a service
 * method that changes a course's set-up and takes a `CourseManager` cannot be reached without
 * the check: passing a plain `CourseViewer` does not compile.
 */
export type CourseManager = CourseViewer & { readonly canManage: true; readonly [managerBrand]: true };

/** May this viewer use something that needs this course permission? */
export function viewerCan(v: CourseViewer, permission: CoursePermission): boolean {
  return courseCan(v.roles, permission);
}

/** May this person see this team's private pages? Others get 404. (The one rule: common/permissions.) */
export function viewerSeesTeam(v: CourseViewer, teamId: number): boolean {
  return canSeeTeam(v, teamId);
}

@Injectable()
export class CourseAccessService implements CourseAccessPort {
  constructor(
    private readonly db: Database,
    private readonly teams: TeamMemberships,
  ) {}

  resolve(user: SessionUser, courseId: number): Promise<CourseViewer> {
    return this.viewer(user, courseId);
  }

  /** The course as this person may see it, or 404. */
  async viewer(user: SessionUser, courseId: number): Promise<CourseViewer> {
    const course = findOrFail(Number.isSafeInteger(courseId) ? await this.db.repo(Course).findOneBy({ id: courseId }) : null);
    const [membership, places] = await Promise.all([
      this.db.repo(CourseMember).findOneBy({ courseId, userId: user.id }),
      this.teams.placesInCourse(user.id, courseId),
    ]);
    const teamRows = places.filter((p) => p.teamRole !== null);
    const advised = places.filter((p) => p.advises).map((p) => p.teamId);
    // A course role counts only while the site role allows it (a demotion takes effect at once).
    const courseRole = membership && holdsCourseRole(user.role, membership.role) ? membership.role : null;
    const canManage = user.role === 'admin' || courseRole === 'facilitator';
    const isExpert = courseRole === 'expert';
    const memberTeamIds = teamRows.map((r) => r.teamId);
    if (!canManage) {
      const belongs = isExpert || memberTeamIds.length > 0;
      if (!belongs || course.status !== 'published') throw new NotFoundError();
    }
    const leaderTeamIds = teamRows.filter((r) => r.teamRole === 'leader').map((r) => r.teamId);
    return {
      user,
      course,
      canManage,
      isExpert,
      memberTeamIds,
      leaderTeamIds,
      expertTeamIds: isExpert ? advised : [],
      roles: courseRoles({ canManage, isExpert, memberTeamIds, leaderTeamIds }),
    };
  }

  /** Ids of the courses a person may open, for the course list (one query each way). */
  async courseIdsFor(user: SessionUser): Promise<{ managed: number[]; member: number[] }> {
    if (user.role === 'admin') return { managed: (await this.db.repo(Course).find({ select: { id: true } })).map((c) => c.id), member: [] };
    const [staff, teams] = await Promise.all([this.db.repo(CourseMember).findBy({ userId: user.id }), this.teams.ofPerson(user.id)]);
    const held = staff.filter((s) => holdsCourseRole(user.role, s.role));
    const managed = held.filter((s) => s.role === 'facilitator').map((s) => s.courseId);
    const member = [...new Set([...held.filter((s) => s.role === 'expert').map((s) => s.courseId), ...teams.map((t) => t.courseId)])].filter(
      (id) => !managed.includes(id),
    );
    return { managed, member };
  }
}
