import { Inject, Injectable } from '@nestjs/common';
import { pageLinks } from '../common/pagination';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import type { ResourceQuery } from './dto/resource.dto';
import { RESOURCE_KINDS } from './resource.entity';
import { ResourcesService } from './resources.service';

/** View models of the resource library's pages: the list and the add/edit form. */
@Injectable()
export class ResourcePages {
  constructor(
    private readonly resources: ResourcesService,
    private readonly courses: CoursesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async index(v: CourseViewer, query: ResourceQuery) {
    const id = v.course.id;
    const [list, phases] = await Promise.all([this.resources.list(id, query), this.courses.phaseOptions(id)]);
    return {
      ...courseHeader(v, 'resources'),
      title: `Resources: ${v.course.title}`,
      resources: list.rows.map((r) => ({ ...r, phase: phases.find((p) => p.id === r.phaseId)?.title ?? null })),
      total: list.total,
      tags: list.tags.map((t) => ({ value: t, label: t })),
      phases: phases.map((p) => ({ value: String(p.id), label: p.title })),
      values: query,
      filtered: Boolean(query.q || query.tag || query.phase),
      pagination: pageLinks(`/courses/${id}/resources`, { q: query.q, tag: query.tag, phase: query.phase }, list.page, list.pages),
    };
  }

  /** The form for a new resource, or for resource `resourceId`. */
  async form(m: CourseManager, resourceId?: number) {
    const [phases, existing] = await Promise.all([
      this.courses.phaseOptions(m.course.id),
      resourceId !== undefined ? this.resources.editable(m, resourceId) : Promise.resolve(null),
    ]);
    return {
      ...courseHeader(m, 'resources'),
      title: existing ? `Edit resource: ${existing.title}` : 'Add a resource',
      resource: existing,
      kinds: RESOURCE_KINDS,
      phases: phases.map((p) => ({ value: String(p.id), label: p.title })),
      maxMb: this.config.uploadMaxMb,
      values: existing
        ? {
            title: existing.title,
            kind: existing.kind,
            description: existing.description,
            url: existing.url ?? '',
            phaseId: existing.phaseId ?? '',
            tags: existing.tags.join(', '),
          }
        : { kind: 'publication', description: '', tags: '' },
    };
  }
}
