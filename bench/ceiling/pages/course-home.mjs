// The ceiling's course home (see ../server.mjs): hand-written prepared statements, the app's own template.
export function register(app, { db, q: shared, date, formatter, dist }) {
  const q = {
    ...shared,
    myTeams: db.prepare(
      `SELECT t.id, t.country, t.city, t.deliverable, m.team_role AS teamRole FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.course_id = ? AND m.user_id = ?`,
    ),
    expertTeams: db.prepare(
      `SELECT t.id, t.country, t.city, t.deliverable FROM team_experts e JOIN teams t ON t.id = e.team_id WHERE t.course_id = ? AND e.user_id = ?`,
    ),
    teamCount: db.prepare(`SELECT COUNT(*) AS n FROM teams WHERE course_id = ?`),
    phases: db.prepare(
      `SELECT id, title, kind, starts_on AS startsOn, ends_on AS endsOn, description, platform_url AS platformUrl FROM phases WHERE course_id = ? ORDER BY starts_on, id`,
    ),
    sessions: db.prepare(`SELECT s.title, s.room, s.starts_at AS startsAt, s.ends_at AS endsAt FROM programme_sessions s JOIN phases p ON p.id = s.phase_id
      WHERE p.course_id = ? AND p.kind = 'in_person' ORDER BY s.starts_at, s.id`),
    tasks: db.prepare(`SELECT t.id, t.title, t.kind, t.due_at AS dueAt FROM tasks t WHERE t.course_id = ? AND t.phase_id = ? AND t.status = 'published'
      AND (t.audience = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = t.id AND tt.team_id IN (SELECT value FROM json_each(?)))) ORDER BY t.position, t.id`),
    work: db.prepare(`SELECT task_id AS taskId, team_id AS teamId, user_id AS userId, status, late, due_at_override AS dueAtOverride FROM submissions
      WHERE task_id IN (SELECT value FROM json_each(?)) AND owner_key IN (SELECT value FROM json_each(?))`),
    resources: db.prepare(
      `SELECT id, course_id AS courseId, title, kind, url, file_key AS fileKey FROM resources WHERE course_id = ? ORDER BY title, id LIMIT 6`,
    ),
    resourceCount: db.prepare(`SELECT COUNT(*) AS n FROM resources WHERE course_id = ?`),
  };
  const { courseHeader, timeline, languageList } = dist('courses/course.view.js');
  const { courseRoles } = dist('common/permissions.js');
  const { teamName } = dist('teams/team.view.js');
  const { DELIVERABLES } = dist('teams/team.entity.js');
  const { RESOURCE_KINDS } = dist('resources/resource.entity.js');
  const { STATUS_LABELS } = dist('submissions/workflow.js');
  app.get('/courses/:id', (req, res) => {
    const user = req.user;
    const c = q.course.get(Number(req.params.id));
    const role = c && q.role.get(c.id, user.id)?.role;
    // The app's own "not found" page: bench/scale.mjs's "signed-in 404" compares the fixed cost of a request.
    if (!c || !role)
      return res.status(404).render('errors/error', {
        title: 'Page not found',
        heading: 'Page not found',
        message: 'The page you asked for does not exist, or you do not have access to it.',
        status: 404,
      });
    const mine = q.myTeams.all(c.id, user.id);
    const advised = q.expertTeams.all(c.id, user.id);
    const canManage = role === 'facilitator' || user.role === 'admin';
    const memberTeamIds = mine.map((t) => t.id);
    const leaderTeamIds = mine.filter((t) => t.teamRole === 'leader').map((t) => t.id);
    const viewer = { course: c, roles: courseRoles({ canManage, isExpert: role === 'expert', memberTeamIds, leaderTeamIds }), canManage };
    const phases = q.phases.all(c.id);
    const line = timeline(c, phases);
    const teamIds = mine.map((t) => t.id);
    const tasks = line.current ? q.tasks.all(c.id, line.current.id, JSON.stringify(teamIds)) : [];
    const keys = [...teamIds.map((t) => `team:${t}`), `user:${user.id}`];
    const work = q.work.all(JSON.stringify(tasks.map((t) => t.id)), JSON.stringify(keys));
    const zone = c.timeZone;
    const days = new Map();
    for (const s of q.sessions.all(c.id)) {
      const start = date(s.startsAt);
      const label = formatter(zone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(start).replace(',', '');
      const time = formatter(zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      if (!days.has(label)) days.set(label, { label, sessions: [] });
      days.get(label).sessions.push({ title: s.title, room: s.room, startTime: time.format(start), endTime: time.format(date(s.endsAt)) });
    }
    const teams = [...mine, ...advised.filter((a) => !teamIds.includes(a.id))];
    res.render('courses/home', {
      ...courseHeader(viewer, 'home'),
      title: c.title,
      summary: c.summary,
      organisers: c.organisers,
      participation: 'By invitation only',
      workingLanguage: languageList(c.workingLanguage),
      interpretation: languageList(c.interpretationLanguages),
      timeline: line,
      programmeDays: [...days.values()],
      myTeams: teams.map((t) => ({
        id: t.id,
        name: teamName(t),
        deliverableLabel: DELIVERABLES.find((d) => d.value === t.deliverable)?.label,
        isLeader: t.teamRole === 'leader',
        asExpert: advised.some((a) => a.id === t.id),
      })),
      teamCount: q.teamCount.get(c.id).n,
      tasks: tasks.map((t) => {
        const own = work.filter((w) => w.taskId === t.id && (t.kind === 'team' ? w.teamId !== null : w.userId === user.id));
        const s = own[0];
        const owner = t.kind === 'team' ? `team-${s?.teamId ?? teamIds[0]}` : `person-${user.id}`;
        const single =
          own.length <= 1 ? { status: s?.status ?? 'not_started', statusLabel: STATUS_LABELS[s?.status ?? 'not_started'], late: s?.late === 1 } : null;
        return {
          title: t.title,
          dueAt: date(t.dueAt),
          href: `/courses/${c.id}/tasks/${t.id}/submissions/${owner}`,
          taskHref: `/courses/${c.id}/tasks/${t.id}`,
          single,
          rows: [],
          people: [],
        };
      }),
      resources: q.resources.all(c.id).map((r) => ({ ...r, hasFile: r.fileKey !== null, kindLabel: RESOURCE_KINDS.find((k) => k.value === r.kind)?.label })),
      resourceCount: q.resourceCount.get(c.id).n,
    });
  });
}
