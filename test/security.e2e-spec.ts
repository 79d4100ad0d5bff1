import { jest } from '@jest/globals';
import { Invitation } from '../src/invitations/invitation.entity';
import { DbSessionStore } from '../src/sessions/db-session.store';
import { SessionRow } from '../src/sessions/session.entity';
import { UsersService } from '../src/users/users.service';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn, TEST_PASSWORD } from './utils/factories';
import { agent, csrfFrom, submitForm, textOf } from './utils/http';

describe('security defaults', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('sends a strict Content-Security-Policy and no X-Powered-By', async () => {
    const res = await agent(t.server).get('/sign-in').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).not.toMatch(/<script|style="/);
  });

  it('refuses a form without a CSRF token, or with a token from another session (403), storing nothing', async () => {
    const admin = await createUser(t.db, { role: 'admin' });
    const a = agent(t.server);
    await signIn(a, admin.email);
    const missing = await a.post('/invitations').type('form').send({ email: 'csrf1@example.org', role: 'participant' });
    expect(missing.status).toBe(403);
    expect(textOf(missing.text)).toContain('security token is missing or out of date');

    const other = agent(t.server);
    const foreignToken = csrfFrom((await other.get('/sign-in')).text);
    const foreign = await a.post('/invitations').type('form').send({ _csrf: foreignToken, email: 'csrf2@example.org', role: 'participant' });
    expect(foreign.status).toBe(403);
    expect(await t.db.repo(Invitation).countBy({ email: 'csrf1@example.org' })).toBe(0);
    expect(await t.db.repo(Invitation).countBy({ email: 'csrf2@example.org' })).toBe(0);

    const signInWithoutToken = await agent(t.server).post('/sign-in').type('form').send({ email: admin.email, password: 'x' });
    expect(signInWithoutToken.status).toBe(403);
  });

  it('refuses bodies over the limit with 413 and a page', async () => {
    const page = agent(t.server);
    const token = csrfFrom((await page.get('/sign-in')).text);
    const res = await page
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: 'a@b.c', password: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(textOf(res.text)).toContain('larger than Atelier accepts');
  });

  it('answers malformed JSON with 400, never a stack trace', async () => {
    const res = await agent(t.server).post('/sign-in').set('Content-Type', 'application/json').set('Accept', 'application/json').send('{"email":');
    // The body is parsed before the CSRF check, so a broken body is what gets answered.
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400 });
    expect(res.text).not.toMatch(/at \w+ \(|node_modules/);
  });

  it('shows a 404 page for unknown addresses, and JSON to API clients', async () => {
    const html = await agent(t.server).get('/no/such/page');
    expect(html.status).toBe(404);
    expect(textOf(html.text)).toContain('Page not found');
    const json = await agent(t.server).get('/no/such/page').set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.body).toMatchObject({ statusCode: 404 });
  });

  it('turns an unexpected fault into a plain 500 page with a reference, no stack trace', async () => {
    const admin = await createUser(t.db, { role: 'admin' });
    const a = agent(t.server);
    await signIn(a, admin.email);
    const users = t.app.get(UsersService);
    const spy = jest.spyOn(users, 'list').mockRejectedValueOnce(new Error('disk on fire at /secret/path.ts:12'));
    try {
      const res = await a.get('/admin/users');
      expect(res.status).toBe(500);
      expect(textOf(res.text)).toContain('Something went wrong');
      expect(textOf(res.text)).toContain(`Reference: ${res.headers['x-request-id']}`);
      expect(res.text).not.toContain('disk on fire');
      expect(res.text).not.toContain('/secret/path');
    } finally {
      spy.mockRestore();
    }
  });

  it('serves the stylesheet, small', async () => {
    const css = await agent(t.server).get('/public/css/site.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    // One stylesheet for every page, cached; each page's HTML + CSS is held under 60 KB below and in page-weight.
    expect(Buffer.byteLength(css.text)).toBeLessThan(20_000);
  });

  it('keeps signed-in pages light: HTML + CSS well under 60 KB', async () => {
    const admin = await createUser(t.db, { role: 'admin' });
    const a = agent(t.server);
    await signIn(a, admin.email);
    const css = Buffer.byteLength((await a.get('/public/css/site.css')).text);
    for (const path of ['/dashboard', '/account', '/invitations', '/admin/users', `/admin/users/${admin.id}`]) {
      const res = await a.get(path).expect(200);
      expect(Buffer.byteLength(res.text) + css).toBeLessThan(60_000);
    }
  });
});

describe('health', () => {
  it('reports the database as up, then as down (503) when it stops answering', async () => {
    const t = await createTestApp();
    try {
      const up = await agent(t.server).get('/healthz').expect(200);
      expect(up.body).toMatchObject({ status: 'ok', database: 'up' });
      const spy = jest.spyOn(t.db.manager, 'query').mockRejectedValueOnce(new Error('gone'));
      const down = await agent(t.server).get('/healthz');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'error', database: 'down' });
      spy.mockRestore();
    } finally {
      await t.close();
    }
  });
});

describe('sessions only when there is something to keep', () => {
  it('stores no session for health checks, static files, redirects and error pages; one once a form is shown, and sign-in still needs its token', async () => {
    const t = await createTestApp();
    try {
      const cookies: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        for (const [path, status] of [
          ['/healthz', 200],
          ['/public/css/site.css', 200],
          ['/public/css/missing.css', 404],
          ['/', 303],
          ['/dashboard', 303],
          ['/courses/1', 303],
          ['/no/such/page', 404],
        ] as const) {
          const res = await agent(t.server).get(path);
          expect(`${path} ${res.status}`).toBe(`${path} ${status}`);
          if (res.headers['set-cookie']) cookies.push(res.headers['set-cookie']);
        }
      }
      expect(cookies).toEqual([]);
      expect(await t.db.repo(SessionRow).count()).toBe(0);

      // The sign-in form is where a visitor gets a session: it holds the form's CSRF token.
      const user = await createUser(t.db);
      const a = agent(t.server);
      const page = await a.get('/sign-in').expect(200);
      expect(page.headers['set-cookie']).toBeDefined();
      expect(await t.db.repo(SessionRow).count()).toBe(1);
      await a.post('/sign-in').type('form').send({ email: user.email, password: TEST_PASSWORD }).expect(403);
      await agent(t.server)
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(403);
      await a
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(page.text) })
        .expect(303);
      expect(await t.db.repo(SessionRow).countBy({ userId: user.id })).toBe(1);

      // A signed-in person's health checks neither read nor renew the session.
      const store = t.app.get(DbSessionStore);
      const reads = jest.spyOn(store, 'get');
      const writes = jest.spyOn(store, 'touch');
      try {
        await a.get('/healthz').expect(200);
        expect(reads).not.toHaveBeenCalled();
        expect(writes).not.toHaveBeenCalled();
        await a.get('/dashboard').expect(200);
        expect(reads).toHaveBeenCalledTimes(1);
      } finally {
        reads.mockRestore();
        writes.mockRestore();
      }
    } finally {
      await t.close();
    }
  });
});

describe('form submissions at the same moment', () => {
  it('accepts many concurrent writes without colliding transactions or losing any', async () => {
    const t = await createTestApp();
    try {
      const admin = await createUser(t.db, { role: 'admin' });
      // Twelve browsers signed in one after the other (parallel sign-ins of one account count
      // against its attempt limit until each has been verified), then all posting at once.
      const agents: { a: ReturnType<typeof agent>; token: string }[] = [];
      for (let i = 0; i < 12; i++) {
        const a = agent(t.server);
        await signIn(a, admin.email);
        agents.push({ a, token: csrfFrom((await a.get('/invitations')).text) });
      }
      const results = await Promise.all(
        agents.map(({ a, token }, i) =>
          a
            .post('/invitations')
            .type('form')
            .send({ _csrf: token, email: `burst${i}@example.org`, role: 'participant' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(303));
      expect(await t.db.repo(Invitation).count()).toBe(12);
      await t.deliverMail();
      expect(t.mail.messages.filter((m) => m.to.startsWith('burst'))).toHaveLength(12);
      const again = await submitForm(agents[0].a, '/invitations', '/invitations', { email: 'burst0@example.org', role: 'participant' });
      expect(again.status).toBe(422);
    } finally {
      await t.close();
    }
  });
});

describe('CSRF tokens in compressed pages (BREACH)', () => {
  it('renders the token under a fresh mask on every page, accepts each, and never shows the stored token', async () => {
    const t = await createTestApp();
    try {
      const user = await createUser(t.db);
      const a = agent(t.server);
      const first = csrfFrom((await a.get('/sign-in').set('Accept-Encoding', 'gzip').expect(200)).text);
      const second = csrfFrom((await a.get('/sign-in').expect(200)).text);
      expect(first).not.toBe(second);
      const rows = await t.db.repo(SessionRow).find();
      expect(rows).toHaveLength(1);
      const stored = (JSON.parse(rows[0].data) as { csrfToken: string }).csrfToken;
      expect(stored).toBeTruthy();
      expect(first).not.toContain(stored);
      // The stored token itself, sent as it is, is not a masked token and is refused.
      await a.post('/sign-in').type('form').send({ email: user.email, password: TEST_PASSWORD, _csrf: stored }).expect(403);
      // A tampered mask is refused; either rendered token is accepted.
      const [pad, masked] = first.split('.');
      await a
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, _csrf: `${pad}.${masked.slice(1)}A` })
        .expect(403);
      await a.post('/sign-in').type('form').send({ email: user.email, password: TEST_PASSWORD, _csrf: first }).expect(303);
    } finally {
      await t.close();
    }
  });

  it('masks the token once per page: every form of a page carries the same value, the next page another', async () => {
    const t = await createTestApp();
    try {
      const user = await createUser(t.db);
      const a = agent(t.server);
      await signIn(a, user.email);
      const tokens = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
      const first = tokens((await a.get('/account').expect(200)).text);
      expect(first.length).toBeGreaterThan(1);
      expect(new Set(first).size).toBe(1);
      const second = tokens((await a.get('/account').expect(200)).text);
      expect(second[0]).not.toBe(first[0]);
    } finally {
      await t.close();
    }
  });
});
