import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TasksController } from '../tasks/tasks.controller';
import { GalleryController } from './gallery.controller';
import { ReviewQueueService } from './review-queue.service';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';
import { ReviewsController } from './reviews.controller';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

/** Tasks, submissions with their versions, reviews and the review queue. */
@Module({
  imports: [CoursesModule],
  controllers: [TasksController, SubmissionsController, ReviewsController, GalleryController],
  providers: [SubmissionsService, ReviewQueueService, SharingAndDiscussionService],
  exports: [ReviewQueueService],
})
export class SubmissionsModule {}
