import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Brackets, In } from 'typeorm';
import { findOrFail, FormInvalidError, NotFoundError } from '../common/errors';
import type { SniffedKind } from '../common/file-sniff';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { EventsService } from '../events/events.service';
import { downloadOf, FileStore, NO_STORED_FILE, type StoredFile, storedFileColumns } from '../files/file-store.service';
import type { Upload } from '../files/upload';
import type { ResourceDto, ResourceQuery } from './dto/resource.dto';
import { Resource, RESOURCE_KINDS, type ResourceKind, ResourceTag } from './resource.entity';

export const RESOURCE_FILE_KINDS: readonly SniffedKind[] = ['pdf', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'ole', 'png', 'jpg', 'txt'];
export const RESOURCES_PAGE_SIZE = 20;

/** "SDG 4, climate action,  Key features of learning cities" → distinct tags, tidy case kept. */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of input.split(/[,;\n]/)) {
    const tag = raw.trim().replace(/\s+/g, ' ').slice(0, 60);
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags.slice(0, 12);
}

@Injectable()
export class ResourcesService {
  constructor(
    private readonly db: Database,
    private readonly files: FileStore,
    private readonly courses: CoursesService,
    private readonly events: EventsService,
  ) {}

  /** One page of a course's library, searched and filtered (four queries whatever the size). */
  async list(courseId: number, query: ResourceQuery) {
    const qb = this.db.repo(Resource).createQueryBuilder('r').where('r.course_id = :courseId', { courseId });
    if (query.q) {
      const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) => w.where("LOWER(r.title) LIKE :like ESCAPE '\\'", { like }).orWhere("LOWER(r.description) LIKE :like ESCAPE '\\'", { like })),
      );
    }
    if (query.tag) {
      qb.andWhere((sub) => `r.id IN ${sub.subQuery().select('t.resource_id').from(ResourceTag, 't').where('LOWER(t.tag) = :tag').getQuery()}`, {
        tag: query.tag.toLowerCase(),
      });
    }
    if (query.phase) qb.andWhere('r.phase_id = :phase', { phase: query.phase });
    const total = await qb.getCount();
    const pages = Math.max(1, Math.ceil(total / RESOURCES_PAGE_SIZE));
    const page = Math.min(Math.max(1, query.page ?? 1), pages);
    const rows = await qb
      .orderBy('LOWER(r.title)', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .offset((page - 1) * RESOURCES_PAGE_SIZE)
      .limit(RESOURCES_PAGE_SIZE)
      .getMany();
    const ids = rows.map((r) => r.id);
    const [tags, allTags] = await Promise.all([
      ids.length ? this.db.repo(ResourceTag).findBy({ resourceId: In(ids) }) : Promise.resolve([]),
      this.db
        .repo(ResourceTag)
        .createQueryBuilder('t')
        .innerJoin(Resource, 'r', 'r.id = t.resource_id')
        .where('r.course_id = :courseId', { courseId })
        .select('t.tag', 'tag')
        .distinct(true)
        .getRawMany<{ tag: string }>(),
    ]);
    return {
      rows: rows.map((r) => ({ ...this.view(r), tags: tags.filter((t) => t.resourceId === r.id).map((t) => t.tag) })),
      total,
      page,
      pages,
      tags: [...new Set(allTags.map((t) => t.tag))].sort((a, b) => a.localeCompare(b)),
    };
  }

  /**
   * The first resources of a course in the list's order (by title), with how many there are in
   * all: the course home's panel. One hand-written query of the columns shown; the total is a
   * scalar subquery on the (course_id, title) index, not `COUNT(*) OVER ()`, which made SQLite
   * materialise and scan the window (85 → 25 µs on the scale seed).
   */
  async preview(courseId: number, limit: number) {
    const rows = await this.db.rows<{
      id: number | string;
      title: string;
      kind: ResourceKind;
      url: string | null;
      fileKey: string | null;
      total: number | string;
    }>`
      SELECT id, title, kind, url, file_key AS "fileKey", (SELECT COUNT(*) FROM resources WHERE course_id = ${courseId}) AS total
      FROM resources WHERE course_id = ${courseId} ORDER BY LOWER(title), id LIMIT ${limit}`;
    return {
      rows: rows.map((r) => ({
        id: Number(r.id),
        courseId,
        title: r.title,
        kind: r.kind,
        kindLabel: RESOURCE_KINDS.find((k) => k.value === r.kind)?.label ?? r.kind,
        url: r.url,
        hasFile: Boolean(r.fileKey),
      })),
      total: rows.length ? Number(rows[0].total) : 0,
    };
  }

  view(r: Resource) {
    return {
      id: r.id,
      courseId: r.courseId,
      phaseId: r.phaseId,
      title: r.title,
      kind: r.kind,
      kindLabel: RESOURCE_KINDS.find((k) => k.value === r.kind)?.label ?? r.kind,
      description: r.description,
      url: r.url,
      hasFile: Boolean(r.fileKey),
      fileName: r.fileName,
      fileSize: r.fileSize,
    };
  }

  private async resource(v: CourseViewer, id: number): Promise<Resource> {
    return findOrFail(
      Number.isSafeInteger(id) ? await this.db.repo(Resource).findOne({ where: { id, courseId: v.course.id }, relations: { tags: true } }) : null,
    );
  }

  /** One resource of the course as its form shows it: the list's view with its tags. */
  async editable(m: CourseManager, id: number) {
    const r = await this.resource(m, id);
    return { ...this.view(r), tags: r.tags.map((t) => t.tag) };
  }

  async create(m: CourseManager, dto: ResourceDto, upload: Upload | null | undefined): Promise<Resource> {
    return this.save(m, null, dto, upload);
  }

  async update(m: CourseManager, id: number, dto: ResourceDto, upload: Upload | null | undefined): Promise<Resource> {
    return this.save(m, await this.resource(m, id), dto, upload);
  }

  async remove(m: CourseManager, id: number): Promise<Resource> {
    const r = await this.resource(m, id);
    await this.db.tx(async (em) => {
      await em.getRepository(Resource).delete({ id: r.id });
      await this.events.record(em, {
        kind: 'resource.removed',
        actorId: m.user.id,
        courseId: m.course.id,
        subject: { type: 'resource', id: r.id },
        payload: { title: r.title, kind: r.kind },
      });
    });
    await this.files.discard(r.fileKey);
    return r;
  }

  /** Sends the resource's uploaded file (404 for a link). */
  async download(v: CourseViewer, id: number, res: Response): Promise<void> {
    const r = await this.resource(v, id);
    if (!r.fileKey) throw new NotFoundError();
    await this.files.send(
      res,
      downloadOf({ fileKey: r.fileKey, fileName: r.fileName ?? 'file', fileType: r.fileType ?? 'application/octet-stream', fileSize: r.fileSize ?? 0 }),
    );
  }

  /**
   * Validates, stores the file (if any), then writes the row and its tags in one transaction.
   * If the transaction fails the new file is discarded: no row without its file, no file without its row.
   */
  private async save(m: CourseManager, existing: Resource | null, dto: ResourceDto, upload: Upload | null | undefined): Promise<Resource> {
    const problems: Record<string, string[]> = {};
    if (dto.phaseId !== undefined && !(await this.courses.hasPhase(m.course.id, dto.phaseId))) problems.phaseId = ['Choose a phase of this course.'];
    const willHaveFile = Boolean(upload) || Boolean(existing?.fileKey);
    if (!dto.url && !willHaveFile) problems.url = ['Give a web address, or choose a file to upload.'];
    if (dto.url && upload) problems.file = ['Give either a web address or a file, not both.'];
    if (Object.keys(problems).length) throw new FormInvalidError(problems);

    let stored: StoredFile | null = null;
    if (upload) stored = await this.files.keep(upload, 'file', RESOURCE_FILE_KINDS);
    const oldKey = existing?.fileKey ?? null;
    try {
      const saved = await this.db.tx(async (em) => {
        const row = existing ?? em.getRepository(Resource).create({ courseId: m.course.id, createdById: m.user.id, createdAt: new Date() });
        Object.assign(row, { title: dto.title, kind: dto.kind, description: dto.description, phaseId: dto.phaseId ?? null, url: dto.url ?? null });
        // A new file replaces the old one; a web address replaces any file; otherwise the file stays.
        if (stored) Object.assign(row, storedFileColumns(stored));
        else if (dto.url || !existing) Object.assign(row, NO_STORED_FILE);
        delete (row as Partial<Resource>).tags;
        const r = await em.getRepository(Resource).save(row);
        await em.getRepository(ResourceTag).delete({ resourceId: r.id });
        const tags = parseTags(dto.tags);
        if (tags.length) await em.getRepository(ResourceTag).insert(tags.map((tag) => ({ resourceId: r.id, tag })));
        await this.events.record(em, {
          kind: existing ? 'resource.updated' : 'resource.added',
          actorId: m.user.id,
          courseId: m.course.id,
          subject: { type: 'resource', id: r.id },
          payload: { title: r.title, kind: r.kind },
        });
        return r;
      });
      if (oldKey && oldKey !== saved.fileKey) await this.files.discard(oldKey);
      return saved;
    } catch (err) {
      if (stored) await this.files.discard(stored.key);
      throw err;
    }
  }

  // Read API for tasks

  /** A course's resources as choices, in title order (one query). */
  async options(courseId: number): Promise<{ id: number; title: string }[]> {
    const rows = await this.db.repo(Resource).find({ where: { courseId }, order: { title: 'ASC' }, select: { id: true, title: true } });
    return rows.map((r) => ({ id: r.id, title: r.title }));
  }

  /** How many of these ids are resources of the course (one query). */
  async countInCourse(courseId: number, ids: readonly number[]): Promise<number> {
    return ids.length ? this.db.repo(Resource).countBy({ id: In([...ids]), courseId }) : 0;
  }

  /** Links to these resources (a file's download, or the web address), in title order (one query). */
  async links(ids: readonly number[]): Promise<{ id: number; title: string; href: string }[]> {
    if (!ids.length) return [];
    const rows = await this.db.rows<{ id: number | string; courseId: number | string; title: string; url: string | null; fileKey: string | null }>`
      SELECT id, course_id AS "courseId", title, url, file_key AS "fileKey" FROM resources WHERE id IN ${[...ids]} ORDER BY id`;
    return rows
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((r) => ({
        id: Number(r.id),
        title: r.title,
        href: r.fileKey ? `/courses/${Number(r.courseId)}/resources/${Number(r.id)}/download` : (r.url ?? '#'),
      }));
  }

  // Read API for housekeeping

  /** Keys of the stored files this module's rows name (resource files), or those of them among `keys` (one lookup); housekeeping keeps these. */
  async referencedFileKeys(keys?: readonly string[]): Promise<string[]> {
    if (keys) {
      if (!keys.length) return [];
      const rows = await this.db.rows<{ key: string }>`SELECT file_key AS "key" FROM resources WHERE file_key IN ${[...keys]}`;
      return rows.map((r) => r.key);
    }
    const rows: { key: string }[] = await this.db
      .repo(Resource)
      .createQueryBuilder('r')
      .select('r.file_key', 'key')
      .where('r.file_key IS NOT NULL')
      .getRawMany();
    return rows.map((r) => r.key);
  }
}
