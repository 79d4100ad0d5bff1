import type { IcalEvent } from '../common/ical';

/** What a calendar needs of a meeting. */
export interface MeetingForCalendar {
  id: number;
  courseId: number;
  title: string;
  agenda: string;
  onlineLink: string | null;
  startsAt: Date;
  endsAt: Date;
  status: string;
  sequence: number;
}

/**
 * A meeting as one calendar event, the same in its own `.ics` and in every personal feed: one UID
 * for its whole life, SEQUENCE raised by every reschedule or cancellation (so calendar apps take
 * the newer copy), STATUS:CANCELLED once cancelled (so they drop it). Times in UTC.
 */
export function meetingEvent(m: MeetingForCalendar, base: string): IcalEvent {
  const root = base.replace(/\/$/, '');
  return {
    uid: `meeting-${m.id}@${new URL(root).host}`,
    start: m.startsAt,
    end: m.endsAt,
    summary: m.title,
    description: [m.agenda, m.onlineLink ?? ''].filter(Boolean).join('\n\n'),
    location: m.onlineLink ?? undefined,
    url: `${root}/courses/${m.courseId}/meetings/${m.id}`,
    sequence: m.sequence,
    status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
  };
}
