import type { CourseRole } from '../courses/course-member.entity';
import type { SiteRole } from '../users/user.entity';

/**
 * What each site role may do: the one table the access guard consults. Object-level rules
 * (is this *your* team's draft?) live in the services and answer 404.
 */
export const PERMISSIONS = ['users.manage', 'invitations.manage', 'courses.create', 'reviews.queue'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<SiteRole, readonly Permission[]>> = {
  admin: ['users.manage', 'invitations.manage', 'courses.create', 'reviews.queue'],
  facilitator: ['invitations.manage', 'courses.create', 'reviews.queue'],
  expert: ['reviews.queue'],
  participant: [],
};

/** Which site roles someone with a given role may hand out in an invitation. */
export const GRANTABLE_ROLES: Readonly<Record<SiteRole, readonly SiteRole[]>> = {
  admin: ['admin', 'facilitator', 'expert', 'participant'],
  facilitator: ['expert', 'participant'],
  expert: [],
  participant: [],
};

export function can(role: SiteRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

export function mayGrant(inviterRole: SiteRole, role: SiteRole): boolean {
  return GRANTABLE_ROLES[inviterRole]?.includes(role) ?? false;
}

/**
 * Which site roles a course role needs. A course role works only while the person holds one of
 * these: checked at every request, so a demotion takes effect at once and restoring the site role
 * restores the course roles (the memberships themselves are kept).
 */
export const COURSE_ROLE_NEEDS: Readonly<Record<CourseRole, readonly SiteRole[]>> = {
  facilitator: ['admin', 'facilitator'],
  expert: ['admin', 'facilitator', 'expert'],
};

export function holdsCourseRole(siteRole: SiteRole, courseRole: CourseRole): boolean {
  return COURSE_ROLE_NEEDS[courseRole]?.includes(siteRole) ?? false;
}
