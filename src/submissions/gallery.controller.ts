import { Controller, Get, Param, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { IdPipe } from '../common/ids';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer } from '../courses/course-viewer.decorator';
import { courseHeader } from '../courses/course.view';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';

/** The course gallery: versions that teams chose to share with each other (peer learning). */
@Controller('courses/:id/gallery')
@InCourse('course.view')
export class GalleryController {
  constructor(private readonly sharing: SharingAndDiscussionService) {}

  @Get()
  @Render('gallery/index')
  async index(@Viewer() v: CourseViewer) {
    return { ...courseHeader(v, 'gallery'), title: `Gallery: ${v.course.title}`, items: await this.sharing.gallery(v) };
  }

  @Get(':versionId')
  @Render('gallery/show')
  async show(@Viewer() v: CourseViewer, @Param('versionId', IdPipe) versionId: number) {
    const item = await this.sharing.sharedVersion(v, versionId);
    return { ...courseHeader(v, 'gallery'), title: `${item.owner}: ${item.taskTitle}`, item };
  }

  @Get(':versionId/files/:fileId')
  async file(@Viewer() v: CourseViewer, @Param('versionId', IdPipe) versionId: number, @Param('fileId', IdPipe) fileId: number, @Res() res: Response) {
    await this.sharing.sendSharedFile(res, v, versionId, fileId);
  }
}
