import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EventsModule } from '../events/events.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityPage } from './availability.page';
import { AvailabilityService } from './availability.service';
import { Clock } from './clock';
import { MeetingsController } from './meetings.controller';
import { MeetingsPage } from './meetings.page';
import { MeetingsService } from './meetings.service';

/** Meetings with experts: each expert's availability for a course, booking from its free slots, the meetings' pages and .ics. */
@Module({
  imports: [CoursesModule, TeamsModule, UsersModule, EventsModule],
  controllers: [AvailabilityController, MeetingsController],
  providers: [AvailabilityService, AvailabilityPage, Clock, MeetingsService, MeetingsPage],
  exports: [AvailabilityService, MeetingsService, Clock],
})
export class MeetingsModule {}
