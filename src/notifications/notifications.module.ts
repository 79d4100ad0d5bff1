import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { NotificationDelivery } from './notification-delivery';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { NotificationsWorker } from './notifications.worker';

/** Notifications: the in-app list, preferences, and the worker jobs that turn events into notifications, reminders and digests. */
@Module({
  imports: [UsersModule, CoursesModule, TeamsModule, TasksModule, SubmissionsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationDelivery, NotificationsWorker],
  exports: [NotificationsService, NotificationsWorker],
})
export class NotificationsModule {}
