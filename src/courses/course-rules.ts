import { addDays, formatDate, formatDateRange, localDate } from '../common/zoned-time';

/** Pure rules about course and phase dates, kept apart from the database so they can be tested as tables. */

export interface DateSpan {
  startsOn: string;
  endsOn: string;
}
export interface PhaseLike extends DateSpan {
  id?: number;
  title: string;
}

/** Messages by field for a phase that would be added or changed; {} when acceptable. */
export function phaseProblems(course: DateSpan, others: PhaseLike[], candidate: PhaseLike): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  if (candidate.endsOn < candidate.startsOn) add('endsOn', 'The phase must end on or after the day it starts.');
  if (candidate.startsOn < course.startsOn) add('startsOn', `The phase must start on or after the first day of the course (${formatDate(course.startsOn)}).`);
  if (candidate.endsOn > course.endsOn) add('endsOn', `The phase must end on or before the last day of the course (${formatDate(course.endsOn)}).`);
  if (candidate.endsOn >= candidate.startsOn) {
    for (const other of others) {
      if (other.id !== undefined && other.id === candidate.id) continue;
      if (candidate.startsOn <= other.endsOn && other.startsOn <= candidate.endsOn) {
        add('startsOn', `These dates overlap the phase “${other.title}” (${formatDateRange(other.startsOn, other.endsOn)}).`);
      }
    }
  }
  return problems;
}

/** Messages for new course dates that would leave existing phases outside them. */
export function courseDateProblems(dates: DateSpan, phases: PhaseLike[]): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  if (dates.endsOn < dates.startsOn) problems.endsOn = ['The course must end on or after the day it starts.'];
  const outside = phases.filter((p) => p.startsOn < dates.startsOn || p.endsOn > dates.endsOn);
  if (outside.length && !problems.endsOn) {
    problems.startsOn = outside.map(
      (p) => `The phase “${p.title}” (${formatDateRange(p.startsOn, p.endsOn)}) would fall outside these dates. Change the phase first.`,
    );
  }
  return problems;
}

/** The default shape of a blended workshop: online before, the in-person week, online after. */
export function defaultPhases(course: DateSpan, inPerson?: DateSpan): (DateSpan & { title: string; kind: 'online' | 'in_person'; description: string })[] {
  if (!inPerson)
    return [
      {
        title: 'Online phase',
        kind: 'online',
        ...course,
        description: 'Work on the learning hub: online meetings with experts and other teams, individual and collaborative tasks.',
      },
    ];
  const phases: (DateSpan & { title: string; kind: 'online' | 'in_person'; description: string })[] = [];
  if (inPerson.startsOn > course.startsOn) {
    phases.push({
      title: 'Online phase before the in-person week',
      kind: 'online',
      startsOn: course.startsOn,
      endsOn: addDays(inPerson.startsOn, -1),
      description: 'Preparation on the learning hub: country context analysis, online meetings with experts and other teams, first drafts.',
    });
  }
  phases.push({
    title: 'In-person week',
    kind: 'in_person',
    ...inPerson,
    description: 'Plenaries, round tables, site visits and team work; team leaders refine their drafts with experts.',
  });
  if (inPerson.endsOn < course.endsOn) {
    phases.push({
      title: 'Online follow-up',
      kind: 'online',
      startsOn: addDays(inPerson.endsOn, 1),
      endsOn: course.endsOn,
      description: 'Finalising the policy, strategy or action plan on the learning hub, with feedback from facilitators and experts.',
    });
  }
  return phases;
}

export type MomentState = 'not_started' | 'in_phase' | 'between_phases' | 'finished';

export interface CourseMoment<P extends PhaseLike> {
  state: MomentState;
  today: string;
  current: P | null;
  next: P | null;
}

/**
 * Where a course stands at an instant. Phase days are calendar days in the venue's zone, so the
 * answer is the same for every viewer: at 23:30 in Berlin it may already be tomorrow in Shanghai.
 */
export function courseMoment<P extends PhaseLike>(course: DateSpan & { timeZone: string }, phases: P[], now: Date): CourseMoment<P> {
  const today = localDate(now, course.timeZone);
  const sorted = [...phases].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const current = sorted.find((p) => p.startsOn <= today && today <= p.endsOn) ?? null;
  const next = sorted.find((p) => p.startsOn > today) ?? null;
  let state: MomentState;
  if (today < course.startsOn) state = 'not_started';
  else if (today > course.endsOn) state = 'finished';
  else state = current ? 'in_phase' : 'between_phases';
  return { state, today, current, next };
}
