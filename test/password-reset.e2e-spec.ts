import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { PasswordReset } from '../src/auth/password-reset.entity';
import { Background } from '../src/common/background';
import { SessionRow } from '../src/sessions/session.entity';
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
    await t.app.get(Background).idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.mail.messages.length).toBe(before);
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

  it('answers the same when the mail server refuses the message; the failure is logged, the app keeps serving', async () => {
    const user = await createUser(t.db);
    const logged = jest.spyOn(Logger.prototype, 'error');
    t.mail.failNext = 1;
    try {
      const res = await submitForm(agent(t.server), '/password/forgot', '/password/forgot', { email: user.email });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/password/forgot?sent=1');
      await t.app.get(Background).idle();
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ msg: 'background job failed', job: 'password-reset mail' }));
      await agent(t.server).get('/sign-in').expect(200);
    } finally {
      logged.mockRestore();
      t.mail.failNext = 0;
    }
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
