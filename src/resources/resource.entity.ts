import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Course } from '../courses/course.entity';
import { Phase } from '../courses/phase.entity';
import { TIMESTAMP } from '../database/column-types';

export const RESOURCE_KINDS = [
  { value: 'handbook_chapter', label: 'Handbook chapter' },
  { value: 'publication', label: 'Publication' },
  { value: 'template', label: 'Template' },
  { value: 'video', label: 'Video' },
  { value: 'link', label: 'Link' },
  { value: 'file', label: 'File' },
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number]['value'];

/** An item of a course's library: a link, or an uploaded file kept outside any static route. */
@Entity('resources')
@Index('IX_resources_course', ['courseId', 'title'])
export class Resource {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'course_id', type: 'integer' })
  courseId: number;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'course_id', foreignKeyConstraintName: 'FK_resources_course' })
  course: Relation<Course>;

  @Column({ name: 'phase_id', type: 'integer', nullable: true })
  phaseId: number | null;

  @ManyToOne(() => Phase, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'phase_id', foreignKeyConstraintName: 'FK_resources_phase' })
  phase: Relation<Phase> | null;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 30 })
  kind: ResourceKind;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  url: string | null;

  /** Generated name under UPLOAD_DIR (never the uploader's file name). */
  @Column({ name: 'file_key', type: 'varchar', length: 100, nullable: true })
  fileKey: string | null;

  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true })
  fileName: string | null;

  @Column({ name: 'file_type', type: 'varchar', length: 100, nullable: true })
  fileType: string | null;

  @Column({ name: 'file_size', type: 'integer', nullable: true })
  fileSize: number | null;

  @Column({ name: 'file_sha256', type: 'varchar', length: 64, nullable: true })
  fileSha256: string | null;

  @Column({ name: 'created_by_id', type: 'integer', nullable: true })
  createdById: number | null;

  @Column({ name: 'created_at', type: TIMESTAMP })
  createdAt: Date;

  @OneToMany(() => ResourceTag, (t) => t.resource)
  tags: Relation<ResourceTag>[];
}

/** A thematic tag of a resource, e.g. "SDG 4" (one row per tag, for filtering). */
@Entity('resource_tags')
@Index('UQ_resource_tags', ['resourceId', 'tag'], { unique: true })
export class ResourceTag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'resource_id', type: 'integer' })
  resourceId: number;

  @ManyToOne(() => Resource, (r) => r.tags, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'FK_resource_tags_resource' })
  resource: Relation<Resource>;

  @Index('IX_resource_tags_tag')
  @Column({ type: 'varchar', length: 60 })
  tag: string;
}
