import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EventsModule } from '../events/events.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityPage } from './availability.page';
import { AvailabilityService } from './availability.service';
import { Clock } from './clock';
import { MeetingRecordsController } from './meeting-records.controller';
import { MeetingRecordsPage } from './meeting-records.page';
import { MeetingRecordsService } from './meeting-records.service';
import { MeetingsController } from './meetings.controller';
import { MeetingsPage } from './meetings.page';
import { MeetingsService } from './meetings.service';
import { ScheduleController } from './schedule.controller';
import { SchedulePage } from './schedule.page';
import { MeetingScheduleService } from './schedule.service';
import { WorkingHoursController } from './working-hours.controller';
import { WorkingHoursService } from './working-hours.service';

/** Meetings: each expert's availability for a course, booking from its free slots, meetings facilitators schedule (with the slot finder and everyone's working hours), the meetings' pages and .ics. */
@Module({
  imports: [CoursesModule, TeamsModule, UsersModule, EventsModule, TasksModule],
  // ScheduleController before MeetingsController: its /meetings/new and /meetings/find come before /meetings/:meetingId.
  controllers: [AvailabilityController, ScheduleController, MeetingsController, MeetingRecordsController, WorkingHoursController],
  providers: [
    AvailabilityService,
    AvailabilityPage,
    Clock,
    MeetingsService,
    MeetingsPage,
    MeetingRecordsService,
    MeetingRecordsPage,
    MeetingScheduleService,
    SchedulePage,
    WorkingHoursService,
  ],
  exports: [AvailabilityService, MeetingsService, Clock],
})
export class MeetingsModule {}
