import { availabilityValues, readAvailabilityRows } from './availability-form';
import { rowsToShow, slotPreview } from './availability.page';

const online = [{ start: new Date('2025-10-01T00:00:00Z'), end: new Date('2025-10-20T00:00:00Z') }];
const read = (body: Record<string, string>, saved: string[] = []) =>
  readAvailabilityRows(body, { zone: 'Europe/Berlin', online, onlineLabel: '1 Oct 2025 – 19 Oct 2025', today: '2025-10-05', saved });

describe('the availability form rows', () => {
  it('reads filled rows, ignores empty ones and keeps a repeated day off once', () => {
    const rows = read({
      weekly1Day: '2',
      weekly1Start: '09:00',
      weekly1End: '12:00',
      weekly2Day: '',
      weekly2Start: '',
      weekly2End: '',
      oneOff3Date: '2025-10-08',
      oneOff3Start: '18:00',
      oneOff3End: '19:30',
      dayOff1: '2025-10-14',
      dayOff2: '2025-10-14',
    });
    expect(rows).toEqual({
      weekly: [{ weekday: 2, start: '09:00', end: '12:00' }],
      oneOff: [{ date: '2025-10-08', start: '18:00', end: '19:30' }],
      daysOff: ['2025-10-14'],
      errors: {},
    });
  });

  it.each([
    [{ weekly1Day: '1', weekly1Start: '12:00', weekly1End: '09:00' }, 'weekly1End', 'The window must end after it starts (12:00) on the same day.'],
    [{ weekly1Day: '1', weekly1Start: '09:00', weekly1End: '09:00' }, 'weekly1End', 'The window must end after it starts (09:00) on the same day.'],
    [{ weekly1Day: '0', weekly1Start: '09:00', weekly1End: '10:00' }, 'weekly1Day', 'Choose the day of the week.'],
    [{ weekly1Day: '1', weekly1Start: '25:00', weekly1End: '10:00' }, 'weekly1Start', 'Enter the start as hours and minutes, e.g. 09:00.'],
    [
      { oneOff1Date: '2025-10-25', oneOff1Start: '09:00', oneOff1End: '10:00' },
      'oneOff1Date',
      "Sat 25 Oct 2025 is outside the course's online phases (1 Oct 2025 – 19 Oct 2025).",
    ],
    [{ oneOff1Date: 'tomorrow', oneOff1Start: '09:00', oneOff1End: '10:00' }, 'oneOff1Date', 'Enter the day as a date, e.g. 2025-10-21.'],
    [{ dayOff1: '2025-02-29' }, 'dayOff1', 'Enter the day off as a date, e.g. 2025-10-21.'],
  ])('refuses %j at %s', (body, field, message) => {
    const rows = read(body);
    expect(rows.errors).toEqual({ [field]: [message] });
    expect([...rows.weekly, ...rows.oneOff, ...rows.daysOff]).toEqual([]);
  });

  it('refuses a one-off window on a day already past, unless it was saved before', () => {
    const body = { oneOff1Date: '2025-10-04', oneOff1Start: '09:00', oneOff1End: '10:00' };
    expect(read(body).errors).toEqual({ oneOff1Date: ['Sat 4 Oct 2025 has passed: choose a day from today (Sun 5 Oct 2025) on.'] });
    expect(read(body, ['2025-10-04'])).toMatchObject({ errors: {}, oneOff: [{ date: '2025-10-04', start: '09:00', end: '10:00' }] });
    expect(read({ ...body, oneOff1Date: '2025-10-05' }).errors).toEqual({});
  });

  it('accepts a one-off window that overlaps an online phase only in part (late evening in Berlin is the next day in the venue zone)', () => {
    expect(read({ oneOff1Date: '2025-10-19', oneOff1Start: '23:00', oneOff1End: '23:59' }).errors).toEqual({});
    expect(read({ oneOff1Date: '2025-10-20', oneOff1Start: '09:00', oneOff1End: '10:00' }).errors).toHaveProperty('oneOff1Date');
  });

  it('fills the form from saved rules, and from defaults in the account zone', () => {
    expect(availabilityValues(null, 'Africa/Nairobi')).toMatchObject({ timeZone: 'Africa/Nairobi', slotMinutes: 30, version: 0 });
    const saved = {
      zone: 'Asia/Shanghai',
      weekly: [{ weekday: 3, start: '08:00', end: '10:00' }],
      oneOff: [],
      daysOff: ['2025-10-01'],
      slotMinutes: 45,
      bufferMinutes: 15,
      minNoticeMinutes: 48 * 60,
      horizonDays: 20,
      maxPerTeam: 2,
      version: 4,
    };
    expect(availabilityValues(saved, 'UTC')).toEqual({
      timeZone: 'Asia/Shanghai',
      slotMinutes: 45,
      bufferMinutes: 15,
      minNoticeHours: 48,
      horizonDays: 20,
      maxPerTeam: 2,
      version: 4,
      weekly1Day: '3',
      weekly1Start: '08:00',
      weekly1End: '10:00',
      dayOff1: '2025-10-01',
    });
  });

  it('shows every row up to the last filled one and two more, at least three, at most the limit', () => {
    expect(rowsToShow(10, () => false)).toEqual([1, 2, 3]);
    expect(rowsToShow(10, (n) => n === 5)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rowsToShow(10, (n) => n === 9)).toHaveLength(10);
  });
});

describe('the slot preview', () => {
  it('groups by the expert’s day and names another day where the clock there has passed midnight', () => {
    const slots = [{ start: new Date('2025-10-21T19:00:00Z'), end: new Date('2025-10-21T19:30:00Z') }];
    const days = slotPreview(slots, 'Africa/Nairobi', [
      { zone: 'Pacific/Fiji', place: 'Fiji', who: 'Fiji — Suva' },
      { zone: 'Europe/Berlin', place: 'Berlin', who: 'the venue' },
    ]);
    expect(days).toEqual([
      {
        day: '2025-10-21',
        label: 'Tue 21 Oct 2025',
        slots: [
          {
            startIso: '2025-10-21T19:00:00.000Z',
            time: '22:00–22:30',
            elsewhere: [
              { text: 'Wed 22 Oct 07:00 Fiji', who: 'Fiji — Suva' },
              { text: '21:00 Berlin', who: 'the venue' },
            ],
          },
        ],
      },
    ]);
  });
});
