import { age, countdown, daysFromToday, span, teamAndVenue } from './countdown';

describe('countdowns on the home panels', () => {
  const now = new Date('2024-10-24T06:00:00Z');

  it.each([
    [2 * 86_400_000 + 4 * 3_600_000, '2 days 4 hours'],
    [86_400_000, '1 day'],
    [3 * 3_600_000 + 20 * 60_000, '3 hours 20 minutes'],
    [3_600_000, '1 hour'],
    [12 * 60_000 + 59_000, '12 minutes'],
    [30_000, 'less than a minute'],
  ])('says %i ms as "%s"', (ms, text) => expect(span(ms)).toBe(text));

  it('counts down to a due time and past it', () => {
    expect(countdown(new Date('2024-10-26T10:00:00Z'), now)).toEqual({ text: 'due in 2 days 4 hours', overdue: false, soon: false });
    expect(countdown(new Date('2024-10-24T09:30:00Z'), now)).toEqual({ text: 'due in 3 hours 30 minutes', overdue: false, soon: true });
    expect(countdown(new Date('2024-10-22T09:00:00Z'), now)).toEqual({ text: 'overdue by 1 day 21 hours', overdue: true, soon: false });
    expect(age(new Date('2024-10-21T06:00:00Z'), now)).toBe('3 days');
  });

  it('counts elapsed time across the end of summer time, while the wall clock keeps the local hour', () => {
    // Sat 26 Oct 12:00 Berlin (UTC+2) to Mon 28 Oct 12:00 Berlin (UTC+1): 49 hours.
    expect(countdown(new Date('2024-10-28T11:00:00Z'), new Date('2024-10-26T10:00:00Z')).text).toBe('due in 2 days 1 hour');
    expect(teamAndVenue(new Date('2024-10-28T11:00:00Z'), 'Europe/Berlin', 'Asia/Shanghai')).toBe('Mon 28 Oct 12:00 Berlin · 19:00 Shanghai (venue)');
    expect(teamAndVenue(new Date('2024-10-25T11:00:00Z'), 'Europe/Berlin', 'Asia/Shanghai')).toBe('Fri 25 Oct 13:00 Berlin · 19:00 Shanghai (venue)');
  });

  it('shows the venue only where it differs, with its own day when that differs', () => {
    expect(teamAndVenue(new Date('2024-10-22T10:00:00Z'), 'Asia/Ho_Chi_Minh', 'Asia/Shanghai')).toBe('Tue 22 Oct 17:00 Ho Chi Minh · 18:00 Shanghai (venue)');
    expect(teamAndVenue(new Date('2024-10-22T10:00:00Z'), 'Asia/Shanghai', 'Asia/Shanghai')).toBe('Tue 22 Oct 18:00 Shanghai');
    expect(teamAndVenue(new Date('2024-10-22T10:00:00Z'), 'Asia/Bangkok', 'Asia/Ho_Chi_Minh')).toBe('Tue 22 Oct 17:00 Bangkok');
    expect(teamAndVenue(new Date('2024-10-22T20:00:00Z'), 'America/Sao_Paulo', 'Asia/Shanghai')).toBe(
      'Tue 22 Oct 17:00 Sao Paulo · Wed 23 Oct 04:00 Shanghai (venue)',
    );
    expect(teamAndVenue(new Date('2099-01-01T09:00:00Z'), 'Europe/Berlin', 'Asia/Shanghai', now)).toBe('Thu 1 Jan 2099 10:00 Berlin · 17:00 Shanghai (venue)');
  });

  it('says how far a calendar day is', () => {
    expect(daysFromToday('2024-10-24', '2024-10-24').text).toBe('today');
    expect(daysFromToday('2024-10-24', '2024-10-25').text).toBe('tomorrow');
    expect(daysFromToday('2024-10-24', '2024-11-03')).toEqual({ days: 10, text: 'in 10 days' });
    // Across the change of 27 Oct: still whole days.
    expect(daysFromToday('2024-10-26', '2024-10-28').days).toBe(2);
  });
});
