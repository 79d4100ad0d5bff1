import { jest } from '@jest/globals';
import { Client } from 'pg';
import { Database } from '../src/database/database.service';
import { SNAPSHOT_MAX_AGE_MS } from '../src/database/read-snapshots';
import { Clock } from '../src/meetings/clock';
import type { TeamWithPeople } from './utils/factories';
import { createCourseWithTeams, createTaskThroughApp, signedIn, submitWork } from './utils/factories';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { type Agent, textOf } from './utils/http';

/**
 * The heavy pages (course dashboard, course report, home, review queue) are kept as snapshots
 * while nothing is written (decision 74). What must hold: any write, by this process or another
 * (a worker, a second instance, a fix in the database shell), shows on the next request; one
 * person's snapshot never answers another's request; a snapshot is used for at most a minute.
 */
describe(`read snapshots of the heavy pages (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let db: Database;
  let courseId: number;
  let kenya: TeamWithPeople;
  let ghana: TeamWithPeople;
  let fac: Agent;
  let eva: Agent; // Kenya's expert
  let otto: Agent; // Ghana's expert
  const text = async (a: Agent, url: string, status = 200) => textOf((await a.get(url).expect(status)).text);

  /** A statement run on a connection of its own, committed: as a worker, another instance or the database shell would. */
  async function writeElsewhere(sql: string, params: unknown[]): Promise<void> {
    if (ON_POSTGRES) {
      const other = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${t.env.DATABASE_SCHEMA}` });
      await other.connect();
      try {
        await other.query(
          sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split('?').length}`),
          params,
        );
      } finally {
        await other.end();
      }
      return;
    }
    type Connection = { prepare(sql: string): { run(...a: unknown[]): unknown }; close(): void };
    const Sqlite = (t.db.dataSource.driver as unknown as { sqlite: new (file: string) => Connection }).sqlite;
    const other = new Sqlite(t.config.database.type === 'sqlite' ? t.config.database.path : '');
    try {
      other.prepare(sql).run(...params);
    } finally {
      other.close();
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(Database);
    const made = await createCourseWithTeams(t.db, {
      // Under way (the home shows panels for workshops not yet over).
      course: { startsOn: '2026-01-01', endsOn: '2099-12-31' },
      teams: [
        { team: { country: 'KE', timeZone: 'Africa/Nairobi' }, leader: { name: 'Amina Leader' }, experts: [{ name: 'Eva Expert' }] },
        { team: { country: 'GH', timeZone: 'Africa/Accra' }, leader: { name: 'Kofi Leader' }, experts: [{ name: 'Otto Expert' }] },
      ],
    });
    courseId = made.course.id;
    [kenya, ghana] = made.teams;
    fac = await signedIn(t.server, made.facilitator);
    eva = await signedIn(t.server, kenya.experts[0]);
    otto = await signedIn(t.server, ghana.experts[0]);
    const task = await createTaskThroughApp(t.db, fac, courseId, { title: 'Situation analysis', phaseId: String(made.phases[0].id) });
    const leader = await signedIn(t.server, kenya.leader!);
    await submitWork(leader, `/courses/${courseId}/tasks/${task.id}/submissions/team-${kenya.team.id}`, { text: 'Our analysis' });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  describe('Database.version', () => {
    it('stays the same while nothing is written', async () => {
      expect(await db.version()).toBe(await db.version());
    });

    it('changes when this process commits a transaction', async () => {
      const before = await db.version();
      await db.tx((em) => em.query(`UPDATE teams SET city = city WHERE id = ${kenya.team.id}`));
      expect(await db.version()).not.toBe(before);
    });

    it('changes when another connection commits (a worker, another instance, the database shell)', async () => {
      const before = await db.version();
      await writeElsewhere('UPDATE teams SET city = city WHERE id = ?', [ghana.team.id]);
      expect(await db.version()).not.toBe(before);
    });

    it('is null inside a transaction (what it reads there may not be committed)', async () => {
      expect(await db.tx(() => db.version())).toBeNull();
    });
  });

  it('shows a write made by another process on the very next request, on every kept page', async () => {
    const pages: [Agent, string][] = [
      [fac, `/courses/${courseId}/dashboard`],
      [fac, `/courses/${courseId}/report`],
      [fac, '/reviews'],
      [eva, '/dashboard'],
    ];
    for (const [a, url] of pages) {
      await text(a, url); // a flash message left by the set-up is shown once
      const first = await text(a, url);
      expect(first).toContain('Kenya');
      expect(first).not.toContain('Kenya — Mombasa');
      expect(await text(a, url)).toBe(first); // kept: the same page again
    }
    await writeElsewhere('UPDATE teams SET city = ? WHERE id = ?', ['Mombasa', kenya.team.id]);
    for (const [a, url] of pages) expect(await text(a, url)).toContain('Kenya — Mombasa');
    await writeElsewhere("UPDATE teams SET city = '' WHERE id = ?", [kenya.team.id]);
  });

  it('never answers one person with another’s page: each expert sees only their own team', async () => {
    const dashboard = `/courses/${courseId}/dashboard`;
    const all = await text(fac, dashboard);
    expect(all).toContain('Kenya');
    expect(all).toContain('Ghana');
    for (const [a, own, other] of [
      [eva, 'Kenya', 'Ghana'],
      [otto, 'Ghana', 'Kenya'],
    ] as const) {
      const page = await text(a, dashboard);
      expect(page).toContain(own);
      expect(page).not.toContain(other);
    }
    // The review queue: Kenya's work waits for the facilitator and Eva, not for Otto.
    expect(await text(fac, '/reviews')).toContain('Situation analysis');
    expect(await text(eva, '/reviews')).toContain('Situation analysis');
    expect(await text(otto, '/reviews')).not.toContain('Situation analysis');
    // The home: each expert's panel lists their own team.
    expect(await text(eva, '/dashboard')).toContain('Kenya');
    const ottoHome = await text(otto, '/dashboard');
    expect(ottoHome).toContain('Ghana');
    expect(ottoHome).not.toContain('Kenya');
  });

  it('answers a repeated parameter with the form again (422), even when the single one is kept', async () => {
    const dashboard = `/courses/${courseId}/dashboard`;
    await fac.get(`${dashboard}?inactive=3`).expect(200);
    await fac.get(`${dashboard}?inactive=3&inactive=4`).expect(422);
  });

  it('uses a snapshot for at most a minute, even when nothing was written', async () => {
    const report = `/courses/${courseId}/report`;
    const at = (iso: string) => jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(iso));
    const asOf = async () => (await text(fac, report)).match(/as of (.*?)\. Each chart/)![1];
    await writeElsewhere('UPDATE teams SET city = city WHERE id = ?', [kenya.team.id]); // whatever was kept before is gone
    at('2026-03-02T10:00:50Z');
    const first = await asOf();
    at(new Date(Date.parse('2026-03-02T10:00:50Z') + SNAPSHOT_MAX_AGE_MS / 2).toISOString());
    expect(await asOf()).toBe(first); // the same snapshot, computed at 10:00:50
    at(new Date(Date.parse('2026-03-02T10:00:50Z') + SNAPSHOT_MAX_AGE_MS + 1000).toISOString());
    expect(await asOf()).not.toBe(first); // computed again, a minute later
  });
});
