import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { Manager, managerOf, Viewer } from '../courses/course-viewer.decorator';
import { AcceptsFile } from '../files/upload';
import { ResourceDto, ResourceQuery } from './dto/resource.dto';
import { ResourcePages } from './resource-pages';
import { ResourcesService } from './resources.service';

@Controller('courses/:id/resources')
export class ResourcesController {
  constructor(
    private readonly resources: ResourcesService,
    private readonly pages: ResourcePages,
  ) {}

  @Get()
  @InCourse('course.view')
  @Render('resources/index')
  index(@Viewer() v: CourseViewer, @Query() query: ResourceQuery) {
    return this.pages.index(v, query);
  }

  @Get('new')
  @InCourse('resources.manage')
  @Render('resources/form')
  newResource(@Manager() m: CourseManager) {
    return this.pages.form(m);
  }

  @Post()
  @InCourse('resources.manage')
  @AcceptsFile()
  @FormView('resources/form', 'formContext')
  async create(@Manager() m: CourseManager, @Body() dto: ResourceDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.resources.create(m, dto, req.upload);
    flash(req, 'success', `“${r.title}” added to the library.`);
    res.redirect(303, `/courses/${m.course.id}/resources`);
  }

  @Get(':resourceId/edit')
  @InCourse('resources.manage')
  @Render('resources/form')
  edit(@Manager() m: CourseManager, @Param('resourceId', IdPipe) resourceId: number) {
    return this.pages.form(m, resourceId);
  }

  @Post(':resourceId/edit')
  @InCourse('resources.manage')
  @AcceptsFile()
  @FormView('resources/form', 'formContext')
  async update(
    @Manager() m: CourseManager,
    @Param('resourceId', IdPipe) resourceId: number,
    @Body() dto: ResourceDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const r = await this.resources.update(m, resourceId, dto, req.upload);
    flash(req, 'success', `“${r.title}” saved.`);
    res.redirect(303, `/courses/${m.course.id}/resources`);
  }

  @Post(':resourceId/delete')
  @InCourse('resources.manage')
  @FormView('resources/form', 'formContext')
  async remove(@Manager() m: CourseManager, @Param('resourceId', IdPipe) resourceId: number, @Req() req: Request, @Res() res: Response) {
    const r = await this.resources.remove(m, resourceId);
    flash(req, 'success', `“${r.title}” removed from the library.`);
    res.redirect(303, `/courses/${m.course.id}/resources`);
  }

  @Get(':resourceId/download')
  @InCourse('course.view')
  download(@Viewer() v: CourseViewer, @Param('resourceId', IdPipe) resourceId: number, @Res() res: Response) {
    return this.resources.download(v, resourceId, res);
  }

  /** The form again after a 422. */
  formContext(req: Request) {
    return this.pages.form(managerOf(req), req.params.resourceId ? parseId(req.params.resourceId) : undefined);
  }
}
