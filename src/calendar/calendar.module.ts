import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { MeetingsModule } from '../meetings/meetings.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarPage } from './calendar-page';
import { CalendarAccountController, CalendarFeedController } from './calendar.controller';

/** Personal calendar feeds: the secret address (made, replaced, turned off) and the iCalendar feed it serves. */
@Module({
  imports: [RateLimitModule, UsersModule, CoursesModule, TeamsModule, TasksModule, SubmissionsModule, MeetingsModule],
  controllers: [CalendarAccountController, CalendarFeedController],
  providers: [CalendarFeedsService, CalendarFeedService, CalendarPage],
  exports: [CalendarFeedsService],
})
export class CalendarModule {}
