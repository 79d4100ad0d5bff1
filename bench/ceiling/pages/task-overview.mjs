// The ceiling's task overview (see ../server.mjs): hand-written prepared statements, the app's own template.
export function register(app, { db, q: shared, date, formatter, dist }) {
  const q = {
    ...shared,
    task: db.prepare(`SELECT id, course_id AS courseId, phase_id AS phaseId, title, instructions, kind, opens_at AS opensAt, due_at AS dueAt, cut_off_at AS cutOffAt,
      expects_text AS expectsText, expects_files AS expectsFiles, allowed_types AS allowedTypes, max_files AS maxFiles, rubric, audience, status
      FROM tasks WHERE id = ? AND course_id = ?`),
    taskTeams: db.prepare(`SELECT id, country, city FROM teams t WHERE t.course_id = ?
      AND (? = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = ? AND tt.team_id = t.id))`),
    taskWork: db.prepare(`SELECT owner_key AS ownerKey, status, late, updated_at AS updatedAt FROM submissions WHERE task_id = ?`),
    taskResources:
      db.prepare(`SELECT r.id, r.course_id AS courseId, r.title, r.url, r.file_key AS fileKey FROM task_resources x JOIN resources r ON r.id = x.resource_id
      WHERE x.task_id = ? ORDER BY r.title`),
  };
  const { courseHeader } = dist('courses/course.view.js');
  const { courseRoles } = dist('common/permissions.js');
  const { teamName } = dist('teams/team.view.js');
  const { STATUS_LABELS } = dist('submissions/workflow.js');
  const { TasksService } = dist('tasks/tasks.service.js');
  // The task overview as a facilitator sees it (team tasks: one row per team).
  app.get('/courses/:id/tasks/:taskId', (req, res) => {
    const user = req.user;
    const c = q.course.get(Number(req.params.id));
    const role = c && q.role.get(c.id, user.id)?.role;
    const t = role && q.task.get(Number(req.params.taskId), c.id);
    if (!t || t.kind !== 'team') return res.sendStatus(404);
    const canManage = role === 'facilitator' || user.role === 'admin';
    const viewer = { course: c, roles: courseRoles({ canManage, isExpert: role === 'expert', memberTeamIds: [], leaderTeamIds: [] }), canManage };
    const work = new Map(q.taskWork.all(t.id).map((w) => [w.ownerKey, w]));
    const rows = q.taskTeams
      .all(c.id, t.audience, t.id)
      .map((team) => {
        const w = work.get(`team:${team.id}`);
        return {
          owner: teamName(team),
          href: `/courses/${c.id}/tasks/${t.id}/submissions/team-${team.id}`,
          status: STATUS_LABELS[w?.status ?? 'not_started'],
          late: w?.late === 1,
          updatedAt: w ? date(w.updatedAt) : null,
        };
      })
      .sort((a, b) => a.owner.localeCompare(b.owner));
    const counts = Object.values(STATUS_LABELS)
      .map((label) => ({ label, count: rows.filter((r) => r.status === label).length }))
      .filter((x) => x.count > 0);
    const task = {
      ...t,
      opensAt: date(t.opensAt),
      dueAt: date(t.dueAt),
      cutOffAt: date(t.cutOffAt),
      expectsText: t.expectsText === 1,
      expectsFiles: t.expectsFiles === 1,
    };
    res.render('tasks/show', {
      ...courseHeader(viewer, 'tasks'),
      title: t.title,
      task: TasksService.prototype.view.call(null, task, c.timeZone),
      resources: q.taskResources
        .all(t.id)
        .map((r) => ({ id: r.id, title: r.title, href: r.fileKey ? `/courses/${r.courseId}/resources/${r.id}/download` : r.url })),
      rows,
      counts,
      isOverview: true,
    });
  });
}
