import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { IdPipe, parseId } from '../common/ids';
import type { Request, Response } from 'express';
import { SignedIn } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { pageLinks } from '../common/pagination';
import { CourseAccessService } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { AcceptsFile } from '../files/upload';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Inject } from '@nestjs/common';
import { ResourceDto, ResourceQuery } from './dto/resource.dto';
import { RESOURCE_KINDS } from './resource.entity';
import { ResourcesService } from './resources.service';

@Controller('courses/:id/resources')
@SignedIn()
export class ResourcesController {
  constructor(
    private readonly resources: ResourcesService,
    private readonly access: CourseAccessService,
    private readonly courses: CoursesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Render('resources/index')
  async index(@Param('id', IdPipe) id: number, @Query() query: ResourceQuery, @Req() req: Request) {
    const v = await this.access.viewer(req.user!, id);
    const [list, phases] = await Promise.all([this.resources.list(id, query), this.courses.phases(id)]);
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

  @Get('new')
  @Render('resources/form')
  async newResource(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.formContext(req, id);
  }

  @Post()
  @AcceptsFile()
  @FormView('resources/form', 'formContext')
  async create(@Param('id', IdPipe) id: number, @Body() dto: ResourceDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const r = await this.resources.create(v, dto, req.upload);
    flash(req, 'success', `“${r.title}” added to the library.`);
    res.redirect(303, `/courses/${id}/resources`);
  }

  @Get(':resourceId/edit')
  @Render('resources/form')
  async edit(@Param('id', IdPipe) id: number, @Param('resourceId', IdPipe) resourceId: number, @Req() req: Request) {
    return this.formContext(req, id, resourceId);
  }

  @Post(':resourceId/edit')
  @AcceptsFile()
  @FormView('resources/form', 'formContext')
  async update(@Param('id', IdPipe) id: number, @Param('resourceId', IdPipe) resourceId: number, @Body() dto: ResourceDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const r = await this.resources.update(v, resourceId, dto, req.upload);
    flash(req, 'success', `“${r.title}” saved.`);
    res.redirect(303, `/courses/${id}/resources`);
  }

  @Post(':resourceId/delete')
  @FormView('resources/form', 'formContext')
  async remove(@Param('id', IdPipe) id: number, @Param('resourceId', IdPipe) resourceId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const r = await this.resources.remove(v, resourceId);
    flash(req, 'success', `“${r.title}” removed from the library.`);
    res.redirect(303, `/courses/${id}/resources`);
  }

  @Get(':resourceId/download')
  async download(@Param('id', IdPipe) id: number, @Param('resourceId', IdPipe) resourceId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.viewer(req.user!, id);
    await this.resources.download(await this.resources.resource(v, resourceId), res);
  }

  async formContext(req: Request, id = parseId(req.params.id), resourceId = req.params.resourceId ? parseId(req.params.resourceId) : undefined) {
    const v = await this.access.manager(req.user!, id);
    const [phases, existing] = await Promise.all([this.courses.phases(id), resourceId ? this.resources.resource(v, resourceId) : Promise.resolve(null)]);
    return {
      ...courseHeader(v, 'resources'),
      title: existing ? `Edit resource: ${existing.title}` : 'Add a resource',
      resource: existing ? this.resources.view(existing) : null,
      kinds: RESOURCE_KINDS,
      phases: phases.map((p) => ({ value: String(p.id), label: p.title })),
      maxMb: this.config.uploadMaxMb,
      values: existing
        ? { title: existing.title, kind: existing.kind, description: existing.description, url: existing.url ?? '', phaseId: existing.phaseId ?? '', tags: existing.tags.map((t) => t.tag).join(', ') }
        : { kind: 'publication', description: '', tags: '' },
    };
  }
}
