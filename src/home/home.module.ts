import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { ResourcesModule } from '../resources/resources.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { CourseHomeController } from './course-home.controller';
import { CourseHomePage } from './course-home.page';
import { CourseSetupController } from './course-setup.controller';
import { CourseSetupPage } from './course-setup.page';
import { DashboardPage } from './dashboard.page';
import { HomeController } from './home.controller';
import { HomePanels } from './home-panels.page';
import { TaskPagesController } from './task-pages.controller';
import { TaskPages } from './task-pages.page';

/**
 * Pages where several modules' data meet: the dashboard (with the team and expert panels), the course home, the course set-up page and the task pages. They read through
 * the other modules' exported services, never their tables.
 */
@Module({
  imports: [CoursesModule, TeamsModule, ResourcesModule, TasksModule, SubmissionsModule, MeetingsModule, UsersModule],
  controllers: [HomeController, CourseHomeController, CourseSetupController, TaskPagesController],
  providers: [CourseHomePage, CourseSetupPage, TaskPages, DashboardPage, HomePanels],
})
export class HomeModule {}
