import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TasksController } from '../tasks/tasks.controller';
import { TasksService } from '../tasks/tasks.service';
import { ReviewQueueService } from './review-queue.service';
import { ReviewsController } from './reviews.controller';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

/** Tasks, submissions with their versions, reviews and the review queue. */
@Module({
  imports: [CoursesModule],
  controllers: [TasksController, SubmissionsController, ReviewsController],
  providers: [TasksService, SubmissionsService, ReviewQueueService],
})
export class SubmissionsModule {}
