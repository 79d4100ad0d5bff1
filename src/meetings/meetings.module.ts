import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TeamsModule } from '../teams/teams.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityPage } from './availability.page';
import { AvailabilityService } from './availability.service';
import { Clock } from './clock';

/** Meetings with experts: so far, each expert's availability for a course and the slots it offers. */
@Module({
  imports: [CoursesModule, TeamsModule],
  controllers: [AvailabilityController],
  providers: [AvailabilityService, AvailabilityPage, Clock],
  exports: [AvailabilityService, Clock],
})
export class MeetingsModule {}
