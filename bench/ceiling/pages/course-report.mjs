// The ceiling's course report (see ../server.mjs): hand-written prepared statements, the app's own
// template. The numbers are counted by the same definitions (decision 61) from the same facts as
// the app's (the built computeFigures), and the view model is the app's own page assembly
// (ReportPages' page and sections, which only arrange figures), so only the way to the data differs.
export function register(app, { db, q: shared, dist }) {
  const q = {
    ...shared,
    phases: db.prepare(`SELECT id, title, starts_on AS startsOn, ends_on AS endsOn FROM phases WHERE course_id = ?`),
    teams: db.prepare(`SELECT id, country, city FROM teams WHERE course_id = ?`),
    members: db.prepare(`SELECT m.team_id AS teamId, m.user_id AS userId FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.course_id = ?`),
    invitations: db.prepare(`SELECT COUNT(*) AS invited, SUM(CASE WHEN i.accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS accepted
      FROM invitations i JOIN teams t ON t.id = i.team_id WHERE t.course_id = ? AND i.revoked_at IS NULL`),
    active: db.prepare(`SELECT DISTINCT actor_id AS id FROM domain_events WHERE course_id = ? AND actor_id IS NOT NULL AND occurred_at >= ?`),
    meetings: db.prepare(`SELECT m.kind, COUNT(DISTINCT m.id) AS held, COUNT(DISTINCT a.meeting_id) AS recorded,
        SUM(CASE WHEN a.team_id IS NOT NULL THEN 1 ELSE 0 END) AS teamRows, SUM(CASE WHEN a.team_id IS NOT NULL AND a.present THEN 1 ELSE 0 END) AS teamsPresent,
        SUM(CASE WHEN a.user_id IS NOT NULL THEN 1 ELSE 0 END) AS personRows, SUM(CASE WHEN a.user_id IS NOT NULL AND a.present THEN 1 ELSE 0 END) AS peoplePresent
      FROM meetings m LEFT JOIN meeting_attendance a ON a.meeting_id = m.id WHERE m.course_id = ? AND m.status = 'held' GROUP BY m.kind`),
    handedIn: db.prepare(`SELECT s.id AS submissionId, s.team_id AS teamId, s.user_id AS userId, f.submitted_at AS firstAt, f.late,
        (SELECT COUNT(*) FROM submission_versions v WHERE v.submission_id = s.id
          AND EXISTS (SELECT 1 FROM reviews r WHERE r.version_id = v.id AND r.released_at IS NOT NULL AND r.decision = 'changes')) AS loops,
        (SELECT COUNT(*) FROM submission_events e WHERE e.submission_id = s.id AND e.from_status = 'accepted' AND e.to_status = 'changes_requested') AS reopened
      FROM tasks t JOIN submissions s ON s.task_id = t.id JOIN submission_versions f ON f.submission_id = s.id
        AND f.number = (SELECT MIN(v.number) FROM submission_versions v WHERE v.submission_id = s.id)
      WHERE t.course_id = ?`),
    turnaround: db.prepare(`WITH d AS MATERIALIZED (
        SELECT ROUND((julianday((SELECT MIN(r.released_at) FROM reviews r WHERE r.version_id = v.id AND r.released_at IS NOT NULL)) - julianday(v.submitted_at)) * 86400000) AS ms
        FROM tasks t JOIN submissions s ON s.task_id = t.id JOIN submission_versions v ON v.submission_id = s.id WHERE t.course_id = ?),
      r AS (SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) - 1 AS i FROM d WHERE ms IS NOT NULL),
      a AS (SELECT COUNT(*) AS versions, COUNT(ms) AS reviewed, SUM(ms <= 86400000) AS w0, SUM(ms <= 172800000) AS w1, SUM(ms <= 259200000) AS w2, SUM(ms <= 604800000) AS w3 FROM d)
      SELECT a.*, r.i, r.ms FROM a LEFT JOIN r ON ABS(r.i - (a.reviewed - 1) * 0.5) < 1.5 OR ABS(r.i - (a.reviewed - 1) * 0.9) < 1.5`),
  };
  const { courseRoles } = dist('common/permissions.js');
  const { teamName } = dist('teams/team.view.js');
  const { computeFigures, percentileOfSorted } = dist('reports/report-figures.js');
  const { ReportPages, ACTIVE_DAYS } = dist('reports/report.page.js');
  const HOUR = 3_600_000;
  const sqliteInstant = (d) => d.toISOString().replace('T', ' ').replace('Z', '');
  const date = (s) => new Date(`${s.replace(' ', 'T')}Z`);

  app.get('/courses/:id/report', (req, res) => {
    const user = req.user;
    const c = q.course.get(Number(req.params.id));
    const role = c && q.role.get(c.id, user.id)?.role;
    const canManage = role === 'facilitator' || user.role === 'admin';
    if (!c || !canManage) return res.sendStatus(404);
    const m = { user, course: c, roles: courseRoles({ canManage, isExpert: false, memberTeamIds: [], leaderTeamIds: [] }), canManage };
    const now = new Date();
    const invitations = q.invitations.get(c.id);
    const turnaround = q.turnaround.all(c.id);
    const ranked = new Map(turnaround.filter((r) => r.i !== null).map((r) => [r.i, r.ms]));
    const { versions, reviewed, w0, w1, w2, w3 } = turnaround[0];
    const figures = computeFigures({
      timeZone: c.timeZone,
      phases: q.phases.all(c.id),
      teams: q.teams.all(c.id).map((t) => ({ id: t.id, name: teamName(t) })),
      members: q.members.all(c.id),
      invited: invitations.invited,
      accepted: invitations.accepted ?? 0,
      activeActorIds: q.active.all(c.id, sqliteInstant(new Date(now.getTime() - ACTIVE_DAYS * 24 * HOUR))).map((r) => r.id),
      meetings: q.meetings.all(c.id),
      work: {
        handedIn: q.handedIn.all(c.id).map((r) => ({ ...r, firstAt: date(r.firstAt), late: r.late === 1, reopened: r.reopened > 0 })),
        versions,
        reviewed,
        within: [w0 ?? 0, w1 ?? 0, w2 ?? 0, w3 ?? 0],
        median: percentileOfSorted(reviewed, 50, (i) => ranked.get(i) / HOUR),
        p90: percentileOfSorted(reviewed, 90, (i) => ranked.get(i) / HOUR),
      },
    });
    // The app's own arrangement of the figures (page and sections only arrange; no data access).
    const pages = { figures: async () => ({ figures, now }), sections: ReportPages.prototype.sections };
    ReportPages.prototype.page.call(pages, m).then((model) => res.render('reports/index', model));
  });
}
