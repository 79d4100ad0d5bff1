import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions';

export const ACCESS_KEY = 'atelier:access';

export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: Permission };

/** Anyone may call this route, signed in or not (sign-in page, invitation links, health). */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/** Any active, signed-in person. Object-level checks stay in the service. */
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);

/** Signed-in people whose site role has this permission (src/common/permissions.ts). */
export const Allow = (permission: Permission) => SetMetadata(ACCESS_KEY, { kind: 'permission', permission } satisfies AccessRule);
