import { wallClock, zoneOffsetMinutes } from '../common/zoned-time';
import type { SessionView } from './programme.service';

/** RFC 5545 text escaping. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const local = (instant: Date, zone: string) => wallClock(instant, zone).replace(/[-:]/g, '').replace(' ', 'T') + '00';
const utc = (instant: Date) =>
  instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const offset = (minutes: number) =>
  `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}${String(Math.abs(minutes) % 60).padStart(2, '0')}`;

/** Instants in [from, to] where the zone's offset changes, to the minute. */
export function offsetTransitions(zone: string, from: Date, to: Date): Date[] {
  const found: Date[] = [];
  const hour = 3600_000;
  let t = from.getTime();
  let before = zoneOffsetMinutes(new Date(t), zone);
  for (; t < to.getTime(); t += hour) {
    const after = zoneOffsetMinutes(new Date(t + hour), zone);
    if (after !== before) {
      let lo = t;
      let hi = t + hour;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (zoneOffsetMinutes(new Date(mid), zone) === before) lo = mid;
        else hi = mid;
      }
      found.push(new Date(hi));
      before = after;
    }
  }
  return found;
}

/** A VTIMEZONE valid over [from, to]: one observance for the start and one per offset change. */
export function vtimezone(zone: string, from: Date, to: Date): string[] {
  const start = zoneOffsetMinutes(from, zone);
  const lines = [
    'BEGIN:VTIMEZONE',
    `TZID:${zone}`,
    'BEGIN:STANDARD',
    `DTSTART:${local(from, zone)}`,
    `TZOFFSETFROM:${offset(start)}`,
    `TZOFFSETTO:${offset(start)}`,
    'END:STANDARD',
  ];
  let previous = start;
  for (const t of offsetTransitions(zone, from, to)) {
    const next = zoneOffsetMinutes(t, zone);
    const kind = next > previous ? 'DAYLIGHT' : 'STANDARD';
    const onset = new Date(t.getTime() + previous * 60_000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z/, '');
    lines.push(`BEGIN:${kind}`, `DTSTART:${onset}`, `TZOFFSETFROM:${offset(previous)}`, `TZOFFSETTO:${offset(next)}`, `END:${kind}`);
    previous = next;
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

export interface IcsCourse {
  id: number;
  title: string;
  timeZone: string;
  venueCampus: string;
  venueCity: string;
}

/** The in-person programme as an iCalendar file, times in the venue's zone with its TZID. */
export function programmeIcs(course: IcsCourse, sessions: SessionView[], host: string, now = new Date()): string {
  const zone = course.timeZone;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Atelier//Workshop programme//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`${course.title} — programme`)}`,
    `X-WR-TIMEZONE:${zone}`,
  ];
  if (sessions.length) {
    const first = new Date(Math.min(...sessions.map((s) => s.startsAt.getTime())) - 86_400_000);
    const last = new Date(Math.max(...sessions.map((s) => s.endsAt.getTime())) + 86_400_000);
    lines.push(...vtimezone(zone, first, last));
  }
  for (const s of sessions) {
    const details = [
      s.kindLabel,
      s.chairs && `Chairs: ${s.chairs}`,
      s.speakers && `Speakers: ${s.speakers}`,
      s.interpretationLanguages.length ? `Interpretation: ${s.interpretationLanguages.join(', ')}` : '',
      s.description,
    ].filter(Boolean);
    lines.push(
      'BEGIN:VEVENT',
      `UID:programme-session-${s.id}@${host}`,
      `DTSTAMP:${utc(now)}`,
      `DTSTART;TZID=${zone}:${local(s.startsAt, zone)}`,
      `DTEND;TZID=${zone}:${local(s.endsAt, zone)}`,
      `SUMMARY:${escapeText(s.title)}`,
      `LOCATION:${escapeText([s.room, course.venueCampus, course.venueCity].filter(Boolean).join(', '))}`,
      `DESCRIPTION:${escapeText(details.join('\n'))}`,
      `CATEGORIES:${escapeText(s.kindLabel)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
