import { Injectable } from '@nestjs/common';
import { isOwnTeam } from '../common/permissions';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader, languageList, timeline } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { ProgrammeService } from '../courses/programme.service';
import { ResourcesService } from '../resources/resources.service';
import { WorkStatusService } from '../submissions/work-status.service';
import { TasksService } from '../tasks/tasks.service';
import { TeamsService } from '../teams/teams.service';

/** The course home's view model, from the courses, teams, resources, tasks and submissions modules' services. */
@Injectable()
export class CourseHomePage {
  constructor(
    private readonly courses: CoursesService,
    private readonly programme: ProgrammeService,
    private readonly teams: TeamsService,
    private readonly resources: ResourcesService,
    private readonly tasks: TasksService,
    private readonly work: WorkStatusService,
  ) {}

  /**
   * Hand-written reads of just what the page shows, each through the module that owns the table
   * (decision 63): six queries after the access check, whatever the number of teams and tasks.
   */
  async build(v: CourseViewer) {
    const id = v.course.id;
    const [phases, programmeDays, teams, res] = await Promise.all([
      this.courses.phases(id),
      this.programme.daysWithSessions(id, v.course.timeZone),
      this.teams.summaries(id),
      this.resources.preview(id, 6),
    ]);
    const myTeams = teams.filter((t) => isOwnTeam(v, t.id));
    const line = timeline(v.course, phases);
    const tasks = await this.tasks.visibleRefs(v, line.current?.id ?? null);
    const progress = await this.work.progress(v, tasks, teams);
    const c = v.course;
    return {
      ...courseHeader(v, 'home'),
      title: c.title,
      summary: c.summary,
      organisers: c.organisers,
      participation: 'By invitation only',
      workingLanguage: languageList(c.workingLanguage),
      interpretation: languageList(c.interpretationLanguages),
      timeline: line,
      programmeDays,
      myTeams: myTeams.map((t) => ({ ...t, isLeader: v.leaderTeamIds.includes(t.id), asExpert: v.expertTeamIds.includes(t.id) })),
      teamCount: teams.length,
      // The tasks of the phase under way (or all, when no phase is), with where the work stands
      // for each team or person that concerns this person, each with its own due date.
      tasks: tasks.map(({ task }) => {
        const p = progress.get(task.id)!;
        const single = p.own.length === 1 && !p.teams.length ? p.own[0] : null;
        return {
          title: task.title,
          dueAt: single?.dueAt ?? task.dueAt,
          extendedFor: single?.extended ? single.owner : null,
          href: single ? single.href : `/courses/${id}/tasks/${task.id}`,
          taskHref: `/courses/${id}/tasks/${task.id}`,
          single,
          rows: single ? [] : [...p.own, ...p.teams],
          people: p.people,
        };
      }),
      resources: res.rows,
      resourceCount: res.total,
    };
  }
}
