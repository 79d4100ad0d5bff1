import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TasksService } from './tasks.service';

/** Tasks of a course: the form, publishing, order, rubrics, linked resources. */
@Module({ imports: [CoursesModule], providers: [TasksService], exports: [TasksService] })
export class TasksModule {}
