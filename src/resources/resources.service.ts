import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Brackets, In } from 'typeorm';
import { FormInvalidError, NotFoundError } from '../common/errors';
import type { SniffedKind } from '../common/file-sniff';
import type { CourseViewer } from '../courses/course-access.service';
import { Phase } from '../courses/phase.entity';
import { Database } from '../database/database.service';
import { FileStore, type StoredFile } from '../files/file-store.service';
import type { Upload } from '../files/upload';
import type { ResourceDto, ResourceQuery } from './dto/resource.dto';
import { Resource, RESOURCE_KINDS, ResourceTag } from './resource.entity';

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
  ) {}

  /** One page of a course's library, searched and filtered (four queries whatever the size). */
  async list(courseId: number, query: ResourceQuery) {
    const qb = this.db.repo(Resource).createQueryBuilder('r').where('r.course_id = :courseId', { courseId });
    if (query.q) {
      const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where("LOWER(r.title) LIKE :like ESCAPE '\\'", { like }).orWhere("LOWER(r.description) LIKE :like ESCAPE '\\'", { like })));
    }
    if (query.tag) {
      qb.andWhere((sub) => `r.id IN ${sub.subQuery().select('t.resource_id').from(ResourceTag, 't').where('LOWER(t.tag) = :tag').getQuery()}`, { tag: query.tag.toLowerCase() });
    }
    if (query.phase) qb.andWhere('r.phase_id = :phase', { phase: query.phase });
    const total = await qb.getCount();
    const pages = Math.max(1, Math.ceil(total / RESOURCES_PAGE_SIZE));
    const page = Math.min(Math.max(1, query.page ?? 1), pages);
    const rows = await qb.orderBy('LOWER(r.title)', 'ASC').addOrderBy('r.id', 'ASC').offset((page - 1) * RESOURCES_PAGE_SIZE).limit(RESOURCES_PAGE_SIZE).getMany();
    const ids = rows.map((r) => r.id);
    const [tags, allTags] = await Promise.all([
      ids.length ? this.db.repo(ResourceTag).findBy({ resourceId: In(ids) }) : Promise.resolve([]),
      this.db.repo(ResourceTag).createQueryBuilder('t').innerJoin(Resource, 'r', 'r.id = t.resource_id').where('r.course_id = :courseId', { courseId }).select('t.tag', 'tag').distinct(true).getRawMany<{ tag: string }>(),
    ]);
    return {
      rows: rows.map((r) => ({ ...this.view(r), tags: tags.filter((t) => t.resourceId === r.id).map((t) => t.tag) })),
      total,
      page,
      pages,
      tags: [...new Set(allTags.map((t) => t.tag))].sort((a, b) => a.localeCompare(b)),
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

  async resource(v: CourseViewer, id: number): Promise<Resource> {
    const r = Number.isSafeInteger(id) ? await this.db.repo(Resource).findOne({ where: { id, courseId: v.course.id }, relations: { tags: true } }) : null;
    if (!r) throw new NotFoundError();
    return r;
  }

  async create(v: CourseViewer, dto: ResourceDto, upload: Upload | null | undefined): Promise<Resource> {
    return this.save(v, null, dto, upload);
  }

  async update(v: CourseViewer, id: number, dto: ResourceDto, upload: Upload | null | undefined): Promise<Resource> {
    return this.save(v, await this.resource(v, id), dto, upload);
  }

  async remove(v: CourseViewer, id: number): Promise<Resource> {
    const r = await this.resource(v, id);
    await this.db.tx((em) => em.getRepository(Resource).delete({ id: r.id }));
    await this.files.discard(r.fileKey);
    return r;
  }

  async download(r: Resource, res: Response): Promise<void> {
    if (!r.fileKey) throw new NotFoundError();
    await this.files.send(res, { key: r.fileKey, name: r.fileName ?? 'file', mime: r.fileType ?? 'application/octet-stream', size: r.fileSize ?? 0 });
  }

  /**
   * Validates, stores the file (if any), then writes the row and its tags in one transaction.
   * If the transaction fails the new file is discarded: no row without its file, no file without its row.
   */
  private async save(v: CourseViewer, existing: Resource | null, dto: ResourceDto, upload: Upload | null | undefined): Promise<Resource> {
    const problems: Record<string, string[]> = {};
    if (dto.phaseId !== undefined && !(await this.db.repo(Phase).existsBy({ id: dto.phaseId, courseId: v.course.id }))) problems.phaseId = ['Choose a phase of this course.'];
    const willHaveFile = Boolean(upload) || Boolean(existing?.fileKey);
    if (!dto.url && !willHaveFile) problems.url = ['Give a web address, or choose a file to upload.'];
    if (dto.url && upload) problems.file = ['Give either a web address or a file, not both.'];
    if (Object.keys(problems).length) throw new FormInvalidError(problems);

    let stored: StoredFile | null = null;
    if (upload) stored = await this.files.keep(upload, 'file', RESOURCE_FILE_KINDS);
    const oldKey = existing?.fileKey ?? null;
    try {
      const saved = await this.db.tx(async (em) => {
        const row = existing ?? em.getRepository(Resource).create({ courseId: v.course.id, createdById: v.user.id, createdAt: new Date() });
        Object.assign(row, { title: dto.title, kind: dto.kind, description: dto.description, phaseId: dto.phaseId ?? null, url: dto.url ?? null });
        if (stored) Object.assign(row, { fileKey: stored.key, fileName: stored.name, fileType: stored.mime, fileSize: stored.size, fileSha256: stored.sha256 });
        else if (dto.url) Object.assign(row, { fileKey: null, fileName: null, fileType: null, fileSize: null, fileSha256: null });
        else if (!existing) Object.assign(row, { fileKey: null, fileName: null, fileType: null, fileSize: null, fileSha256: null });
        delete (row as Partial<Resource>).tags;
        const r = await em.getRepository(Resource).save(row);
        await em.getRepository(ResourceTag).delete({ resourceId: r.id });
        const tags = parseTags(dto.tags);
        if (tags.length) await em.getRepository(ResourceTag).insert(tags.map((tag) => ({ resourceId: r.id, tag })));
        return r;
      });
      if (oldKey && oldKey !== saved.fileKey) await this.files.discard(oldKey);
      return saved;
    } catch (err) {
      if (stored) await this.files.discard(stored.key);
      throw err;
    }
  }

  // Read API for housekeeping

  /** Keys of the stored files this module's rows name (resource files); housekeeping keeps these. */
  async referencedFileKeys(): Promise<string[]> {
    const rows: { key: string }[] = await this.db.repo(Resource).createQueryBuilder('r').select('r.file_key', 'key').where('r.file_key IS NOT NULL').getRawMany();
    return rows.map((r) => r.key);
  }
}
