import { Injectable } from '@nestjs/common';
import { Brackets, In } from 'typeorm';
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
   * The queue filter's choices: every workshop, task and team this person reviews, whether or not
   * something waits now. A value from the address that is not among them (an old bookmark, a typo)
   * is left out of the filter, and `ignored` says so.
   */
  async choices(user: SessionUser, given: QueueFilter) {
    const { staff, courseIds, teamIds } = await this.scope(user);
    const all = staff === null;
    const scopeTeams = all || courseIds.length || teamIds.length
      ? await this.db.repo(Team).find({ where: all ? {} : [...(courseIds.length ? [{ courseId: In(courseIds) }] : []), ...(teamIds.length ? [{ id: In(teamIds) }] : [])] })
      : [];
    const scopeCourseIds = [...new Set([...courseIds, ...scopeTeams.map((t) => t.courseId)])];
    const [allCourses, allTasks] = all || scopeCourseIds.length
      ? await Promise.all([
          this.db.repo(Course).find({ where: all ? {} : { id: In(scopeCourseIds) }, select: { id: true, title: true, status: true } }),
          this.db.repo(Task).find({ where: all ? {} : { courseId: In(scopeCourseIds) }, select: { id: true, title: true, courseId: true, status: true } }),
        ])
      : [[], []];
    // As in the queue: an expert (not facilitating the course) opens only published tasks of published courses.
    const manages = (courseId: number) => all || courseIds.includes(courseId);
    const courses = allCourses.filter((c) => manages(c.id) || c.status === 'published');
    const tasks = allTasks.filter((t) => manages(t.courseId) || (t.status === 'published' && courses.some((c) => c.id === t.courseId)));
    const teams = scopeTeams.filter((t) => courses.some((c) => c.id === t.courseId));
    const filter: QueueFilter = { ...given };
    let ignored = false;
    const keep = (key: 'course' | 'task' | 'team', known: (id: number) => boolean) => {
      if (filter[key] !== undefined && !known(filter[key]!)) {
        delete filter[key];
        ignored = true;
      }
    };
    keep('course', (id) => courses.some((c) => c.id === id));
    const inCourse = (courseId: number) => !filter.course || courseId === filter.course;
    keep('task', (id) => tasks.some((t) => t.id === id && inCourse(t.courseId)));
    keep('team', (id) => teams.some((t) => t.id === id && inCourse(t.courseId)));
    const several = courses.length > 1;
    const title = new Map(courses.map((c) => [c.id, c.title]));
    const options = (pairs: [number, string][]) => pairs.map(([id, label]) => ({ value: String(id), label })).sort((a, b) => a.label.localeCompare(b.label));
    return {
      filter,
      ignored,
      courses: options(courses.map((c) => [c.id, c.title])),
      tasks: options(tasks.filter((t) => inCourse(t.courseId)).map((t) => [t.id, several ? `${t.title} (${title.get(t.courseId)})` : t.title])),
      teams: options(teams.filter((t) => inCourse(t.courseId)).map((t) => [t.id, several ? `${teamName(t)} (${title.get(t.courseId)})` : teamName(t)])),
    };
  }

  async queue(user: SessionUser, filter: QueueFilter) {
    const { staff, courseIds, teamIds } = await this.scope(user);
    if (staff !== null && !courseIds.length && !teamIds.length) return { rows: [], total: 0 };

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
      .where('s.status IN (:...statuses)', { statuses: filter.status ? [filter.status] : ['submitted', 'resubmitted', 'in_review'] })
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
    if (filter.course) qb.andWhere('t.course_id = :course', { course: filter.course });
    if (filter.task) qb.andWhere('t.id = :task', { task: filter.task });
    if (filter.team) qb.andWhere('s.team_id = :team', { team: filter.team });
    if (filter.late) qb.andWhere('s.late = :late', { late: true });
    const raw = await qb
      .select([
        's.id AS id', 's.status AS status', 's.late AS late', 's.team_id AS team_id', 's.user_id AS user_id',
        't.id AS task_id', 't.title AS task_title', 'c.id AS course_id', 'c.title AS course_title',
        'tm.country AS country', 'tm.city AS city', 'u.name AS user_name', 'lv.waiting_since AS waiting_since', 'lv.latest AS latest',
      ])
      .orderBy('waiting_since', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(200)
      .getRawMany();
    const rows = raw.map((r) => ({
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
    return { rows, total: rows.length };
  }
}
