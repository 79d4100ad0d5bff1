import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { User } from '../src/users/user.entity';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { createUser, signIn, TEST_PASSWORD } from './utils/factories';
import { agent, csrfFrom } from './utils/http';

const WAIT_MS = 1000;

async function timed(url: string, init: RequestInit = {}): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started };
}

/**
 * A lock held elsewhere on the database (another process, a long transaction) must not freeze
 * the server: static files and /healthz answer at once, and a request that needs the lock gets a
 * 503 page after a bounded wait (DATABASE_WAIT_MS), then works again once the lock is gone.
 */
describe('a database lock held elsewhere', () => {
  let t: TestApp;
  let base: string;
  let user: User;

  beforeAll(async () => {
    t = await createTestApp({ DATABASE_WAIT_MS: String(WAIT_MS) });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    user = await createUser(t.db);
  });
  afterAll(() => t.close());

  /** A sign-in form with its CSRF token and cookie, fetched before the lock is taken. */
  async function signInForm() {
    const page = await fetch(`${base}/sign-in`);
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const html = await page.text();
    const body = new URLSearchParams({ _csrf: csrfFrom(html), email: user.email, password: TEST_PASSWORD }).toString();
    return () => timed(`${base}/sign-in`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
  }

  /** Takes the lock (`lock` returns its release), then measures what answers meanwhile. */
  async function whileLocked(lock: () => Promise<() => Promise<void>>) {
    const signIn = await signInForm();
    const release = await lock();
    const writing = signIn(); // needs the lock
    await new Promise((r) => setTimeout(r, 50));
    const [css, health] = await Promise.all([timed(`${base}/public/css/site.css`), timed(`${base}/healthz`)]);
    const write = await writing;
    await release();
    return { css, health, write, after: await (await signInForm())() };
  }

  function expectAnswered(r: Awaited<ReturnType<typeof whileLocked>>) {
    expect(r.css.status).toBe(200);
    expect(r.css.ms).toBeLessThan(500);
    expect(r.health.ms).toBeLessThan(2500);
    expect(r.write.status).toBe(503);
    expect(r.write.text).toContain('could not reach its database');
    expect(r.write.ms).toBeGreaterThanOrEqual(WAIT_MS - 50);
    expect(r.write.ms).toBeLessThan(WAIT_MS + 2000);
    expect(r.after.status).toBe(303); // signed in once the lock is gone
  }

  it('held by another connection: static files and /healthz answer at once, a write gets 503 after the wait, then works', async () => {
    const r = await whileLocked(async () => {
      if (ON_POSTGRES) {
        const other = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${t.env.DATABASE_SCHEMA}` });
        await other.connect();
        await other.query('BEGIN');
        await other.query('LOCK TABLE sessions, rate_limits IN ACCESS EXCLUSIVE MODE');
        return async () => {
          await other.query('COMMIT');
          await other.end();
        };
      }
      // a second connection to the same file, through the driver the app loaded (better-sqlite3)
      type Connection = { exec(sql: string): void; prepare(sql: string): { run(...a: unknown[]): unknown }; close(): void };
      const Sqlite = (t.db.dataSource.driver as unknown as { sqlite: new (file: string) => Connection }).sqlite;
      const other = new Sqlite(t.config.database.type === 'sqlite' ? t.config.database.path : '');
      other.exec('BEGIN IMMEDIATE');
      other.prepare('UPDATE users SET name = name WHERE id = ?').run(user.id);
      return async () => {
        other.exec('COMMIT');
        other.close();
      };
    });
    expectAnswered(r);
    expect(r.health.status).toBe(200); // reads still work: the database itself answers
  });

  (ON_POSTGRES ? it.skip : it)('held by a long transaction in this process (SQLite): same', async () => {
    const r = await whileLocked(async () => {
      let finish!: () => void;
      const long = t.db.tx(() => new Promise<void>((resolve) => (finish = resolve)));
      return async () => {
        finish();
        await long;
      };
    });
    expectAnswered(r);
  });

  it('a signed-in page view needs no lock: it answers at once while a write holds one', async () => {
    const a = agent(t.server);
    await signIn(a, user.email);
    await a.get('/account').expect(200);
    let release: () => Promise<void>;
    if (ON_POSTGRES) {
      // Sessions may be read, not written, while this is held.
      const other = new Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${t.env.DATABASE_SCHEMA}` });
      await other.connect();
      await other.query('BEGIN');
      await other.query('LOCK TABLE sessions IN EXCLUSIVE MODE');
      release = async () => {
        await other.query('COMMIT');
        await other.end();
      };
    } else {
      let finish!: () => void;
      const long = t.db.tx(() => new Promise<void>((resolve) => (finish = resolve)));
      release = async () => {
        finish();
        await long;
      };
    }
    try {
      const started = Date.now();
      const page = await a.get('/account');
      expect(page.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(WAIT_MS / 2);
    } finally {
      await release();
    }
  });

  it('a read outside a transaction never sees what another transaction has written but not committed', async () => {
    const email = `uncommitted-${Date.now()}@example.org`;
    let finish!: () => void;
    const writing = t.db.tx(async (em) => {
      await em.getRepository(User).insert({ ...user, id: undefined, email, name: 'Never committed' });
      await new Promise<void>((resolve) => (finish = resolve));
      throw new Error('rolled back');
    });
    try {
      while (!finish) await new Promise((r) => setTimeout(r, 5));
      expect(await t.db.repo(User).existsBy({ email })).toBe(false);
      expect(await t.db.rows<{ id: number }>`SELECT id FROM users WHERE email = ${email}`).toEqual([]);
    } finally {
      finish();
      await expect(writing).rejects.toThrow('rolled back');
    }
    expect(await t.db.repo(User).existsBy({ email })).toBe(false);
  });
});
