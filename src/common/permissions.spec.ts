import { SITE_ROLES } from '../users/user.entity';
import { can, GRANTABLE_ROLES, holdsCourseRole, mayGrant, PERMISSIONS, ROLE_PERMISSIONS } from './permissions';

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
