import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TasksModule } from '../tasks/tasks.module';
import { TasksController } from '../tasks/tasks.controller';
import { GalleryController } from './gallery.controller';
import { ReviewQueueService } from './review-queue.service';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';
import { ReviewsController } from './reviews.controller';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';
import { SubmissionPages } from './submission.page';
import { TeamsModule } from '../teams/teams.module';

/** Submissions with their versions, reviews and the review queue, the gallery. */
@Module({
  imports: [CoursesModule, TeamsModule, TasksModule],
  controllers: [TasksController, SubmissionsController, ReviewsController, GalleryController],
  providers: [SubmissionsService, ReviewQueueService, SharingAndDiscussionService, SubmissionPages],
  exports: [SubmissionsService, ReviewQueueService, SharingAndDiscussionService],
})
export class SubmissionsModule {}
