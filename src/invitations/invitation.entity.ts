import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { Team } from '../teams/team.entity';
import type { Level, Position, TeamRole } from '../teams/team-member.entity';
import { User, type SiteRole } from '../users/user.entity';

/**
 * An invitation to join Atelier with a site role. Only the SHA-256 of the single-use token is
 * stored; the token itself exists only in the e-mailed link.
 */
@Entity('invitations')
export class Invitation {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IX_invitations_email')
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 20 })
  role: SiteRole;

  @Index('UQ_invitations_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ name: 'invited_by_id', type: 'integer', nullable: true })
  invitedById: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'invited_by_id', foreignKeyConstraintName: 'FK_invitations_invited_by' })
  invitedBy: Relation<User> | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'expires_at', type: TIMESTAMP })
  expiresAt: Date;

  @Column({ name: 'last_sent_at', type: TIMESTAMP })
  lastSentAt: Date;

  @Column({ name: 'send_count', type: 'integer' })
  sendCount: number;

  @Column({ name: 'accepted_at', type: TIMESTAMP, nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'accepted_user_id', type: 'integer', nullable: true })
  acceptedUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'accepted_user_id', foreignKeyConstraintName: 'FK_invitations_accepted_user' })
  acceptedUser: Relation<User> | null;

  @Column({ name: 'revoked_at', type: TIMESTAMP, nullable: true })
  revokedAt: Date | null;

  /** When invited from a team page: the team to join on acceptance, with role and position. */
  @Column({ name: 'team_id', type: 'integer', nullable: true })
  teamId: number | null;

  @ManyToOne(() => Team, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_invitations_team' })
  team: Relation<Team> | null;

  @Column({ name: 'team_role', type: 'varchar', length: 20, nullable: true })
  teamRole: TeamRole | null;

  @Column({ name: 'team_position', type: 'varchar', length: 20, nullable: true })
  teamPosition: Position | null;

  @Column({ name: 'team_level', type: 'varchar', length: 20, nullable: true })
  teamLevel: Level | null;
}
