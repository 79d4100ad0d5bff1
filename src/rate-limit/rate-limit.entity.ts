import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

/** A fixed-window counter, e.g. sign-in attempts from one IP address. Shared by all instances. */
@Entity('rate_limits')
export class RateLimitRow {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Column({ name: 'reset_at', type: TIMESTAMP })
  resetAt: Date;
}
