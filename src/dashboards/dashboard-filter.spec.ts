import { FormInvalidError } from '../common/errors';
import { age, weekOf } from './course-dashboard.page';
import { DEFAULT_INACTIVE_DAYS, parseDashboardFilter } from './dashboard-filter';

const fields = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormInvalidError) return e.fields;
    throw e;
  }
  return null;
};

describe('the dashboard filter', () => {
  it('defaults to every phase and 7 days', () => {
    expect(parseDashboardFilter({}, [1, 2])).toEqual({ phaseId: null, inactiveDays: DEFAULT_INACTIVE_DAYS });
    expect(parseDashboardFilter({ phase: '', inactive: ' ' }, [1, 2])).toEqual({ phaseId: null, inactiveDays: 7 });
  });

  it('takes a phase of the course and whole days from 1 to 90', () => {
    expect(parseDashboardFilter({ phase: '2', inactive: '1' }, [1, 2])).toEqual({ phaseId: 2, inactiveDays: 1 });
    expect(parseDashboardFilter({ inactive: '90' }, [1])).toEqual({ phaseId: null, inactiveDays: 90 });
  });

  it.each([
    [{ inactive: '0' }, 'inactive'],
    [{ inactive: '91' }, 'inactive'],
    [{ inactive: '7.5' }, 'inactive'],
    [{ inactive: '-3' }, 'inactive'],
    [{ inactive: ['3', '4'] }, 'inactive'],
    [{ phase: '3' }, 'phase'],
    [{ phase: 'all' }, 'phase'],
    [{ phase: ['1', '2'] }, 'phase'],
  ])('refuses %j at its field', (query, field) => {
    expect(Object.keys(fields(() => parseDashboardFilter(query, [1, 2])) ?? {})).toEqual([field]);
  });

  it('gives the defaults instead when asked to be lenient (the 422 page)', () => {
    expect(parseDashboardFilter({ phase: '9', inactive: '0' }, [1], true)).toEqual({ phaseId: null, inactiveDays: 7 });
  });
});

describe('ages and weeks', () => {
  it('says how long in the largest whole unit', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(age(new Date('2026-03-10T11:40:00Z'), now)).toBe('20 minutes');
    expect(age(new Date('2026-03-10T11:00:00Z'), now)).toBe('1 hour');
    expect(age(new Date('2026-03-07T11:00:00Z'), now)).toBe('3 days');
    expect(age(new Date('2026-03-11T11:00:00Z'), now)).toBe('0 minutes');
  });

  it('runs a week from Monday to Monday at local midnight, across a clock change', () => {
    // Berlin leaves summer time on Sunday 27 October 2024: that week is 169 hours long.
    const w = weekOf(new Date('2024-10-24T10:00:00Z'), 'Europe/Berlin');
    expect(w.from.toISOString()).toBe('2024-10-20T22:00:00.000Z');
    expect(w.to.toISOString()).toBe('2024-10-27T23:00:00.000Z');
    expect([w.fromDay, w.toDay]).toEqual(['2024-10-21', '2024-10-27']);
    // Late on Sunday in Auckland is already the next week there, still Sunday in UTC.
    expect(weekOf(new Date('2024-10-27T12:30:00Z'), 'Pacific/Auckland').fromDay).toBe('2024-10-28');
    expect(weekOf(new Date('2024-10-27T12:30:00Z'), 'UTC').fromDay).toBe('2024-10-21');
  });
});
