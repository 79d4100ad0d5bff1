import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ResourcesController } from './resources.controller';

@Module({ imports: [CoursesModule], controllers: [ResourcesController] })
export class ResourcesModule {}
