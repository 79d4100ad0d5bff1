import { Injectable } from '@nestjs/common';

import { findOrFail, NotFoundError } from '../common/errors';
import type { CourseAccessPort } from '../common/course-access.port';
import { canSeeTeam, courseCan, courseRoles, holdsCourseRole, type CoursePermission, type CourseStanding } from '../common/permissions';
import type { CourseRole } from '../common/roles';
import { Database } from '../database/database.service';
import { rawDate } from '../database/raw-values';
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

/** A course's row as the viewer's read returns it (raw driver values), with the person's course role. */
type CourseRow = Omit<Course, 'id' | 'edition' | 'createdById' | 'createdAt' | 'updatedAt' | 'version'> & {
  id: number | string;
  edition: number | string | null;
  createdById: number | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
  version: number | string;
  memberRole: CourseRole | null;
};

/** The Course entity's shape from a raw row (every column: handlers and views use the viewer's course as they would the entity). */
function toCourse(r: CourseRow): Course {
  return Object.assign(new Course(), {
    id: Number(r.id),
    title: r.title,
    series: r.series,
    edition: r.edition === null ? null : Number(r.edition),
    summary: r.summary,
    organisers: r.organisers,
    venueCampus: r.venueCampus,
    venueCity: r.venueCity,
    venueCountry: r.venueCountry,
    timeZone: r.timeZone,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    participation: r.participation,
    workingLanguage: r.workingLanguage,
    interpretationLanguages: r.interpretationLanguages,
    status: r.status,
    createdById: r.createdById === null ? null : Number(r.createdById),
    createdAt: rawDate(r.createdAt),
    updatedAt: rawDate(r.updatedAt),
    version: Number(r.version),
  });
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

  /**
   * The course as this person may see it, or 404. Every course page pays this, so it is two
   * hand-written reads made together (the course with the person's course role; their places in
   * its teams), never remembered between requests: a removed member loses access at once.
   */
  async viewer(user: SessionUser, courseId: number): Promise<CourseViewer> {
    if (!Number.isSafeInteger(courseId)) throw new NotFoundError();
    const [rows, places] = await Promise.all([
      this.db.rows<CourseRow>`
        SELECT c.id, c.title, c.series, c.edition, c.summary, c.organisers, c.venue_campus AS "venueCampus", c.venue_city AS "venueCity",
          c.venue_country AS "venueCountry", c.time_zone AS "timeZone", CAST(c.starts_on AS TEXT) AS "startsOn", CAST(c.ends_on AS TEXT) AS "endsOn",
          c.participation, c.working_language AS "workingLanguage", c.interpretation_languages AS "interpretationLanguages", c.status,
          c.created_by_id AS "createdById", c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.version,
          (SELECT m.role FROM course_members m WHERE m.course_id = c.id AND m.user_id = ${user.id}) AS "memberRole"
        FROM courses c WHERE c.id = ${courseId}`,
      this.teams.placesInCourse(user.id, courseId),
    ]);
    const course = toCourse(findOrFail(rows[0]));
    const membershipRole = rows[0].memberRole;
    const teamRows = places.filter((p) => p.teamRole !== null);
    const advised = places.filter((p) => p.advises).map((p) => p.teamId);
    // A course role counts only while the site role allows it (a demotion takes effect at once).
    const courseRole = membershipRole && holdsCourseRole(user.role, membershipRole) ? membershipRole : null;
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
