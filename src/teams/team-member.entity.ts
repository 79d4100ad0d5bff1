import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';
import { Team } from './team.entity';

export { TEAM_ROLES, type TeamRole } from '../common/roles';
import type { TeamRole } from '../common/roles';
export const POSITIONS = ['policymaker', 'researcher', 'other'] as const;
export type Position = (typeof POSITIONS)[number];
export const LEVELS = ['national', 'municipal'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * A person's place in a country team. A person is in one team per workshop, unless a facilitator
 * allowed this second membership (recorded here); teams of other workshops do not count.
 */
@Entity('team_members')
@Index('UQ_team_members', ['teamId', 'userId'], { unique: true })
export class TeamMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'team_id', type: 'integer' })
  teamId: number;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_team_members_team' })
  team: Relation<Team>;

  @Index('IX_team_members_user')
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_team_members_user' })
  user: Relation<User>;

  @Column({ name: 'team_role', type: 'varchar', length: 20 })
  teamRole: TeamRole;

  @Column({ type: 'varchar', length: 20 })
  position: Position;

  @Column({ type: 'varchar', length: 20 })
  level: Level;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  /** Set when the person was already in another team of the workshop and a facilitator allowed this one. */
  @Column({ name: 'other_team_allowed_by_id', type: 'integer', nullable: true })
  otherTeamAllowedById: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'other_team_allowed_by_id', foreignKeyConstraintName: 'FK_team_members_other_team_allowed_by' })
  otherTeamAllowedBy: Relation<User> | null;

  @Column({ name: 'other_team_allowed_at', type: TIMESTAMP, nullable: true })
  otherTeamAllowedAt: Date | null;
}
