import type { CourseAccessRole, CourseRole, SiteRole } from './roles';

/**
 * What each site role may do: the one table the access guard consults. Object-level rules
 * (is this *your* team's draft?) live in the services and answer 404.
 */
export const PERMISSIONS = [
  'users.manage',
  'invitations.manage',
  'courses.create',
  'reviews.queue',
  /** The site-wide audit log (a facilitator sees their courses' through the course permission 'course.audit'). */
  'audit.view',
  /** The e-mail outbox: what failed, and sending it again. */
  'outbox.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<SiteRole, readonly Permission[]>> = {
  admin: ['users.manage', 'invitations.manage', 'courses.create', 'reviews.queue', 'audit.view', 'outbox.manage'],
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

/**
 * What each role *in a course* may do: the table the access guard consults for every course
 * route (`@InCourse(permission)`). A route answers 404 to anyone whose course roles lack its
 * permission. Rules about one object (is this *your* team's draft, an expert's *own* teams?) stay
 * in the services, and the one rule for seeing a team's private work is `canSeeTeam` below.
 */
export const COURSE_PERMISSIONS = [
  /** The course pages: home, programme, tasks, teams, resources, gallery, a submission one may see. */
  'course.view',
  /** Set-up: the workshop's details, status, phases and programme. */
  'course.manage',
  /** Country teams, their members and experts, the course's people. */
  'teams.manage',
  /** The resource library: add, edit, remove. */
  'resources.manage',
  /** Tasks: create, edit, publish, order; every team's work as one ZIP. */
  'tasks.manage',
  /** A task's overview of every team's (an expert: their teams') status. */
  'work.overview',
  /** Write and release feedback (an expert: on their teams' work). */
  'work.review',
  /** Edit a draft, attach files, submit and share it (a team's for its members, one's own for individual tasks). */
  'work.edit',
  /** Talk about a submission in its discussion. */
  'work.discuss',
  /** Reopen accepted work, grant extensions. */
  'work.manage',
  /** The course's audit log: who did what and when in it. */
  'course.audit',
  /** The course dashboard: every team's work per task, the review queue, meetings, quiet teams (an expert: their teams). */
  'course.dashboard',
  /** Publish one's availability for meetings with the course's teams (an expert of the course). */
  'meetings.offer',
  /** The course's meetings one takes part in (a manager: all of them), a page per meeting and its .ics. */
  'meetings.view',
  /** Book a meeting with an expert from their free slots for the team one leads. */
  'meetings.book',
  /**
   * Reschedule or cancel a meeting, with a reason. Which meetings is the service's rule: a manager
   * any of the course's, a host their own, a team leader their team's consultations.
   */
  'meetings.change',
  /** Schedule peer exchanges and plenaries for the course's teams; the slot finder; people's working hours. */
  'meetings.schedule',
  /** Record a meeting's attendance and notes, turn action items into tasks (a manager; an expert for meetings they host). */
  'meetings.record',
  /** The course report for the organisers: participation, work, reviews, meetings; its CSV tables and printable summary. */
  'course.report',
] as const;
export type CoursePermission = (typeof COURSE_PERMISSIONS)[number];

export const COURSE_ROLE_PERMISSIONS: Readonly<Record<CourseAccessRole, readonly CoursePermission[]>> = {
  manager: COURSE_PERMISSIONS,
  expert: [
    'course.view',
    'course.dashboard',
    'work.overview',
    'work.review',
    'work.discuss',
    'meetings.offer',
    'meetings.view',
    'meetings.change',
    'meetings.record',
  ],
  leader: ['course.view', 'work.edit', 'work.discuss', 'meetings.view', 'meetings.book', 'meetings.change'],
  member: ['course.view', 'work.edit', 'work.discuss', 'meetings.view'],
};

/** May someone holding these course roles use a route that needs this permission? */
export function courseCan(roles: readonly CourseAccessRole[], permission: CoursePermission): boolean {
  return roles.some((r) => COURSE_ROLE_PERMISSIONS[r]?.includes(permission));
}

/** What a person is in one course, as far as the permission rules need to know. */
export interface CourseStanding {
  roles: readonly CourseAccessRole[];
  memberTeamIds: readonly number[];
  leaderTeamIds: readonly number[];
  expertTeamIds: readonly number[];
}

/** The course roles that follow from someone's place in a course. */
export function courseRoles(s: {
  canManage: boolean;
  isExpert: boolean;
  memberTeamIds: readonly number[];
  leaderTeamIds: readonly number[];
}): CourseAccessRole[] {
  const roles: CourseAccessRole[] = [];
  if (s.canManage) roles.push('manager');
  if (s.isExpert) roles.push('expert');
  if (s.leaderTeamIds.length) roles.push('leader');
  if (s.memberTeamIds.some((id) => !s.leaderTeamIds.includes(id))) roles.push('member');
  return roles;
}

/**
 * The one visibility rule for a team's private work (drafts, unshared versions, discussions,
 * reviews): the course's managers, the team's members and the experts assigned to the team.
 * Everyone else gets 404.
 */
export function canSeeTeam(s: CourseStanding, teamId: number): boolean {
  return s.roles.includes('manager') || isOwnTeam(s, teamId);
}

/** A team the person is in or advises as an expert: theirs to follow, whatever else they may manage. */
export function isOwnTeam(s: Pick<CourseStanding, 'memberTeamIds' | 'expertTeamIds'>, teamId: number): boolean {
  return s.memberTeamIds.includes(teamId) || s.expertTeamIds.includes(teamId);
}
