import { Controller, Get, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public, SignedIn } from '../common/access.decorator';
import { can } from '../common/permissions';
import { ROLE_LABELS } from '../users/user.view';
import { CoursesService } from '../courses/courses.service';
import { ReviewQueueService } from '../submissions/review-queue.service';

@Controller()
export class HomeController {
  constructor(
    private readonly courses: CoursesService,
    private readonly queue: ReviewQueueService,
  ) {}

  @Get()
  @Public()
  root(@Req() req: Request, @Res() res: Response) {
    res.redirect(303, req.user ? '/dashboard' : '/sign-in');
  }

  @Get('dashboard')
  @SignedIn()
  @Render('home/dashboard')
  async dashboard(@Req() req: Request) {
    const me = req.user!;
    const [courses, upcoming, queue] = await Promise.all([
      this.courses.listFor(me, 1),
      this.courses.upcomingFor(me),
      can(me.role, 'reviews.queue') ? this.queue.queue(me, {}) : Promise.resolve(null),
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
      waiting: queue ? queue.total : null,
    };
  }
}
