import { wallClock, zoneOffsetMinutes } from './zoned-time';

/**
 * The one iCalendar (RFC 5545) writer: the programme `.ics`, the personal calendar feed and, later,
 * meeting invitations all go through `writeCalendar`. Times are written in an event's own zone
 * (TZID + a VTIMEZONE built from the zone data Node carries, exact over the span the events cover)
 * or in UTC. Scheduling fields (METHOD, ORGANIZER, ATTENDEE, SEQUENCE, STATUS) are written when given.
 */

/** RFC 5545 text escaping. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** A parameter value (CN=…): quoted when it holds `:`, `;` or `,`; double quotes and control characters dropped. */
function paramValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/["\x00-\x1f\x7f]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
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

/** Instants in [from, to] where the zone's offset changes, to the minute (checked every 6 hours: no zone changes twice in that time). */
export function offsetTransitions(zone: string, from: Date, to: Date): Date[] {
  const found: Date[] = [];
  const step = 6 * 3600_000;
  let t = from.getTime();
  let before = zoneOffsetMinutes(new Date(t), zone);
  for (; t < to.getTime(); t += step) {
    const after = zoneOffsetMinutes(new Date(t + step), zone);
    if (after !== before) {
      let lo = t;
      let hi = t + step;
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

const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z/, '');

/**
 * A VTIMEZONE valid over each of the spans (sorted, not overlapping): one observance for the start,
 * one per offset change inside a span, and one where a span begins at another offset than the
 * previous one ended. Between spans no event needs the zone, so years between a programme and a
 * far deadline cost nothing.
 */
export function vtimezoneOver(zone: string, spans: { from: Date; to: Date }[]): string[] {
  const start = zoneOffsetMinutes(spans[0].from, zone);
  const lines = [
    'BEGIN:VTIMEZONE',
    `TZID:${zone}`,
    'BEGIN:STANDARD',
    `DTSTART:${local(spans[0].from, zone)}`,
    `TZOFFSETFROM:${offset(start)}`,
    `TZOFFSETTO:${offset(start)}`,
    'END:STANDARD',
  ];
  let previous = start;
  const observe = (at: Date, next: number) => {
    // DTSTART of an observance is the local time in the offset before it (TZOFFSETFROM).
    const kind = next > previous ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${compact(new Date(at.getTime() + previous * 60_000))}`,
      `TZOFFSETFROM:${offset(previous)}`,
      `TZOFFSETTO:${offset(next)}`,
      `END:${kind}`,
    );
    previous = next;
  };
  for (const [i, span] of spans.entries()) {
    if (i > 0) {
      const now = zoneOffsetMinutes(span.from, zone);
      if (now !== previous) observe(span.from, now);
    }
    for (const t of offsetTransitions(zone, span.from, span.to)) observe(t, zoneOffsetMinutes(t, zone));
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** A VTIMEZONE valid over [from, to]. */
export function vtimezone(zone: string, from: Date, to: Date): string[] {
  return vtimezoneOver(zone, [{ from, to }]);
}

export interface IcalPerson {
  name: string;
  email: string;
}

export interface IcalAttendee extends IcalPerson {
  role?: 'REQ-PARTICIPANT' | 'OPT-PARTICIPANT' | 'CHAIR' | 'NON-PARTICIPANT';
  partstat?: 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';
  rsvp?: boolean;
}

export interface IcalEvent {
  /** Stable across every file and feed that carries this event (e.g. `task-12-due@host`). */
  uid: string;
  start: Date;
  end: Date;
  /** IANA zone to write the times in (with its VTIMEZONE); UTC when absent. */
  timeZone?: string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  categories?: string[];
  /** Raised on every change the receiver must notice (RFC 5546). */
  sequence?: number;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** TRANSPARENT: does not block time (deadlines). */
  transparent?: boolean;
  organizer?: IcalPerson;
  attendees?: IcalAttendee[];
}

export interface IcalCalendar {
  /** The product part of PRODID: `-//Atelier//<product>//EN`. */
  product: string;
  /** PUBLISH (files, feeds), REQUEST (invitations and updates), CANCEL (cancellations). */
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL';
  /** X-WR-CALNAME: the name calendar apps show for a subscription. */
  name?: string;
  /** X-WR-TIMEZONE: the zone a calendar app may default to. */
  timeZone?: string;
  events: IcalEvent[];
  /** DTSTAMP of every event. */
  now?: Date;
}

const DAY = 86_400_000;

/** Events closer than this share one span of a VTIMEZONE. */
const GAP = 14 * DAY;

/** One VTIMEZONE per zone the events use, over the spans their times fall in (a day either side). */
function timezones(events: IcalEvent[]): string[] {
  const instants = new Map<string, number[]>();
  for (const e of events) {
    if (!e.timeZone) continue;
    const list = instants.get(e.timeZone) ?? instants.set(e.timeZone, []).get(e.timeZone)!;
    list.push(e.start.getTime(), e.end.getTime());
  }
  return [...instants]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([zone, times]) => {
      const spans: { from: number; to: number }[] = [];
      for (const t of times.sort((a, b) => a - b)) {
        const last = spans[spans.length - 1];
        if (last && t - last.to <= GAP) last.to = t;
        else spans.push({ from: t, to: t });
      }
      return vtimezoneOver(
        zone,
        spans.map((s) => ({ from: new Date(s.from - DAY), to: new Date(s.to + DAY) })),
      );
    });
}

function time(name: 'DTSTART' | 'DTEND', instant: Date, zone: string | undefined): string {
  return zone ? `${name};TZID=${zone}:${local(instant, zone)}` : `${name}:${utc(instant)}`;
}

function person(name: 'ORGANIZER' | 'ATTENDEE', p: IcalAttendee): string {
  const params = [`CN=${paramValue(p.name)}`];
  if (p.role) params.push(`ROLE=${p.role}`);
  if (p.partstat) params.push(`PARTSTAT=${p.partstat}`);
  if (p.rsvp !== undefined) params.push(`RSVP=${p.rsvp ? 'TRUE' : 'FALSE'}`);
  return `${name};${params.join(';')}:mailto:${p.email.replace(/[\s"<>]/g, '')}`;
}

function event(e: IcalEvent, stamp: string): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${stamp}`, time('DTSTART', e.start, e.timeZone), time('DTEND', e.end, e.timeZone)];
  if (e.sequence !== undefined) lines.push(`SEQUENCE:${Math.max(0, Math.floor(e.sequence))}`);
  if (e.status) lines.push(`STATUS:${e.status}`);
  lines.push(`SUMMARY:${escapeText(e.summary)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
  if (e.url) lines.push(`URL:${e.url}`);
  if (e.transparent) lines.push('TRANSP:TRANSPARENT');
  if (e.organizer) lines.push(person('ORGANIZER', e.organizer));
  for (const a of e.attendees ?? []) lines.push(person('ATTENDEE', a));
  lines.push('END:VEVENT');
  return lines;
}

/** A whole iCalendar object: CRLF line ends, folded lines, VTIMEZONEs for the zones the events use. */
export function writeCalendar(cal: IcalCalendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//Atelier//${cal.product}//EN`, 'CALSCALE:GREGORIAN', `METHOD:${cal.method ?? 'PUBLISH'}`];
  if (cal.name) lines.push(`X-WR-CALNAME:${escapeText(cal.name)}`);
  if (cal.timeZone) lines.push(`X-WR-TIMEZONE:${cal.timeZone}`);
  lines.push(...timezones(cal.events));
  const stamp = utc(cal.now ?? new Date());
  for (const e of cal.events) lines.push(...event(e, stamp));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
