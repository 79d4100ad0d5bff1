import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { IdPipe, parseId } from '../common/ids';
import type { Request, Response } from 'express';
import { IsIn, IsOptional } from 'class-validator';
import { SignedIn } from '../common/access.decorator';
import { NotFoundError } from '../common/errors';
import { SNIFFED_LABELS } from '../common/file-sniff';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { BodyLimit, longTextLimit } from '../common/request-body';
import { addDays, localDate } from '../common/zoned-time';
import { CourseAccessService } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { EditConflictError } from '../common/errors';
import { type ConflictField, editConflictView, show } from '../common/edit-conflict';
import { Database } from '../database/database.service';
import { Submission, SubmissionVersion } from '../submissions/submission.entity';
import { ownerParam } from '../submissions/submissions.service';
import { STATUS_LABELS } from '../submissions/workflow';
import { SharingAndDiscussionService } from '../submissions/sharing-and-discussion.service';
import { Team } from '../teams/team.entity';
import { Resource } from '../resources/resource.entity';
import { TeamMember } from '../teams/team-member.entity';
import { teamName } from '../teams/team.view';
import { In, IsNull, Not } from 'typeorm';
import { EditTaskDto, TaskDto } from './dto/task.dto';
import { DEFAULT_FILE_TYPES, TasksService } from './tasks.service';

class TaskStatusDto {
  @IsIn(['draft', 'published'])
  status: 'draft' | 'published';

  /** Taking a published task back to draft needs the confirmation page's button. */
  @IsOptional()
  @IsIn(['yes'])
  confirm?: 'yes';
}
class MoveDto {
  @IsIn(['up', 'down'])
  direction: 'up' | 'down';
}

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

@Controller('courses/:id/tasks')
@SignedIn()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly access: CourseAccessService,
    private readonly courses: CoursesService,
    private readonly db: Database,
    private readonly sharing: SharingAndDiscussionService,
  ) {}

  /** Tasks by phase, with the status of the viewer's own submissions (four queries). */
  @Get()
  @Render('tasks/index')
  async index(@Param('id', IdPipe) id: number, @Req() req: Request) {
    const v = await this.access.viewer(req.user!, id);
    const [visible, phases] = await Promise.all([this.tasks.visible(v), this.courses.phases(id)]);
    const ownerKeys = [...v.memberTeamIds.map((t) => `team:${t}`), `user:${v.user.id}`];
    const subs = visible.length ? await this.db.repo(Submission).findBy({ taskId: In(visible.map((x) => x.task.id)), ownerKey: In(ownerKeys) }) : [];
    const zone = v.course.timeZone;
    return {
      ...courseHeader(v, 'tasks'),
      title: `Tasks: ${v.course.title}`,
      phases: phases.map((p) => ({
        title: p.title,
        tasks: visible
          .filter((x) => x.task.phaseId === p.id)
          .map(({ task, teamIds }) => {
            const mine = subs.filter((s) => s.taskId === task.id && (task.kind === 'team' ? s.teamId !== null : s.userId === v.user.id));
            return {
              ...this.tasks.view(task, zone),
              mine: mine.map((s) => ({ status: STATUS_LABELS[s.status], late: s.late })),
              forTeams: task.audience === 'all' ? 'All teams' : `${teamIds.length} selected team(s)`,
            };
          }),
      })),
      hasTasks: visible.length > 0,
    };
  }

  @Get('new')
  @Render('tasks/form')
  async newTask(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.formContext(req, id);
  }

  @Post()
  @BodyLimit(longTextLimit(40_000)) // instructions and rubric, 20,000 characters each
  @FormView('tasks/form', 'formContext')
  async create(@Param('id', IdPipe) id: number, @Body() dto: TaskDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const task = await this.tasks.create(v, dto);
    flash(req, 'success', `Task “${task.title}” created as a draft. Publish it when teams should see it.`);
    res.redirect(303, `/courses/${id}/tasks/${task.id}`);
  }

  @Get(':taskId')
  @Render('tasks/show')
  async show(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Req() req: Request) {
    const v = await this.access.viewer(req.user!, id);
    const task = await this.tasks.task(v, taskId);
    const teams = await this.tasks.teamsFor(task);
    const subs = await this.db.repo(Submission).findBy({ taskId: task.id });
    let rows: { owner: string; team?: string; href: string; status: string; late: boolean; updatedAt: Date | null }[] = [];
    if (task.kind === 'team') {
      const visibleTeams = teams.filter((t) => v.canManage || v.memberTeamIds.includes(t.id) || v.expertTeamIds.includes(t.id));
      rows = visibleTeams
        .map((t) => {
          const s = subs.find((x) => x.teamId === t.id);
          return { owner: teamName(t), href: `/courses/${id}/tasks/${task.id}/submissions/${ownerParam({ teamId: t.id, userId: null })}`, status: STATUS_LABELS[s?.status ?? 'not_started'], late: s?.late ?? false, updatedAt: s?.updatedAt ?? null };
        })
        .sort((a, b) => a.owner.localeCompare(b.owner));
    } else {
      const teamIds = teams.map((t) => t.id).filter((tid) => v.canManage || v.expertTeamIds.includes(tid));
      const members = teamIds.length ? await this.db.repo(TeamMember).find({ where: { teamId: In(teamIds) }, relations: { user: true } }) : [];
      const people = new Map(members.map((m) => [m.userId, m.user.name]));
      if (v.memberTeamIds.some((tid) => teams.some((t) => t.id === tid))) people.set(v.user.id, v.user.name);
      // Each person's team(s) in this task's audience, to tell people apart and follow teams.
      const teamOf = (userId: number) =>
        teams
          .filter((t) => members.some((m) => m.userId === userId && m.teamId === t.id) || (userId === v.user.id && v.memberTeamIds.includes(t.id)))
          .map(teamName)
          .sort()
          .join(', ');
      rows = [...people].map(([userId, name]) => {
        const s = subs.find((x) => x.userId === userId);
        return { owner: name, team: teamOf(userId), href: `/courses/${id}/tasks/${task.id}/submissions/${ownerParam({ teamId: null, userId })}`, status: STATUS_LABELS[s?.status ?? 'not_started'], late: s?.late ?? false, updatedAt: s?.updatedAt ?? null };
      }).sort((a, b) => a.team!.localeCompare(b.team!) || a.owner.localeCompare(b.owner));
    }
    const counts = Object.entries(STATUS_LABELS)
      .map(([, label]) => ({ label, count: rows.filter((r) => r.status === label).length }))
      .filter((c) => c.count > 0);
    return { ...courseHeader(v, 'tasks'), title: task.title, task: this.tasks.view(task, v.course.timeZone), resources: await this.tasks.resourcesFor(task.id), rows, counts, isOverview: v.canManage || v.isExpert };
  }

  @Get(':taskId/download.zip')
  async download(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    await this.sharing.zip(v, await this.tasks.task(v, taskId), res);
  }

  @Get(':taskId/edit')
  @Render('tasks/form')
  async edit(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Req() req: Request) {
    return this.formContext(req, id, taskId);
  }

  @Post(':taskId/edit')
  @BodyLimit(longTextLimit(40_000)) // instructions and rubric, 20,000 characters each
  @FormView('tasks/form', 'formContext')
  async update(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Body() dto: EditTaskDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    let task;
    try {
      task = await this.tasks.update(v, taskId, dto);
    } catch (err) {
      if (!(err instanceof EditConflictError)) throw err;
      const fresh = await this.formContext(req, id, taskId);
      return res.status(409).render('tasks/form', editConflictView(fresh, req.body, taskFields(fresh), { what: 'task', savedAt: fresh.updatedAt!, discardHref: `/courses/${id}/tasks/${taskId}/edit` }));
    }
    flash(req, 'success', `Task “${task.title}” saved. Existing submissions are unchanged.`);
    res.redirect(303, `/courses/${id}/tasks/${task.id}`);
  }

  /** What taking a published task back to draft does to the teams' work, and the button that does it. */
  @Get(':taskId/unpublish')
  @Render('tasks/unpublish')
  async confirmUnpublish(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Req() req: Request) {
    const v = await this.access.manager(req.user!, id);
    const task = await this.tasks.task(v, taskId);
    const subs = await this.db.repo(Submission).find({ where: { taskId: task.id }, select: { id: true, status: true } });
    const shared = subs.length ? await this.db.repo(SubmissionVersion).count({ where: { submissionId: In(subs.map((s) => s.id)), sharedAt: Not(IsNull()) } }) : 0;
    return {
      ...courseHeader(v, 'tasks'),
      title: `Back to draft: ${task.title}`,
      task: { id: task.id, title: task.title, isTeam: task.kind === 'team', published: task.status === 'published' },
      drafting: subs.filter((s) => s.status === 'draft').length,
      submitted: subs.filter((s) => s.status !== 'draft' && s.status !== 'not_started').length,
      shared,
    };
  }

  @Post(':taskId/status')
  async status(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Body() dto: TaskStatusDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    // Hiding a task from the teams is never one click: without the confirmation, show the page that says what it does.
    if (dto.status === 'draft' && dto.confirm !== 'yes') return res.redirect(303, `/courses/${id}/tasks/${taskId}/unpublish`);
    const task = await this.tasks.setStatus(v, taskId, dto.status);
    flash(req, 'success', task.status === 'published' ? `“${task.title}” is published: its teams can see it.` : `“${task.title}” is a draft again, hidden from teams.`);
    res.redirect(303, `/courses/${id}/tasks/${taskId}`);
  }

  @Post(':taskId/move')
  async move(@Param('id', IdPipe) id: number, @Param('taskId', IdPipe) taskId: number, @Body() dto: MoveDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    await this.tasks.move(v, taskId, dto.direction);
    res.redirect(303, `/courses/${id}/tasks`);
  }

  async formContext(req: Request, id = parseId(req.params.id), taskId = req.params.taskId ? parseId(req.params.taskId) : undefined) {
    const v = await this.access.manager(req.user!, id);
    const [phases, teams, resources] = await Promise.all([this.courses.phases(id), this.db.repo(Team).find({ where: { courseId: id } }), this.db.repo(Resource).find({ where: { courseId: id }, order: { title: 'ASC' } })]);
    const task = taskId ? (await this.tasks.visible(v)).find((x) => x.task.id === taskId) : undefined;
    if (taskId && !task) throw new NotFoundError();
    const zone = v.course.timeZone;
    const today = localDate(new Date(), zone);
    return {
      ...courseHeader(v, 'tasks'),
      title: task ? `Edit task: ${task.task.title}` : 'New task',
      task: task ? { id: task.task.id } : null,
      updatedAt: task?.task.updatedAt,
      zone,
      phases: phases.map((p) => ({ value: String(p.id), label: p.title })),
      teams: teams.map((t) => ({ value: String(t.id), label: teamName(t) })).sort((a, b) => a.label.localeCompare(b.label)),
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
        : { kind: 'team', audience: 'all', opensDay: today, opensTime: '00:00', dueDay: addDays(today, 14), dueTime: '17:00', expectsText: 'on', expectsFiles: 'on', allowedTypes: DEFAULT_FILE_TYPES, maxFiles: 3, rubric: '', instructions: '' },
    };
  }
}
