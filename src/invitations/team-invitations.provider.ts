import { Global, Injectable, Module } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Database } from '../database/database.service';
import { type PendingTeamInvitation, TeamInvitations } from '../teams/team-invitations';
import { Invitation } from './invitation.entity';
import { invitationStatus } from './invitations.service';

/** The invitations module's answer to what the team page shows of invitations into the team (one query). */
@Injectable()
export class TeamInvitationsReader extends TeamInvitations {
  constructor(private readonly db: Database) {
    super();
  }

  async pendingForTeam(teamId: number): Promise<PendingTeamInvitation[]> {
    const now = new Date();
    const rows = await this.db.repo(Invitation).find({ where: { teamId, acceptedAt: IsNull(), revokedAt: IsNull() }, order: { lastSentAt: 'DESC' } });
    return rows.map((i) => ({
      id: i.id,
      email: i.email,
      teamRole: i.teamRole,
      status: invitationStatus(i, now),
      lastSentAt: i.lastSentAt,
      expiresAt: i.expiresAt,
    }));
  }
}

/**
 * Provides TeamInvitations app-wide. Global because the teams module, which the invitations module
 * builds on, needs it: a module import would be a cycle; this is the dependency turned around.
 */
@Global()
@Module({ providers: [{ provide: TeamInvitations, useClass: TeamInvitationsReader }], exports: [TeamInvitations] })
export class TeamInvitationsModule {}
