// The ceiling's course dashboard (see ../server.mjs): hand-written prepared statements, the app's own
// template and view functions (dist/src/dashboards/course-dashboard.view.js), as a facilitator sees it.
export function register(app, { db, q: shared, date, dist }) {
  const AWAITING = JSON.stringify(['submitted', 'resubmitted', 'in_review']);
  const q = {
    ...shared,
    phases: db.prepare(`SELECT id, title FROM phases WHERE course_id = ? ORDER BY starts_on, id`),
    teams: db.prepare(`SELECT id, country, city FROM teams WHERE course_id = ?`),
    tasks: db.prepare(`SELECT id, title, kind, audience, phase_id AS phaseId, due_at AS dueAt FROM tasks
      WHERE course_id = ? AND status = 'published' ORDER BY position, id`),
    taskTeams: db.prepare(`SELECT tt.task_id AS taskId, tt.team_id AS teamId FROM task_teams tt JOIN tasks t ON t.id = tt.task_id WHERE t.course_id = ?`),
    members: db.prepare(`SELECT m.team_id AS teamId, m.user_id AS userId FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.course_id = ?`),
    // The team tasks' cells: one row per team and task, the versions by the latest number.
    teamWork:
      db.prepare(`SELECT s.task_id AS taskId, s.team_id AS teamId, s.status, s.late, s.due_at_override AS dueAtOverride, s.draft_updated_at AS draftUpdatedAt,
      (SELECT MAX(v.number) FROM submission_versions v WHERE v.submission_id = s.id) AS versions,
      EXISTS (SELECT 1 FROM submission_events e WHERE e.submission_id = s.id AND e.from_status = 'accepted') AS reopened
      FROM submissions s WHERE s.task_id IN (SELECT value FROM json_each(?))`),
    // The individual tasks, counted per team and task (a join the app's modules do not make: it passes who is in which team).
    counts: db.prepare(`SELECT s.task_id AS taskId, m.team_id AS teamId,
      SUM(s.status = 'accepted') AS accepted,
      SUM(s.status IN ('submitted', 'resubmitted', 'in_review', 'changes_requested')) AS submitted,
      SUM(s.late) AS late,
      SUM(s.status IN ('not_started', 'draft') AND s.due_at_override > ?) AS extendedAhead,
      SUM(s.status IN ('not_started', 'draft') AND s.due_at_override <= ?) AS extendedPast,
      SUM(COALESCE((SELECT MAX(v.number) FROM submission_versions v WHERE v.submission_id = s.id), 0)) AS versions,
      MAX(s.draft_updated_at) AS draftUpdatedAt
      FROM teams t JOIN team_members m ON m.team_id = t.id CROSS JOIN submissions s
      WHERE t.course_id = ? AND s.task_id IN (SELECT value FROM json_each(?)) AND s.owner_key = 'user:' || m.user_id
      GROUP BY s.task_id, m.team_id`),
    lastActivity: db.prepare(`SELECT m.user_id AS userId,
      (SELECT e.occurred_at FROM domain_events e WHERE e.actor_id = m.user_id AND +e.course_id = ? ORDER BY e.occurred_at DESC LIMIT 1) AS at
      FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.course_id = ?`),
    // What waits for feedback in this course (a facilitator's queue), oldest first, for the audience of each task.
    waiting: db.prepare(`SELECT s.team_id AS teamId, s.user_id AS userId, s.task_id AS taskId, x.title AS taskTitle,
      (SELECT v.submitted_at FROM submission_versions v WHERE v.submission_id = s.id ORDER BY v.number DESC LIMIT 1) AS waitingSince
      FROM tasks x JOIN submissions s ON s.task_id = x.id
      WHERE x.course_id = ? AND s.status IN (SELECT value FROM json_each('${AWAITING}'))
        AND (x.audience = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = x.id
          AND (tt.team_id = s.team_id OR tt.team_id IN (SELECT mm.team_id FROM team_members mm WHERE mm.user_id = s.user_id))))
      ORDER BY waitingSince, s.id LIMIT 200`),
    teamName: db.prepare(`SELECT country, city FROM teams WHERE id = ?`),
    userName: db.prepare(`SELECT name FROM users WHERE id = ?`),
    meetings: db.prepare(`SELECT id, title, kind, status, starts_at AS startsAt, ends_at AS endsAt, host_id AS hostId FROM meetings
      WHERE course_id = ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at, id`),
    meetingTeams:
      db.prepare(`SELECT mt.meeting_id AS meetingId, t.country, t.city, t.time_zone AS timeZone FROM meeting_teams mt JOIN teams t ON t.id = mt.team_id
      WHERE mt.meeting_id IN (SELECT value FROM json_each(?))`),
    meetingPeople: db.prepare(`SELECT mp.meeting_id AS meetingId, u.time_zone AS timeZone FROM meeting_people mp JOIN users u ON u.id = mp.user_id
      WHERE mp.meeting_id IN (SELECT value FROM json_each(?))`),
    host: db.prepare(`SELECT name, time_zone AS timeZone FROM users WHERE id = ?`),
  };
  const { courseHeader } = dist('courses/course.view.js');
  const { courseRoles } = dist('common/permissions.js');
  const { teamName } = dist('teams/team.view.js');
  const { STATUS_LABELS, HANDED_IN } = dist('submissions/workflow.js');
  const { formatInstant } = dist('common/time.js');
  const { formatDate } = dist('common/zoned-time.js');
  const { timesIn } = dist('meetings/meetings.service.js');
  const { dashboardValues, parseDashboardFilter, MAX_INACTIVE_DAYS } = dist('dashboards/dashboard-filter.js');
  const { age, blank, forTeam, membersSummary, NOT_FOR_TEAM, summaryCell, Tally, weekOf, workCell } = dist('dashboards/course-dashboard.view.js');
  const KIND_LABELS = { expert_consultation: 'Expert consultation', peer_exchange: 'Peer exchange', plenary: 'Plenary', other: 'Other' };
  const stored = (d) => d.toISOString().replace('T', ' ').replace('Z', '');

  app.get('/courses/:id/dashboard', (req, res) => {
    const user = req.user;
    const c = q.course.get(Number(req.params.id));
    const role = c && q.role.get(c.id, user.id)?.role;
    const canManage = role === 'facilitator' || user.role === 'admin';
    if (!c || !canManage) return res.sendStatus(404);
    const viewer = { course: c, roles: courseRoles({ canManage, isExpert: false, memberTeamIds: [], leaderTeamIds: [] }), canManage };
    const phases = q.phases.all(c.id);
    const query = req.query;
    const filter = parseDashboardFilter(
      query,
      phases.map((p) => p.id),
    );
    const now = new Date();
    const zone = user.timeZone;

    const teams = q.teams
      .all(c.id)
      .map((t) => ({ id: t.id, name: teamName(t) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const links = q.taskTeams.all(c.id);
    const published = q.tasks
      .all(c.id)
      .map((t) => ({ task: { ...t, dueAt: date(t.dueAt) }, teamIds: links.filter((l) => l.taskId === t.id).map((l) => l.teamId) }));
    const shown = published.filter(({ task }) => filter.phaseId === null || task.phaseId === filter.phaseId);
    const phaseTitle = new Map(phases.map((p) => [p.id, p.title]));
    const columns = shown.map(({ task }) => ({
      id: task.id,
      title: task.title,
      href: `/courses/${c.id}/tasks/${task.id}`,
      phase: phaseTitle.get(task.phaseId) ?? '',
      individual: task.kind === 'individual',
      kindLabel: task.kind === 'individual' ? 'Individual' : 'Team',
      due: formatInstant(task.dueAt, zone),
    }));
    const teamTaskIds = published.filter(({ task }) => task.kind === 'team').map(({ task }) => task.id);
    const individualIds = published.filter(({ task }) => task.kind === 'individual').map(({ task }) => task.id);
    const dueOf = new Map(published.map(({ task }) => [task.id, task.dueAt]));
    const cellOf = new Map();
    const lastAt = new Map();
    const saw = (teamId, at) => {
      if (at !== null && at.getTime() > (lastAt.get(teamId) ?? -Infinity)) lastAt.set(teamId, at.getTime());
    };
    for (const w of q.teamWork.all(JSON.stringify(teamTaskIds))) {
      if (w.teamId === null) continue;
      const override = w.dueAtOverride === null ? null : date(w.dueAtOverride);
      const dueAt = override ?? dueOf.get(w.taskId);
      const handedIn = HANDED_IN.includes(w.status);
      cellOf.set(`${w.taskId}|${w.teamId}`, {
        status: w.status,
        statusLabel: STATUS_LABELS[w.status],
        late: w.late === 1,
        extended: override !== null,
        overdue: now > dueAt && !handedIn,
        versions: w.versions ?? 0,
        reopened: w.reopened === 1,
        handedIn,
      });
      saw(w.teamId, date(w.draftUpdatedAt));
    }
    const countOf = new Map();
    for (const r of q.counts.all(stored(now), stored(now), c.id, JSON.stringify(individualIds))) {
      countOf.set(`${r.taskId}|${r.teamId}`, r);
      saw(r.teamId, date(r.draftUpdatedAt));
    }
    const members = q.members.all(c.id);
    const size = new Map();
    for (const m of members) size.set(m.teamId, (size.get(m.teamId) ?? 0) + 1);

    const rows = teams.map((t) => {
      const tally = new Tally();
      const cells = shown.map((x) => {
        if (!forTeam(x, t.id)) return blank(NOT_FOR_TEAM);
        if (x.task.kind === 'team') {
          const w = cellOf.get(`${x.task.id}|${t.id}`);
          tally.add(w);
          return workCell(`/courses/${c.id}/tasks/${x.task.id}/submissions/team-${t.id}`, w, now, x.task.dueAt);
        }
        const summary = membersSummary(size.get(t.id) ?? 0, countOf.get(`${x.task.id}|${t.id}`), now, x.task.dueAt);
        tally.addCounts(summary);
        return summaryCell(`/courses/${c.id}/tasks/${x.task.id}`, summary);
      });
      return { kind: 'team', name: t.name, team: t.name, href: `/courses/${c.id}/teams/${t.id}`, cells, progress: tally.progress() };
    });

    const teamOfUser = new Map();
    for (const m of members) (teamOfUser.get(m.userId) ?? teamOfUser.set(m.userId, []).get(m.userId)).push(m.teamId);
    for (const a of q.lastActivity.all(c.id, c.id)) if (a.at !== null) for (const teamId of teamOfUser.get(a.userId) ?? []) saw(teamId, date(a.at));
    const since = now.getTime() - filter.inactiveDays * 24 * 3600_000;
    const quiet = teams
      .map((team) => ({ team, at: lastAt.get(team.id) }))
      .filter((x) => x.at === undefined || x.at < since)
      .map(({ team, at }) => ({
        name: team.name,
        href: `/courses/${c.id}/teams/${team.id}`,
        last: at !== undefined ? `last active ${age(new Date(at), now)} ago (${formatInstant(new Date(at), zone)})` : 'no recorded activity in this workshop',
      }));

    const waiting = q.waiting.all(c.id);
    const first = waiting[0];
    const oldest = first && {
      owner: first.teamId !== null ? teamName(q.teamName.get(first.teamId)) : q.userName.get(first.userId).name,
      task: first.taskTitle,
      href: `/courses/${c.id}/tasks/${first.taskId}/submissions/${first.teamId !== null ? `team-${first.teamId}` : `person-${first.userId}`}`,
      age: age(date(first.waitingSince), now),
      since: formatInstant(date(first.waitingSince), zone),
    };

    const week = weekOf(now, zone);
    const found = q.meetings.all(c.id, stored(week.to), stored(week.from));
    const ids = JSON.stringify(found.map((m) => m.id));
    const mTeams = found.length ? q.meetingTeams.all(ids) : [];
    const mPeople = found.length ? q.meetingPeople.all(ids) : [];
    const meetings = found.map((m) => {
      const host = q.host.get(m.hostId);
      const ts = mTeams.filter((t) => t.meetingId === m.id).sort((a, b) => teamName(a).localeCompare(teamName(b)));
      const zones = [...(host ? [host.timeZone] : []), ...ts.map((t) => t.timeZone), ...mPeople.filter((p) => p.meetingId === m.id).map((p) => p.timeZone)];
      return {
        title: m.title,
        href: `/courses/${c.id}/meetings/${m.id}`,
        kind: KIND_LABELS[m.kind] ?? m.kind,
        time: timesIn(date(m.startsAt), date(m.endsAt), zone, zones),
        teams: ts.map((t) => teamName(t)).join(', '),
        host: host?.name ?? 'Unknown',
        cancelled: m.status === 'cancelled',
        past: date(m.endsAt) <= now,
      };
    });

    const values = dashboardValues(query);
    const base = `/courses/${c.id}/dashboard`;
    res.render('dashboards/course', {
      ...courseHeader(viewer, 'dashboard'),
      title: `Dashboard – ${c.title}`,
      action: base,
      csvHref: `${base}.csv${filter.phaseId ? `?phase=${filter.phaseId}` : ''}`,
      values,
      invalid: false,
      filtered: values.phase !== undefined || values.inactive !== undefined,
      onlyOwnTeams: false,
      phaseOptions: phases.map((p) => ({ value: String(p.id), label: p.title })),
      phaseTitle: filter.phaseId ? (phases.find((p) => p.id === filter.phaseId)?.title ?? null) : null,
      maxInactive: MAX_INACTIVE_DAYS,
      inactiveDays: filter.inactiveDays,
      columns,
      rows,
      hasIndividual: columns.some((col) => col.individual),
      teamCount: teams.length,
      queue: { count: waiting.length, href: `/reviews?course=${c.id}`, oldest: oldest ?? null },
      week: { label: `${formatDate(week.fromDay)} to ${formatDate(week.toDay)}`, zone },
      meetings,
      quiet,
    });
  });
}
