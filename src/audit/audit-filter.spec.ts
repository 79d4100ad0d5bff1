import { FormInvalidError } from '../common/errors';
import { parseFilter, startOfDay } from './audit-filter';

const choices = { onlyCourseId: null, courseIds: new Set([1, 2]), personIds: new Set([7]), kinds: new Set(['task.published']), zone: 'Pacific/Auckland' };

function problems(query: Record<string, unknown>, c = choices): Record<string, string[]> {
  try {
    parseFilter(query, c);
  } catch (e) {
    if (e instanceof FormInvalidError) return e.fields;
    throw e;
  }
  return {};
}

describe('audit log filters', () => {
  it('reads each filter, dates as whole days in the viewer’s zone (the last one included)', () => {
    const { filter, page } = parseFilter({ course: '2', person: '7', kind: 'task.published', from: '2030-01-02', to: '2030-01-02', page: '3' }, choices);
    expect(filter).toEqual({
      courseId: 2,
      actor: 7,
      kind: 'task.published',
      from: new Date('2030-01-01T11:00:00Z'),
      before: new Date('2030-01-02T11:00:00Z'),
    });
    expect(page).toBe(3);
    expect(parseFilter({ person: 'system', course: '' }, choices).filter).toEqual({ actor: 'system' });
  });

  it('keeps a course’s log to its course, whatever the query names', () => {
    expect(parseFilter({ course: '2' }, { ...choices, onlyCourseId: 1 }).filter).toEqual({ courseId: 1 });
  });

  it('refuses what is not on the lists, dates that do not exist, a reversed range and repeated values', () => {
    expect(Object.keys(problems({ course: '3', person: '8', kind: 'user.signed_in', from: '2026-02-30', to: 'soon' })).sort()).toEqual([
      'course',
      'from',
      'kind',
      'person',
      'to',
    ]);
    expect(problems({ from: '2026-03-02', to: '2026-03-01' }).to).toEqual(['The last day must be on or after the first day.']);
    expect(problems({ kind: ['task.published', 'task.published'] }).kind).toEqual(['Give one value only.']);
    expect(problems({ page: '0' })._form).toHaveLength(1);
    expect(problems({ page: '1.5' })._form).toHaveLength(1);
  });

  it('starts a day at its first minute where the clocks change at midnight', () => {
    // Chile moved its clocks forward at midnight on 2022-09-11: the day began at 01:00.
    expect(startOfDay('2022-09-11', 'America/Santiago').toISOString()).toBe('2022-09-11T04:00:00.000Z');
    expect(startOfDay('2026-06-01', 'UTC').toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });
});
