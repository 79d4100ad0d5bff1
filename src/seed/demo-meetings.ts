import type { EntityManager } from 'typeorm';
import { addDays, isoWeekday, zonedToUtc } from '../common/zoned-time';
import { Course } from '../courses/course.entity';
import { CourseMember } from '../courses/course-member.entity';
import { Phase } from '../courses/phase.entity';
import { Availability, AvailabilityWeeklyWindow } from '../meetings/availability.entity';
import { Meeting, MeetingAction, MeetingAttendance, MeetingPerson, type MeetingKind, type MeetingStatus, MeetingTeam } from '../meetings/meeting.entity';
import { Task, TaskTeam } from '../tasks/task.entity';
import { Team } from '../teams/team.entity';
import { TeamExpert } from '../teams/team-expert.entity';
import { TeamMember } from '../teams/team-member.entity';
import { teamName } from '../teams/team.view';
import { User } from '../users/user.entity';

/** The workshop the demo meetings belong to (seeded by demo-courses.ts). */
export const MEETINGS_COURSE = 'Strengthening Education Systems from a Lifelong Learning Perspective';

/** Experts around the world who advise the demo teams and meet them online (all with the demo password). */
export const DEMO_EXPERTS: readonly {
  email: string;
  name: string;
  timeZone: string;
  /** Country codes of the teams they advise. */
  teams: string[];
  /** When they meet: ISO weekdays (1 = Monday) and a window on their own clock. */
  days: number[];
  from: string;
  to: string;
  slotMinutes: number;
}[] = [
  {
    email: 'anke.weber@atelier.example',
    name: 'Anke Weber',
    timeZone: 'Europe/Berlin',
    teams: ['VN', 'MN'],
    days: [2, 4],
    from: '09:00',
    to: '12:00',
    slotMinutes: 45,
  },
  { email: 'li.na@atelier.example', name: 'Li Na', timeZone: 'Asia/Shanghai', teams: ['KH', 'VN'], days: [1, 3], from: '14:00', to: '17:00', slotMinutes: 30 },
  {
    email: 'amina.odhiambo@atelier.example',
    name: 'Amina Odhiambo',
    timeZone: 'Africa/Nairobi',
    teams: ['KE', 'GH'],
    days: [2, 5],
    from: '10:00',
    to: '13:00',
    slotMinutes: 60,
  },
  {
    email: 'losana.vuniwaqa@atelier.example',
    name: 'Losana Vuniwaqa',
    timeZone: 'Pacific/Fiji',
    teams: ['MN', 'KH'],
    days: [3, 4],
    from: '13:00',
    to: '16:00',
    slotMinutes: 45,
  },
];

/** The title that marks the demo meetings as seeded (the seed adds them once). */
const PEER_EXCHANGE = 'Peer exchange: financing lifelong learning in Asia-Pacific';

/** The first day on or after `date` that is this ISO weekday. */
function onOrAfter(date: string, weekday: number): string {
  return addDays(date, (weekday - isoWeekday(date) + 7) % 7);
}

interface MeetingSeed {
  kind: MeetingKind;
  title?: string;
  host: string;
  teams: string[];
  /** Days after the course's first day (the first weekday `weekday` on or after it), and the time on the host's clock. */
  after: number;
  weekday: number;
  time: string;
  minutes: number;
  status: MeetingStatus;
  bookedBy: string | null;
  agenda: string;
  reason?: string;
  people?: { email: string; role: 'expert' | 'facilitator' | 'guest' }[];
  /** Emails (or country codes for teams) recorded as absent; everyone else present. */
  absent?: string[];
  notes?: string;
  actions?: { team: string; text: string; task?: { title: string; dueAfter: number } }[];
}

const NOTES_VN = `## What we discussed

* The draft policy outline: vision and objectives are clear; the **financing** section needs numbers.
* How the national adult learning survey can give a baseline for the indicators.

## Agreed

1. Add a costed table of the main measures to the outline.
2. Share the survey's summary with Anke before the next meeting.`;

const NOTES_KE = `## What we discussed

* Which ministries and agencies take part in adult and non-formal learning in Kenya.
* Recognition of prior learning as a first measure of the policy.

## Agreed

* Wanjiru maps the actors and their roles for the next draft.`;

/**
 * The demo meetings of the workshop, with times placed from its first day (as demo-courses.ts
 * places the phases around the day of seeding): two consultations held before today, with
 * attendance, final notes and action items (one made into a published task); several booked
 * consultations in the coming days; one cancelled with a reason; and a peer exchange among three
 * teams chaired by the facilitator.
 */
const MEETINGS: MeetingSeed[] = [
  {
    kind: 'expert_consultation',
    host: 'anke.weber@atelier.example',
    teams: ['VN'],
    after: 3,
    weekday: 2,
    time: '09:00',
    minutes: 45,
    status: 'held',
    bookedBy: 'participant@atelier.example',
    agenda: 'Our draft policy outline: is the financing section convincing?',
    absent: ['tran.van.minh@atelier.example'],
    notes: NOTES_VN,
    actions: [
      {
        team: 'VN',
        text: 'Add a costed table of the main measures to the policy outline.',
        task: { title: 'Costed table of the main measures', dueAfter: 20 },
      },
      { team: 'VN', text: 'Share the summary of the national adult learning survey with Anke Weber.' },
    ],
  },
  {
    kind: 'expert_consultation',
    host: 'amina.odhiambo@atelier.example',
    teams: ['KE'],
    after: 6,
    weekday: 5,
    time: '10:00',
    minutes: 60,
    status: 'held',
    bookedBy: 'wanjiru.kamau@atelier.example',
    agenda: 'Who is who in adult learning in Kenya, and where to start.',
    notes: NOTES_KE,
    actions: [{ team: 'KE', text: 'Map the ministries and agencies involved in adult learning, with their roles.' }],
  },
  {
    kind: 'expert_consultation',
    host: 'amina.odhiambo@atelier.example',
    teams: ['GH'],
    after: 15,
    weekday: 2,
    time: '10:00',
    minutes: 60,
    status: 'scheduled',
    bookedBy: 'kwame.asante@atelier.example',
    agenda: 'Indicators for our action plan: what data exists in Ghana?',
  },
  {
    kind: 'expert_consultation',
    host: 'anke.weber@atelier.example',
    teams: ['MN'],
    after: 15,
    weekday: 4,
    time: '09:00',
    minutes: 45,
    status: 'scheduled',
    bookedBy: 'bolormaa.dorj@atelier.example',
    agenda: 'Community learning centres in the action plan: governance and funding.',
  },
  {
    kind: 'expert_consultation',
    host: 'li.na@atelier.example',
    teams: ['KH'],
    after: 16,
    weekday: 1,
    time: '14:00',
    minutes: 30,
    status: 'scheduled',
    bookedBy: 'sokha.chea@atelier.example',
    agenda: 'Phasing the implementation strategy over five years.',
  },
  {
    kind: 'expert_consultation',
    host: 'losana.vuniwaqa@atelier.example',
    teams: ['MN'],
    after: 16,
    weekday: 3,
    time: '13:00',
    minutes: 45,
    status: 'scheduled',
    bookedBy: 'bolormaa.dorj@atelier.example',
    agenda: 'Learning in remote and nomadic communities: lessons from the Pacific.',
  },
  {
    kind: 'expert_consultation',
    host: 'anke.weber@atelier.example',
    teams: ['VN'],
    after: 17,
    weekday: 2,
    time: '09:00',
    minutes: 45,
    status: 'cancelled',
    bookedBy: 'participant@atelier.example',
    agenda: 'The costed table of measures.',
    reason: 'The team leader travels to the regional ministers’ meeting that week; we will book another time.',
  },
  {
    kind: 'peer_exchange',
    title: PEER_EXCHANGE,
    host: 'facilitator@atelier.example',
    teams: ['VN', 'KH', 'MN'],
    after: 17,
    weekday: 3,
    time: '15:00',
    minutes: 90,
    status: 'scheduled',
    bookedBy: 'facilitator@atelier.example',
    agenda: 'Each team presents how its draft pays for lifelong learning (10 minutes each), then questions between teams. Li Na comments.',
    people: [{ email: 'li.na@atelier.example', role: 'expert' }],
  },
];

/**
 * The demo experts' places in the workshop (course experts advising teams, with published
 * availability in the shape AvailabilityService stores), and the demo meetings. Idempotent: each
 * place is added when missing, the meetings once (the peer exchange marks them).
 */
export async function seedDemoMeetings(em: EntityManager, now = new Date()): Promise<number> {
  const course = await em.getRepository(Course).findOneBy({ title: MEETINGS_COURSE });
  if (!course) return 0;
  const users = new Map((await em.getRepository(User).find()).map((u) => [u.email, u]));
  const teams = new Map((await em.getRepository(Team).findBy({ courseId: course.id })).map((t) => [t.country, t]));
  const phases = await em.getRepository(Phase).find({ where: { courseId: course.id }, order: { startsOn: 'ASC' } });
  const zone = course.timeZone;

  for (const x of DEMO_EXPERTS) {
    const u = users.get(x.email);
    if (!u) continue;
    if (!(await em.getRepository(CourseMember).existsBy({ courseId: course.id, userId: u.id })))
      await em.getRepository(CourseMember).save({ courseId: course.id, userId: u.id, role: 'expert', createdAt: now });
    for (const code of x.teams) {
      const team = teams.get(code);
      if (team && !(await em.getRepository(TeamExpert).existsBy({ teamId: team.id, userId: u.id })))
        await em.getRepository(TeamExpert).save({ teamId: team.id, userId: u.id, createdAt: now });
    }
    if (await em.getRepository(Availability).existsBy({ courseId: course.id, userId: u.id })) continue;
    const a = await em.getRepository(Availability).save(
      em.getRepository(Availability).create({
        courseId: course.id,
        userId: u.id,
        timeZone: x.timeZone,
        slotMinutes: x.slotMinutes,
        bufferMinutes: 15,
        minNoticeMinutes: 24 * 60,
        horizonDays: 30,
        maxPerTeam: 3,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await em.getRepository(AvailabilityWeeklyWindow).insert(x.days.map((weekday) => ({ availabilityId: a.id, weekday, startTime: x.from, endTime: x.to })));
  }

  if (await em.getRepository(Meeting).existsBy({ courseId: course.id, title: PEER_EXCHANGE })) return 0;
  let created = 0;
  for (const s of MEETINGS) {
    const host = users.get(s.host);
    const ts = s.teams.map((c) => teams.get(c)).filter((t) => t !== undefined);
    if (!host || !ts.length) continue;
    const hostZone = DEMO_EXPERTS.find((x) => x.email === s.host)?.timeZone ?? zone;
    const day = onOrAfter(addDays(course.startsOn, s.after), s.weekday);
    const startsAt = zonedToUtc(day, s.time, hostZone);
    const endsAt = new Date(startsAt.getTime() + s.minutes * 60_000);
    const title = s.title ?? `${ts.map(teamName).join(', ')} with ${host.name}`;
    const meeting = await em.getRepository(Meeting).save(
      em.getRepository(Meeting).create({
        courseId: course.id,
        kind: s.kind,
        title,
        agenda: s.agenda,
        onlineLink: `https://meet.example.org/atelier-${s.teams.join('-').toLowerCase()}-${day}`,
        startsAt,
        endsAt,
        hostId: host.id,
        bookedBy: s.bookedBy ? (users.get(s.bookedBy)?.id ?? null) : null,
        status: s.status,
        changeReason: s.reason ?? null,
        notes: s.notes ?? null,
        notesStatus: s.notes ? 'final' : 'none',
        notesBy: s.notes ? host.id : null,
        sequence: s.status === 'cancelled' ? 1 : 0,
        version: s.status === 'held' ? 3 : s.status === 'cancelled' ? 2 : 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    created++;
    await em.getRepository(MeetingTeam).insert(ts.map((t) => ({ meetingId: meeting.id, teamId: t.id })));
    const people = (s.people ?? []).map((p) => ({ user: users.get(p.email), role: p.role })).filter((p) => p.user !== undefined);
    if (people.length) await em.getRepository(MeetingPerson).insert(people.map((p) => ({ meetingId: meeting.id, userId: p.user!.id, role: p.role })));
    if (s.status !== 'held') continue;

    // Attendance: every team and person of the meeting, present unless listed as absent.
    const members = await em.getRepository(TeamMember).findBy(ts.map((t) => ({ teamId: t.id })));
    const absent = new Set(s.absent ?? []);
    const byId = new Map([...users.values()].map((u) => [u.id, u]));
    const personIds = [...new Set([host.id, ...people.map((p) => p.user!.id), ...members.map((m) => m.userId)])];
    await em
      .getRepository(MeetingAttendance)
      .insert([
        ...ts.map((t) => ({ meetingId: meeting.id, teamId: t.id, userId: null, present: !absent.has(t.country) })),
        ...personIds.map((id) => ({ meetingId: meeting.id, teamId: null, userId: id, present: !absent.has(byId.get(id)?.email ?? '') })),
      ]);

    for (const act of s.actions ?? []) {
      const team = teams.get(act.team)!;
      let taskId: number | null = null;
      if (act.task) {
        const dueDay = addDays(course.startsOn, act.task.dueAfter);
        const phase = phases.find((p) => p.startsOn <= dueDay && dueDay <= p.endsOn) ?? phases[0];
        const last = await em.getRepository(Task).findOne({ where: { courseId: course.id }, order: { position: 'DESC' } });
        const task = await em.getRepository(Task).save(
          em.getRepository(Task).create({
            courseId: course.id,
            phaseId: phase.id,
            position: (last?.position ?? 0) + 1,
            title: act.task.title,
            instructions: `${act.text}\n\nAgreed in the meeting [${title}](/courses/${course.id}/meetings/${meeting.id}).`,
            kind: 'team',
            opensAt: endsAt,
            dueAt: zonedToUtc(dueDay, '17:00', zone),
            cutOffAt: null,
            expectsText: true,
            expectsFiles: false,
            allowedTypes: '',
            maxFiles: 0,
            rubric: '',
            audience: 'selected',
            status: 'published',
            createdAt: endsAt,
            updatedAt: endsAt,
          }),
        );
        await em.getRepository(TaskTeam).insert({ taskId: task.id, teamId: team.id });
        taskId = task.id;
      }
      await em.getRepository(MeetingAction).insert({ meetingId: meeting.id, teamId: team.id, text: act.text, taskId, createdBy: host.id, createdAt: endsAt });
    }
  }
  return created;
}
