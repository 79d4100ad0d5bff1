import { countryName } from '../common/countries';
import { courseCan } from '../common/permissions';
import type { TeamRole } from '../common/roles';
import { formatDateRange } from '../common/zoned-time';
import { LANGUAGES } from '../users/user.view';
import type { CourseViewer } from './course-access.service';
import type { Course } from './course.entity';
import { courseMoment } from './course-rules';
import type { Phase } from './phase.entity';

/** A person's role in their team, as a sentence says it ("… as team leader"). */
export const TEAM_ROLE_WORDS: Readonly<Record<TeamRole, string>> = { leader: 'team leader', member: 'member' };

export const STATUS_LABELS = { draft: 'Draft', published: 'Published', archived: 'Archived' } as const;

export function languageName(code: string): string {
  const label = LANGUAGES.find((l) => l.value === code)?.label;
  return label ? (label.match(/\((.*)\)$/)?.[1] ?? label) : code;
}

export function languageList(codes: string): string {
  return codes ? codes.split(',').filter(Boolean).map(languageName).join(', ') : '';
}

/** The heading block and tabs every course page shares. */
export function courseHeader(v: CourseViewer, active: string) {
  const c = v.course;
  const base = `/courses/${c.id}`;
  const tabs = [
    { href: base, label: 'Course home', key: 'home' },
    ...(courseCan(v.roles, 'course.dashboard') ? [{ href: `${base}/dashboard`, label: 'Dashboard', key: 'dashboard' }] : []),
    { href: `${base}/programme`, label: 'Programme', key: 'programme' },
    { href: `${base}/tasks`, label: 'Tasks', key: 'tasks' },
    { href: `${base}/teams`, label: 'Teams', key: 'teams' },
    { href: `${base}/resources`, label: 'Resources', key: 'resources' },
    { href: `${base}/gallery`, label: 'Gallery', key: 'gallery' },
    ...(courseCan(v.roles, 'meetings.view') ? [{ href: `${base}/meetings`, label: 'Meetings', key: 'meetings' }] : []),
    ...(courseCan(v.roles, 'meetings.offer') ? [{ href: `${base}/availability`, label: 'My availability', key: 'availability' }] : []),
    ...(v.canManage
      ? [
          { href: `${base}/setup`, label: 'Set-up', key: 'setup' },
          { href: `${base}/people`, label: 'People', key: 'people' },
        ]
      : []),
    ...(courseCan(v.roles, 'course.report') ? [{ href: `${base}/report`, label: 'Report', key: 'report' }] : []),
  ].map((t) => ({ ...t, current: t.key === active }));
  return {
    nav: 'courses',
    course: {
      id: c.id,
      title: c.title,
      series: c.series,
      edition: c.edition,
      editionLabel: c.edition ? ordinal(c.edition) : null,
      status: c.status,
      statusLabel: STATUS_LABELS[c.status],
      dates: formatDateRange(c.startsOn, c.endsOn),
      venue: `${c.venueCampus}, ${c.venueCity}, ${countryName(c.venueCountry)}`,
      timeZone: c.timeZone,
    },
    tabs,
    canManage: v.canManage,
  };
}

export function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

/** The timeline: phases in order with the one "now" falls in marked, and where the course stands. */
export function timeline(
  course: Course,
  phases: Pick<Phase, 'id' | 'title' | 'kind' | 'startsOn' | 'endsOn' | 'description' | 'platformUrl'>[],
  now = new Date(),
) {
  const m = courseMoment(course, phases, now);
  const items = phases.map((p) => ({
    id: p.id,
    title: p.title,
    kind: p.kind,
    kindLabel: p.kind === 'in_person' ? 'In person' : 'Online',
    dates: formatDateRange(p.startsOn, p.endsOn),
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    description: p.description,
    platformUrl: p.platformUrl,
    state: m.current?.id === p.id ? 'current' : p.endsOn < m.today ? 'past' : 'future',
    isCurrent: m.current?.id === p.id,
  }));
  const summary =
    m.state === 'not_started'
      ? `The course has not started yet: it begins on ${formatDateRange(course.startsOn, course.startsOn)}.`
      : m.state === 'finished'
        ? 'The course has finished. Its pages stay available to you.'
        : m.state === 'between_phases'
          ? `Between phases${m.next ? `: “${m.next.title}” begins on ${formatDateRange(m.next.startsOn, m.next.startsOn)}` : ''}.`
          : `Now: ${m.current!.title} (${formatDateRange(m.current!.startsOn, m.current!.endsOn)}).`;
  return { items, state: m.state, today: m.today, summary, current: items.find((i) => i.isCurrent) ?? null };
}
