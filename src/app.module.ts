import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AccessGuard } from './common/access.guard';
import { BackgroundModule } from './common/background';
import { AppExceptionFilter } from './common/app-exception.filter';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { OutboxModule } from './outbox/outbox.module';
import { HealthService } from './health/health';
import { DashboardsModule } from './dashboards/dashboards.module';
import { HomeModule } from './home/home.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { InvitationsModule } from './invitations/invitations.module';
import { TeamInvitationsModule } from './invitations/team-invitations.provider';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';
import { MeetingsModule } from './meetings/meetings.module';
import { CalendarModule } from './calendar/calendar.module';
import { ReportsModule } from './reports/reports.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';
import { CoursesModule } from './courses/courses.module';
import { CourseRoleCountsModule } from './courses/course-staff.service';
import { FilesModule } from './files/files.module';
import { ResourcesModule } from './resources/resources.module';
import { TeamsModule } from './teams/teams.module';
import { TeamMembershipsModule } from './teams/team-memberships.provider';
import { SubmissionsModule } from './submissions/submissions.module';
import { TasksModule } from './tasks/tasks.module';
import { WorkerModule } from './worker/worker.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventsModule,
        OutboxModule,
        MailModule,
        BackgroundModule,
        FilesModule,
        SessionsModule,
        AuthModule,
        UsersModule,
        InvitationsModule,
        TeamInvitationsModule,
        TeamMembershipsModule,
        CourseRoleCountsModule,
        CoursesModule,
        TeamsModule,
        ResourcesModule,
        TasksModule,
        SubmissionsModule,
        MeetingsModule,
        HomeModule,
        DashboardsModule,
        HousekeepingModule,
        NotificationsModule,
        CalendarModule,
        AuditModule,
        ReportsModule,
        WorkerModule,
      ],
      providers: [HealthService, { provide: APP_GUARD, useClass: AccessGuard }, { provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
