import type { TeamRole } from '../common/roles';

/** An open invitation into a team, as the team page lists it. */
export interface PendingTeamInvitation {
  id: number;
  email: string;
  teamRole: TeamRole | null;
  status: 'pending' | 'expired' | 'accepted' | 'revoked';
  lastSentAt: Date;
  expiresAt: Date;
}

/**
 * What the team page needs to know about invitations into the team, without depending on the
 * invitations module (a higher layer, which builds on teams): the invitations module provides it
 * (`invitations/team-invitations.provider.ts`), teams only declare the need.
 */
export abstract class TeamInvitations {
  /** Open invitations into one team, newest first. */
  abstract pendingForTeam(teamId: number): Promise<PendingTeamInvitation[]>;
}
