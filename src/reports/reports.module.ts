import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { ReportsController } from './reports.controller';
import { ReportPages } from './report.page';

/**
 * The course report: numbers for the organisers, read through the other modules' services
 * (events through the global EventLogService), charts drawn as SVG on the server. It only reads.
 */
@Module({
  imports: [CoursesModule, TeamsModule, TasksModule, SubmissionsModule, InvitationsModule, MeetingsModule],
  controllers: [ReportsController],
  providers: [ReportPages],
})
export class ReportsModule {}
