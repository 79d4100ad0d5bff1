import { courseDateProblems, courseMoment, defaultPhases, phaseProblems } from './course-rules';

const course = { startsOn: '2024-09-01', endsOn: '2024-11-30', timeZone: 'Asia/Shanghai' };
const phases = [
  { id: 1, title: 'Online before', startsOn: '2024-09-01', endsOn: '2024-10-20' },
  { id: 2, title: 'In-person week', startsOn: '2024-10-21', endsOn: '2024-10-25' },
  { id: 3, title: 'Online after', startsOn: '2024-10-26', endsOn: '2024-11-30' },
];

describe('phaseProblems', () => {
  it.each([
    ['fits exactly in a gap', { title: 'x', startsOn: '2024-10-21', endsOn: '2024-10-25' }, [phases[0], phases[2]], {}],
    [
      'ends before it starts',
      { title: 'x', startsOn: '2024-10-25', endsOn: '2024-10-21' },
      [],
      { endsOn: ['The phase must end on or after the day it starts.'] },
    ],
    [
      'starts before the course',
      { title: 'x', startsOn: '2024-08-31', endsOn: '2024-09-02' },
      [],
      { startsOn: ['The phase must start on or after the first day of the course (Sun 1 Sept 2024).'] },
    ],
    [
      'ends after the course',
      { title: 'x', startsOn: '2024-11-29', endsOn: '2024-12-01' },
      [],
      { endsOn: ['The phase must end on or before the last day of the course (Sat 30 Nov 2024).'] },
    ],
    [
      'overlaps by one day',
      { title: 'x', startsOn: '2024-10-20', endsOn: '2024-10-22' },
      [phases[1]],
      { startsOn: ['These dates overlap the phase “In-person week” (21 Oct 2024 – 25 Oct 2024).'] },
    ],
  ])('%s', (_name, candidate, others, expected) => {
    expect(phaseProblems(course, others, candidate)).toEqual(expected);
  });

  it('does not compare a phase with itself when editing', () => {
    expect(phaseProblems(course, phases, { ...phases[1], endsOn: '2024-10-24' })).toEqual({});
  });
});

describe('courseDateProblems', () => {
  it('refuses course dates that leave a phase outside', () => {
    expect(courseDateProblems({ startsOn: '2024-09-15', endsOn: '2024-11-30' }, phases).startsOn?.[0]).toContain('“Online before”');
    expect(courseDateProblems({ startsOn: '2024-09-01', endsOn: '2024-12-31' }, phases)).toEqual({});
    expect(courseDateProblems({ startsOn: '2024-09-02', endsOn: '2024-09-01' }, [])).toEqual({
      endsOn: ['The course must end on or after the day it starts.'],
    });
  });
});

describe('defaultPhases', () => {
  it('makes online–in person–online around the in-person week', () => {
    expect(defaultPhases(course, { startsOn: '2024-10-21', endsOn: '2024-10-25' }).map((p) => [p.kind, p.startsOn, p.endsOn])).toEqual([
      ['online', '2024-09-01', '2024-10-20'],
      ['in_person', '2024-10-21', '2024-10-25'],
      ['online', '2024-10-26', '2024-11-30'],
    ]);
    expect(defaultPhases(course).map((p) => p.kind)).toEqual(['online']);
    expect(defaultPhases(course, { startsOn: '2024-09-01', endsOn: '2024-09-05' }).map((p) => p.kind)).toEqual(['in_person', 'online']);
  });
});

describe('courseMoment', () => {
  it.each([
    ['2024-08-31T15:59:00Z', 'not_started', null, 'Online before'], // 23:59 on 31 Aug in Shanghai
    ['2024-08-31T16:00:00Z', 'in_phase', 'Online before', 'In-person week'], // 00:00 on 1 Sept in Shanghai
    ['2024-10-20T15:59:59Z', 'in_phase', 'Online before', 'In-person week'],
    ['2024-10-20T16:00:00Z', 'in_phase', 'In-person week', 'Online after'],
    ['2024-11-30T15:59:00Z', 'in_phase', 'Online after', null],
    ['2024-11-30T16:00:00Z', 'finished', null, null],
  ])('at %s the course is %s (current %s, next %s)', (instant, state, current, next) => {
    const m = courseMoment(course, phases, new Date(instant));
    expect([m.state, m.current?.title ?? null, m.next?.title ?? null]).toEqual([state, current, next]);
  });

  it('knows a gap between phases', () => {
    const m = courseMoment(course, [phases[0], phases[2]], new Date('2024-10-22T04:00:00Z'));
    expect(m.state).toBe('between_phases');
    expect(m.next?.title).toBe('Online after');
  });

  it('uses the venue’s calendar across a daylight-saving change (Berlin, 27 Oct 2024)', () => {
    const berlin = { startsOn: '2024-10-21', endsOn: '2024-11-03', timeZone: 'Europe/Berlin' };
    const ps = [
      { title: 'Week 1', startsOn: '2024-10-21', endsOn: '2024-10-27' },
      { title: 'Week 2', startsOn: '2024-10-28', endsOn: '2024-11-03' },
    ];
    // Summer time: midnight of 27 Oct starts at 22:00 UTC on the 26th.
    expect(courseMoment(berlin, ps, new Date('2024-10-26T21:59:00Z')).today).toBe('2024-10-26');
    expect(courseMoment(berlin, ps, new Date('2024-10-26T22:00:00Z')).today).toBe('2024-10-27');
    // Winter time: midnight of 28 Oct starts at 23:00 UTC on the 27th.
    expect(courseMoment(berlin, ps, new Date('2024-10-27T22:59:00Z')).current?.title).toBe('Week 1');
    expect(courseMoment(berlin, ps, new Date('2024-10-27T23:00:00Z')).current?.title).toBe('Week 2');
  });
});
