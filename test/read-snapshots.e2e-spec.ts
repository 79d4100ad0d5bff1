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
/** Tables whose writes change no page a snapshot keeps (migration 1764870000000 gives every other table its triggers). */
const UNVERSIONED_TABLES = [
  'migrations',
  'content_version',
  'sessions',
  'rate_limits',
  'outbox_messages',
  'notifications',
  'notification_digests',
  'password_resets',
];

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

    it('changes for rows added and removed, not only changed', async () => {
      const before = await db.version();
      await writeElsewhere('INSERT INTO working_hours (user_id, starts_minute, ends_minute, updated_at) VALUES (?, 540, 1020, CURRENT_TIMESTAMP)', [
        ghana.leader!.id,
      ]);
      const added = await db.version();
      expect(added).not.toBe(before);
      await writeElsewhere('DELETE FROM working_hours WHERE user_id = ?', [ghana.leader!.id]);
      expect(await db.version()).not.toBe(added);
    });

    it('stays the same for writes no kept page shows: sessions, rate limits, the outbox, notifications, the events’ dispatch mark', async () => {
      // A page view renews its session, sign-in attempts count, the worker sends mail and marks events handed over.
      await fac.get('/dashboard').expect(200);
      const before = await db.version();
      await writeElsewhere('UPDATE sessions SET expires_at = expires_at', []);
      await writeElsewhere('UPDATE rate_limits SET hits = hits', []);
      await writeElsewhere('UPDATE outbox_messages SET attempts = attempts', []);
      await writeElsewhere('UPDATE notifications SET read_at = read_at', []);
      await writeElsewhere('UPDATE notification_digests SET sent_at = sent_at', []);
      await writeElsewhere('UPDATE password_resets SET used_at = used_at', []);
      await writeElsewhere('UPDATE domain_events SET dispatched_at = dispatched_at', []);
      expect(await db.version()).toBe(before);
    });

    it('counts every table: each has the triggers or is named here as one whose writes no page shows', async () => {
      const tables = ON_POSTGRES
        ? await db.rows<{
            name: string;
          }>`SELECT table_name AS "name" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
        : await db.rows<{ name: string }>`SELECT name AS "name" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`;
      const triggered = ON_POSTGRES
        ? await db.rows<{
            name: string;
          }>`SELECT DISTINCT event_object_table AS "name" FROM information_schema.triggers WHERE trigger_schema = current_schema() AND trigger_name LIKE 'TR_%_content'`
        : await db.rows<{ name: string }>`SELECT DISTINCT tbl_name AS "name" FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'TR_%_content_%'`;
      const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();
      expect(names(tables).filter((n) => !UNVERSIONED_TABLES.includes(n))).toEqual(names(triggered));
      expect(names(triggered)).toContain('submissions');
    });

    (ON_POSTGRES ? it : it.skip)('does not make writers deadlock: two that touch one row in turn commit one after the other', async () => {
      const client = async () => {
        const c = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${t.env.DATABASE_SCHEMA}` });
        await c.connect();
        await c.query("SET lock_timeout = '3s'"); // a wait in a circle fails the test instead of hanging it
        return c;
      };
      const [a, b] = [await client(), await client()];
      try {
        const before = await db.version();
        await a.query('BEGIN');
        await b.query('BEGIN');
        await a.query('UPDATE teams SET city = city WHERE id = $1', [kenya.team.id]);
        await b.query('UPDATE teams SET city = city WHERE id = $1', [ghana.team.id]); // would wait for a's version lock, holding Ghana's row
        const second = a.query('UPDATE teams SET city = city WHERE id = $1', [ghana.team.id]); // waits for b's row
        await new Promise((r) => setTimeout(r, 100));
        await b.query('COMMIT');
        await second;
        await a.query('COMMIT');
        expect(await db.version()).not.toBe(before);
      } finally {
        await a.query('ROLLBACK').catch(() => undefined);
        await b.query('ROLLBACK').catch(() => undefined);
        await a.end();
        await b.end();
      }
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
