import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ResourcePages } from './resource-pages';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** A course's resource library: links and uploaded files with themes. */
@Module({ imports: [CoursesModule], controllers: [ResourcesController], providers: [ResourcesService, ResourcePages], exports: [ResourcesService] })
export class ResourcesModule {}
