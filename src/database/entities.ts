import { PasswordReset } from '../auth/password-reset.entity';
import { Invitation } from '../invitations/invitation.entity';
import { RateLimitRow } from '../rate-limit/rate-limit.entity';
import { SessionRow } from '../sessions/session.entity';
import { User } from '../users/user.entity';

/** Every entity of the application, registered once with the DataSource. */
export const ENTITIES = [User, Invitation, PasswordReset, SessionRow, RateLimitRow];
