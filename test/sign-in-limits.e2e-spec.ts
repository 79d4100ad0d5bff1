import { RateLimitRow } from '../src/rate-limit/rate-limit.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, TEST_PASSWORD } from './utils/factories';
import { agent, csrfFrom } from './utils/http';

/** Opens the sign-in form (one agent each, as separate browsers would), ready to post. */
async function signInForms(t: TestApp, n: number) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const a = agent(t.server);
      const page = await a.get('/sign-in').expect(200);
      return { a, token: csrfFrom(page.text) };
    }),
  );
}

function post(form: { a: ReturnType<typeof agent>; token: string }, email: string, password: string) {
  return form.a.post('/sign-in').type('form').send({ _csrf: form.token, email, password });
}

function tally(statuses: number[]) {
  return statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
}

describe('sign-in limits', () => {
  describe('per account, under parallel guesses', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ SIGN_IN_LIMIT_PER_ACCOUNT: '8', SIGN_IN_LIMIT_PER_IP: '1000' });
    });
    afterAll(() => t.close());

    it('evaluates at most 8 of 30 parallel wrong guesses; the rest are refused with 429 before any check', async () => {
      const victim = await createUser(t.db);
      const forms = await signInForms(t, 30);
      const answers = await Promise.all(forms.map((f, i) => post(f, victim.email, `wrong guess number ${i}`)));
      const counts = tally(answers.map((r) => r.status));
      expect(counts).toEqual({ 422: 8, 429: 22 });
      const row = await t.db.repo(RateLimitRow).findOneByOrFail({ key: `sign-in:account:${victim.email}` });
      expect(row.hits).toBe(30);
      // Even the right password now waits for the window to end.
      const [late] = await signInForms(t, 1);
      expect((await post(late, victim.email, TEST_PASSWORD)).status).toBe(429);
    });

    it('counts unknown addresses the same way, so the limit does not tell who has an account', async () => {
      const forms = await signInForms(t, 20);
      const answers = await Promise.all(forms.map((f) => post(f, 'nobody-at-all@example.org', 'wrong guess again')));
      expect(tally(answers.map((r) => r.status))).toEqual({ 422: 8, 429: 12 });
    });
  });

  describe('per IP address', () => {
    it('with the default settings, a room of 45 people behind one address signs in at once, twice, typos included', async () => {
      const t = await createTestApp();
      try {
        const people = await Promise.all(Array.from({ length: 45 }, () => createUser(t.db)));
        // A few mistype their password first.
        for (const [i, f] of (await signInForms(t, 10)).entries()) expect((await post(f, people[i].email, 'mistyped password')).status).toBe(422);
        for (const wave of [1, 2]) {
          const forms = await signInForms(t, people.length);
          const answers = await Promise.all(forms.map((f, i) => post(f, people[i].email, TEST_PASSWORD)));
          expect({ wave, counts: tally(answers.map((r) => r.status)) }).toEqual({ wave, counts: { 303: 45 } });
        }
      } finally {
        await t.close();
      }
    });

    it('successful sign-ins do not count; failed ones from one address are still limited across accounts', async () => {
      const t = await createTestApp({ SIGN_IN_LIMIT_PER_IP: '5' });
      try {
        const person = await createUser(t.db);
        for (let i = 0; i < 12; i++) {
          const [f] = await signInForms(t, 1);
          expect((await post(f, person.email, TEST_PASSWORD)).status).toBe(303);
        }
        // Brute force across accounts from the same address: five failures, then refused.
        const forms = await signInForms(t, 9);
        const answers = await Promise.all(forms.map((f, i) => post(f, `target${i}@example.org`, 'guessing guessing')));
        expect(tally(answers.map((r) => r.status))).toEqual({ 422: 5, 429: 4 });
        const [f] = await signInForms(t, 1);
        const blocked = await post(f, person.email, TEST_PASSWORD);
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await t.close();
      }
    });
  });
});
