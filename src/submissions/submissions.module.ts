import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TasksModule } from '../tasks/tasks.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { GalleryController } from './gallery.controller';
import { ReviewQueueService } from './review-queue.service';
import { SharingAndDiscussionService } from './sharing-and-discussion.service';
import { ReviewsController } from './reviews.controller';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';
import { WorkStatusService } from './work-status.service';
import { SubmissionPages } from './submission.page';

/** Submissions with their versions, reviews and the review queue, the gallery. */
@Module({
  imports: [UsersModule, CoursesModule, TeamsModule, TasksModule],
  controllers: [SubmissionsController, ReviewsController, GalleryController],
  providers: [SubmissionsService, ReviewQueueService, SharingAndDiscussionService, WorkStatusService, SubmissionPages],
  exports: [SubmissionsService, ReviewQueueService, SharingAndDiscussionService, WorkStatusService],
})
export class SubmissionsModule {}
