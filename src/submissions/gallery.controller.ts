import { Controller, Get, Param, Render, Req, Res } from '@nestjs/common';
import { IdPipe } from '../common/ids';
import type { Request, Response } from 'express';
import { SignedIn } from '../common/access.decorator';
import { CourseAccessService } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { FileStore } from '../files/file-store.service';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';

/** The course gallery: versions that teams chose to share with each other (peer learning). */
@Controller('courses/:id/gallery')
@SignedIn()
export class GalleryController {
  constructor(
    private readonly sharing: SharingAndDiscussionService,
    private readonly access: CourseAccessService,
    private readonly files: FileStore,
  ) {}

  @Get()
  @Render('gallery/index')
  async index(@Param('id', IdPipe) id: number, @Req() req: Request) {
    const v = await this.access.viewer(req.user!, id);
    return { ...courseHeader(v, 'gallery'), title: `Gallery: ${v.course.title}`, items: await this.sharing.gallery(v) };
  }

  @Get(':versionId')
  @Render('gallery/show')
  async show(@Param('id', IdPipe) id: number, @Param('versionId', IdPipe) versionId: number, @Req() req: Request) {
    const v = await this.access.viewer(req.user!, id);
    const item = await this.sharing.sharedVersion(v, versionId);
    return { ...courseHeader(v, 'gallery'), title: `${item.owner}: ${item.taskTitle}`, item };
  }

  @Get(':versionId/files/:fileId')
  async file(@Param('id', IdPipe) id: number, @Param('versionId', IdPipe) versionId: number, @Param('fileId', IdPipe) fileId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.viewer(req.user!, id);
    const f = await this.sharing.sharedFile(v, versionId, fileId);
    await this.files.send(res, { key: f.fileKey, name: f.fileName, mime: f.fileType, size: f.fileSize });
  }
}
