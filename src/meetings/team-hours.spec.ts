import { teamHours } from './schedule.service';

const h = (start: string, end: string, saved = true) => ({ start, end, saved });

describe('a team’s working hours', () => {
  it.each([
    ['nobody set theirs: 08:00–20:00', [h('08:00', '20:00', false), h('08:00', '20:00', false)], { start: '08:00', end: '20:00' }],
    ['the hours the members who set theirs share', [h('09:00', '17:00'), h('07:30', '15:00'), h('08:00', '20:00', false)], { start: '09:00', end: '15:00' }],
    ['members who share no hours: an empty window', [h('06:00', '10:00'), h('14:00', '22:00')], { start: '14:00', end: '14:00' }],
    ['no members: 08:00–20:00', [], { start: '08:00', end: '20:00' }],
  ])('%s', (_what, members, expected) => {
    expect(teamHours(members)).toEqual(expected);
  });
});
