import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Invitation } from '../src/invitations/invitation.entity';
import { MailService } from '../src/mail/mail.service';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { MailOutsideTransactionError, type NewMail, OutboxService } from '../src/outbox/outbox.service';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { WorkerLoop } from '../src/worker/worker.loop';
import { WorkerService } from '../src/worker/worker.service';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';
import { linkIn } from './utils/mail-catcher';
import { countQueries } from './utils/query-counter';

const MINUTE = 60_000;
const mail = (to: string, over: Partial<NewMail> = {}): NewMail => ({
  kind: 'notification',
  to,
  subject: `For ${to}`,
  text: `Hello ${to}`,
  html: '<p>Hello</p>',
  ...over,
});

describe('e-mail outbox', () => {
  let t: TestApp;
  let outbox: OutboxService;
  let worker: OutboxWorker;
  beforeAll(async () => {
    t = await createTestApp();
    outbox = t.app.get(OutboxService);
    worker = t.app.get(OutboxWorker);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    // Each test starts from an outbox with nothing waiting.
    await t.db.tx((em) => em.getRepository(OutboxMessage).createQueryBuilder().delete().execute());
    t.mail.failNext = 0;
    t.mail.down = false;
  });

  const queue = (...mails: NewMail[]) => t.db.tx(async (em) => Promise.all(mails.map((m) => outbox.enqueue(em, m))));
  const row = (id: number) => t.db.repo(OutboxMessage).findOneByOrFail({ id });

  describe('queueing', () => {
    it('queues only inside a transaction, and a rolled-back transaction leaves no message', async () => {
      await expect(outbox.enqueue(t.db.manager, mail('outside@example.org'))).rejects.toBeInstanceOf(MailOutsideTransactionError);
      await expect(
        t.db.tx(async (em) => {
          await outbox.enqueue(em, mail('rolled-back@example.org'));
          throw new Error('the change fails');
        }),
      ).rejects.toThrow('the change fails');
      expect(await t.db.repo(OutboxMessage).count()).toBe(0);
      const [m] = await queue(mail('inside@example.org'));
      expect(await row(m.id)).toMatchObject({ status: 'queued', attempts: 0, lockedUntil: null, sentAt: null });
      expect(t.mail.to('inside@example.org')).toHaveLength(0); // nothing is sent before the worker runs
    });

    it('sends the text and the HTML part, and marks each message sent once', async () => {
      const [m] = await queue(mail('parts@example.org'));
      const before = new Date();
      expect(await worker.drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      const got = t.mail.to('parts@example.org');
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ subject: 'For parts@example.org', text: 'Hello parts@example.org' });
      expect(got[0].html).toContain('<p>Hello</p>');
      const sent = await row(m.id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, lockedUntil: null, lastError: null });
      expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
      expect(await worker.drain()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      expect(t.mail.to('parts@example.org')).toHaveLength(1);
    });

    it('leaves a message alone until it is due, and while another worker holds it', async () => {
      const now = Date.now();
      const [later, held] = await queue(mail('later@example.org', { notBefore: new Date(now + 10 * MINUTE) }), mail('held@example.org'));
      await t.db.tx((em) => em.getRepository(OutboxMessage).update({ id: held.id }, { lockedUntil: new Date(now + 5 * MINUTE) }));
      expect(await worker.drain(new Date(now))).toEqual({ sent: 0, retrying: 0, failed: 0 });
      // The lease has run out (its worker died): another takes it over.
      expect(await worker.drain(new Date(now + 6 * MINUTE))).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect((await row(held.id)).status).toBe('sent');
      expect((await row(later.id)).status).toBe('queued');
      expect(await worker.drain(new Date(now + 11 * MINUTE))).toEqual({ sent: 1, retrying: 0, failed: 0 });
    });
    it('records an outcome only while it still holds the message (the lease is its fence)', async () => {
      const [m] = await queue(mail('fenced@example.org'));
      const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      t.mail.delayMs = 400; // the send takes a while…
      try {
        const draining = worker.drain();
        await new Promise((r) => setTimeout(r, 150));
        // …meanwhile the row is another worker's (as if this one's lease had run out and been taken over).
        const theirs = new Date(Date.now() + 30 * MINUTE);
        await t.db.tx((em) => em.getRepository(OutboxMessage).update({ id: m.id }, { lockedUntil: theirs }));
        await draining;
        expect(await row(m.id)).toMatchObject({ status: 'queued', attempts: 0, lockedUntil: theirs, sentAt: null });
        expect(warned).toHaveBeenCalledWith(expect.objectContaining({ msg: 'outbox message no longer held by this worker', id: m.id }));
      } finally {
        t.mail.delayMs = 0;
        warned.mockRestore();
      }
    });
  });

  describe('when the mail server fails', () => {
    it('keeps every message through an outage and delivers each exactly once when the server is back', async () => {
      const addresses = Array.from({ length: 12 }, (_, i) => `outage-${i}@example.org`);
      await queue(...addresses.map((a) => mail(a)));
      t.mail.down = true;
      const now = Date.now();
      expect(await worker.drain(new Date(now))).toEqual({ sent: 0, retrying: 12, failed: 0 });
      const waiting = await t.db.repo(OutboxMessage).find();
      for (const m of waiting) {
        expect(m).toMatchObject({ status: 'queued', attempts: 1, lockedUntil: null });
        expect(m.lastError).toMatch(/421/);
        expect(m.lastError).not.toContain('@');
      }
      expect(addresses.flatMap((a) => t.mail.to(a))).toHaveLength(0);
      // Still down at the next attempt; then back.
      expect(await worker.drain(new Date(now + 2 * MINUTE))).toEqual({ sent: 0, retrying: 12, failed: 0 });
      t.mail.down = false;
      expect(await worker.drain(new Date(now + 3 * MINUTE))).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet: 2 minutes after the 2nd failure
      expect(await worker.drain(new Date(now + 5 * MINUTE))).toEqual({ sent: 12, retrying: 0, failed: 0 });
      expect(await worker.drain(new Date(now + 60 * MINUTE))).toEqual({ sent: 0, retrying: 0, failed: 0 });
      for (const a of addresses) expect(t.mail.to(a)).toHaveLength(1);
      expect(await t.db.repo(OutboxMessage).countBy({ status: 'sent', attempts: 3 })).toBe(12);
    });

    it('waits 1, 2, 4 … minutes between attempts and marks the message failed after the last one', async () => {
      const [m] = await queue(mail('bouncing@example.org'));
      t.mail.failNext = 100;
      const logged = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        let at = Date.now();
        const gaps: number[] = [];
        for (let attempt = 1; attempt < worker.maxAttempts; attempt++) {
          expect(await worker.drain(new Date(at))).toEqual({ sent: 0, retrying: 1, failed: 0 });
          const r = await row(m.id);
          expect(r).toMatchObject({ status: 'queued', attempts: attempt });
          expect(r.lastError).toContain('550');
          gaps.push(Math.round((r.nextAttemptAt.getTime() - at) / MINUTE));
          // Just before it is due, nothing happens.
          expect(await worker.drain(new Date(r.nextAttemptAt.getTime() - 1000))).toEqual({ sent: 0, retrying: 0, failed: 0 });
          at = r.nextAttemptAt.getTime();
        }
        expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64]);
        expect(await worker.drain(new Date(at))).toEqual({ sent: 0, retrying: 0, failed: 1 });
        expect(await row(m.id)).toMatchObject({ status: 'failed', attempts: 8 });
        expect(await worker.drain(new Date(at + 24 * 60 * MINUTE))).toEqual({ sent: 0, retrying: 0, failed: 0 });
        expect(logged).toHaveBeenCalledWith(expect.objectContaining({ msg: 'outbox message not sent', id: m.id, outcome: 'failed' }));
      } finally {
        logged.mockRestore();
      }
      expect(t.mail.to('bouncing@example.org')).toHaveLength(0);
    });

    it('takes its back-off from an injectable schedule', async () => {
      const original = worker.backoffMs;
      worker.backoffMs = (attempts) => attempts * 1000;
      try {
        const [m] = await queue(mail('quick@example.org'));
        t.mail.failNext = 2;
        const now = Date.now();
        await worker.drain(new Date(now));
        expect((await row(m.id)).nextAttemptAt.getTime() - now).toBeLessThan(1500);
        await worker.drain(new Date(now + 1500));
        expect(await row(m.id)).toMatchObject({ attempts: 2 });
        await worker.drain(new Date(now + 4000));
        expect(await row(m.id)).toMatchObject({ status: 'sent', attempts: 3 });
      } finally {
        worker.backoffMs = original;
      }
    });

    it('keeps an invitation whose e-mail the server refuses, and delivers it later; its link works', async () => {
      const admin = await createUser(t.db, { role: 'admin' });
      const a = agent(t.server);
      await signIn(a, admin.email);
      t.mail.down = true;
      expect((await submitForm(a, '/invitations', '/invitations', { email: 'patient@example.org', role: 'participant' })).status).toBe(303);
      await t.deliverMail();
      expect(await t.db.repo(Invitation).countBy({ email: 'patient@example.org' })).toBe(1);
      expect(await t.db.repo(OutboxMessage).findOneByOrFail({ toAddress: 'patient@example.org' })).toMatchObject({ kind: 'invitation', attempts: 1 });
      t.mail.down = false;
      await t.deliverMail(new Date(Date.now() + 2 * MINUTE));
      const link = linkIn(t.mail.to('patient@example.org')[0], '/invite/');
      await agent(t.server).get(link).expect(200);
      expect(t.mail.to('patient@example.org')).toHaveLength(1);
    });
  });

  describe('several workers at once', () => {
    it('never sends a message twice when two workers drain the same outbox concurrently', async () => {
      const addresses = Array.from({ length: 60 }, (_, i) => `pair-${i}@example.org`);
      await queue(...addresses.map((a) => mail(a)));
      const other = new OutboxWorker(t.db, t.app.get(MailService));
      other.batchSize = worker.batchSize = 5;
      try {
        const [x, y] = await Promise.all([worker.drain(), other.drain()]);
        expect(x.sent + y.sent).toBe(60);
        expect(x.sent).toBeGreaterThan(0);
        expect(y.sent).toBeGreaterThan(0);
      } finally {
        worker.batchSize = 20;
      }
      for (const a of addresses) expect(t.mail.to(a)).toHaveLength(1);
    });
  });

  describe('the worker', () => {
    it('runOnce drains the outbox and logs, never throws, when a job fails', async () => {
      await queue(mail('once@example.org'));
      const run = await t.app.get(WorkerService).runOnce(new Date());
      expect(run).toEqual({ mail: { sent: 1, retrying: 0, failed: 0 }, more: false });
      const failing = jest.spyOn(worker, 'drain').mockRejectedValueOnce(new Error('database gone'));
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        await expect(t.app.get(WorkerService).runOnce(new Date())).resolves.toMatchObject({ more: false });
        expect(logged).toHaveBeenCalledWith(expect.objectContaining({ msg: 'worker job failed', job: 'outbox', error: 'database gone' }));
      } finally {
        failing.mockRestore();
        logged.mockRestore();
      }
    });

    it('is off in test apps unless asked', () => {
      expect(t.config.worker.mode).toBe('off');
      expect(t.app.get(WorkerLoop).active).toBe(false);
    });
  });

  describe('administrators’ outbox page', () => {
    let admin: Agent;
    beforeAll(async () => {
      const user = await createUser(t.db, { role: 'admin', timeZone: 'Asia/Kathmandu' });
      admin = agent(t.server);
      await signIn(admin, user.email);
    });

    async function failedMessage(to: string, text = 'Open https://atelier.test/invite/SECRET-TOKEN-123 to join'): Promise<OutboxMessage> {
      const [m] = await queue(mail(to, { kind: 'invitation', text, html: `<a href="https://atelier.test/invite/SECRET-TOKEN-123">x</a>` }));
      await t.db.tx((em) =>
        em.getRepository(OutboxMessage).update({ id: m.id }, { status: 'failed', attempts: 8, lastError: 'EENVELOPE: 550 Mailbox unavailable' }),
      );
      return row(m.id);
    }

    it('lists failed messages first, then waiting, then sent, in the viewer’s zone, without any message body', async () => {
      const [sent] = await queue(mail('went@example.org', { kind: 'password_reset' }));
      await worker.drain();
      await queue(mail('waiting@example.org', { notBefore: new Date(Date.UTC(2030, 0, 1, 12, 0)) }));
      const failed = await failedMessage('refused@example.org');
      const page = await admin.get('/admin/outbox').expect(200);
      const text = textOf(page.text);
      expect(text).toContain('1 failed message, 1 waiting, 1 sent.');
      const order = ['refused@example.org', 'waiting@example.org', 'went@example.org'].map((a) => text.indexOf(a));
      expect(order).toEqual([...order].sort((x, y) => x - y));
      expect(text).toMatch(/refused@example\.org For refused@example\.org Invitation failed 8 EENVELOPE: 550 Mailbox unavailable Queued/);
      expect(text).toContain('Next try Tue 1 Jan 2030, 17:45'); // 12:00 UTC in Kathmandu (UTC+5:45)
      expect(text).toMatch(/went@example\.org For went@example\.org Password reset sent 1 none/);
      expect(page.text).not.toContain('SECRET-TOKEN');
      expect(page.text).not.toContain('Hello');
      expect(page.text).toContain(`action="/admin/outbox/${failed.id}/retry"`);
      expect(page.text).not.toContain(`action="/admin/outbox/${sent.id}/retry"`);
      expect(page.text).toContain('action="/admin/outbox/retry-failed"');
    });

    it('sends a failed message again: queued at once, then delivered by the worker', async () => {
      const failed = await failedMessage('again@example.org', 'Hello again');
      const res = await submitForm(admin, '/admin/outbox', `/admin/outbox/${failed.id}/retry`, {});
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/outbox');
      expect(textOf((await admin.get('/admin/outbox')).text)).toContain('The message to again@example.org is queued to be sent again.');
      expect(await row(failed.id)).toMatchObject({ status: 'queued', attempts: 8, lockedUntil: null });
      await t.deliverMail();
      expect(await row(failed.id)).toMatchObject({ status: 'sent', attempts: 9 });
      expect(t.mail.to('again@example.org')).toHaveLength(1);
      // Not failed any more: sending it again is 404, and nothing is sent twice.
      expect((await submitForm(admin, '/admin/outbox', `/admin/outbox/${failed.id}/retry`, {})).status).toBe(404);
      await t.deliverMail();
      expect(t.mail.to('again@example.org')).toHaveLength(1);
    });

    it('gives a failed message one more attempt only: refused again, it is failed again', async () => {
      const failed = await failedMessage('stubborn@example.org');
      expect((await submitForm(admin, '/admin/outbox', `/admin/outbox/${failed.id}/retry`, {})).status).toBe(303);
      t.mail.failNext = 1;
      await t.deliverMail();
      expect(await row(failed.id)).toMatchObject({ status: 'failed', attempts: 9 });
    });

    it('retries all failed messages at once', async () => {
      const ms = await Promise.all(['all-1@example.org', 'all-2@example.org', 'all-3@example.org'].map((a) => failedMessage(a)));
      const res = await submitForm(admin, '/admin/outbox', '/admin/outbox/retry-failed', {});
      expect(res.status).toBe(303);
      expect(textOf((await admin.get('/admin/outbox')).text)).toContain('3 failed messages are queued to be sent again.');
      await t.deliverMail();
      for (const m of ms) expect((await row(m.id)).status).toBe('sent');
      expect((await submitForm(admin, '/admin/outbox', '/admin/outbox/retry-failed', {})).status).toBe(303);
      expect(textOf((await admin.get('/admin/outbox')).text)).toContain('There were no failed messages.');
    });

    it('answers 404 for unknown, malformed and not-failed ids, 403 without a CSRF token; odd page numbers show a page', async () => {
      const [waiting] = await queue(mail('not-failed@example.org', { notBefore: new Date(Date.now() + 60 * MINUTE) }));
      const page = await admin.get('/admin/outbox');
      const csrf = csrfFrom(page.text);
      for (const id of ['999999', 'abc', '1e3', '-1', '99999999999', String(waiting.id)]) {
        expect((await admin.post(`/admin/outbox/${id}/retry`).type('form').send({ _csrf: csrf })).status).toBe(404);
      }
      expect((await admin.post('/admin/outbox/retry-failed').type('form').send({})).status).toBe(403);
      expect((await admin.get('/admin/outbox?page=abc')).status).toBe(200); // an odd query parameter is dropped, as everywhere
      expect((await admin.get('/admin/outbox?page=9999')).status).toBe(200);
      expect(await row(waiting.id)).toMatchObject({ status: 'queued', attempts: 0 });
    });

    it('refuses the page and its actions to everyone but administrators (403), and sends anonymous visitors to sign in', async () => {
      const failed = await failedMessage('guarded@example.org');
      for (const role of ['facilitator', 'expert', 'participant'] as const) {
        const who = await createUser(t.db, { role });
        const b = agent(t.server);
        await signIn(b, who.email);
        const csrf = csrfFrom((await b.get('/dashboard')).text);
        await b.get('/admin/outbox').expect(403);
        await b.post(`/admin/outbox/${failed.id}/retry`).type('form').send({ _csrf: csrf }).expect(403);
        await b.post('/admin/outbox/retry-failed').type('form').send({ _csrf: csrf }).expect(403);
      }
      await agent(t.server).get('/admin/outbox').expect(303).expect('location', '/sign-in?next=%2Fadmin%2Foutbox');
      await agent(t.server).post(`/admin/outbox/${failed.id}/retry`).expect(403);
      expect((await row(failed.id)).status).toBe('failed');
    });

    it('costs the same number of queries for three messages or sixty', async () => {
      const cost = () => countQueries(t.db, () => admin.get('/admin/outbox').expect(200));
      await Promise.all([0, 1, 2].map((i) => failedMessage(`few-${i}@example.org`)));
      const few = await cost();
      await queue(...Array.from({ length: 57 }, (_, i) => mail(`many-${i}@example.org`)));
      await Promise.all([0, 1].map((i) => failedMessage(`many-failed-${i}@example.org`)));
      expect(await cost()).toBe(few);
      const html = (await admin.get('/admin/outbox')).text;
      expect(html).toContain('Page 1 of 2');
      expect(Buffer.byteLength(html)).toBeLessThan(60_000);
    });
  });
});

describe('the worker loop', () => {
  it('runs by itself with WORKER=inline, never two passes at once, and stops cleanly with the app', async () => {
    const t = await createTestApp({ WORKER: 'inline', WORKER_INTERVAL_SECONDS: '1' });
    try {
      const loop = t.app.get(WorkerLoop);
      expect(loop.active).toBe(true);
      const service = t.app.get(WorkerService);
      const original = service.runOnce.bind(service);
      let running = 0;
      let most = 0;
      let runs = 0;
      const spy = jest.spyOn(service, 'runOnce').mockImplementation(async (now, stop) => {
        running++;
        most = Math.max(most, running);
        runs++;
        try {
          await new Promise((r) => setTimeout(r, 1200)); // longer than the interval
          return await original(now, stop);
        } finally {
          running--;
        }
      });
      await t.db.tx((em) => t.app.get(OutboxService).enqueue(em, mail('loop@example.org')));
      const deadline = Date.now() + 8000;
      while (!t.mail.to('loop@example.org').length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(t.mail.to('loop@example.org')).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(most).toBe(1);
      spy.mockRestore();
    } finally {
      await t.close(); // waits for the pass in hand; no timer left behind (jest would hang or complain)
    }
    expect(t.app.get(WorkerLoop).active).toBe(false);
  });
});

(ON_POSTGRES ? describe : describe.skip)('several worker processes on PostgreSQL', () => {
  it('two apps on one database drain 200 messages concurrently without sending any twice', async () => {
    const a = await createTestApp();
    const b = await createTestApp({}, a);
    try {
      const addresses = Array.from({ length: 200 }, (_, i) => `crowd-${i}@example.org`);
      await a.db.tx(async (em) => {
        for (const to of addresses) await a.app.get(OutboxService).enqueue(em, mail(to));
      });
      const [wa, wb] = [a.app.get(OutboxWorker), b.app.get(OutboxWorker)];
      wa.batchSize = wb.batchSize = 10;
      a.mail.delayMs = b.mail.delayMs = 2; // a mail server that takes a moment: the two really interleave
      // Several passes each, all at once (four concurrent drains over two connection pools).
      const results = await Promise.all([wa.drain(), wb.drain(), wa.drain(), wb.drain()]);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(200);
      expect(a.mail.messages.length).toBeGreaterThan(0);
      expect(b.mail.messages.length).toBeGreaterThan(0);
      const delivered = [...a.mail.messages, ...b.mail.messages].map((m) => m.to);
      expect(delivered).toHaveLength(200);
      expect(new Set(delivered).size).toBe(200);
      expect(await a.db.repo(OutboxMessage).countBy({ status: 'sent', attempts: 1 })).toBe(200);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
