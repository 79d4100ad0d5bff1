import { formatInstant, isTimeZone, timeZonePicker } from './time';

describe('time', () => {
  it('shows an instant in the viewer’s zone, with the event’s zone beside it when different', () => {
    const t = new Date('2024-10-21T01:00:00Z');
    expect(formatInstant(t, 'Asia/Shanghai')).toBe('Mon 21 Oct 2024, 09:00 (Asia/Shanghai)');
    expect(formatInstant(t, 'Europe/Berlin', 'Asia/Shanghai')).toBe('Mon 21 Oct 2024, 03:00 (Europe/Berlin) · Mon 21 Oct 2024, 09:00 (Asia/Shanghai)');
    expect(formatInstant(t, 'Asia/Shanghai', 'Asia/Shanghai')).toBe('Mon 21 Oct 2024, 09:00 (Asia/Shanghai)');
  });

  it('follows daylight-saving changes (Berlin leaves summer time on 27 Oct 2024)', () => {
    expect(formatInstant(new Date('2024-10-26T08:00:00Z'), 'Europe/Berlin')).toContain('10:00');
    expect(formatInstant(new Date('2024-10-28T08:00:00Z'), 'Europe/Berlin')).toContain('09:00');
  });

  it('validates IANA zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });

  it('offers current IANA names where ICU keeps old ones (Ho Chi Minh City, Kolkata, Kyiv)', () => {
    const asia = timeZonePicker().groups.find((g) => g.region === 'Asia')!.zones;
    expect(asia).toEqual(expect.arrayContaining(['Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'Asia/Kathmandu']));
    expect(asia).not.toContain('Asia/Saigon');
    expect(isTimeZone('Asia/Saigon')).toBe(true);
    expect(isTimeZone('Europe/Kyiv')).toBe(true);
  });

  it('groups zones by region, with the suggested ones first (known zones only, current names, no repeats)', () => {
    const picker = timeZonePicker(['Asia/Saigon', 'Asia/Shanghai', 'Asia/Ho_Chi_Minh', null, 'Mars/Olympus']);
    expect(picker.suggested).toEqual(['Asia/Ho_Chi_Minh', 'Asia/Shanghai']);
    expect(picker.groups.find((g) => g.region === 'Africa')!.zones).toContain('Africa/Nairobi');
    expect(picker.groups.find((g) => g.region === 'Other')!.zones).toEqual(['UTC']);
  });
});
