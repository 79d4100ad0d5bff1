/**
 * The roles Atelier knows, as plain names. Entities and the permission tables import them from
 * here, so `common` never depends on a feature module.
 */

/** A person's role on the site (users.role). */
export const SITE_ROLES = ['admin', 'facilitator', 'expert', 'participant'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

/** A staff role someone holds in one course (course_members.role). */
export const COURSE_ROLES = ['facilitator', 'expert'] as const;
export type CourseRole = (typeof COURSE_ROLES)[number];

/** A person's role in one country team (team_members.team_role). */
export const TEAM_ROLES = ['leader', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/**
 * What a person is in one course, as the course permission table reads it:
 * - manager: an admin, or a facilitator of the course;
 * - expert: an expert of the course (advising the teams assigned to them);
 * - leader / member: in one of the course's country teams.
 * One person can hold several (a leader of one team and a member of another).
 */
export const COURSE_ACCESS_ROLES = ['manager', 'expert', 'leader', 'member'] as const;
export type CourseAccessRole = (typeof COURSE_ACCESS_ROLES)[number];
