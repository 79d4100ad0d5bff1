import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ResourcesModule } from '../resources/resources.module';
import { TeamsModule } from '../teams/teams.module';
import { TaskFormPage } from './task-form.page';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/**
 * Tasks of a course: the form, publishing, order, rubrics, linked resources. Phases, teams and
 * resources come from their modules' services; the work done on tasks is the submissions module's.
 */
@Module({
  imports: [CoursesModule, TeamsModule, ResourcesModule],
  controllers: [TasksController],
  providers: [TasksService, TaskFormPage],
  exports: [TasksService],
})
export class TasksModule {}
