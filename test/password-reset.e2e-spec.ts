import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { PasswordReset } from '../src/auth/password-reset.entity';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { SessionRow } from '../src/sessions/session.entity';
import { UsersService } from '../src/users/users.service';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn, TEST_PASSWORD } from './utils/factories';
import { agent, csrfFrom, submitForm, textOf } from './utils/http';
import { linkIn } from './utils/mail-catcher';

describe('password reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('e-mails a single-use link; the new password works, the old does not, and other sessions end', async () => {
    const user = await createUser(t.db, { name: 'Kofi Mensah' });
    const otherDevice = agent(t.server);
    await signIn(otherDevice, user.email);

    const res = await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email.toUpperCase() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/password/forgot?sent=1');
    const mail = await t.mail.last(user.email, /Reset/);
    expect(mail.text).toContain('Hello Kofi Mensah');
    const link = linkIn(mail, '/password/reset/');

    const a = agent(t.server);
    const page = await a.get(link).expect(200);
    expect(textOf(page.text)).toContain(`For the account ${user.email}`);
    const done = await a
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'savanna morning drums', confirmPassword: 'savanna morning drums' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/sign-in');
    expect(textOf((await a.get('/sign-in')).text)).toContain('Your password has been changed.');

    await otherDevice.get('/dashboard').expect(303);
    expect(await t.db.repo(SessionRow).countBy({ userId: user.id })).toBe(0);
    expect((await submitForm(agent(t.server), '/sign-in', '/sign-in', { email: user.email, password: TEST_PASSWORD })).status).toBe(422);
    await signIn(agent(t.server), user.email, 'savanna morning drums');

    const reused = await agent(t.server).get(link);
    expect(reused.status).toBe(410);
    expect(textOf(reused.text)).toContain('already been used');
  });

  it('answers the same whether or not the address has an account, and sends nothing to unknown ones', async () => {
    const before = t.mail.messages.length;
    const res = await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: 'nobody-here@example.org' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/password/forgot?sent=1');
    const page = await agent(t.server).get('/password/forgot?sent=1');
    expect(textOf(page.text)).toContain('If an active Atelier account uses that address');
    await t.deliverMail();
    expect(t.mail.messages.length).toBe(before);
    expect(await t.db.repo(OutboxMessage).countBy({ toAddress: 'nobody-here@example.org' })).toBe(0);
  });

  it('answers without waiting for the mail server, for a known and an unknown address alike, and the mail still arrives', async () => {
    const user = await createUser(t.db);
    t.mail.delayMs = 1500; // a slow SMTP server: each message is accepted 1.5 s after it is sent
    try {
      const timed = async (email: string) => {
        const a = agent(t.server);
        const page = await a.get('/password/forgot');
        const started = performance.now();
        const res = await a
          .post('/password/forgot')
          .type('form')
          .send({ _csrf: csrfFrom(page.text), email });
        return { status: res.status, location: res.headers.location, ms: performance.now() - started };
      };
      const known = await timed(user.email);
      expect(t.mail.to(user.email)).toHaveLength(0); // answered before the server accepted the message
      const unknown = await timed('nobody-known@example.org');
      expect(known).toMatchObject({ status: 303, location: '/password/forgot?sent=1' });
      expect(unknown).toMatchObject({ status: 303, location: '/password/forgot?sent=1' });
      expect(known.ms).toBeLessThan(500);
      expect(unknown.ms).toBeLessThan(500);
      const mail = await t.mail.last(user.email, /Reset/);
      await agent(t.server).get(linkIn(mail, '/password/reset/')).expect(200);
    } finally {
      t.mail.delayMs = 0;
    }
  });

  it('answers the same when the mail server refuses the message; the message waits and is sent on a later attempt', async () => {
    const user = await createUser(t.db);
    await t.deliverMail(); // what earlier tests queued goes first
    t.mail.failNext = 1;
    const res = await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/password/forgot?sent=1');
    await t.deliverMail();
    expect(t.mail.failNext).toBe(0);
    const queued = await t.db.repo(OutboxMessage).findOneByOrFail({ toAddress: user.email });
    expect(queued).toMatchObject({ kind: 'password_reset', userId: user.id, status: 'queued', attempts: 1 });
    expect(queued.lastError).toContain('550');
    expect(queued.lastError).not.toContain(user.email);
    await agent(t.server).get('/sign-in').expect(200);
    await t.deliverMail(new Date(Date.now() + 2 * 60_000));
    const link = linkIn(await t.mail.last(user.email, /Reset/), '/password/reset/');
    await agent(t.server).get(link).expect(200);
  });

  it('refuses an expired link', async () => {
    const user = await createUser(t.db);
    await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email });
    const link = linkIn(await t.mail.last(user.email, /Reset/), '/password/reset/');
    await t.db.tx((em) => em.getRepository(PasswordReset).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) }));
    const res = await agent(t.server).get(link);
    expect(res.status).toBe(410);
    expect(textOf(res.text)).toContain('This password-reset link has expired');
  });

  it('only the newest link works', async () => {
    const user = await createUser(t.db);
    await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email });
    const first = linkIn(await t.mail.last(user.email, /Reset/), '/password/reset/');
    await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email });
    const second = linkIn(await t.mail.last(user.email, /Reset/, 2), '/password/reset/');
    expect(second).not.toBe(first);
    await agent(t.server).get(first).expect(410);
    await agent(t.server).get(second).expect(200);
  });

  it('keeps the link usable after a weak or mismatched password (422 at the field)', async () => {
    const user = await createUser(t.db);
    await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email });
    const link = linkIn(await t.mail.last(user.email, /Reset/), '/password/reset/');
    const a = agent(t.server);
    const page = await a.get(link);
    const weak = await a
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'short', confirmPassword: 'short' });
    expect(weak.status).toBe(422);
    expect(textOf(weak.text)).toContain('Use at least 12 characters');
    const mismatch = await a
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'savanna morning drums', confirmPassword: 'savanna evening drums' });
    expect(mismatch.status).toBe(422);
    expect(textOf(mismatch.text)).toContain('The two passwords are not the same.');
    expect(mismatch.text).not.toContain('savanna');
    await signIn(agent(t.server), user.email); // unchanged
    await a.get(link).expect(200);
  });

  it('asks for an address when the form is empty', async () => {
    const res = await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: '' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Enter the e-mail address of your account.');
  });

  it('refuses unknown tokens with 404', async () => {
    await agent(t.server).get('/password/reset/nope').expect(404);
    const page = await agent(t.server).get('/sign-in');
    expect(page.status).toBe(200);
  });
});

describe('password reset: the answer does not tell whether an account exists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY_HOPS: '1' }); // each try from an address of its own: the per-address limit stays out of the way
  });
  afterAll(() => t.close());

  let n = 0;
  async function ask(email: string) {
    const a = agent(t.server);
    const ip = `203.0.113.${++n}`;
    const page = await a.get('/password/forgot').set('X-Forwarded-For', ip);
    const started = performance.now();
    const res = await a
      .post('/password/forgot')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email });
    return { ms: performance.now() - started, status: res.status };
  }

  /**
   * Times the requests from a process of its own, as a person's browser would: a client inside the
   * test process would share the server's event loop and count the background step that starts
   * after the answer has gone out.
   */
  async function timedFromOutside(emails: string[]): Promise<{ ms: number; status: number; location: string | null; body: string; cookie: boolean }[]> {
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    const { port } = t.server.address() as AddressInfo;
    const script = `
      const [base, emails] = [process.argv[1], JSON.parse(process.argv[2])];
      const out = [];
      let i = 0;
      for (const email of emails) {
        const ip = '198.51.100.' + (++i);
        const page = await fetch(base + '/password/forgot', { headers: { 'x-forwarded-for': ip } });
        const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
        const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)[1];
        const body = new URLSearchParams({ _csrf: token, email }).toString();
        const started = performance.now();
        const res = await fetch(base + '/password/forgot', {
          method: 'POST', redirect: 'manual', body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': ip },
        });
        const text = await res.text();
        out.push({ ms: performance.now() - started, status: res.status, location: res.headers.get('location'), body: text, cookie: res.headers.has('set-cookie') });
        await new Promise((r) => setTimeout(r, 60)); // the background step finishes between tries, as between people
      }
      process.stdout.write(JSON.stringify(out));
    `;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, `http://127.0.0.1:${port}`, JSON.stringify(emails)]);
      return JSON.parse(stdout) as { ms: number; status: number; location: string | null; body: string; cookie: boolean }[];
    } finally {
      await new Promise((resolve) => t.server.close(resolve));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it('answers identically and in the same time (medians of alternating tries) for a known and an unknown address', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => createUser(t.db)));
    // Sixteen pairs, known and unknown, alternating which goes first.
    const emails = Array.from({ length: 16 }, (_, j) =>
      j % 2 ? [`nobody-${j}@example.org`, users[j % 4].email] : [users[j % 4].email, `nobody-${j}@example.org`],
    ).flat();
    const answers = await timedFromOutside(emails);
    const known = answers.filter((_, i) => !emails[i].startsWith('nobody'));
    const unknown = answers.filter((_, i) => emails[i].startsWith('nobody'));
    expect(known).toHaveLength(16);
    // Same status, redirect, body and cookies, whoever asked.
    for (const a of answers) expect({ ...a, ms: 0 }).toEqual({ ...answers[0], ms: 0 });
    expect(answers[0]).toMatchObject({ status: 303, location: '/password/forgot?sent=1' });
    const [mk, mu] = [median(known.map((a) => a.ms)), median(unknown.map((a) => a.ms))];
    expect(Math.abs(mk - mu)).toBeLessThan(Math.max(4, 0.35 * Math.min(mk, mu)));
    // Each known address got its links (the limit of 5 per account never came into play), nobody else anything.
    await t.deliverMail();
    for (const u of users) expect(await t.db.repo(OutboxMessage).countBy({ toAddress: u.email, kind: 'password_reset' })).toBe(4);
    expect(await t.db.repo(OutboxMessage).countBy({ kind: 'password_reset' })).toBe(16);
  });

  it('answers before the account look-up and the writes happen: a slow look-up does not slow the answer', async () => {
    const user = await createUser(t.db);
    const users = t.app.get(UsersService);
    const original = users.findByEmail.bind(users);
    const slow = jest.spyOn(users, 'findByEmail').mockImplementation(async (email) => {
      await new Promise((r) => setTimeout(r, 400));
      return original(email);
    });
    try {
      for (const email of [user.email, 'nobody-slow@example.org']) {
        const r = await ask(email);
        expect(r.status).toBe(303);
        expect(r.ms).toBeLessThan(300);
      }
      await t.deliverMail();
      expect(slow).toHaveBeenCalledTimes(2);
      expect(await t.db.repo(OutboxMessage).countBy({ toAddress: user.email })).toBe(1);
    } finally {
      slow.mockRestore();
    }
  });
});
