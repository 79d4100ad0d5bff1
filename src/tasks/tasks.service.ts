import { Injectable } from '@nestjs/common';
import { isOwnTeam } from '../common/permissions';
import { Between, type EntityManager, In } from 'typeorm';
import { FormInvalidError, NotFoundError, findOrFail } from '../common/errors';
import { SNIFFED_LABELS, type SniffedKind } from '../common/file-sniff';
import { renderRemembered } from '../common/markdown';
import { wallClock, zonedToUtcForField } from '../common/zoned-time';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { EditConflictError } from '../common/errors';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { rawBool, rawDate } from '../database/raw-values';
import { EventsService } from '../events/events.service';
import { ResourcesService } from '../resources/resources.service';
import { TeamsService } from '../teams/teams.service';
import type { EditTaskDto, TaskDto } from './dto/task.dto';
import { parseRubric, readRubric, rubricToText } from './rubric';
import { Task, TaskResource, TaskTeam } from './task.entity';

/** A task as lists of tasks show it. */
export type TaskSummary = Pick<Task, 'id' | 'courseId' | 'title' | 'kind' | 'audience' | 'dueAt'>;

export const DEFAULT_FILE_TYPES: SniffedKind[] = ['pdf', 'docx', 'odt', 'xlsx', 'pptx'];

/** A published task as the course dashboard shows it (TasksService.publishedRefs). */
export interface PublishedTaskRef {
  id: number;
  courseId: number;
  title: string;
  kind: 'team' | 'individual';
  audience: 'all' | 'selected';
  phaseId: number;
  dueAt: Date;
}

@Injectable()
export class TasksService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesService,
    private readonly teams: TeamsService,
    private readonly resources: ResourcesService,
    private readonly events: EventsService,
  ) {}

  /**
   * The tasks a person sees in a course: everything for managers; published tasks for everyone
   * else, team tasks only when meant for one of their teams (three queries).
   */
  async visible(v: CourseViewer): Promise<{ task: Task; teamIds: number[] }[]> {
    const where = v.canManage ? { courseId: v.course.id } : { courseId: v.course.id, status: 'published' as const };
    const tasks = await this.db.repo(Task).find({ where, order: { position: 'ASC', id: 'ASC' } });
    const links = tasks.length ? await this.db.repo(TaskTeam).findBy({ taskId: In(tasks.map((t) => t.id)) }) : [];
    return tasks
      .map((task) => ({ task, teamIds: links.filter((l) => l.taskId === task.id).map((l) => l.teamId) }))
      .filter(({ task, teamIds }) => v.canManage || task.audience === 'all' || teamIds.some((id) => isOwnTeam(v, id)));
  }

  /**
   * The published tasks a person sees in a course (as `visible`), with only what the course
   * dashboard's columns and cells need: one hand-written query.
   */
  async publishedRefs(v: CourseViewer): Promise<{ task: PublishedTaskRef; teamIds: number[] }[]> {
    const rows = await this.db.rows<{
      id: number | string;
      title: string;
      kind: PublishedTaskRef['kind'];
      audience: PublishedTaskRef['audience'];
      phaseId: number | string;
      dueAt: Date | string;
      teamId: number | string | null;
    }>`
      SELECT t.id, t.title, t.kind, t.audience, t.phase_id AS "phaseId", t.due_at AS "dueAt", tt.team_id AS "teamId"
      FROM tasks t LEFT JOIN task_teams tt ON tt.task_id = t.id
      WHERE t.course_id = ${v.course.id} AND t.status = 'published'
      ORDER BY t.position, t.id, tt.team_id`;
    const byId = new Map<number, { task: PublishedTaskRef; teamIds: number[] }>();
    for (const r of rows) {
      const id = Number(r.id);
      let x = byId.get(id);
      if (!x) {
        x = {
          task: { id, courseId: v.course.id, title: r.title, kind: r.kind, audience: r.audience, phaseId: Number(r.phaseId), dueAt: rawDate(r.dueAt) },
          teamIds: [],
        };
        byId.set(id, x);
      }
      if (r.teamId !== null) x.teamIds.push(Number(r.teamId));
    }
    return [...byId.values()].filter(({ task, teamIds }) => v.canManage || task.audience === 'all' || teamIds.some((id) => isOwnTeam(v, id)));
  }

  /**
   * The tasks a person sees in one phase of a course (all phases: null), as `visible` decides, with
   * only what lists of tasks show: for the course home. One hand-written query (the tasks with
   * the teams each is meant for, joined).
   */
  async visibleRefs(v: CourseViewer, phaseId: number | null): Promise<{ task: TaskSummary; teamIds: number[] }[]> {
    type Row = { id: number | string; title: string; kind: Task['kind']; audience: Task['audience']; dueAt: Date | string; teamId: number | string | null };
    const courseId = v.course.id;
    const rows =
      phaseId === null
        ? await this.db.rows<Row>`
            SELECT t.id, t.title, t.kind, t.audience, t.due_at AS "dueAt", tt.team_id AS "teamId" FROM tasks t LEFT JOIN task_teams tt ON tt.task_id = t.id
            WHERE t.course_id = ${courseId} AND (${v.canManage} OR t.status = 'published') ORDER BY t.position, t.id`
        : await this.db.rows<Row>`
            SELECT t.id, t.title, t.kind, t.audience, t.due_at AS "dueAt", tt.team_id AS "teamId" FROM tasks t LEFT JOIN task_teams tt ON tt.task_id = t.id
            WHERE t.course_id = ${courseId} AND t.phase_id = ${phaseId} AND (${v.canManage} OR t.status = 'published') ORDER BY t.position, t.id`;
    const byId = new Map<number, { task: TaskSummary; teamIds: number[] }>();
    for (const r of rows) {
      const id = Number(r.id);
      let x = byId.get(id);
      if (!x) byId.set(id, (x = { task: { id, courseId, title: r.title, kind: r.kind, audience: r.audience, dueAt: rawDate(r.dueAt) }, teamIds: [] }));
      if (r.teamId !== null) x.teamIds.push(Number(r.teamId));
    }
    return [...byId.values()].filter(({ task, teamIds }) => v.canManage || task.audience === 'all' || teamIds.some((id) => isOwnTeam(v, id)));
  }

  async task(v: CourseViewer, taskId: number): Promise<Task> {
    return (await this.withTeams(v, taskId)).task;
  }

  /**
   * One task the viewer sees (as `visible` decides), with the teams it was selected for, or 404.
   * Hand-written (decision 54; the task's page and every submission page start here): one query,
   * two for a task meant for selected teams.
   */
  async withTeams(v: CourseViewer, taskId: number): Promise<{ task: Task; teamIds: number[] }> {
    const [row] = await this.db.rows<TaskRow>`
      SELECT id, course_id AS "courseId", phase_id AS "phaseId", position, title, instructions, kind, opens_at AS "opensAt", due_at AS "dueAt",
        cut_off_at AS "cutOffAt", expects_text AS "expectsText", expects_files AS "expectsFiles", allowed_types AS "allowedTypes", max_files AS "maxFiles",
        rubric, audience, status, created_at AS "createdAt", updated_at AS "updatedAt", version
      FROM tasks WHERE id = ${taskId} AND course_id = ${v.course.id}`;
    if (!row || (!v.canManage && row.status !== 'published')) throw new NotFoundError();
    const task = taskOfRow(row);
    // Only a task meant for selected teams has links (saveTeams, createForTeam).
    const teamIds = task.audience === 'selected' ? ((await this.audienceLinks([task.id])).get(task.id) ?? []) : [];
    if (!v.canManage && task.audience !== 'all' && !teamIds.some((id) => isOwnTeam(v, id))) throw new NotFoundError();
    return { task, teamIds };
  }

  /** Teams a task is for, with their names: all teams of the course, or the selected ones (`teamIds`, from withTeams). One query at most. */
  async teamsFor(task: Pick<Task, 'courseId' | 'audience'>, teamIds: readonly number[]): Promise<{ id: number; name: string }[]> {
    return task.audience === 'all' ? this.teams.names(task.courseId) : this.teams.names(task.courseId, teamIds);
  }

  async create(v: CourseManager, dto: TaskDto): Promise<Task> {
    const fields = await this.validate(v, dto);
    return this.db.tx(async (em) => {
      const last = await em.getRepository(Task).findOne({ where: { courseId: v.course.id }, order: { position: 'DESC' } });
      const now = new Date();
      const task = await em
        .getRepository(Task)
        .save(
          em
            .getRepository(Task)
            .create({ ...fields, courseId: v.course.id, position: (last?.position ?? 0) + 1, status: 'draft', createdAt: now, updatedAt: now }),
        );
      await this.saveTeams(em, task.id, dto);
      await this.saveResources(em, task.id, dto);
      return task;
    });
  }

  /**
   * A team task made elsewhere (a meeting's action item), in the caller's transaction: meant for
   * that one team (audience: selected), asking for text, last in the course's list; a draft, or
   * published (then `task.published` is recorded, as when a facilitator publishes).
   */
  async createForTeam(
    em: EntityManager,
    m: CourseManager,
    spec: { teamId: number; title: string; instructions: string; phaseId: number; opensAt: Date; dueAt: Date; publish: boolean },
  ): Promise<Task> {
    const repo = em.getRepository(Task);
    const last = await repo.findOne({ where: { courseId: m.course.id }, order: { position: 'DESC' } });
    const now = new Date();
    const task = await repo.save(
      repo.create({
        courseId: m.course.id,
        phaseId: spec.phaseId,
        position: (last?.position ?? 0) + 1,
        title: spec.title,
        instructions: spec.instructions,
        kind: 'team',
        opensAt: spec.opensAt,
        dueAt: spec.dueAt,
        cutOffAt: null,
        expectsText: true,
        expectsFiles: false,
        allowedTypes: '',
        maxFiles: 0,
        rubric: '',
        audience: 'selected',
        status: spec.publish ? 'published' : 'draft',
        createdAt: now,
        updatedAt: now,
      }),
    );
    await em.getRepository(TaskTeam).insert({ taskId: task.id, teamId: spec.teamId });
    if (spec.publish)
      await this.events.record(em, {
        kind: 'task.published',
        actorId: m.user.id,
        courseId: m.course.id,
        subject: { type: 'task', id: task.id },
        payload: { title: task.title },
      });
    return task;
  }

  /** Editing a task changes the task only: submissions and their versions stay as they are. */
  async update(v: CourseManager, taskId: number, dto: EditTaskDto): Promise<Task> {
    const fields = await this.validate(v, dto);
    return this.db.tx(async (em) => {
      const task = findOrFail(await em.getRepository(Task).findOneBy({ id: taskId, courseId: v.course.id }));
      if (task.version !== dto.version) throw new EditConflictError('task');
      Object.assign(task, fields, { updatedAt: new Date() });
      const saved = await em.getRepository(Task).save(task);
      await em.getRepository(TaskTeam).delete({ taskId: task.id });
      await this.saveTeams(em, task.id, dto);
      await em.getRepository(TaskResource).delete({ taskId: task.id });
      await this.saveResources(em, task.id, dto);
      await this.events.record(em, {
        kind: 'task.updated',
        actorId: v.user.id,
        courseId: v.course.id,
        subject: { type: 'task', id: task.id },
        payload: { title: saved.title },
      });
      return saved;
    });
  }

  async setStatus(v: CourseManager, taskId: number, status: 'draft' | 'published'): Promise<Task> {
    return this.db.tx(async (em) => {
      const task = findOrFail(await em.getRepository(Task).findOneBy({ id: taskId, courseId: v.course.id }));
      const wasPublished = task.status === 'published';
      task.status = status;
      task.updatedAt = new Date();
      const saved = await em.getRepository(Task).save(task);
      if (status === 'published' && !wasPublished) {
        await this.events.record(em, {
          kind: 'task.published',
          actorId: v.user.id,
          courseId: v.course.id,
          subject: { type: 'task', id: task.id },
          payload: { title: task.title },
        });
      }
      return saved;
    });
  }

  /** Moves a task one place up or down in the course's list. */
  async move(v: CourseManager, taskId: number, direction: 'up' | 'down'): Promise<void> {
    await this.db.tx(async (em) => {
      const tasks = await em.getRepository(Task).find({ where: { courseId: v.course.id }, order: { position: 'ASC', id: 'ASC' } });
      const i = tasks.findIndex((t) => t.id === taskId);
      findOrFail(tasks[i]); // -1 (no such task in this course) finds nothing: 404
      const j = direction === 'up' ? i - 1 : i + 1;
      if (j < 0 || j >= tasks.length) return;
      [tasks[i], tasks[j]] = [tasks[j], tasks[i]];
      for (const [n, t] of tasks.entries()) if (t.position !== n + 1) await em.getRepository(Task).update({ id: t.id }, { position: n + 1 });
    });
  }

  view(task: Task, zone: string) {
    const rubric = readRubric(task.rubric);
    return {
      id: task.id,
      courseId: task.courseId,
      phaseId: task.phaseId,
      title: task.title,
      kind: task.kind,
      kindLabel: task.kind === 'team' ? 'Team task' : 'Individual task',
      instructionsHtml: renderRemembered(task.instructions),
      opensAt: task.opensAt,
      dueAt: task.dueAt,
      cutOffAt: task.cutOffAt,
      expectsText: task.expectsText,
      expectsFiles: task.expectsFiles,
      allowedTypes: task.allowedTypes ? (task.allowedTypes.split(',') as SniffedKind[]) : [],
      allowedTypesLabel: (task.allowedTypes ? task.allowedTypes.split(',') : []).map((k) => SNIFFED_LABELS[k as SniffedKind] ?? k).join(', '),
      maxFiles: task.maxFiles,
      rubric,
      hasRubric: rubric.length > 0,
      audience: task.audience,
      status: task.status,
      zone,
    };
  }

  /** Form values for editing: times back in the venue's zone. */
  formValues(task: Task, zone: string, teamIds: number[], resourceIds: number[] = []) {
    const split = (d: Date | null) => (d ? wallClock(d, zone).split(' ') : ['', '']);
    const [opensDay, opensTime] = split(task.opensAt);
    const [dueDay, dueTime] = split(task.dueAt);
    const [cutOffDay, cutOffTime] = split(task.cutOffAt);
    return {
      title: task.title,
      phaseId: task.phaseId,
      kind: task.kind,
      instructions: task.instructions,
      opensDay,
      opensTime,
      dueDay,
      dueTime,
      cutOffDay,
      cutOffTime,
      expectsText: task.expectsText ? 'on' : '',
      expectsFiles: task.expectsFiles ? 'on' : '',
      allowedTypes: task.allowedTypes.split(',').filter(Boolean),
      maxFiles: task.maxFiles,
      rubric: rubricToText(readRubric(task.rubric)),
      audience: task.audience,
      teamIds: teamIds.map(String),
      resourceIds: resourceIds.map(String),
      version: task.version,
    };
  }

  private async validate(v: CourseManager, dto: TaskDto) {
    const problems: Record<string, string[]> = {};
    const add = (f: string, m: string) => (problems[f] ??= []).push(m);
    const zone = v.course.timeZone;
    const at = (field: string, day?: string, time?: string): Date | null => zonedToUtcForField(problems, field, day, time, zone);
    const opensAt = at('opensTime', dto.opensDay, dto.opensTime);
    const dueAt = at('dueTime', dto.dueDay, dto.dueTime);
    const cutOffAt = at('cutOffTime', dto.cutOffDay, dto.cutOffTime);
    if (opensAt && dueAt && dueAt <= opensAt) add('dueDay', 'The task must be due after it opens.');
    if (dueAt && cutOffAt && cutOffAt < dueAt)
      add('cutOffDay', 'The cut-off cannot be before the due time: between the two, submissions are accepted and marked late.');
    if (!dto.expectsText && !dto.expectsFiles) add('expectsText', 'Ask for text, files, or both.');
    if (dto.expectsFiles && dto.maxFiles < 1) add('maxFiles', 'Allow at least one file when the task asks for files.');
    if (dto.expectsFiles && !(dto.allowedTypes ?? []).length) add('allowedTypes', 'Choose the file types teams may upload.');
    const rubric = parseRubric(dto.rubric);
    for (const p of rubric.problems) add('rubric', p);
    if (!(await this.courses.phases(v.course.id)).some((p) => p.id === dto.phaseId)) add('phaseId', 'Choose a phase of this course.');
    const teamIds = dto.audience === 'selected' ? (dto.teamIds ?? []) : [];
    if (dto.audience === 'selected') {
      const known = await this.teams.countInCourse(v.course.id, teamIds);
      if (!teamIds.length) add('teamIds', 'Choose at least one team, or make the task for all teams.');
      else if (known !== new Set(teamIds).size) add('teamIds', 'Choose teams of this course.');
    }
    const resourceIds = [...new Set(dto.resourceIds ?? [])];
    if (resourceIds.length && (await this.resources.countInCourse(v.course.id, resourceIds)) !== resourceIds.length) {
      add('resourceIds', 'Choose resources of this course.');
    }
    if (Object.keys(problems).length) throw new FormInvalidError(problems);
    return {
      title: dto.title,
      phaseId: dto.phaseId,
      kind: dto.kind,
      instructions: dto.instructions,
      opensAt: opensAt!,
      dueAt: dueAt!,
      cutOffAt,
      expectsText: dto.expectsText,
      expectsFiles: dto.expectsFiles,
      allowedTypes: dto.expectsFiles ? [...new Set(dto.allowedTypes ?? [])].join(',') : '',
      maxFiles: dto.expectsFiles ? dto.maxFiles : 0,
      rubric: rubric.criteria.length ? JSON.stringify(rubric.criteria) : '',
      audience: dto.audience,
    };
  }

  /** Resources linked from a task, in title order (two queries). */
  async resourcesFor(taskId: number): Promise<{ id: number; title: string; href: string }[]> {
    return this.resources.links(await this.resourceIdsFor(taskId));
  }

  async resourceIdsFor(taskId: number): Promise<number[]> {
    const rows = await this.db.rows<{ id: number | string }>`SELECT resource_id AS "id" FROM task_resources WHERE task_id = ${taskId}`;
    return rows.map((r) => Number(r.id));
  }

  private async saveResources(em: import('typeorm').EntityManager, taskId: number, dto: TaskDto) {
    const ids = [...new Set(dto.resourceIds ?? [])];
    if (ids.length) await em.getRepository(TaskResource).insert(ids.map((resourceId) => ({ taskId, resourceId })));
  }

  private async saveTeams(em: import('typeorm').EntityManager, taskId: number, dto: TaskDto) {
    if (dto.audience !== 'selected') return;
    const ids = [...new Set(dto.teamIds ?? [])];
    if (ids.length) await em.getRepository(TaskTeam).insert(ids.map((teamId) => ({ taskId, teamId })));
  }

  // Read API for submissions

  /** Ids of the tasks of these courses (one query). */
  async taskIdsInCourses(courseIds: number[]): Promise<number[]> {
    if (!courseIds.length) return [];
    return (await this.db.rows<{ id: number }>`SELECT id FROM tasks WHERE course_id IN ${courseIds}`).map((t) => Number(t.id));
  }

  /** What the review queue shows of these tasks, with the teams each is for (one query, two when some are for selected teams). */
  async queueTasks(taskIds: number[]): Promise<{ id: number; title: string; courseId: number; published: boolean; audienceTeamIds: number[] | null }[]> {
    if (!taskIds.length) return [];
    const tasks = await this.db.rows<Pick<Task, 'id' | 'title' | 'courseId' | 'status' | 'audience'>>`
      SELECT id, title, course_id AS "courseId", status, audience FROM tasks WHERE id IN ${taskIds}`;
    // The teams a task is for are needed only for tasks meant for selected teams.
    const selected = tasks.filter((t) => t.audience === 'selected').map((t) => Number(t.id));
    const links = await this.audienceLinks(selected);
    return tasks.map((t) => ({
      id: Number(t.id),
      title: t.title,
      courseId: Number(t.courseId),
      published: t.status === 'published',
      audienceTeamIds: t.audience === 'all' ? null : (links.get(Number(t.id)) ?? []),
    }));
  }

  /** The teams each of these tasks (meant for selected teams) is for, by task id (one query; none for no tasks). */
  private async audienceLinks(taskIds: number[]): Promise<Map<number, number[]>> {
    const byTask = new Map<number, number[]>();
    if (!taskIds.length) return byTask;
    const rows = await this.db.rows<{
      taskId: number;
      teamId: number;
    }>`SELECT task_id AS "taskId", team_id AS "teamId" FROM task_teams WHERE task_id IN ${taskIds}`;
    for (const r of rows) {
      const list = byTask.get(Number(r.taskId)) ?? [];
      list.push(Number(r.teamId));
      byTask.set(Number(r.taskId), list);
    }
    return byTask;
  }

  /** Titles of these tasks by id, published or not (one query). */
  async titles(taskIds: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(taskIds)];
    if (!unique.length) return new Map();
    const rows = await this.db.rows<{ id: number; title: string }>`SELECT id, title FROM tasks WHERE id IN ${unique}`;
    return new Map(rows.map((t) => [Number(t.id), t.title]));
  }

  /** Titles of the published tasks of a course, by id (one query). */
  async publishedTaskTitles(courseId: number): Promise<Map<number, string>> {
    const tasks = await this.db.rows<{
      id: number | string;
      title: string;
    }>`SELECT id, title FROM tasks WHERE course_id = ${courseId} AND status = 'published'`;
    return new Map(tasks.map((t) => [Number(t.id), t.title]));
  }

  // Read API for notifications

  /** What notifications say of these tasks: title, course, kind, due time, publication and audience (one query, two when some are for selected teams). */
  async briefs(taskIds: readonly number[]): Promise<TaskBrief[]> {
    const ids = [...new Set(taskIds)];
    if (!ids.length) return [];
    const tasks = await this.db.rows<{
      id: number;
      title: string;
      courseId: number;
      kind: 'team' | 'individual';
      dueAt: Date | string;
      status: string;
      audience: string;
    }>`
      SELECT id, title, course_id AS "courseId", kind, due_at AS "dueAt", status, audience FROM tasks WHERE id IN ${ids}`;
    const selected = tasks.filter((t) => t.audience === 'selected').map((t) => Number(t.id));
    const links = await this.audienceLinks(selected);
    return tasks.map((t) => ({
      id: Number(t.id),
      title: t.title,
      courseId: Number(t.courseId),
      kind: t.kind,
      dueAt: rawDate(t.dueAt),
      published: t.status === 'published',
      audienceTeamIds: t.audience === 'all' ? null : (links.get(Number(t.id)) ?? []),
    }));
  }

  // Read API for the calendar feed

  /** The published tasks of these courses with their due time, version and audience (one query, two when some are for selected teams). */
  async deadlinesIn(courseIds: readonly number[]): Promise<TaskDeadline[]> {
    const ids = [...new Set(courseIds)];
    if (!ids.length) return [];
    const tasks = await this.db.repo(Task).find({
      where: { courseId: In(ids), status: 'published' },
      select: { id: true, title: true, courseId: true, kind: true, dueAt: true, audience: true, version: true },
      order: { dueAt: 'ASC', id: 'ASC' },
    });
    const selected = tasks.filter((t) => t.audience === 'selected').map((t) => t.id);
    const links = selected.length ? await this.db.repo(TaskTeam).find({ where: { taskId: In(selected) }, select: { taskId: true, teamId: true } }) : [];
    return tasks.map((t) => ({
      id: t.id,
      title: t.title,
      courseId: t.courseId,
      kind: t.kind,
      dueAt: t.dueAt,
      version: t.version,
      audienceTeamIds: t.audience === 'all' ? null : links.filter((l) => l.taskId === t.id).map((l) => l.teamId),
    }));
  }

  /** Ids of the published tasks due after `from` and no later than `to` (one query). */
  async publishedDueBetween(from: Date, to: Date): Promise<number[]> {
    const rows = await this.db.repo(Task).find({ where: { status: 'published', dueAt: Between(from, to) }, select: { id: true } });
    return rows.map((t) => t.id);
  }
}

/** A published task's deadline, as the calendar feed needs it. */
export interface TaskDeadline {
  id: number;
  title: string;
  courseId: number;
  kind: 'team' | 'individual';
  dueAt: Date;
  /** The row's version: raised on every edit (the feed's SEQUENCE). */
  version: number;
  /** null: every team of the course. */
  audienceTeamIds: number[] | null;
}

/** A task's row as a hand-written read gives it (SQLite: 1/0 and UTC text; PostgreSQL: booleans, Dates, bigint-free integers). */
interface TaskRow {
  id: number | string;
  courseId: number | string;
  phaseId: number | string;
  position: number | string;
  title: string;
  instructions: string;
  kind: Task['kind'];
  opensAt: Date | string;
  dueAt: Date | string;
  cutOffAt: Date | string | null;
  expectsText: boolean | number;
  expectsFiles: boolean | number;
  allowedTypes: string;
  maxFiles: number | string;
  rubric: string;
  audience: Task['audience'];
  status: Task['status'];
  createdAt: Date | string;
  updatedAt: Date | string;
  version: number | string;
}

/** The row as the entity TypeORM would have given (without its relations, which nothing here loads). */
function taskOfRow(r: TaskRow): Task {
  return Object.assign(new Task(), {
    id: Number(r.id),
    courseId: Number(r.courseId),
    phaseId: Number(r.phaseId),
    position: Number(r.position),
    title: r.title,
    instructions: r.instructions,
    kind: r.kind,
    opensAt: rawDate(r.opensAt),
    dueAt: rawDate(r.dueAt),
    cutOffAt: r.cutOffAt === null ? null : rawDate(r.cutOffAt),
    expectsText: rawBool(r.expectsText),
    expectsFiles: rawBool(r.expectsFiles),
    allowedTypes: r.allowedTypes,
    maxFiles: Number(r.maxFiles),
    rubric: r.rubric,
    audience: r.audience,
    status: r.status,
    createdAt: rawDate(r.createdAt),
    updatedAt: rawDate(r.updatedAt),
    version: Number(r.version),
  });
}

/** A task as notifications need it. */
export interface TaskBrief {
  id: number;
  title: string;
  courseId: number;
  kind: 'team' | 'individual';
  dueAt: Date;
  published: boolean;
  /** null: every team of the course. */
  audienceTeamIds: number[] | null;
}
