import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { User } from '../users/user.entity';
import { Team } from './team.entity';

/** An expert of the course assigned to advise one team. */
@Entity('team_experts')
@Index('UQ_team_experts', ['teamId', 'userId'], { unique: true })
export class TeamExpert {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'team_id', type: 'integer' })
  teamId: number;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'FK_team_experts_team' })
  team: Relation<Team>;

  @Index('IX_team_experts_user')
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_team_experts_user' })
  user: Relation<User>;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;
}
