import { SITE_ROLES } from '../users/user.entity';
import {
  can,
  canSeeTeam,
  COURSE_PERMISSIONS,
  COURSE_ROLE_PERMISSIONS,
  courseCan,
  courseRoles,
  type CourseStanding,
  GRANTABLE_ROLES,
  holdsCourseRole,
  mayGrant,
  PERMISSIONS,
  ROLE_PERMISSIONS,
} from './permissions';
import { COURSE_ACCESS_ROLES } from './roles';

describe('permission table', () => {
  it.each([
    ['admin', 'users.manage', true],
    ['admin', 'invitations.manage', true],
    ['facilitator', 'users.manage', false],
    ['facilitator', 'invitations.manage', true],
    ['expert', 'users.manage', false],
    ['expert', 'invitations.manage', false],
    ['participant', 'users.manage', false],
    ['participant', 'invitations.manage', false],
    ['admin', 'courses.create', true],
    ['facilitator', 'courses.create', true],
    ['expert', 'courses.create', false],
    ['participant', 'courses.create', false],
    ['expert', 'reviews.queue', true],
    ['participant', 'reviews.queue', false],
  ] as const)('%s may %s: %s', (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  it('gives every role an entry and names only known permissions', () => {
    for (const role of SITE_ROLES) {
      expect(ROLE_PERMISSIONS[role]).toBeDefined();
      for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
    }
  });

  it.each([
    ['admin', 'admin', true],
    ['admin', 'participant', true],
    ['facilitator', 'admin', false],
    ['facilitator', 'facilitator', false],
    ['facilitator', 'expert', true],
    ['facilitator', 'participant', true],
    ['expert', 'participant', false],
    ['participant', 'participant', false],
  ] as const)('%s may invite a %s: %s', (inviter, role, expected) => {
    expect(mayGrant(inviter, role)).toBe(expected);
  });

  it('lets only those who manage invitations grant any role', () => {
    for (const role of SITE_ROLES) {
      if (GRANTABLE_ROLES[role].length > 0) expect(can(role, 'invitations.manage')).toBe(true);
    }
  });

  it('denies an unknown role', () => {
    expect(can('nobody' as never, 'users.manage')).toBe(false);
  });
});

describe('course roles need a matching site role', () => {
  it.each([
    ['admin', 'facilitator', true],
    ['facilitator', 'facilitator', true],
    ['expert', 'facilitator', false],
    ['participant', 'facilitator', false],
    ['admin', 'expert', true],
    ['facilitator', 'expert', true],
    ['expert', 'expert', true],
    ['participant', 'expert', false],
  ] as const)('a %s holds the course role %s: %s', (siteRole, courseRole, expected) => {
    expect(holdsCourseRole(siteRole, courseRole)).toBe(expected);
  });
});

describe('course permission table', () => {
  it.each(COURSE_PERMISSIONS.map((p) => [p]))('a manager may %s', (permission) => {
    expect(courseCan(['manager'], permission)).toBe(true);
  });

  it.each([
    ['expert', 'course.view', true],
    ['expert', 'work.overview', true],
    ['expert', 'work.review', true],
    ['expert', 'work.discuss', true],
    ['expert', 'work.edit', false],
    ['expert', 'tasks.manage', false],
    ['expert', 'teams.manage', false],
    ['expert', 'resources.manage', false],
    ['expert', 'course.manage', false],
    ['expert', 'work.manage', false],
    ['leader', 'course.view', true],
    ['leader', 'work.edit', true],
    ['leader', 'work.discuss', true],
    ['leader', 'work.review', false],
    ['leader', 'work.overview', false],
    ['leader', 'work.manage', false],
    ['leader', 'tasks.manage', false],
    ['leader', 'teams.manage', false],
    ['member', 'course.view', true],
    ['member', 'work.edit', true],
    ['member', 'work.discuss', true],
    ['member', 'work.review', false],
    ['member', 'work.overview', false],
    ['member', 'work.manage', false],
    ['member', 'tasks.manage', false],
    ['member', 'course.manage', false],
    ['expert', 'course.report', false],
    ['leader', 'course.report', false],
    ['member', 'course.report', false],
  ] as const)('a course %s may %s: %s', (role, permission, expected) => {
    expect(courseCan([role], permission)).toBe(expected);
  });

  it('gives every course role an entry and names only known permissions', () => {
    for (const role of COURSE_ACCESS_ROLES) {
      expect(COURSE_ROLE_PERMISSIONS[role]).toBeDefined();
      for (const p of COURSE_ROLE_PERMISSIONS[role]) expect(COURSE_PERMISSIONS).toContain(p);
    }
  });

  it('lets several roles add up, and no roles do nothing', () => {
    expect(courseCan(['expert', 'member'], 'work.edit')).toBe(true);
    expect(courseCan(['expert', 'member'], 'work.review')).toBe(true);
    expect(courseCan(['expert', 'member'], 'tasks.manage')).toBe(false);
    expect(courseCan([], 'course.view')).toBe(false);
    expect(courseCan(['nobody' as never], 'course.view')).toBe(false);
  });

  it.each([
    [{ canManage: true, isExpert: false, memberTeamIds: [], leaderTeamIds: [] }, ['manager']],
    [{ canManage: false, isExpert: true, memberTeamIds: [], leaderTeamIds: [] }, ['expert']],
    [{ canManage: false, isExpert: false, memberTeamIds: [1], leaderTeamIds: [1] }, ['leader']],
    [{ canManage: false, isExpert: false, memberTeamIds: [1], leaderTeamIds: [] }, ['member']],
    [{ canManage: false, isExpert: false, memberTeamIds: [1, 2], leaderTeamIds: [1] }, ['leader', 'member']],
    [{ canManage: false, isExpert: false, memberTeamIds: [], leaderTeamIds: [] }, []],
  ])('the standing %j gives the course roles %j', (standing, roles) => {
    expect(courseRoles(standing)).toEqual(roles);
  });
});

describe("who may see a team's private work (canSeeTeam)", () => {
  const standing = (over: Partial<CourseStanding>): CourseStanding => ({ roles: [], memberTeamIds: [], leaderTeamIds: [], expertTeamIds: [], ...over });
  it.each([
    ['a manager, any team', true, standing({ roles: ['manager'] })],
    ['a member of the team', true, standing({ roles: ['member'], memberTeamIds: [7] })],
    ['a leader of the team', true, standing({ roles: ['leader'], memberTeamIds: [7], leaderTeamIds: [7] })],
    ['a member of another team', false, standing({ roles: ['member'], memberTeamIds: [8] })],
    ['an expert assigned to the team', true, standing({ roles: ['expert'], expertTeamIds: [7] })],
    ['an expert of the course not assigned to the team', false, standing({ roles: ['expert'], expertTeamIds: [8] })],
    ['a leader of another team', false, standing({ roles: ['leader'], memberTeamIds: [8], leaderTeamIds: [8] })],
    ['someone with no place in the course', false, standing({})],
  ] as const)('%s sees team 7: %s', (_who, expected, s) => {
    expect(canSeeTeam(s, 7)).toBe(expected);
  });
});
