import { findSlots, type Invitee } from './slot-finder';

const at = (iso: string) => new Date(iso);
const person = (key: string, zone: string, people = 1, over: Partial<Invitee> = {}): Invitee => ({
  key,
  label: key,
  zone,
  workStart: '08:00',
  workEnd: '20:00',
  people,
  ...over,
});

describe('slot finder for teams and experts across zones', () => {
  const invitees = [
    person('Hamburg team', 'Europe/Berlin', 5),
    person('Shanghai team', 'Asia/Shanghai', 4),
    person('Nairobi expert', 'Africa/Nairobi'),
    person('Fiji team', 'Pacific/Fiji', 3),
  ];

  it('proposes first the times inside everyone’s working hours, most comfortable first, none overlapping', () => {
    const found = findSlots({ invitees, from: at('2025-06-02T00:00:00Z'), to: at('2025-06-03T00:00:00Z'), durationMinutes: 60, limit: 3 });
    // Everyone is inside 08:00–20:00 only from 06:00 to 08:00 UTC (Berlin 08–10, Shanghai 14–16, Nairobi 09–11, Fiji 18–20).
    expect(found[0].peopleInside).toBe(13);
    expect(found[0].outside).toEqual([]);
    expect(found[0].start.getTime()).toBeGreaterThanOrEqual(at('2025-06-02T06:00:00Z').getTime());
    expect(found[0].end.getTime()).toBeLessThanOrEqual(at('2025-06-02T08:00:00Z').getTime());
    expect(found[0].locals.map((l) => l.local)).toEqual(
      [found[0].start].flatMap(() => ['Europe/Berlin', 'Asia/Shanghai', 'Africa/Nairobi', 'Pacific/Fiji'].map((zone) => local(found[0].start, zone))),
    );
    for (const [i, a] of found.entries())
      for (const b of found.slice(i + 1)) expect(a.end.getTime() <= b.start.getTime() || b.end.getTime() <= a.start.getTime()).toBe(true);
    // Ranked: people inside first, then comfort.
    for (let i = 1; i < found.length; i++)
      expect(found[i - 1].peopleInside * 1000 + found[i - 1].comfort).toBeGreaterThanOrEqual(found[i].peopleInside * 1000 + found[i].comfort);
    expect(found[2].outside.length).toBeGreaterThan(0); // only two whole hours hold everyone
  });

  it('names who would be outside hours or busy, with their local time', () => {
    const busy = [{ start: at('2025-06-02T05:00:00Z'), end: at('2025-06-02T09:00:00Z') }];
    const found = findSlots({
      invitees: [...invitees.slice(0, 2), person('Nairobi expert', 'Africa/Nairobi', 1, { busy })],
      from: at('2025-06-02T06:00:00Z'),
      to: at('2025-06-02T07:00:00Z'),
      durationMinutes: 60,
    });
    expect(found).toHaveLength(1);
    expect(found[0].outside).toEqual([{ key: 'Nairobi expert', label: 'Nairobi expert', local: '09:00', reason: 'busy' }]);
    expect(found[0].peopleInside).toBe(9);
  });

  it('follows each zone across a daylight-saving change (Berlin’s 08:00 is 06:00 UTC before 26 Oct 2025 and 07:00 after)', () => {
    const berlin = [person('Hamburg team', 'Europe/Berlin', 5, { workStart: '08:00', workEnd: '09:00' })];
    const before = findSlots({ invitees: berlin, from: at('2025-10-24T00:00:00Z'), to: at('2025-10-25T00:00:00Z'), durationMinutes: 60, limit: 1 });
    const after = findSlots({ invitees: berlin, from: at('2025-10-27T00:00:00Z'), to: at('2025-10-28T00:00:00Z'), durationMinutes: 60, limit: 1 });
    expect(before[0].start.toISOString()).toBe('2025-10-24T06:00:00.000Z');
    expect(after[0].start.toISOString()).toBe('2025-10-27T07:00:00.000Z');
    const across = findSlots({ invitees: berlin, from: at('2025-10-25T12:00:00Z'), to: at('2025-10-27T12:00:00Z'), durationMinutes: 60, limit: 2 });
    expect(across.map((p) => p.start.toISOString())).toEqual(['2025-10-26T07:00:00.000Z', '2025-10-27T07:00:00.000Z']);
  });

  it('keeps to each person’s working days on their own calendar (Friday evening in Berlin is Saturday in Fiji)', () => {
    const weekdays = [1, 2, 3, 4, 5];
    const found = findSlots({
      invitees: [person('Hamburg team', 'Europe/Berlin', 5, { workDays: weekdays }), person('Fiji team', 'Pacific/Fiji', 3, { workDays: weekdays })],
      // Fri 6 Jun 2025 to Tue 10 Jun 2025 UTC.
      from: at('2025-06-06T00:00:00Z'),
      to: at('2025-06-10T00:00:00Z'),
      durationMinutes: 60,
      limit: 1,
    });
    // Fri 06:00–08:00 UTC is Friday for both (Fiji 18:00–20:00); the weekend follows, so the best is Friday morning.
    expect(found[0].peopleInside).toBe(8);
    expect(found[0].start.toISOString().slice(0, 10)).toBe('2025-06-06');
    const weekend = findSlots({
      invitees: [person('Hamburg team', 'Europe/Berlin', 5, { workDays: weekdays })],
      from: at('2025-06-07T00:00:00Z'),
      to: at('2025-06-08T22:00:00Z'),
      durationMinutes: 60,
      limit: 1,
    });
    expect(weekend[0].peopleInside).toBe(0);
    expect(weekend[0].outside).toMatchObject([{ key: 'Hamburg team', reason: 'outside hours' }]);
  });

  it('proposes only starts inside the given phases', () => {
    const found = findSlots({
      invitees: invitees.slice(0, 1),
      from: at('2025-06-02T00:00:00Z'),
      to: at('2025-06-09T00:00:00Z'),
      durationMinutes: 60,
      within: [{ start: at('2025-06-05T00:00:00Z'), end: at('2025-06-06T00:00:00Z') }],
    });
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p.start.toISOString().slice(0, 10)).toBe('2025-06-05');
  });
});

function local(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}
