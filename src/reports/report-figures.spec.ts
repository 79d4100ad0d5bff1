import { computeFigures, dayIn, percentile, phaseOfDay, type ReportFacts } from './report-figures';

describe('percentile (linear between closest ranks)', () => {
  it.each([
    [[], 50, null],
    [[5], 50, 5],
    [[5], 90, 5],
    [[1, 3], 50, 2],
    [[4, 1, 3, 2], 50, 2.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9.1],
    [[10, 20, 30], 90, 28],
    [[10, 20, 30], 100, 30],
  ])('of %j at %i is %p', (values, p, expected) => {
    const got = percentile(values, p);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 9);
  });
});

describe('phases by day', () => {
  const phases = [
    { id: 2, title: 'In person', startsOn: '2024-10-21', endsOn: '2024-10-25' },
    { id: 1, title: 'Online before', startsOn: '2024-09-01', endsOn: '2024-10-20' },
  ];
  it('finds the phase holding a day, ends included', () => {
    expect(phaseOfDay('2024-10-20', phases)?.id).toBe(1);
    expect(phaseOfDay('2024-10-21', phases)?.id).toBe(2);
    expect(phaseOfDay('2024-10-25', phases)?.id).toBe(2);
    expect(phaseOfDay('2024-10-26', phases)).toBeNull();
  });
  it('reads the day in the venue zone, across the daylight-saving change', () => {
    // 27 Oct 2024, Berlin goes back from +2 to +1 at 01:00 UTC.
    expect(dayIn(new Date('2024-10-26T22:30:00Z'), 'Europe/Berlin')).toBe('2024-10-27');
    expect(dayIn(new Date('2024-10-27T22:30:00Z'), 'Europe/Berlin')).toBe('2024-10-27');
    expect(dayIn(new Date('2024-10-27T23:00:00Z'), 'Europe/Berlin')).toBe('2024-10-28');
  });
});

describe('course figures', () => {
  const at = (s: string) => new Date(s);
  const facts: ReportFacts = {
    timeZone: 'Europe/Berlin',
    phases: [
      { id: 1, title: 'Online before', startsOn: '2024-09-01', endsOn: '2024-10-20' },
      { id: 2, title: 'In person', startsOn: '2024-10-21', endsOn: '2024-10-25' },
    ],
    teams: [
      { id: 10, name: 'Team Peru' },
      { id: 11, name: 'Team Kenya' },
    ],
    members: [
      { teamId: 10, userId: 100 },
      { teamId: 11, userId: 110 },
      { teamId: 11, userId: 111 },
    ],
    invited: 4,
    accepted: 3,
    activeActorIds: [100, 111, 900],
    versions: [
      // Peru's submission 1: v1 late, changes requested after 10 h; v2 accepted after 30 h.
      {
        submissionId: 1,
        teamId: 10,
        userId: null,
        number: 1,
        submittedAt: at('2024-10-20T21:30:00Z'),
        late: true,
        releasedAt: at('2024-10-21T07:30:00Z'),
        changesRequested: true,
      },
      {
        submissionId: 1,
        teamId: 10,
        userId: null,
        number: 2,
        submittedAt: at('2024-10-22T00:00:00Z'),
        late: false,
        releasedAt: at('2024-10-23T06:00:00Z'),
        changesRequested: false,
      },
      // Kenya, individual work of person 111, waiting.
      {
        submissionId: 2,
        teamId: null,
        userId: 111,
        number: 1,
        submittedAt: at('2024-10-26T08:00:00Z'),
        late: false,
        releasedAt: null,
        changesRequested: false,
      },
    ],
    reopened: new Map([[1, 1]]),
    meetings: [{ kind: 'expert_consultation', held: 2, recorded: 1, teamRows: 1, teamsPresent: 1, personRows: 3, peoplePresent: 2 }],
  };
  const f = computeFigures(facts);
  const table = (key: string) => f.tables.find((t) => t.key === key)!;

  it('counts participation: members active apart from staff', () => {
    expect(table('participation').rows).toEqual([
      ['Invited', 4],
      ['Accepted', 3],
      ['Team members', 3],
      ['Team members active in the last 14 days', 2],
      ['Staff active in the last 14 days', 1],
    ]);
  });

  it('counts each submission once, in the phase of its first version in the venue zone, individual work with the person’s team', () => {
    // v1 at 21:30 UTC on 20 Oct is 23:30 in Berlin: still "Online before". Kenya's is after every phase.
    expect(table('submissions').head).toEqual(['Team', 'Online before', 'In person', 'Outside the phases', 'Total', 'Late']);
    expect(table('submissions').rows).toEqual([
      ['Team Kenya', 0, 0, 1, 1, 0],
      ['Team Peru', 1, 0, 0, 1, 1],
    ]);
    expect(table('submissions').foot).toEqual(['All teams', 1, 0, 1, 2, 1]);
  });

  it('measures turnaround per reviewed version', () => {
    expect(f.turnaround).toMatchObject({ reviewed: 2, waiting: 1, median: 20, p90: 28 });
    expect(table('turnaround').rows).toEqual([
      ['Within 1 day', 1],
      ['1 to 2 days', 1],
      ['2 to 3 days', 0],
      ['3 to 7 days', 0],
      ['More than 7 days', 0],
    ]);
  });

  it('counts changes-requested loops per submission, reopening apart', () => {
    expect(table('loops').rows).toEqual([
      ['None', 1],
      ['One', 1],
      ['Two', 0],
      ['Three or more', 0],
    ]);
    expect(f.loops.reopened).toBe(1);
  });

  it('sums meetings and attendance', () => {
    // Teams and people apart: 1 of 1 team and 2 of 3 people, not 3 of 4 "attendees".
    expect(table('meetings').rows).toEqual([['Expert consultations', 2, 1, 1, 1, '100%', 2, 3, '67%']]);
  });

  it('shows dashes, not zeros or NaN, when nothing has happened', () => {
    const none = computeFigures({ ...facts, versions: [], reopened: new Map(), meetings: [], activeActorIds: [] });
    const key = Object.fromEntries(none.tables.find((t) => t.key === 'key-figures')!.rows.map(([k, v]) => [k, v]));
    expect(key['Review turnaround, median (hours)']).toBe('–');
    expect(key['Team attendance (teams present of recorded)']).toBe('–');
    expect(key['People attendance (people present of recorded)']).toBe('–');
    expect(JSON.stringify(none.tables)).not.toContain('NaN');
  });
});
