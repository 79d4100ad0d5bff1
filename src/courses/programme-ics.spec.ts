import ICAL from 'ical.js';
import { zonedToUtc } from '../common/zoned-time';
import { foldLine, offsetTransitions } from '../common/ical';
import { programmeIcs } from './programme-ics';
import type { SessionView } from './programme.service';

function session(id: number, day: string, start: string, end: string, zone: string, over: Partial<SessionView> = {}): SessionView {
  return {
    id,
    phaseId: 1,
    kind: 'plenary',
    kindLabel: 'Plenary',
    title: `Session ${id}`,
    room: 'Hall A',
    day,
    startTime: start,
    endTime: end,
    startsAt: zonedToUtc(day, start, zone),
    endsAt: zonedToUtc(day, end, zone),
    chairs: '',
    speakers: '',
    interpretationLanguages: [],
    description: '',
    ...over,
  };
}

function parse(ics: string) {
  const comp = new ICAL.Component(ICAL.parse(ics));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return comp;
}

describe('programme .ics', () => {
  const shanghai = {
    id: 7,
    title: 'Empowering Cities; Lifelong Learning, Shanghai',
    timeZone: 'Asia/Shanghai',
    venueCampus: 'Guoshun Campus',
    venueCity: 'Shanghai',
  };

  it('is read back by an independent parser with the venue’s TZID and the right instants', () => {
    const ics = programmeIcs(
      shanghai,
      [
        session(1, '2024-10-21', '09:00', '10:30', 'Asia/Shanghai', {
          title: 'Opening plenary, welcome; and “keynote”',
          chairs: 'Raúl Valdés',
          interpretationLanguages: ['zh', 'fr'],
        }),
        session(2, '2024-10-22', '14:00', '17:00', 'Asia/Shanghai', { kind: 'site_visit', kindLabel: 'Site visit', room: '' }),
      ],
      'atelier.test',
      new Date('2024-10-01T00:00:00Z'),
    );
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const cal = parse(ics);
    expect(cal.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
    const events = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(2);
    expect(events[0].summary).toBe('Opening plenary, welcome; and “keynote”');
    expect(events[0].startDate.zone?.tzid).toBe('Asia/Shanghai');
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2024-10-21T01:00:00.000Z');
    expect(events[0].endDate.toJSDate().toISOString()).toBe('2024-10-21T02:30:00.000Z');
    expect(events[0].location).toBe('Hall A, Guoshun Campus, Shanghai');
    expect(events[0].description).toContain('Chairs: Raúl Valdés');
    expect(events[0].description).toContain('Interpretation: zh, fr');
    expect(events[1].location).toBe('Guoshun Campus, Shanghai');
    expect(events[0].uid).toBe('programme-session-1@atelier.test');
  });

  it('describes a daylight-saving change inside the programme (Berlin, 27 Oct 2024)', () => {
    const berlin = { ...shanghai, timeZone: 'Europe/Berlin', venueCity: 'Hamburg' };
    const ics = programmeIcs(
      berlin,
      [session(1, '2024-10-26', '10:00', '11:00', 'Europe/Berlin'), session(2, '2024-10-28', '10:00', '11:00', 'Europe/Berlin')],
      'atelier.test',
    );
    expect(ics).toContain('TZOFFSETFROM:+0200');
    expect(ics).toContain('TZOFFSETTO:+0100');
    const events = parse(ics)
      .getAllSubcomponents('vevent')
      .map((e) => new ICAL.Event(e));
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(['2024-10-26T08:00:00.000Z', '2024-10-28T09:00:00.000Z']);
  });

  it('finds offset changes to the minute', () => {
    expect(offsetTransitions('Europe/Berlin', new Date('2024-10-20T00:00:00Z'), new Date('2024-11-01T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2024-10-27T01:00:00.000Z',
    ]);
    expect(offsetTransitions('Asia/Shanghai', new Date('2024-01-01T00:00:00Z'), new Date('2024-12-31T00:00:00Z'))).toEqual([]);
  });

  it('folds long lines at 75 octets without splitting characters', () => {
    const folded = foldLine('DESCRIPTION:' + '学习型城市'.repeat(20));
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n ').join('')).toBe('DESCRIPTION:' + '学习型城市'.repeat(20));
  });
});
