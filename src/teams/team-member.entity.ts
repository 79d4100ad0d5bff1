import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';
import { Team } from './team.entity';

export const TEAM_ROLES = ['leader', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export const POSITIONS = ['policymaker', 'researcher', 'other'] as const;
export type Position = (typeof POSITIONS)[number];
export const LEVELS = ['national', 'municipal'] as const;
export type Level = (typeof LEVELS)[number];

/** A person's place in a country team. One person may be in several teams, with different roles. */
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
}
