import { teamHours } from './schedule.service';
import { daysLabel } from './working-hours.service';

const WEEK = [1, 2, 3, 4, 5];
const h = (start: string, end: string, saved = true, days = WEEK) => ({ start, end, days, saved });

describe('a team’s working hours', () => {
  it.each([
    [
      'nobody set theirs: 08:00–20:00, Monday to Friday',
      [h('08:00', '20:00', false), h('08:00', '20:00', false)],
      { start: '08:00', end: '20:00', days: WEEK },
    ],
    [
      'the hours the members who set theirs share',
      [h('09:00', '17:00'), h('07:30', '15:00'), h('08:00', '20:00', false)],
      { start: '09:00', end: '15:00', days: WEEK },
    ],
    ['members who share no hours: an empty window', [h('06:00', '10:00'), h('14:00', '22:00')], { start: '14:00', end: '14:00', days: WEEK }],
    ['no members: 08:00–20:00, Monday to Friday', [], { start: '08:00', end: '20:00', days: WEEK }],
    [
      'the days every member who set theirs works (a default member does not narrow them)',
      [h('08:00', '20:00', true, [7, 1, 2, 3, 4]), h('08:00', '20:00', true, [1, 2, 3, 4, 5]), h('08:00', '20:00', false, [6])],
      { start: '08:00', end: '20:00', days: [1, 2, 3, 4] },
    ],
    ['members who share no day: no day', [h('08:00', '20:00', true, [6, 7]), h('08:00', '20:00', true, [1])], { start: '08:00', end: '20:00', days: [] }],
  ])('%s', (_what, members, expected) => {
    expect(teamHours(members)).toEqual(expected);
  });
});

describe('working days in words', () => {
  it.each([
    [[1, 2, 3, 4, 5], 'Monday to Friday'],
    [[7, 1, 2, 3, 4], 'Sunday to Thursday'],
    [[6, 7, 1], 'Saturday to Monday'],
    [[1, 2, 3, 4, 5, 6, 7], 'every day'],
    [[1, 3, 5], 'Monday, Wednesday and Friday'],
    [[6, 7], 'Saturday and Sunday'],
    [[2], 'Tuesday'],
    [[1, 2, 4, 5], 'Monday, Tuesday, Thursday and Friday'],
    [[], 'no day'],
  ])('%j: %s', (days, words) => {
    expect(daysLabel(days)).toBe(words);
  });
});
