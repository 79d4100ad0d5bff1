import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { can } from '../common/permissions';
import { CourseAccessService, type CourseViewer } from '../courses/course-access.service';
import { CoursesService } from '../courses/courses.service';
import { ReadSnapshots } from '../database/read-snapshots';
import { Clock } from '../meetings/clock';
import { ReviewQueueService, type WaitingRow } from '../submissions/review-queue.service';
import { ROLE_LABELS, type SessionUser } from '../users/user.view';
import { HomePanels } from './home-panels.page';

/** Panels are shown for this many workshops at most (those under way first, then the next to start). */
export const PANEL_COURSES = 2;

/**
 * The dashboard's view model: for each workshop under way or coming that the person takes part in
 * (not as a facilitator), their team's panel and/or their expert panel; then their courses, what
 * comes next, and the review queue's size.
 */
@Injectable()
export class DashboardPage {
  constructor(
    private readonly courses: CoursesService,
    private readonly queue: ReviewQueueService,
    private readonly access: CourseAccessService,
    private readonly panels: HomePanels,
    private readonly clock: Clock,
    private readonly snapshots: ReadSnapshots,
  ) {}

  /** The workshops to show panels for: published, not finished, not facilitated by this person; under way first, then the soonest. */
  private async viewersFor(me: SessionUser, rows: { id: number; status: string; startsOn: string; endsOn: string; canManage: boolean }[], now: Date) {
    const today = now.toISOString().slice(0, 10);
    const chosen = rows
      .filter((c) => !c.canManage && c.status === 'published' && c.endsOn >= today)
      .sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id)
      .slice(0, PANEL_COURSES);
    return Promise.all(
      chosen.map((c) =>
        this.access.viewer(me, c.id).catch((err: unknown) => {
          if (err instanceof NotFoundError) return null; // no longer theirs since the list was read
          throw err;
        }),
      ),
    );
  }

  private async panelsFor(viewers: (CourseViewer | null)[], waiting: WaitingRow[], now: Date) {
    const built = await Promise.all(
      viewers.map(async (v) => {
        if (!v) return { teams: [], expert: null };
        const [teams, expert] = await Promise.all([
          Promise.all([...v.memberTeamIds].sort((a, b) => a - b).map((teamId) => this.panels.team(v, teamId, now))),
          this.panels.expert(v, waiting, now),
        ]);
        return { teams: teams.filter((t) => t !== null), expert };
      }),
    );
    return {
      teamPanels: built.flatMap((b) => b.teams),
      expertPanels: built.map((b) => b.expert).filter((e) => e !== null),
    };
  }

  /** The home, kept while nothing is written (ReadSnapshots, decision 74), for this person. */
  async build(me: SessionUser) {
    const now = this.clock.now();
    // A shallow copy: the renderer writes into the object it is given, and the snapshot is shared.
    return { ...(await this.snapshots.read(`home:${me.id}`, now, () => this.compute(me, now))) };
  }

  private async compute(me: SessionUser, now: Date) {
    const courses = await this.courses.homeLists(me);
    const upcoming = courses.upcoming;
    const viewers = await this.viewersFor(me, courses.rows, now);
    // What waits for this person's feedback, read once: the figure below and each expert panel's
    // reviews (with names only when an expert panel shows them).
    const canQueue = can(me.role, 'reviews.queue');
    const experts = viewers.some((v) => v?.isExpert);
    const waiting = canQueue || experts ? await this.queue.waiting(me, { names: experts }) : [];
    const queue = canQueue ? this.queue.waitingIn(waiting).total : null;
    const { teamPanels, expertPanels } = await this.panelsFor(viewers, waiting, now);
    return {
      title: 'Home',
      teamPanels,
      expertPanels,
      hasPanels: teamPanels.length + expertPanels.length > 0,
      nav: 'home',
      roleLabel: ROLE_LABELS[me.role],
      canManageUsers: can(me.role, 'users.manage'),
      canInvite: can(me.role, 'invitations.manage'),
      canCreate: can(me.role, 'courses.create'),
      courses: courses.rows.slice(0, 5).map((c) => ({ id: c.id, title: c.title, startsOn: c.startsOn, endsOn: c.endsOn })),
      moreCourses: courses.total > 5,
      upcoming,
      waiting: queue,
    };
  }
}
