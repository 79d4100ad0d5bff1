import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EventsModule } from '../events/events.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { CourseDashboardPage } from './course-dashboard.page';
import { DashboardsController } from './dashboards.controller';

/**
 * Dashboards: pages that follow a whole course at a glance (decision 59). They own no tables and
 * read the other modules through their exported services.
 */
@Module({
  imports: [CoursesModule, TeamsModule, TasksModule, SubmissionsModule, MeetingsModule, EventsModule],
  controllers: [DashboardsController],
  providers: [CourseDashboardPage],
})
export class DashboardsModule {}
