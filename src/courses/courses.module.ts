import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { ResourcesService } from '../resources/resources.service';
import { TeamsService } from '../teams/teams.service';
import { TasksService } from '../tasks/tasks.service';
import { COURSE_ACCESS } from '../common/course-access.port';
import { CourseAccessService } from './course-access.service';
import { CoursesController } from './courses.controller';
import { CoursesService } from './courses.service';
import { ProgrammeService } from './programme.service';

/** Courses with their phases and programme; also provides the team, resource and task services they show. */
@Module({
  imports: [InvitationsModule],
  controllers: [CoursesController],
  providers: [CourseAccessService, { provide: COURSE_ACCESS, useExisting: CourseAccessService }, CoursesService, ProgrammeService, TeamsService, ResourcesService, TasksService],
  exports: [CourseAccessService, COURSE_ACCESS, CoursesService, ProgrammeService, TeamsService, ResourcesService, TasksService],
})
export class CoursesModule {}
