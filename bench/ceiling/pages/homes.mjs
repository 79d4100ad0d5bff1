// The ceiling's home page, /dashboard (see ../server.mjs), for a team member/leader and an expert:
// the same panels as src/home (decision 60), hand-written prepared statements, the app's own
// template and pure view functions (countdowns, timeline, places, meeting times, free slots).
export function register(app, { db, q: shared, date, dist }) {
  const { holdsCourseRole, can } = dist('common/permissions.js');
  const { ROLE_LABELS } = dist('users/user.view.js');
  const { timeline, TEAM_ROLE_WORDS } = dist('courses/course.view.js');
  const { formatDate, localDate, wallClock, zonedToUtcCompatible, addDays } = dist('common/zoned-time.js');
  const { placeOf } = dist('meetings/place.js');
  const { timesIn } = dist('meetings/meetings.service.js');
  const { freeSlots } = dist('meetings/slots.js');
  const { age, countdown, daysFromToday, span, teamAndVenue } = dist('home/countdown.js');
  const { teamName } = dist('teams/team.view.js');
  const { STATUS_LABELS, AWAITING_REVIEW } = dist('submissions/workflow.js');

  const ROWS = 5;
  const COURSES_SHOWN = 5;
  const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const STILL_OPEN = new Set(['not_started', 'draft']);
  const WAITING = new Set(['submitted', 'resubmitted', 'in_review']);
  const sqlNow = (d) => d.toISOString().replace('T', ' ').replace('Z', '');
  const json = (xs) => JSON.stringify(xs);

  const q = {
    ...shared,
    staff: db.prepare(`SELECT course_id AS courseId, role FROM course_members WHERE user_id = ?`),
    places: db.prepare(`SELECT m.team_id AS teamId, m.team_role AS teamRole, t.course_id AS courseId, t.country, t.city, t.time_zone AS timeZone
      FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ?`),
    advised: db.prepare(`SELECT e.team_id AS teamId, t.course_id AS courseId FROM team_experts e JOIN teams t ON t.id = e.team_id WHERE e.user_id = ?`),
    courses: db.prepare(`SELECT id, title, status, starts_on AS startsOn, ends_on AS endsOn, time_zone AS timeZone FROM courses
      WHERE id IN (SELECT value FROM json_each(?)) ORDER BY starts_on DESC, id DESC`),
    phases: db.prepare(`SELECT id, title, kind, starts_on AS startsOn, ends_on AS endsOn FROM phases WHERE course_id = ? ORDER BY starts_on, id`),
    tasks:
      db.prepare(`SELECT t.id, t.title, t.kind, t.audience, t.due_at AS dueAt, (SELECT json_group_array(tt.team_id) FROM task_teams tt WHERE tt.task_id = t.id) AS teamIds
      FROM tasks t WHERE t.course_id = ? AND t.status = 'published' ORDER BY t.position, t.id`),
    work: db.prepare(`SELECT task_id AS taskId, owner_key AS ownerKey, status, due_at_override AS dueAtOverride, updated_at AS updatedAt FROM submissions
      WHERE task_id IN (SELECT value FROM json_each(?)) AND owner_key IN (SELECT value FROM json_each(?))`),
    activity:
      db.prepare(`SELECT e.at, e.from_status AS fromStatus, e.to_status AS toStatus, e.note, e.actor_id AS actorId, u.name AS actor, s.task_id AS taskId, s.team_id AS teamId, s.user_id AS userId
      FROM submission_events e JOIN submissions s ON s.id = e.submission_id LEFT JOIN users u ON u.id = e.actor_id
      WHERE s.task_id IN (SELECT value FROM json_each(?)) AND s.owner_key IN (SELECT value FROM json_each(?)) ORDER BY e.at DESC, e.id DESC LIMIT 8`),
    gallery:
      db.prepare(`SELECT v.id, v.number, v.shared_at AS sharedAt, s.task_id AS taskId, s.team_id AS teamId, s.user_id AS userId, t.country, t.city, u.name AS userName
      FROM submission_versions v JOIN submissions s ON s.id = v.submission_id LEFT JOIN teams t ON t.id = s.team_id LEFT JOIN users u ON u.id = s.user_id
      WHERE s.task_id IN (SELECT value FROM json_each(?)) AND v.shared_at IS NOT NULL ORDER BY v.shared_at DESC`),
    teamMeetings: db.prepare(`SELECT m.id, m.title, m.starts_at AS startsAt, m.ends_at AS endsAt, m.host_id AS hostId FROM meetings m
      WHERE m.course_id = ? AND m.status <> 'cancelled' AND m.ends_at > ? AND m.id IN (SELECT meeting_id FROM meeting_teams WHERE team_id = ?)
      ORDER BY m.starts_at, m.id LIMIT ${ROWS}`),
    hostMeetings: db.prepare(`SELECT m.id, m.title, m.starts_at AS startsAt, m.ends_at AS endsAt, m.host_id AS hostId FROM meetings m
      WHERE m.course_id = ? AND m.status <> 'cancelled' AND m.ends_at > ? AND m.host_id = ? ORDER BY m.starts_at, m.id LIMIT ${ROWS}`),
    meetingZones: db.prepare(`SELECT mt.meeting_id AS meetingId, t.time_zone AS timeZone FROM meeting_teams mt JOIN teams t ON t.id = mt.team_id
      WHERE mt.meeting_id IN (SELECT value FROM json_each(?))
      UNION ALL SELECT mp.meeting_id, u.time_zone FROM meeting_people mp JOIN users u ON u.id = mp.user_id WHERE mp.meeting_id IN (SELECT value FROM json_each(?))`),
    hostZones: db.prepare(`SELECT id, time_zone AS timeZone FROM users WHERE id IN (SELECT value FROM json_each(?))`),
    availability:
      db.prepare(`SELECT id, time_zone AS zone, slot_minutes AS slotMinutes, buffer_minutes AS bufferMinutes, min_notice_minutes AS minNoticeMinutes,
      horizon_days AS horizonDays, max_per_team AS maxPerTeam FROM availabilities WHERE course_id = ? AND user_id = ?`),
    weekly: db.prepare(
      `SELECT weekday, start_time AS start, end_time AS "end" FROM availability_weekly_windows WHERE availability_id = ? ORDER BY weekday, start_time, id`,
    ),
    oneOff: db.prepare(
      `SELECT day AS date, start_time AS start, end_time AS "end" FROM availability_one_off_windows WHERE availability_id = ? ORDER BY day, start_time, id`,
    ),
    daysOff: db.prepare(`SELECT day FROM availability_days_off WHERE availability_id = ? ORDER BY day`),
    busy: db.prepare(`SELECT starts_at AS startsAt, ends_at AS endsAt FROM meetings WHERE status <> 'cancelled'
      AND (host_id = ? OR id IN (SELECT meeting_id FROM meeting_people WHERE user_id = ?))`),
    teams: db.prepare(`SELECT id, country, city, time_zone AS timeZone FROM teams WHERE course_id = ? AND id IN (SELECT value FROM json_each(?))`),
    memberIds: db.prepare(`SELECT DISTINCT user_id AS id FROM team_members WHERE team_id IN (SELECT value FROM json_each(?))`),
    // The expert's queue (the review queue's own rules): their teams' work and their teams' members' individual work,
    // published tasks of published courses; one row per submission with its latest version.
    queue: db.prepare(`SELECT s.id, s.status, s.late, s.team_id AS teamId, s.user_id AS userId, t.id AS taskId, t.title AS taskTitle, t.course_id AS courseId,
        lv.number AS latest, lv.submitted_at AS waitingSince, tm.country, tm.city, u.name AS userName
      FROM submissions s
      JOIN tasks t ON t.id = s.task_id
      JOIN courses c ON c.id = t.course_id
      JOIN submission_versions lv ON lv.id = (SELECT v.id FROM submission_versions v WHERE v.submission_id = s.id ORDER BY v.number DESC LIMIT 1)
      LEFT JOIN teams tm ON tm.id = s.team_id
      LEFT JOIN users u ON u.id = s.user_id
      WHERE s.status IN ('submitted', 'resubmitted', 'in_review') AND t.status = 'published' AND c.status = 'published'
        AND s.id IN (SELECT id FROM submissions WHERE team_id IN (SELECT value FROM json_each(?))
          UNION ALL SELECT id FROM submissions WHERE user_id IN (SELECT value FROM json_each(?)))
        AND (t.audience = 'all' OR EXISTS (SELECT 1 FROM task_teams tt WHERE tt.task_id = t.id AND tt.team_id IN (SELECT value FROM json_each(?))))
      ORDER BY lv.submitted_at, s.id LIMIT 1000`),
  };

  const meetingViews = (rows, courseId, zone) => {
    if (!rows.length) return [];
    const ids = json(rows.map((r) => r.id));
    const zones = q.meetingZones.all(ids, ids);
    const hosts = new Map(q.hostZones.all(json([...new Set(rows.map((r) => r.hostId))])).map((h) => [h.id, h.timeZone]));
    return rows.map((r) => ({
      id: r.id,
      href: `/courses/${courseId}/meetings/${r.id}`,
      title: r.title,
      time: timesIn(
        date(r.startsAt),
        date(r.endsAt),
        zone,
        [hosts.get(r.hostId), ...zones.filter((z) => z.meetingId === r.id).map((z) => z.timeZone)].filter(Boolean),
      ),
    }));
  };

  const phaseOf = (course, phases, zone, now) => {
    const t = timeline(course, phases, now);
    const today = localDate(now, zone);
    if (t.current) {
      const left = daysFromToday(today, t.current.endsOn);
      return {
        title: t.current.title,
        kindLabel: t.current.kindLabel,
        dates: t.current.dates,
        text: left.days === 0 ? 'last day' : `${left.days} day${left.days === 1 ? '' : 's'} left`,
        ends: formatDate(t.current.endsOn),
      };
    }
    const next = t.items.find((i) => i.state === 'future');
    return {
      title: null,
      summary: t.summary,
      next: next ? { title: next.title, starts: formatDate(next.startsOn), in: daysFromToday(today, next.startsOn).text } : null,
    };
  };

  const stepText = (from, to, note) => {
    const version = /^Version (\d+)/.exec(note);
    if (from !== to) return `${STATUS_LABELS[to] ?? to}${version ? ` (version ${version[1]})` : ''}`;
    return note.length > 90 ? `${note.slice(0, 89)}…` : note;
  };
  const hrefOf = (courseId, taskId, r) => `/courses/${courseId}/tasks/${taskId}/submissions/${r.teamId !== null ? `team-${r.teamId}` : `person-${r.userId}`}`;

  const teamPanel = (user, course, phases, tasks, place, isLeader, now) => {
    const teamId = place.teamId;
    const venue = course.timeZone;
    const zone = place.timeZone;
    const name = teamName(place);
    const forTeam = (task) => task.audience === 'all' || task.teamIds.includes(teamId);
    const mine = tasks.filter(forTeam);
    const taskIds = json(tasks.map((t) => t.id));
    const keys = json([`team:${teamId}`, `user:${user.id}`]);
    const subs = new Map(q.work.all(json(mine.map((t) => t.id)), keys).map((r) => [`${r.taskId}|${r.ownerKey}`, r]));
    const own = mine.map((task) => {
      const owner = task.kind === 'team' ? { teamId, userId: null } : { teamId: null, userId: user.id };
      const s = subs.get(`${task.id}|${task.kind === 'team' ? `team:${teamId}` : `user:${user.id}`}`);
      const status = s?.status ?? 'not_started';
      const override = s?.dueAtOverride ? date(s.dueAtOverride) : null;
      return {
        task,
        row: {
          teamId: owner.teamId,
          href: hrefOf(course.id, task.id, owner),
          status,
          statusLabel: STATUS_LABELS[status],
          updatedAt: s ? date(s.updatedAt) : null,
          dueAt: override ?? date(task.dueAt),
          extended: Boolean(override),
        },
      };
    });
    const open = own.filter(({ row }) => STILL_OPEN.has(row.status)).sort((a, b) => a.row.dueAt - b.row.dueAt);
    const deadlines = open.slice(0, ROWS).map(({ task, row }) => ({
      title: task.title,
      href: row.href,
      whose: row.teamId !== null ? 'team' : 'yours',
      statusLabel: row.statusLabel,
      dueAt: row.dueAt,
      extended: row.extended,
      ...countdown(row.dueAt, now),
      when: teamAndVenue(row.dueAt, zone, venue, now),
    }));
    const feedback = own
      .filter(({ row }) => row.status === 'changes_requested' && (row.teamId === null || isLeader))
      .sort((a, b) => (a.row.updatedAt?.getTime() ?? 0) - (b.row.updatedAt?.getTime() ?? 0))
      .map(({ task, row }) => ({
        title: task.title,
        href: row.href,
        whose: row.teamId !== null ? 'team' : 'yours',
        since: row.updatedAt ? age(row.updatedAt, now) : null,
        ...countdown(row.dueAt, now),
        when: teamAndVenue(row.dueAt, zone, venue, now),
      }));
    const leaderActs = isLeader
      ? []
      : own.filter(({ row }) => row.status === 'changes_requested' && row.teamId !== null).map(({ task, row }) => ({ title: task.title, href: row.href }));
    const titles = new Map(tasks.map((t) => [t.id, t.title]));
    const steps = q.activity.all(taskIds, keys);
    const gallery = tasks.length ? q.gallery.all(taskIds) : [];
    const share = (g) => ({
      id: g.id,
      number: g.number,
      taskTitle: titles.get(g.taskId) ?? '',
      owner: g.teamId !== null ? teamName(g) : (g.userName ?? ''),
      href: `/courses/${course.id}/gallery/${g.id}`,
      ago: g.sharedAt ? `${age(date(g.sharedAt), now)} ago` : '',
    });
    const ours = gallery.filter((g) => g.teamId === teamId || g.userId === user.id);
    const others = gallery.filter((g) => !(g.teamId === teamId || g.userId === user.id));
    return {
      courseId: course.id,
      courseTitle: course.title,
      courseHref: `/courses/${course.id}`,
      team: { id: teamId, name, href: `/courses/${course.id}/teams/${teamId}`, place: placeOf(zone) },
      venuePlace: placeOf(venue),
      sameZone: zone === venue,
      isLeader,
      phase: phaseOf(course, phases, zone, now),
      deadlines,
      moreDeadlines: Math.max(0, open.length - deadlines.length),
      tasksHref: `/courses/${course.id}/tasks`,
      feedback,
      leaderActs,
      meetings: meetingViews(q.teamMeetings.all(course.id, sqlNow(now), teamId), course.id, user.timeZone),
      meetingsHref: `/courses/${course.id}/meetings`,
      canBook: isLeader,
      activity: steps.map((s) => {
        const at = date(s.at);
        return {
          task: titles.get(s.taskId) ?? '',
          text: stepText(s.fromStatus, s.toStatus, s.note),
          who: s.actor ?? '—',
          at,
          ago: `${age(at, now)} ago`,
          href: hrefOf(course.id, s.taskId, s),
        };
      }),
      ourShares: ours.slice(0, ROWS).map(share),
      otherShares: others.slice(0, ROWS).map(share),
      moreShares: ours.length + others.length > Math.min(ours.length, ROWS) + Math.min(others.length, ROWS),
      galleryHref: `/courses/${course.id}/gallery`,
    };
  };

  const availabilityOf = (user, course, phases, now) => {
    const a = q.availability.get(course.id, user.id);
    if (!a) return null;
    const saved = {
      ...a,
      weekly: q.weekly.all(a.id),
      oneOff: q.oneOff.all(a.id),
      daysOff: q.daysOff.all(a.id).map((d) => d.day),
    };
    const within = phases
      .filter((p) => p.kind === 'online')
      .map((p) => ({
        start: zonedToUtcCompatible(p.startsOn, '00:00', course.timeZone),
        end: zonedToUtcCompatible(addDays(p.endsOn, 1), '00:00', course.timeZone),
      }));
    const busy = q.busy.all(user.id, user.id).map((m) => ({ start: date(m.startsAt), end: date(m.endsAt) }));
    const slots = freeSlots(saved, { now, within, busy });
    const first = slots[0]?.start ?? null;
    return {
      place: placeOf(saved.zone),
      weekly: saved.weekly.map((w) => `${WEEKDAYS[w.weekday]} ${w.start}–${w.end}`),
      oneOffCount: saved.oneOff.length,
      slotMinutes: saved.slotMinutes,
      maxPerTeam: saved.maxPerTeam,
      freeCount: slots.length,
      firstFree: first && {
        text: `${formatDate(localDate(first, user.timeZone))} ${wallClock(first, user.timeZone).slice(11)} ${placeOf(user.timeZone)}`,
        in: span(first.getTime() - now.getTime()),
      },
    };
  };

  const expertPanel = (user, course, phases, tasks, teamIds, queueRows, now) => {
    const teams = q.teams.all(course.id, json(teamIds)).map((t) => ({ ...t, name: teamName(t) }));
    const teamTasks = tasks.filter((t) => t.kind === 'team');
    const subs = new Map(q.work.all(json(teamTasks.map((t) => t.id)), json(teams.map((t) => `team:${t.id}`))).map((r) => [`${r.taskId}|${r.ownerKey}`, r]));
    const accompanied = [...teams]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => {
        const rows = teamTasks
          .filter((task) => task.audience === 'all' || task.teamIds.includes(t.id))
          .map((task) => {
            const s = subs.get(`${task.id}|team:${t.id}`);
            const status = s?.status ?? 'not_started';
            const dueAt = s?.dueAtOverride ? date(s.dueAtOverride) : date(task.dueAt);
            return { status, overdue: now > dueAt && STILL_OPEN.has(status) };
          });
        const count = (pred) => rows.filter((r) => pred(r.status)).length;
        const accepted = count((s) => s === 'accepted');
        const total = rows.length;
        return {
          name: t.name,
          place: placeOf(t.timeZone),
          href: `/courses/${course.id}/teams/${t.id}`,
          total,
          accepted,
          waiting: count((s) => WAITING.has(s)),
          changes: count((s) => s === 'changes_requested'),
          open: count((s) => STILL_OPEN.has(s)),
          overdue: rows.filter((r) => r.overdue).length,
          percent: total ? Math.round((accepted / total) * 100) : 0,
        };
      });
    const reviews = queueRows.filter((r) => r.courseId === course.id).slice(0, 200);
    return {
      courseId: course.id,
      courseTitle: course.title,
      courseHref: `/courses/${course.id}`,
      phase: phaseOf(course, phases, user.timeZone, now),
      meetings: meetingViews(q.hostMeetings.all(course.id, sqlNow(now), user.id), course.id, user.timeZone),
      meetingsHref: `/courses/${course.id}/meetings`,
      reviews: reviews.slice(0, ROWS).map((r) => ({
        owner: r.owner,
        taskTitle: r.taskTitle,
        href: r.href,
        statusLabel: STATUS_LABELS[r.status],
        late: r.late === 1,
        version: r.latest,
        waitingSince: r.waitingSince,
        age: age(r.waitingSince, now),
      })),
      reviewCount: reviews.length,
      oldestAge: reviews.length ? age(reviews[0].waitingSince, now) : null,
      reviewsHref: `/reviews?course=${course.id}`,
      availability: availabilityOf(user, course, phases, now),
      availabilityHref: `/courses/${course.id}/availability`,
      teams: accompanied,
    };
  };

  app.get('/dashboard', (req, res) => {
    const user = req.user;
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const staff = q.staff.all(user.id).filter((s) => holdsCourseRole(user.role, s.role));
    const places = q.places.all(user.id);
    const managed = staff.filter((s) => s.role === 'facilitator').map((s) => s.courseId);
    const expertIn = staff.filter((s) => s.role === 'expert').map((s) => s.courseId);
    const ids = [...new Set([...expertIn, ...places.map((p) => p.courseId)])].filter((id) => !managed.includes(id));
    const all = q.courses.all(json([...managed, ...ids, ...places.map((p) => p.courseId)]));
    const visible = all.filter((c) => managed.includes(c.id) || (ids.includes(c.id) && c.status === 'published'));
    const upcoming = all
      .filter((c) => c.status === 'draft')
      .reverse()
      .flatMap((c) =>
        places
          .filter((p) => p.courseId === c.id && p.teamRole)
          .map((p) => ({ title: c.title, startsOn: c.startsOn, endsOn: c.endsOn, team: teamName(p), teamRole: TEAM_ROLE_WORDS[p.teamRole] })),
      );
    const advised = holdsCourseRole(user.role, 'expert') ? q.advised.all(user.id).filter((a) => expertIn.includes(a.courseId)) : [];
    // The expert's queue, read once: the home's figure and each expert panel's reviews.
    let queueRows = [];
    if (can(user.role, 'reviews.queue') && advised.length) {
      const teamIds = advised.map((a) => a.teamId);
      const memberIds = q.memberIds.all(json(teamIds)).map((m) => m.id);

      queueRows = q.queue.all(json(teamIds), json(memberIds), json(teamIds)).map((r) => ({
        ...r,
        owner: r.teamId !== null ? teamName(r) : r.userName,
        href: hrefOf(r.courseId, r.taskId, r),
        waitingSince: date(r.waitingSince),
      }));
    }
    const chosen = visible
      .filter((c) => !managed.includes(c.id) && c.status === 'published' && c.endsOn >= today)
      .sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id)
      .slice(0, 2);
    const teamPanels = [];
    const expertPanels = [];
    for (const course of chosen) {
      const phases = q.phases.all(course.id);
      const tasks = q.tasks.all(course.id).map((t) => ({ ...t, teamIds: JSON.parse(t.teamIds) }));
      const mine = places.filter((p) => p.courseId === course.id && p.teamRole).sort((a, b) => a.teamId - b.teamId);
      const isExpert = expertIn.includes(course.id);
      const advisedHere = advised.filter((a) => a.courseId === course.id).map((a) => a.teamId);
      const own = (t) => t.audience === 'all' || t.teamIds.some((id) => mine.some((p) => p.teamId === id) || (isExpert && advisedHere.includes(id)));
      const shown = tasks.filter(own);
      for (const p of mine) teamPanels.push(teamPanel(user, course, phases, shown, p, p.teamRole === 'leader', now));
      if (isExpert) expertPanels.push(expertPanel(user, course, phases, shown, advisedHere, queueRows, now));
    }
    res.render('home/dashboard', {
      title: 'Home',
      teamPanels,
      expertPanels,
      hasPanels: teamPanels.length + expertPanels.length > 0,
      nav: 'home',
      roleLabel: ROLE_LABELS[user.role],
      canManageUsers: can(user.role, 'users.manage'),
      canInvite: can(user.role, 'invitations.manage'),
      canCreate: can(user.role, 'courses.create'),
      courses: visible.slice(0, COURSES_SHOWN).map((c) => ({ id: c.id, title: c.title, startsOn: c.startsOn, endsOn: c.endsOn })),
      moreCourses: visible.length > COURSES_SHOWN,
      upcoming,
      waiting: can(user.role, 'reviews.queue') ? Math.min(queueRows.length, 200) : null,
    });
  });
}
