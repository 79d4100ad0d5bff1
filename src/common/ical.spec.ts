import ICAL from 'ical.js';
import { writeCalendar } from './ical';

function parse(ics: string) {
  const comp = new ICAL.Component(ICAL.parse(ics));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return comp;
}

describe('iCalendar writer', () => {
  const meeting = {
    uid: 'meeting-4@atelier.test',
    start: new Date('2024-10-27T08:00:00Z'),
    end: new Date('2024-10-27T09:00:00Z'),
    timeZone: 'Europe/Berlin',
    summary: 'Consultation; Kenya, Nairobi',
    organizer: { name: 'Ana Expert, PhD', email: 'ana@example.org' },
    attendees: [{ name: 'Kenya team', email: 'ke@example.org', role: 'REQ-PARTICIPANT' as const, partstat: 'NEEDS-ACTION' as const, rsvp: true }],
  };

  it('writes an invitation (METHOD:REQUEST) with organizer, attendees and a sequence an independent parser reads back', () => {
    const cal = parse(writeCalendar({ product: 'Meetings', method: 'REQUEST', events: [{ ...meeting, sequence: 2, status: 'CONFIRMED' }] }));
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(ev.uid).toBe('meeting-4@atelier.test');
    expect(ev.sequence).toBe(2);
    expect(ev.summary).toBe('Consultation; Kenya, Nairobi');
    expect(ev.startDate.zone?.tzid).toBe('Europe/Berlin');
    expect(ev.startDate.toJSDate().toISOString()).toBe('2024-10-27T08:00:00.000Z');
    expect(ev.organizer).toBe('mailto:ana@example.org');
    const organizer = cal.getFirstSubcomponent('vevent')!.getFirstProperty('organizer')!;
    expect(organizer.getParameter('cn')).toBe('Ana Expert, PhD');
    const attendee = ev.attendees[0];
    expect(attendee.getFirstValue()).toBe('mailto:ke@example.org');
    expect(attendee.getParameter('partstat')).toBe('NEEDS-ACTION');
    expect(attendee.getParameter('rsvp')).toBe('TRUE');
  });

  it('writes a cancellation (METHOD:CANCEL, STATUS:CANCELLED) with the same UID', () => {
    const cal = parse(writeCalendar({ product: 'Meetings', method: 'CANCEL', events: [{ ...meeting, sequence: 3, status: 'CANCELLED' }] }));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    const ev = cal.getFirstSubcomponent('vevent')!;
    expect(ev.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ev.getFirstPropertyValue('uid')).toBe('meeting-4@atelier.test');
    expect(ev.getFirstPropertyValue('sequence')).toBe(3);
  });

  it('writes one VTIMEZONE per zone and UTC times for events without a zone', () => {
    const ics = writeCalendar({
      product: 'Feed',
      events: [
        meeting,
        { ...meeting, uid: 'b@x', timeZone: 'Asia/Shanghai' },
        { uid: 'c@x', start: new Date('2024-11-01T15:00:00Z'), end: new Date('2024-11-01T15:00:00Z'), summary: 'Due', transparent: true },
      ],
    });
    const cal = parse(ics);
    expect(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Asia/Shanghai', 'Europe/Berlin']);
    expect(ics).toContain('DTSTART:20241101T150000Z');
    expect(ics).toContain('TRANSP:TRANSPARENT');
    const [, shanghai] = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(shanghai.startDate.toJSDate().toISOString()).toBe('2024-10-27T08:00:00.000Z');
  });

  it('covers events decades apart quickly, with the right offset for each (Berlin summer 2024, winter 2099, summer 2099)', () => {
    const at = (uid: string, iso: string) => ({ uid, start: new Date(iso), end: new Date(iso), timeZone: 'Europe/Berlin', summary: uid });
    const started = Date.now();
    const ics = writeCalendar({
      product: 'Feed',
      events: [at('a', '2024-10-26T08:00:00Z'), at('b', '2024-10-28T09:00:00Z'), at('c', '2099-03-10T16:00:00Z'), at('d', '2099-07-01T08:00:00Z')],
    });
    expect(Date.now() - started).toBeLessThan(500);
    const evs = parse(ics)
      .getAllSubcomponents('vevent')
      .map((e) => new ICAL.Event(e));
    expect(evs.map((e) => e.startDate.toJSDate().toISOString())).toEqual([
      '2024-10-26T08:00:00.000Z',
      '2024-10-28T09:00:00.000Z',
      '2099-03-10T16:00:00.000Z',
      '2099-07-01T08:00:00.000Z',
    ]);
    expect(evs.map((e) => e.startDate.toString())).toEqual(['2024-10-26T10:00:00', '2024-10-28T10:00:00', '2099-03-10T17:00:00', '2099-07-01T10:00:00']);
  });
});
