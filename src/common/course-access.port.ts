import type { CourseStanding } from './permissions';

/**
 * How the access guard learns what a person is in a course, without `common` knowing courses:
 * the courses module provides it (CourseAccessService). `resolve` answers 404 (NotFoundError)
 * for a course the person may not see at all.
 */
export interface CourseAccessPort {
  resolve(user: Express.User, courseId: number): Promise<CourseStanding>;
}

export const COURSE_ACCESS = Symbol('COURSE_ACCESS');

declare module 'express-serve-static-core' {
  interface Request {
    /** What the signed-in person is in the course of this route, set by the access guard. */
    courseStanding?: CourseStanding;
  }
}
