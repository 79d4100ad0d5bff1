import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

export { SITE_ROLES, type SiteRole } from '../common/roles';
import type { SiteRole } from '../common/roles';

/**
 * A person with an account. Site roles say what someone may do across Atelier; roles inside a
 * course or a country team (leader, member, assigned expert) belong to memberships that later
 * modules add, so one person can lead one team and advise another.
 */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  /** Always stored lower-cased: e-mail addresses are unique regardless of case. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  /** IANA time zone, e.g. "Asia/Shanghai". */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  /** BCP 47 language tag of the preferred language, e.g. "en", "fr", "zh". */
  @Column({ type: 'varchar', length: 16 })
  language: string;

  @Column({ type: 'varchar', length: 20 })
  role: SiteRole;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;

  @Column({ name: 'last_sign_in_at', type: TIMESTAMP, nullable: true })
  lastSignInAt: Date | null;

  @Column({ name: 'deactivated_at', type: TIMESTAMP, nullable: true })
  deactivatedAt: Date | null;
}
