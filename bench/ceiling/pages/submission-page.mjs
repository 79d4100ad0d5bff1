// The ceiling's submission page (see ../server.mjs): hand-written prepared statements, the app's own template.
// A team's work on a team task, as the team (its leader, a member), an expert of the team or a facilitator sees it.
export function register(app, { db, q: shared, date, dist }) {
  const q = {
    ...shared,
    myTeams: db.prepare(`SELECT t.id, m.team_role AS teamRole FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.course_id = ? AND m.user_id = ?`),
    expertTeams: db.prepare(`SELECT t.id FROM team_experts e JOIN teams t ON t.id = e.team_id WHERE t.course_id = ? AND e.user_id = ?`),
    task: db.prepare(`SELECT id, course_id AS courseId, phase_id AS phaseId, title, instructions, kind, opens_at AS opensAt, due_at AS dueAt, cut_off_at AS cutOffAt,
      expects_text AS expectsText, expects_files AS expectsFiles, allowed_types AS allowedTypes, max_files AS maxFiles, rubric, audience, status
      FROM tasks WHERE id = ? AND course_id = ?`),
    taskTeams: db.prepare(`SELECT team_id AS teamId FROM task_teams WHERE task_id = ?`),
    team: db.prepare(`SELECT id, country, city FROM teams WHERE id = ? AND course_id = ?`),
    submission:
      db.prepare(`SELECT id, status, draft_text AS draftText, draft_revision AS draftRevision, late, due_at_override AS dueAtOverride, cut_off_at_override AS cutOffAtOverride
      FROM submissions WHERE task_id = ? AND owner_key = ?`),
    messages: db.prepare(`SELECT m.id, m.author_id AS authorId, u.name AS author, m.body, m.created_at AS createdAt, m.edited_at AS editedAt
      FROM submission_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.submission_id = ? ORDER BY m.created_at, m.id`),
    edits:
      db.prepare(`SELECT e.message_id AS messageId, e.body, e.replaced_at AS replacedAt FROM submission_message_edits e JOIN submission_messages m ON m.id = e.message_id
      WHERE m.submission_id = ? ORDER BY e.replaced_at, e.id`),
    files: db.prepare(
      `SELECT id, file_name AS fileName, file_type AS fileType, file_size AS fileSize FROM submission_files WHERE submission_id = ? ORDER BY added_at, id`,
    ),
    versions: db.prepare(`SELECT v.id, v.number, v.text, v.note, u.name AS author, v.submitted_at AS submittedAt, v.late, v.shared_at AS sharedAt
      FROM submission_versions v LEFT JOIN users u ON u.id = v.author_id WHERE v.submission_id = ? ORDER BY v.number DESC`),
    events: db.prepare(`SELECT e.from_status AS fromStatus, e.to_status AS toStatus, u.name AS actor, e.at, e.note
      FROM submission_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.submission_id = ? ORDER BY e.at, e.id`),
    versionFiles: db.prepare(`SELECT f.id, f.version_id AS versionId, f.file_name AS fileName, f.file_type AS fileType, f.file_size AS fileSize
      FROM version_files f JOIN submission_versions v ON v.id = f.version_id WHERE v.submission_id = ? ORDER BY f.id`),
    reviews:
      db.prepare(`SELECT r.id, r.version_id AS versionId, r.reviewer_id AS reviewerId, u.name AS reviewer, r.decision, r.overall, r.scores, r.released_at AS releasedAt
      FROM reviews r JOIN submission_versions v ON v.id = r.version_id LEFT JOIN users u ON u.id = r.reviewer_id
      WHERE v.submission_id = ? ORDER BY r.created_at, r.id`),
    reviewFiles: db.prepare(`SELECT f.id, f.review_id AS reviewId, f.file_name AS fileName, f.file_type AS fileType, f.file_size AS fileSize
      FROM review_files f JOIN reviews r ON r.id = f.review_id JOIN submission_versions v ON v.id = r.version_id WHERE v.submission_id = ? ORDER BY f.id`),
    taskResources:
      db.prepare(`SELECT r.id, r.course_id AS courseId, r.title, r.url, r.file_key AS fileKey FROM task_resources x JOIN resources r ON r.id = x.resource_id
      WHERE x.task_id = ? ORDER BY r.title`),
  };
  const { courseHeader } = dist('courses/course.view.js');
  const { courseRoles } = dist('common/permissions.js');
  const { teamName } = dist('teams/team.view.js');
  const { STATUS_LABELS, submitAction, isAwaitingReview } = dist('submissions/workflow.js');
  const { TasksService } = dist('tasks/tasks.service.js');
  const { SubmissionsService } = dist('submissions/submissions.service.js');
  const { feedbackSummary } = dist('submissions/submission.page.js');
  const { EDIT_WINDOW_MS } = dist('submissions/sharing-and-discussion.service.js');
  const { readRubric } = dist('tasks/rubric.js');
  const { renderMarkdown, renderRemembered } = dist('common/markdown.js');
  const { formatInstant } = dist('common/time.js');
  const { wallClock } = dist('common/zoned-time.js');
  const deadlines = (ctx) => SubmissionsService.prototype.deadlines.call(null, ctx);
  const fileView = (f) => ({ id: f.id, fileName: f.fileName, fileType: f.fileType, fileSize: f.fileSize });
  const byOwner = (rows, key) => {
    const by = new Map();
    for (const r of rows) (by.get(r[key]) ?? by.set(r[key], []).get(r[key])).push(r);
    return (id) => by.get(id) ?? [];
  };

  app.get('/courses/:id/tasks/:taskId/submissions/team-:teamId', (req, res) => {
    const user = req.user;
    const c = q.course.get(Number(req.params.id));
    const role = c && q.role.get(c.id, user.id)?.role;
    const t = role && q.task.get(Number(req.params.taskId), c.id);
    const canManage = role === 'facilitator' || user.role === 'admin';
    if (!t || t.kind !== 'team' || (!canManage && t.status !== 'published')) return res.sendStatus(404);
    const mine = q.myTeams.all(c.id, user.id);
    const memberTeamIds = mine.map((x) => x.id);
    const leaderTeamIds = mine.filter((x) => x.teamRole === 'leader').map((x) => x.id);
    const expertTeamIds = q.expertTeams.all(c.id, user.id).map((x) => x.id);
    const audience = t.audience === 'all' ? null : q.taskTeams.all(t.id).map((l) => l.teamId);
    const own = (id) => memberTeamIds.includes(id) || expertTeamIds.includes(id);
    if (audience && !canManage && !audience.some(own)) return res.sendStatus(404);
    const team = q.team.get(Number(req.params.teamId), c.id);
    if (!team || (audience && !audience.includes(team.id))) return res.sendStatus(404);
    const member = memberTeamIds.includes(team.id);
    const canReview = canManage || expertTeamIds.includes(team.id);
    if (!member && !canReview) return res.sendStatus(404);
    const canEdit = member;
    const canSubmit = leaderTeamIds.includes(team.id);
    const viewer = { course: c, roles: courseRoles({ canManage, isExpert: role === 'expert', memberTeamIds, leaderTeamIds }), canManage };
    const task = {
      ...t,
      opensAt: date(t.opensAt),
      dueAt: date(t.dueAt),
      cutOffAt: date(t.cutOffAt),
      expectsText: t.expectsText === 1,
      expectsFiles: t.expectsFiles === 1,
    };
    const ownerLabel = teamName(team);
    const s = q.submission.get(t.id, `team:${team.id}`);
    const sub = s && { ...s, late: s.late === 1, dueAtOverride: date(s.dueAtOverride), cutOffAtOverride: date(s.cutOffAtOverride) };
    const now = Date.now();
    const edits = sub ? byOwner(q.edits.all(sub.id), 'messageId') : () => [];
    const messages = sub
      ? q.messages.all(sub.id).map((m) => ({
          id: m.id,
          html: renderMarkdown(m.body, 4),
          body: m.body,
          createdAt: date(m.createdAt),
          editedAt: date(m.editedAt),
          canEdit: m.authorId === user.id && now - date(m.createdAt).getTime() < EDIT_WINDOW_MS,
          history: edits(m.id).map((e) => ({ body: e.body, replacedAt: date(e.replacedAt) })),
          author: m.author ?? '—',
        }))
      : [];
    const rubric = readRubric(t.rubric);
    const versionFiles = sub ? byOwner(q.versionFiles.all(sub.id), 'versionId') : () => [];
    const reviewFiles = sub ? byOwner(q.reviewFiles.all(sub.id), 'reviewId') : () => [];
    const reviews = sub ? byOwner(q.reviews.all(sub.id), 'versionId') : () => [];
    const versions = sub
      ? q.versions.all(sub.id).map((x, i) => ({
          id: x.id,
          number: x.number,
          isLatest: i === 0,
          author: x.author ?? '—',
          submittedAt: date(x.submittedAt),
          late: x.late === 1,
          note: x.note,
          sharedAt: date(x.sharedAt),
          html: renderRemembered(x.text),
          files: versionFiles(x.id).map(fileView),
          reviews: reviews(x.id)
            .filter((r) => r.releasedAt !== null || (canReview && r.reviewerId === user.id))
            .map((r) => ({
              id: r.id,
              reviewer: r.reviewer ?? '—',
              decision: r.decision,
              decisionLabel: r.decision === 'accept' ? 'Accepted' : 'Changes requested',
              released: r.releasedAt !== null,
              releasedAt: date(r.releasedAt),
              overallHtml: renderRemembered(r.overall, 5),
              summaryHtml: renderRemembered(r.overall, 3),
              files: reviewFiles(r.id).map(fileView),
              scores: JSON.parse(r.scores).map((x) => ({
                ...x,
                descriptor: rubric.find((k) => k.title === x.criterion)?.levels.find((l) => l.label === x.level)?.descriptor ?? '',
              })),
            })),
        }))
      : [];
    const events = sub
      ? q.events.all(sub.id).map((e) => ({
          at: date(e.at),
          from: STATUS_LABELS[e.fromStatus],
          to: STATUS_LABELS[e.toStatus],
          changed: e.fromStatus !== e.toStatus,
          actor: e.actor ?? '—',
          note: e.note,
        }))
      : [];
    const files = sub ? q.files.all(sub.id).map(fileView) : [];
    const status = sub?.status ?? 'not_started';
    const d = deadlines({ task, submission: sub ?? null });
    const zone = c.timeZone;
    const [dueDay, dueTime] = d.dueAt ? wallClock(d.dueAt, zone).split(' ') : ['', ''];
    const next = submitAction(status);
    const waiting = isAwaitingReview(status);
    res.render('submissions/show', {
      ...courseHeader(viewer, 'tasks'),
      task: TasksService.prototype.view.call(null, task, zone),
      ownerLabel,
      who: { ready: 'when the team is ready', owner: 'the team', discussion: 'the team and its reviewers' },
      base: `/courses/${c.id}/tasks/${t.id}/submissions/team-${team.id}`,
      title: `${t.title}: ${ownerLabel}`,
      status,
      statusLabel: STATUS_LABELS[status],
      late: sub?.late ?? false,
      deadlines: d,
      draftHtml: renderMarkdown(sub?.draftText ?? ''),
      files,
      versions,
      latest: versions[0] ?? null,
      nextNumber: (versions[0]?.number ?? 0) + 1,
      comparable: versions.length > 1 ? { from: versions[1].number, to: versions[0].number } : null,
      versionChoices: versions.map((x) => ({ value: String(x.number), label: `Version ${x.number}` })),
      feedback: feedbackSummary({ versions, status, events }),
      events,
      messages,
      taskResources: q.taskResources
        .all(t.id)
        .map((r) => ({ id: r.id, title: r.title, href: r.fileKey ? `/courses/${r.courseId}/resources/${r.id}/download` : (r.url ?? '#') })),
      canDiscuss: canEdit || canReview,
      canShare: canSubmit,
      canEdit: canEdit && !d.closed && !d.notOpenYet && status !== 'accepted',
      canSubmit: canSubmit && !d.closed && !d.notOpenYet && next !== null,
      isLeaderTask: true,
      isSubmitter: canSubmit,
      waiting,
      canReview: canReview && waiting,
      canManage,
      canReopen: canManage && status === 'accepted',
      fileSlots: Math.max(0, t.maxFiles - files.length),
      cutOffHint: `${d.cutOffAt ? `Now ${formatInstant(d.cutOffAt, zone)}. ` : ''}Leave both empty for no cut-off: after the new due time, work is still accepted and marked late.`,
      values: { text: sub?.draftText ?? '', revision: sub?.draftRevision ?? 0, note: '', dueDay, dueTime, cutOffDay: '', cutOffTime: '' },
    });
  });
}
