import { type AvailabilityRules, availabilityWindows, freeSlots, type Interval } from './slots';

const at = (iso: string) => new Date(iso);
const iv = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const starts = (slots: Interval[]) => slots.map((s) => s.start.toISOString().slice(0, 16));

const base: AvailabilityRules = {
  zone: 'Europe/Berlin',
  weekly: [],
  oneOff: [],
  daysOff: [],
  slotMinutes: 60,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 365,
};
const everything = [iv('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')];

describe('expert availability → free slots', () => {
  it('keeps a weekly window at the same local time on both sides of the autumn change (Berlin, 26 Oct 2025, the in-person week)', () => {
    const rules = { ...base, weekly: [5, 1].map((weekday) => ({ weekday, start: '09:00', end: '11:00' })) };
    const slots = freeSlots(rules, { now: at('2025-10-20T00:00:00Z'), within: [iv('2025-10-24T00:00:00Z', '2025-10-28T00:00:00Z')], busy: [] });
    // Friday 24 Oct in CEST (UTC+2), Monday 27 Oct in CET (UTC+1): 09:00 local both times.
    expect(starts(slots)).toEqual(['2025-10-24T07:00', '2025-10-24T08:00', '2025-10-27T08:00', '2025-10-27T09:00']);
  });

  it('gives the night the clocks go back its extra hour, and the night they go forward one hour less', () => {
    const autumn = freeSlots(
      { ...base, oneOff: [{ date: '2025-10-26', start: '01:00', end: '04:00' }] },
      { now: at('2025-10-01T00:00:00Z'), within: everything, busy: [] },
    );
    expect(starts(autumn)).toEqual(['2025-10-25T23:00', '2025-10-26T00:00', '2025-10-26T01:00', '2025-10-26T02:00']);
    const spring = freeSlots(
      { ...base, oneOff: [{ date: '2025-03-30', start: '02:00', end: '04:00' }] },
      { now: at('2025-03-01T00:00:00Z'), within: everything, busy: [] },
    );
    // 02:00 does not exist that night: the window starts at 03:00 CEST (01:00 UTC) and holds one slot.
    expect(starts(spring)).toEqual(['2025-03-30T01:00']);
  });

  it('keeps the buffer clear around the expert’s other meetings', () => {
    const rules = { ...base, slotMinutes: 30, bufferMinutes: 15, oneOff: [{ date: '2025-06-02', start: '09:00', end: '13:00' }] };
    const busy = [iv('2025-06-02T08:00:00Z', '2025-06-02T09:00:00Z')]; // 10:00–11:00 in Berlin
    const slots = freeSlots(rules, { now: at('2025-06-01T00:00:00Z'), within: everything, busy });
    expect(starts(slots)).toEqual(['2025-06-02T07:00', '2025-06-02T09:30', '2025-06-02T10:00', '2025-06-02T10:30']);
  });

  it('honours minimum notice, the horizon, days off and the phase, keeping the window’s rhythm when a phase cuts into it', () => {
    const rules = {
      ...base,
      slotMinutes: 30,
      minNoticeMinutes: 24 * 60,
      horizonDays: 3,
      daysOff: ['2025-06-04'],
      weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '10:00' })),
    };
    const now = at('2025-06-02T06:30:00Z'); // Mon 08:30 in Berlin
    const slots = freeSlots(rules, { now, within: [iv('2025-06-03T07:10:00Z', '2025-06-30T00:00:00Z')], busy: [] });
    // Tue: the phase starts at 09:10, so the first slot is 09:30 (not 09:10); Wed is a day off; Thu is beyond 3 days.
    expect(starts(slots)).toEqual(['2025-06-03T07:30']);
  });

  it('merges a one-off window with an overlapping weekly one instead of offering a slot twice', () => {
    const rules = { ...base, weekly: [{ weekday: 1, start: '09:00', end: '11:00' }], oneOff: [{ date: '2025-06-02', start: '10:00', end: '12:00' }] };
    const windows = availabilityWindows(rules, at('2025-06-01T00:00:00Z'), at('2025-06-03T00:00:00Z'));
    expect(windows).toEqual([iv('2025-06-02T07:00:00Z', '2025-06-02T10:00:00Z')]);
    expect(starts(freeSlots(rules, { now: at('2025-06-01T00:00:00Z'), within: everything, busy: [] }).slice(0, 3))).toEqual([
      '2025-06-02T07:00',
      '2025-06-02T08:00',
      '2025-06-02T09:00',
    ]);
  });

  it('reads windows in the expert’s zone: Fiji’s Monday morning is Sunday evening in UTC', () => {
    const rules = { ...base, zone: 'Pacific/Fiji', weekly: [{ weekday: 1, start: '08:00', end: '09:00' }] };
    expect(starts(freeSlots(rules, { now: at('2025-06-01T00:00:00Z'), within: [iv('2025-06-01T00:00:00Z', '2025-06-03T00:00:00Z')], busy: [] }))).toEqual([
      '2025-06-01T20:00',
    ]);
  });
});
