import {
  addDays,
  daysBetween,
  formatDate,
  formatDateRange,
  isIsoDate,
  localDate,
  NonexistentTimeError,
  wallClock,
  zonedToUtc,
  zonedToUtcForField,
  zoneOffsetMinutes,
} from './zoned-time';

describe('zoned time', () => {
  it('converts venue wall-clock time to UTC', () => {
    expect(zonedToUtc('2024-10-21', '09:00', 'Asia/Shanghai').toISOString()).toBe('2024-10-21T01:00:00.000Z');
    expect(zonedToUtc('2024-10-21', '00:30', 'Asia/Shanghai').toISOString()).toBe('2024-10-20T16:30:00.000Z');
    expect(zonedToUtc('2024-07-01', '12:00', 'UTC').toISOString()).toBe('2024-07-01T12:00:00.000Z');
    expect(zonedToUtc('2024-10-21', '09:00', 'Asia/Kathmandu').toISOString()).toBe('2024-10-21T03:15:00.000Z');
  });

  it('handles daylight-saving changes: summer and winter offsets, skipped and repeated hours', () => {
    expect(zonedToUtc('2024-10-26', '10:00', 'Europe/Berlin').toISOString()).toBe('2024-10-26T08:00:00.000Z'); // CEST
    expect(zonedToUtc('2024-10-28', '10:00', 'Europe/Berlin').toISOString()).toBe('2024-10-28T09:00:00.000Z'); // CET
    expect(() => zonedToUtc('2024-03-31', '02:30', 'Europe/Berlin')).toThrow(NonexistentTimeError);
    expect(zonedToUtc('2024-10-27', '02:30', 'Europe/Berlin').toISOString()).toBe('2024-10-27T00:30:00.000Z'); // first of two
    expect(zonedToUtc('2024-11-03', '01:30', 'America/New_York').toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(zonedToUtc('2024-04-07', '02:30', 'Australia/Sydney').toISOString()).toBe('2024-04-06T15:30:00.000Z');
  });

  it('reads offsets and wall clocks back', () => {
    expect(zoneOffsetMinutes(new Date('2024-10-21T01:00:00Z'), 'Asia/Shanghai')).toBe(480);
    expect(zoneOffsetMinutes(new Date('2024-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(new Date('2024-12-01T00:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(wallClock(new Date('2024-10-21T01:00:00Z'), 'Asia/Shanghai')).toBe('2024-10-21 09:00');
    expect(localDate(new Date('2024-10-20T16:30:00Z'), 'Asia/Shanghai')).toBe('2024-10-21');
    expect(localDate(new Date('2024-10-20T16:30:00Z'), 'Europe/Berlin')).toBe('2024-10-20');
  });

  it('does calendar arithmetic on dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(addDays('2024-10-31', 1)).toBe('2024-11-01');
    expect(addDays('2024-03-30', 2)).toBe('2024-04-01');
    expect(daysBetween('2024-10-21', '2024-10-25')).toBe(4);
    expect(formatDate('2024-10-21')).toBe('Mon 21 Oct 2024');
    expect(formatDateRange('2024-10-21', '2024-10-25')).toBe('21 Oct 2024 – 25 Oct 2024');
  });
});

describe('wallClock', () => {
  // wallClock reads each zone's offset once per hour and does the rest with arithmetic: it must
  // say what Intl says, also on either side of every change of offset (daylight saving, odd
  // offsets such as Kathmandu's, Lord Howe's half-hour shift, Amsterdam's 1937 local mean time).
  const intl = (zone: string) => {
    const f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    return (t: number) => {
      const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    };
  };
  const STEP = 97 * 60_000 + 13_000;
  it.each([
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'America/St_Johns',
    'Africa/Casablanca',
    'Europe/Amsterdam',
    'UTC',
  ])('agrees with Intl in %s, around every change of offset too', (zone) => {
    const expected = intl(zone);
    const wrong: string[] = [];
    const check = (t: number) => {
      const w = wallClock(new Date(t), zone);
      if (w !== expected(t)) wrong.push(`${new Date(t).toISOString()}: ${w}, not ${expected(t)}`);
    };
    let changes = 0;
    for (const [from, to] of [
      [Date.UTC(1937, 0, 1), Date.UTC(1937, 8, 1)],
      [Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1)],
    ]) {
      for (let t = from; t < to; t += STEP) {
        check(t);
        // The wall clock moved by another amount than the step: the offset changed between; look closely.
        const moved = Date.parse(`${expected(t + STEP).replace(' ', 'T')}Z`) - Date.parse(`${expected(t).replace(' ', 'T')}Z`);
        if (Math.abs(moved - STEP) > 60_000) {
          changes++;
          for (let u = t; u <= t + STEP; u += 59_000) check(u);
        }
      }
    }
    expect(wrong).toEqual([]);
    if (zone === 'Europe/Berlin') expect(changes).toBe(2); // spring and autumn 2025
    if (zone === 'Europe/Amsterdam') expect(changes).toBe(3); // 1937: summer time, and local mean time rounded on 1 July
  });
});

describe('zonedToUtcForField', () => {
  it('converts, or records a message at the field for a time skipped by a daylight-saving change', () => {
    const problems: Record<string, string[]> = {};
    expect(zonedToUtcForField(problems, 'dueTime', '2025-03-30', '03:30', 'Europe/Berlin')?.toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(zonedToUtcForField(problems, 'dueTime', '2025-03-30', '02:30', 'Europe/Berlin')).toBeNull();
    expect(zonedToUtcForField(problems, 'cutOffTime', undefined, '02:30', 'Europe/Berlin')).toBeNull();
    expect(problems).toEqual({ dueTime: ['02:30 does not exist on 2025-03-30 in Europe/Berlin (the clocks change). Choose another time.'] });
  });
});
