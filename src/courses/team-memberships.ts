import type { TeamRole } from '../common/roles';

/**
 * What the courses module needs to know about country teams to decide who is in a course,
 * without reading the teams module's tables: the teams module provides it
 * (`teams/team-memberships.provider.ts`), courses only declare the need.
 */
export abstract class TeamMemberships {
  /** The person's teams in this course, with their role in each. */
  abstract inCourse(userId: number, courseId: number): Promise<{ teamId: number; teamRole: TeamRole }[]>;
  /**
   * The person's places in this course's teams, in one look-up: their role in each team they are
   * in (null where they only advise it) and whether they are assigned to it as an expert.
   */
  abstract placesInCourse(userId: number, courseId: number): Promise<{ teamId: number; teamRole: TeamRole | null; advises: boolean }[]>;
  /** Every team the person belongs to, in any course: course id, team name and role. */
  abstract ofPerson(userId: number): Promise<{ courseId: number; teamId: number; teamName: string; teamRole: TeamRole }[]>;
}
