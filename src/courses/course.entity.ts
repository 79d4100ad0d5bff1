import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { TIMESTAMP } from '../database/column-types';

export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** One workshop edition, e.g. the 6th "Strengthening Education Systems from a Lifelong Learning Perspective". */
@Entity('courses')
export class Course {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  series: string | null;

  @Column({ type: 'integer', nullable: true })
  edition: number | null;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  organisers: string;

  @Column({ name: 'venue_campus', type: 'varchar', length: 200 })
  venueCampus: string;

  @Column({ name: 'venue_city', type: 'varchar', length: 200 })
  venueCity: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ name: 'venue_country', type: 'varchar', length: 2 })
  venueCountry: string;

  /** IANA zone of the venue: the in-person programme and all phase dates are in this zone. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  /** First and last day (inclusive), calendar dates in the venue's zone. */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  /** Always "invitation" today; kept as data so the course page can say it. */
  @Column({ type: 'varchar', length: 20 })
  participation: string;

  @Column({ name: 'working_language', type: 'varchar', length: 16 })
  workingLanguage: string;

  /** Comma-separated language codes offered through interpretation, e.g. "zh,fr". */
  @Column({ name: 'interpretation_languages', type: 'varchar', length: 200 })
  interpretationLanguages: string;

  @Column({ type: 'varchar', length: 20 })
  status: CourseStatus;

  @Column({ name: 'created_by_id', type: 'integer', nullable: true })
  createdById: number | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @Column({ name: 'updated_at', type: TIMESTAMP })
  updatedAt: Date;

  /** Optimistic lock: an edit made from a stale page is detected, not applied. */
  @VersionColumn()
  version: number;
}
