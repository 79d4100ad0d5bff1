import type { CourseRole } from '../common/roles';

/**
 * What the users admin page needs to know about course staff, without reading the courses
 * module's tables: the courses module provides it (`courses/course-staff.service.ts`), users only
 * declare the need.
 */
export abstract class CourseRoleCounts {
  /** In how many workshops the person is a facilitator or an expert (whether or not their site role lets that work now). */
  abstract countsOf(userId: number): Promise<Record<CourseRole, number>>;
}
