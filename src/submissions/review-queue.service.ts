import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { holdsCourseRole } from '../common/permissions';
import { Course } from '../courses/course.entity';
import { CourseMember } from '../courses/course-member.entity';
import { Database } from '../database/database.service';
import { Task } from '../tasks/task.entity';
import { Team } from '../teams/team.entity';
import { TeamExpert } from '../teams/team-expert.entity';
import { teamName } from '../teams/team.view';
import { User } from '../users/user.entity';
import type { SessionUser } from '../users/user.view';
import { Submission, type SubmissionStatus, SubmissionVersion } from './submission.entity';
import { ownerParam } from './submissions.service';
import { STATUS_LABELS } from './workflow';

export interface QueueFilter {
  course?: number;
  task?: number;
  team?: number;
  status?: 'submitted' | 'resubmitted' | 'in_review';
  late?: boolean;
}

/**
 * Submissions waiting for feedback from this person: every team of the courses they facilitate,
 * and the teams assigned to them as an expert. Only what the row's link opens is listed (the same
 * rules as the submission page: course roles the site role allows, published course and task for
 * experts, the task's audience). Oldest waiting first; three queries whatever the size.
 */
@Injectable()
export class ReviewQueueService {
  constructor(private readonly db: Database) {}

  /**
   * Facilitated courses (staff null: an admin, who sees everything) and the teams one advises as an
   * expert, counted only while the site role allows the course role.
   */
  private async scope(user: SessionUser) {
    const none = Promise.resolve([]);
    const [staff, expertTeams] = await Promise.all([
      user.role === 'admin' ? Promise.resolve(null) : holdsCourseRole(user.role, 'facilitator') ? this.db.repo(CourseMember).findBy({ userId: user.id, role: 'facilitator' }) : none,
      // Assignments count while the person is still an expert of that team's course.
      holdsCourseRole(user.role, 'expert')
        ? this.db
            .repo(TeamExpert)
            .createQueryBuilder('e')
            .innerJoin(Team, 'et', 'et.id = e.team_id')
            .innerJoin(CourseMember, 'cm', "cm.course_id = et.course_id AND cm.user_id = e.user_id AND cm.role = 'expert'")
            .where('e.user_id = :uid', { uid: user.id })
            .getMany()
        : none,
    ]);
    return { staff, courseIds: staff?.map((s) => s.courseId) ?? [], teamIds: expertTeams.map((e) => e.teamId) };
  }

  /**
   * What waits, filtered. The filter's choices are the workshops, tasks and teams of what waits
   * (before filtering), so every choice leads somewhere; a value from the address that is not
   * among them (an old bookmark, something no longer waiting, a typo) still filters, and
   * `unmatched` says so, so the page can explain the empty list instead of showing a filter set to
   * "All". Filtering happens on the fetched rows: one query whatever the filter.
   */
  async queue(user: SessionUser, filter: QueueFilter) {
    const { staff, courseIds, teamIds } = await this.scope(user);
    if (staff !== null && !courseIds.length && !teamIds.length) return { rows: [], total: 0, courses: [], tasks: [], teams: [], unmatched: [] as string[] };

    const qb = this.db
      .repo(Submission)
      .createQueryBuilder('s')
      .innerJoin(Task, 't', 't.id = s.task_id')
      .innerJoin(Course, 'c', 'c.id = t.course_id')
      .leftJoin(Team, 'tm', 'tm.id = s.team_id')
      .leftJoin(User, 'u', 'u.id = s.user_id')
      .innerJoin(
        (sub) => sub.select('v.submission_id', 'sid').addSelect('MAX(v.submitted_at)', 'waiting_since').addSelect('MAX(v.number)', 'latest').from(SubmissionVersion, 'v').groupBy('v.submission_id'),
        'lv',
        'lv.sid = s.id',
      )
      .where('s.status IN (:...statuses)', { statuses: ['submitted', 'resubmitted', 'in_review'] })
      // The task is (still) for this team, or for a team of this person's in the course.
      .andWhere(
        new Brackets((w) =>
          w
            .where("s.team_id IS NOT NULL AND (t.audience = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = t.id AND tt.team_id = s.team_id))")
            .orWhere(
              "s.user_id IS NOT NULL AND EXISTS (SELECT 1 FROM team_members om INNER JOIN teams ot ON ot.id = om.team_id WHERE om.user_id = s.user_id AND ot.course_id = t.course_id AND (t.audience = 'all' OR EXISTS (SELECT 1 FROM task_teams tt2 WHERE tt2.task_id = t.id AND tt2.team_id = om.team_id)))",
            ),
        ),
      );
    if (staff !== null) {
      qb.andWhere(
        new Brackets((w) => {
          if (courseIds.length) w.orWhere('t.course_id IN (:...courseIds)', { courseIds });
          // Experts open only published tasks of published courses.
          if (teamIds.length) w.orWhere("(s.team_id IN (:...teamIds) AND c.status = 'published' AND t.status = 'published')", { teamIds });
        }),
      );
    }
    const raw = await qb
      .select([
        's.id AS id', 's.status AS status', 's.late AS late', 's.team_id AS team_id', 's.user_id AS user_id',
        't.id AS task_id', 't.title AS task_title', 'c.id AS course_id', 'c.title AS course_title',
        'tm.country AS country', 'tm.city AS city', 'u.name AS user_name', 'lv.waiting_since AS waiting_since', 'lv.latest AS latest',
      ])
      .orderBy('waiting_since', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(1000)
      .getRawMany();
    const waiting = raw.map((r) => ({
      id: Number(r.id),
      status: r.status as SubmissionStatus,
      statusLabel: STATUS_LABELS[r.status as SubmissionStatus],
      late: r.late === true || r.late === 1 || r.late === '1',
      courseId: Number(r.course_id),
      courseTitle: r.course_title as string,
      taskId: Number(r.task_id),
      taskTitle: r.task_title as string,
      owner: r.team_id ? teamName({ country: r.country, city: r.city }) : (r.user_name as string),
      teamId: r.team_id ? Number(r.team_id) : null,
      href: `/courses/${r.course_id}/tasks/${r.task_id}/submissions/${ownerParam({ teamId: r.team_id ? Number(r.team_id) : null, userId: r.user_id ? Number(r.user_id) : null })}`,
      latest: Number(r.latest),
      waitingSince: r.waiting_since instanceof Date ? r.waiting_since : new Date(String(r.waiting_since).replace(' ', 'T') + (String(r.waiting_since).endsWith('Z') || /[+-]\d\d(:?\d\d)?$/.test(String(r.waiting_since)) ? '' : 'Z')),
    }));
    const options = (pairs: [number | null, string][]) =>
      [...new Map(pairs.filter(([id]) => id !== null).map(([id, label]) => [id, { value: String(id), label }])).values()].sort((a, b) => a.label.localeCompare(b.label));
    const courses = options(waiting.map((r) => [r.courseId, r.courseTitle]));
    const inCourse = waiting.filter((r) => !filter.course || r.courseId === filter.course);
    const tasks = options(inCourse.map((r) => [r.taskId, courses.length > 1 ? `${r.taskTitle} (${r.courseTitle})` : r.taskTitle]));
    const teams = options(inCourse.map((r) => [r.teamId, r.owner]));
    const unmatched = [
      ...(filter.course && !courses.some((o) => o.value === String(filter.course)) ? ['workshop'] : []),
      ...(filter.task && !tasks.some((o) => o.value === String(filter.task)) ? ['task'] : []),
      ...(filter.team && !teams.some((o) => o.value === String(filter.team)) ? ['team'] : []),
    ];
    const rows = inCourse
      .filter((r) => (!filter.task || r.taskId === filter.task) && (!filter.team || r.teamId === filter.team) && (!filter.status || r.status === filter.status) && (!filter.late || r.late))
      .slice(0, 200);
    return { rows, total: rows.length, courses, tasks, teams, unmatched };
  }
}
