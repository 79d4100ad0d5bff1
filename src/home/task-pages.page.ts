import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { SharingAndDiscussionService } from '../submissions/sharing-and-discussion.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';

/**
 * The pages that show the work done on a course's tasks: the task list with the viewer's own
 * statuses, a task's page with every team or person the viewer may see, and the back-to-draft
 * confirmation. Tasks come from the tasks module, the work on them from the submissions module.
 */
@Injectable()
export class TaskPages {
  constructor(
    private readonly tasks: TasksService,
    private readonly courses: CoursesService,
    private readonly work: WorkStatusService,
    private readonly sharing: SharingAndDiscussionService,
  ) {}

  /** Tasks by phase, with the status of the viewer's own submissions (four queries). */
  async list(v: CourseViewer) {
    const [visible, phases] = await Promise.all([this.tasks.visible(v), this.courses.phases(v.course.id)]);
    const mine = await this.work.mine(
      v,
      visible.map((x) => x.task),
    );
    const zone = v.course.timeZone;
    return {
      ...courseHeader(v, 'tasks'),
      title: `Tasks: ${v.course.title}`,
      phases: phases.map((p) => ({
        title: p.title,
        tasks: visible
          .filter((x) => x.task.phaseId === p.id)
          .map(({ task, teamIds }) => ({
            ...this.tasks.view(task, zone),
            mine: mine.get(task.id) ?? [],
            forTeams: task.audience === 'all' ? 'All teams' : `${teamIds.length} selected team(s)`,
          })),
      })),
      hasTasks: visible.length > 0,
    };
  }

  /** A task's page: instructions, resources, and where the work of each team or person stands. */
  async show(v: CourseViewer, taskId: number) {
    const { task, teamIds } = await this.tasks.withTeams(v, taskId);
    const [teams, resources] = await Promise.all([this.tasks.teamsFor(task, teamIds), this.tasks.resourcesFor(task.id)]);
    const { rows, counts } = await this.work.taskRows(v, task, teams);
    return {
      ...courseHeader(v, 'tasks'),
      title: task.title,
      task: this.tasks.view(task, v.course.timeZone),
      resources,
      rows,
      counts,
      isOverview: v.canManage || v.isExpert,
    };
  }

  /** What taking a published task back to draft does to the teams' work. */
  async unpublish(m: CourseManager, taskId: number) {
    const task = await this.tasks.task(m, taskId);
    return {
      ...courseHeader(m, 'tasks'),
      title: `Back to draft: ${task.title}`,
      task: { id: task.id, title: task.title, isTeam: task.kind === 'team', published: task.status === 'published' },
      ...(await this.work.unpublishCounts(task.id)),
    };
  }

  /** Every team's (or person's) latest version of a task as one ZIP. */
  async download(m: CourseManager, taskId: number, res: Response): Promise<void> {
    await this.sharing.zip(m, await this.tasks.task(m, taskId), res);
  }
}
