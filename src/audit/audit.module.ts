import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { CourseAuditController, SiteAuditController } from './audit.controller';
import { AuditPages } from './audit.page';

/**
 * The audit log: who did what and when, read from the domain events (EventLogService), with names
 * from the modules that own them. It only reads: no route edits or deletes an event.
 */
@Module({
  imports: [UsersModule, CoursesModule, TeamsModule, TasksModule, SubmissionsModule],
  controllers: [SiteAuditController, CourseAuditController],
  providers: [AuditPages],
})
export class AuditModule {}
