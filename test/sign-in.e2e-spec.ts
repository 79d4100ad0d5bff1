import { jest } from '@jest/globals';
import { SessionRow } from '../src/sessions/session.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn, TEST_PASSWORD } from './utils/factories';
import { agent, csrfFrom, submitForm, textOf } from './utils/http';

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('atelier.sid='));
}

describe('sign-in and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT_PER_ACCOUNT: '3', SIGN_IN_LIMIT_PER_IP: '1000' });
  });
  afterAll(() => t.close());

  it('signs in, renews the session id, sets safe cookie flags and shows the person', async () => {
    const user = await createUser(t.db, { name: 'Lan Nguyen', role: 'participant' });
    const a = agent(t.server);
    const page = await a.get('/sign-in').expect(200);
    const before = sessionCookie(page)!.split(';')[0];
    const res = await a
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const after = sessionCookie(res)!;
    expect(after.split(';')[0]).not.toBe(before);
    expect(after).toMatch(/HttpOnly/);
    expect(after).toMatch(/SameSite=Lax/);
    expect(after).not.toMatch(/Secure/); // plain HTTP without a proxy
    const home = await a.get('/dashboard').expect(200);
    expect(textOf(home.text)).toContain('Lan Nguyen · Participant');
    expect(home.headers['cache-control']).toBe('no-store');
    expect((await t.db.repo(User).findOneByOrFail({ id: user.id })).lastSignInAt).toBeInstanceOf(Date);
  });

  it('gives the same answer for an unknown e-mail and a wrong password, keeping the e-mail typed', async () => {
    const user = await createUser(t.db);
    const wrong = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: user.email, password: 'not the password at all' });
    const unknown = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: 'nobody@example.org', password: 'not the password at all' });
    expect(wrong.status).toBe(422);
    expect(unknown.status).toBe(422);
    const message = (html: string) => textOf(html).match(/Please correct the following (.*?) Sign in to|Please correct the following ([^.]*\.)/)?.[0];
    expect(message(wrong.text)).toBe(message(unknown.text)!.replace('nobody@example.org', user.email));
    expect(textOf(wrong.text)).toContain('The e-mail address or password is not correct.');
    expect(wrong.text).toContain(`value="${user.email}"`);
    expect(wrong.text).not.toContain('not the password at all');
  });

  it('asks for missing fields at the fields', async () => {
    const res = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: '', password: '' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Enter your e-mail address.');
    expect(textOf(res.text)).toContain('Enter your password.');
  });

  it('refuses a deactivated account with the same answer', async () => {
    const user = await createUser(t.db, { active: false });
    const res = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('The e-mail address or password is not correct.');
  });

  it('goes back to the page asked for, but never to another site', async () => {
    const user = await createUser(t.db);
    const a = agent(t.server);
    await a.get('/account').expect(303).expect('location', '/sign-in?next=%2Faccount');
    const page = await a.get('/sign-in?next=%2Faccount');
    expect(page.text).toContain('name="next" value="/account"');
    const res = await a
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD, next: '/account' });
    expect(res.headers.location).toBe('/account');

    for (const evil of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
      const r = await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD, next: evil });
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe('/dashboard');
    }
  });

  it('limits failed attempts per account (429 with a readable page), and a success clears the count', async () => {
    const user = await createUser(t.db);
    const attempt = (password: string) => submitForm(agent(t.server), '/sign-in', '/sign-in', { email: user.email, password });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password here')).status).toBe(422);
    const blocked = await attempt(TEST_PASSWORD); // even the right password waits
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(textOf(blocked.text)).toContain('Too many attempts');
    expect(textOf(blocked.text)).toMatch(/Please wait \d+ minute/);
  });

  it('limits attempts per IP address across accounts', async () => {
    const app = await createTestApp({ SIGN_IN_LIMIT_PER_IP: '4' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await submitForm(agent(app.server), '/sign-in', '/sign-in', { email: `someone${i}@example.org`, password: 'whatever whatever' })).status,
        );
      }
      expect(statuses).toEqual([422, 422, 422, 422, 429]);
    } finally {
      await app.close();
    }
  });

  it('sign-out destroys the session: the old cookie no longer works', async () => {
    const user = await createUser(t.db);
    const a = agent(t.server);
    const res = await signIn(a, user.email);
    const cookie = sessionCookie(res)!.split(';')[0];
    await agent(t.server).get('/dashboard').set('Cookie', cookie).expect(200);
    const home = await a.get('/dashboard');
    const out = await a
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in?signed-out=1');
    const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
    expect(await t.db.repo(SessionRow).countBy({ sid })).toBe(0);
    await agent(t.server).get('/dashboard').set('Cookie', cookie).expect(303).expect('location', '/sign-in?next=%2Fdashboard');
    const signedOut = await agent(t.server).get('/sign-in?signed-out=1');
    expect(textOf(signedOut.text)).toContain('You have signed out.');
  });

  it('deactivation ends every session of the person at once', async () => {
    const admin = await createUser(t.db, { role: 'admin' });
    const victim = await createUser(t.db);
    const phone = agent(t.server);
    const laptop = agent(t.server);
    await signIn(phone, victim.email);
    await signIn(laptop, victim.email);
    await phone.get('/dashboard').expect(200);

    const a = agent(t.server);
    await signIn(a, admin.email);
    const page = await a.get(`/admin/users/${victim.id}`);
    await a
      .post(`/admin/users/${victim.id}/deactivate`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);

    await phone.get('/dashboard').expect(303);
    await laptop.get('/dashboard').expect(303);
    expect(await t.db.repo(SessionRow).countBy({ userId: victim.id })).toBe(0);
  });

  it('ends a session left idle past the idle time-out', async () => {
    const user = await createUser(t.db);
    const a = agent(t.server);
    const res = await signIn(a, user.email);
    const sid = decodeURIComponent(sessionCookie(res)!.split(';')[0].split('=')[1]).slice(2).split('.')[0];
    await t.db.tx((em) => em.getRepository(SessionRow).update({ sid }, { expiresAt: new Date(Date.now() - 1000) }));
    await a.get('/dashboard').expect(303).expect('location', '/sign-in?next=%2Fdashboard');
  });

  it('ends a session past its absolute lifetime, however active', async () => {
    const user = await createUser(t.db);
    const a = agent(t.server);
    const res = await signIn(a, user.email);
    const sid = decodeURIComponent(sessionCookie(res)!.split(';')[0].split('=')[1]).slice(2).split('.')[0];
    const row = await t.db.repo(SessionRow).findOneByOrFail({ sid });
    const data = JSON.parse(row.data);
    data.signedInAt = Date.now() - (t.config.session.absoluteHours * 3600_000 + 1000);
    await t.db.tx((em) => em.getRepository(SessionRow).update({ sid }, { data: JSON.stringify(data) }));
    await a.get('/dashboard').expect(303).expect('location', '/sign-in?expired=1');
    expect(await t.db.repo(SessionRow).countBy({ sid })).toBe(0);
    const page = await a.get('/sign-in?expired=1');
    expect(textOf(page.text)).toContain('Your session ended. Please sign in again.');
  });

  it('writes nothing and sends no cookie when a page is viewed with a session renewed less than a minute ago, and renews an older one and its cookie', async () => {
    const user = await createUser(t.db);
    const a = agent(t.server);
    const res = await signIn(a, user.email);
    const sid = decodeURIComponent(sessionCookie(res)!.split(';')[0].split('=')[1]).slice(2).split('.')[0];
    const idleMs = t.config.session.idleMinutes * 60_000;
    await a.get('/dashboard').expect(200); // the first page makes the session's CSRF token: a change, stored
    const transactions = jest.spyOn(t.db, 'tx');
    try {
      const page = await a.get('/dashboard').expect(200);
      expect(sessionCookie(page)).toBeUndefined(); // the browser's cookie expires with the row, renewed less than a minute ago
      await a.get('/account').expect(200);
      expect(transactions).not.toHaveBeenCalled();
    } finally {
      transactions.mockRestore();
    }
    // A row whose expiry lags by more than a minute is renewed by the next page view.
    await t.db.tx((em) => em.getRepository(SessionRow).update({ sid }, { expiresAt: new Date(Date.now() + idleMs - 5 * 60_000) }));
    const before = Date.now();
    const renewing = await a.get('/dashboard').expect(200);
    const renewed = (await t.db.repo(SessionRow).findOneByOrFail({ sid })).expiresAt.getTime();
    expect(renewed).toBeGreaterThanOrEqual(before + idleMs - 1000);
    // ...and the cookie is sent again with it: same session, HttpOnly, SameSite=Lax, expiring with the row (to the second).
    const cookie = sessionCookie(renewing)!;
    expect(decodeURIComponent(cookie.split(';')[0].split('=')[1]).slice(2).split('.')[0]).toBe(sid);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const expires = new Date(/; Expires=([^;]+)/.exec(cookie)![1]).getTime();
    expect(Math.abs(expires - renewed)).toBeLessThanOrEqual(1000);
    // The cookie sent is a valid one: the next page is served signed in.
    await agent(t.server).get('/dashboard').set('Cookie', cookie.split(';')[0]).expect(200);
  });

  it('marks the cookie Secure behind a TLS-terminating proxy', async () => {
    const app = await createTestApp({ TRUST_PROXY_HOPS: '1' });
    try {
      const res = await agent(app.server).get('/sign-in').set('X-Forwarded-Proto', 'https');
      expect(sessionCookie(res)).toMatch(/; Secure/);
    } finally {
      await app.close();
    }
  });
});

describe('sessions survive a restart', () => {
  it('keeps a signed-in person signed in when the app restarts on the same database', async () => {
    const first = await createTestApp();
    const user = await createUser(first.db);
    const a = agent(first.server);
    const res = await signIn(a, user.email);
    const cookie = sessionCookie(res)!.split(';')[0];
    // Close the first app but keep its database (the PostgreSQL schema is dropped by the last close).
    await first.app.close();
    await first.mail.stop();
    const second = await createTestApp({}, first);
    try {
      const page = await agent(second.server).get('/dashboard').set('Cookie', cookie);
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain(`Welcome, ${user.name}`);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
