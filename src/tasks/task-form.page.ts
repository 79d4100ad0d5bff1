import { Injectable } from '@nestjs/common';
import { SNIFFED_LABELS } from '../common/file-sniff';
import { type ConflictField, editConflictView, show } from '../common/edit-conflict';
import { addDays, localDate } from '../common/zoned-time';
import type { CourseManager } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { ResourcesService } from '../resources/resources.service';
import { TeamsService } from '../teams/teams.service';
import { DEFAULT_FILE_TYPES, TasksService } from './tasks.service';

const FILE_TYPE_OPTIONS = Object.entries(SNIFFED_LABELS).map(([value, label]) => ({ value, label }));

type Option = { value: string; label: string };
/** The task form's fields, for the page shown when someone else saved the task first. */
function taskFields(form: { phases: Option[]; kinds: Option[]; teams: Option[]; resources: Option[]; audiences: Option[] }): ConflictField[] {
  return [
    { label: 'Title', show: show.text('title') },
    { label: 'Phase', show: show.choice('phaseId', form.phases) },
    { label: 'Who submits', show: show.choice('kind', form.kinds) },
    { label: 'Instructions', show: show.text('instructions') },
    { label: 'Opens', show: show.joined('opensDay', 'opensTime') },
    { label: 'Due', show: show.joined('dueDay', 'dueTime') },
    { label: 'Cut-off', show: show.joined('cutOffDay', 'cutOffTime') },
    { label: 'Resources', show: show.choices('resourceIds', form.resources) },
    { label: 'Text expected', show: show.flag('expectsText') },
    { label: 'Files expected', show: show.flag('expectsFiles') },
    { label: 'Allowed file types', show: show.choices('allowedTypes', FILE_TYPE_OPTIONS) },
    { label: 'Maximum number of files', show: show.text('maxFiles') },
    { label: 'Rubric', show: show.text('rubric') },
    { label: 'Teams', show: show.choice('audience', form.audiences) },
    { label: 'Selected teams', show: show.choices('teamIds', form.teams) },
  ];
}

/** The task form (new and edit): phases from the course, teams and resources from their modules. */
@Injectable()
export class TaskFormPage {
  constructor(
    private readonly tasks: TasksService,
    private readonly courses: CoursesService,
    private readonly teams: TeamsService,
    private readonly resources: ResourcesService,
  ) {}

  async build(m: CourseManager, taskId?: number) {
    const id = m.course.id;
    const [phases, teams, resources] = await Promise.all([this.courses.phases(id), this.teams.names(id), this.resources.options(id)]);
    const task = taskId ? await this.tasks.withTeams(m, taskId) : undefined;
    const zone = m.course.timeZone;
    const today = localDate(new Date(), zone);
    return {
      ...courseHeader(m, 'tasks'),
      title: task ? `Edit task: ${task.task.title}` : 'New task',
      task: task ? { id: task.task.id } : null,
      updatedAt: task?.task.updatedAt,
      zone,
      phases: phases.map((p) => ({ value: String(p.id), label: p.title })),
      teams: teams.map((t) => ({ value: String(t.id), label: t.name })).sort((a, b) => a.label.localeCompare(b.label)),
      fileTypes: FILE_TYPE_OPTIONS,
      resources: resources.map((r) => ({ value: String(r.id), label: r.title })),
      kinds: [
        { value: 'team', label: 'Team task: one shared submission per team (members edit, the leader submits)' },
        { value: 'individual', label: 'Individual task: each participant submits' },
      ],
      audiences: [
        { value: 'all', label: 'All teams' },
        { value: 'selected', label: 'Selected teams' },
      ],
      values: task
        ? this.tasks.formValues(task.task, zone, task.teamIds, await this.tasks.resourceIdsFor(task.task.id))
        : {
            kind: 'team',
            audience: 'all',
            opensDay: today,
            opensTime: '00:00',
            dueDay: addDays(today, 14),
            dueTime: '17:00',
            expectsText: 'on',
            expectsFiles: 'on',
            allowedTypes: DEFAULT_FILE_TYPES,
            maxFiles: 3,
            rubric: '',
            instructions: '',
          },
    };
  }

  /** The form again after someone else saved the task first: what this person typed, beside the saved task. */
  async conflict(m: CourseManager, taskId: number, typed: Record<string, unknown>) {
    const fresh = await this.build(m, taskId);
    return editConflictView(fresh, typed, taskFields(fresh), {
      what: 'task',
      savedAt: fresh.updatedAt!,
      discardHref: `/courses/${m.course.id}/tasks/${taskId}/edit`,
    });
  }
}
