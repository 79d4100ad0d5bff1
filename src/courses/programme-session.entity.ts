import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';
import { Phase } from './phase.entity';

export const SESSION_KINDS = ['plenary', 'team_work', 'round_table', 'presidents_forum', 'site_visit', 'break', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** One item of the in-person timetable. Start and end are UTC instants; forms use the venue's zone. */
@Entity('programme_sessions')
@Index('IX_programme_sessions_phase', ['phaseId', 'startsAt'])
export class ProgrammeSession {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'phase_id', type: 'integer' })
  phaseId: number;

  @ManyToOne(() => Phase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'phase_id', foreignKeyConstraintName: 'FK_programme_sessions_phase' })
  phase: Relation<Phase>;

  @Column({ type: 'varchar', length: 30 })
  kind: SessionKind;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 200 })
  room: string;

  @Column({ name: 'starts_at', type: TIMESTAMP })
  startsAt: Date;

  @Column({ name: 'ends_at', type: TIMESTAMP })
  endsAt: Date;

  @Column({ type: 'text' })
  chairs: string;

  @Column({ type: 'text' })
  speakers: string;

  @Column({ name: 'interpretation_languages', type: 'varchar', length: 200 })
  interpretationLanguages: string;

  @Column({ type: 'text' })
  description: string;
}
