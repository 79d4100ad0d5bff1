import { type IcalEvent, writeCalendar } from '../common/ical';
import type { SessionView } from './programme.service';

export interface IcsCourse {
  id: number;
  title: string;
  timeZone: string;
  venueCampus: string;
  venueCity: string;
}

/** A programme session as a calendar event, in the venue's zone (the programme file and the personal feed both use it). */
export function sessionEvent(course: IcsCourse, s: SessionView, host: string, url?: string): IcalEvent {
  const details = [
    s.kindLabel,
    s.chairs && `Chairs: ${s.chairs}`,
    s.speakers && `Speakers: ${s.speakers}`,
    s.interpretationLanguages.length ? `Interpretation: ${s.interpretationLanguages.join(', ')}` : '',
    s.description,
  ].filter(Boolean);
  return {
    uid: `programme-session-${s.id}@${host}`,
    start: s.startsAt,
    end: s.endsAt,
    timeZone: course.timeZone,
    summary: s.title,
    location: [s.room, course.venueCampus, course.venueCity].filter(Boolean).join(', '),
    description: details.join('\n'),
    categories: [s.kindLabel],
    url,
  };
}

/** The in-person programme as an iCalendar file, times in the venue's zone with its TZID. */
export function programmeIcs(course: IcsCourse, sessions: SessionView[], host: string, now = new Date()): string {
  return writeCalendar({
    product: 'Workshop programme',
    name: `${course.title} — programme`,
    timeZone: course.timeZone,
    events: sessions.map((s) => sessionEvent(course, s, host)),
    now,
  });
}
