import { SetMetadata } from '@nestjs/common';
import type { CoursePermission, Permission } from './permissions';

export const ACCESS_KEY = 'atelier:access';

export type AccessRule =
  { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: Permission } | { kind: 'course'; permission: CoursePermission };

/** Anyone may call this route, signed in or not (sign-in page, invitation links, health). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/** Any active, signed-in person. Object-level checks stay in the service. */
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);

/** Signed-in people whose site role has this permission (src/common/permissions.ts). */
export const Allow = (permission: Permission) => SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRule);

/**
 * A course route (`/courses/:id/…`): signed-in people whose roles in course `:id` have this
 * permission (COURSE_ROLE_PERMISSIONS). Anyone else, and a course they may not see, gets 404.
 * The guard puts what the person is in the course on the request, for `@Viewer()`/`@Manager()`.
 * Every route under /courses/:id must carry one (test/routes.e2e-spec.ts).
 */
export const InCourse = (permission: CoursePermission) => SetMetadata(ACCESS_KEY, { kind: 'course', permission } satisfies AccessRule);
