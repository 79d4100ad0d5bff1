import { Injectable } from '@nestjs/common';
import { can } from '../common/permissions';
import { CoursesService } from '../courses/courses.service';
import { ReviewQueueService } from '../submissions/review-queue.service';
import { ROLE_LABELS, type SessionUser } from '../users/user.view';

/** The dashboard's view model: the person's courses, what comes next, and the review queue's size. */
@Injectable()
export class DashboardPage {
  constructor(
    private readonly courses: CoursesService,
    private readonly queue: ReviewQueueService,
  ) {}

  async build(me: SessionUser) {
    const [courses, upcoming, queue] = await Promise.all([
      this.courses.listFor(me, 1),
      this.courses.upcomingFor(me),
      can(me.role, 'reviews.queue') ? this.queue.waitingCount(me) : Promise.resolve(null),
    ]);
    return {
      title: 'Home',
      nav: 'home',
      roleLabel: ROLE_LABELS[me.role],
      canManageUsers: can(me.role, 'users.manage'),
      canInvite: can(me.role, 'invitations.manage'),
      canCreate: can(me.role, 'courses.create'),
      courses: courses.rows.slice(0, 5),
      moreCourses: courses.total > 5,
      upcoming,
      waiting: queue,
    };
  }
}
