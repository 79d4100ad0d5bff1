import type { AddressInfo } from 'node:net';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { createUser, signIn } from './utils/factories';
import { agent, csrfFrom } from './utils/http';
import { TcpProxy } from './utils/tcp-proxy';

/** What a client saw: the status, or that the connection closed without an answer. */
async function hit(
  base: string,
  path: string,
  init: RequestInit & { json?: boolean } = {},
): Promise<{ status: number | 'no response'; json?: unknown; text?: string; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(base + path, {
      redirect: 'manual',
      ...init,
      headers: { ...(init.json ? { Accept: 'application/json' } : {}), ...(init.headers as Record<string, string>) },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json: unknown;
    if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text);
    return { status: res.status, json, text, ms: Date.now() - started };
  } catch {
    return { status: 'no response', ms: Date.now() - started };
  }
}

/** Captures what the process writes to stdout and stderr meanwhile. */
function captureOutput() {
  const lines: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write, console: { ...console } };
  const grab = (chunk: unknown) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    return true;
  };
  process.stdout.write = grab;
  process.stderr.write = grab;
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) console[m] = (...args: unknown[]) => grab(args.map(String).join(' '));
  return {
    lines,
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
      Object.assign(console, originals.console);
    },
  };
}

(ON_POSTGRES ? describe : describe.skip)('a PostgreSQL outage under a running app', () => {
  let base: TestApp;
  let t: TestApp;
  let proxy: TcpProxy;
  let url: string;

  beforeAll(async () => {
    base = await createTestApp(); // creates and migrates the schema directly
    const target = new URL(process.env.DATABASE_URL!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(process.env.DATABASE_URL!);
    viaProxy.host = `127.0.0.1:${port}`;
    t = await createTestApp({ DATABASE_URL: viaProxy.toString(), DATABASE_WAIT_MS: '1500', LOG_LEVEL: 'warn' }, base);
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await base?.close();
  });

  it('answers every request while the database is down (503 page or JSON, static files 200), logs only JSON, and recovers', async () => {
    const user = await createUser(base.db);
    const signedIn = await signIn(agent(t.server), user.email);
    const sid = (signedIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const token = csrfFrom((await hit(url, '/account', { headers: { Cookie: sid } })).text!);
    expect((await hit(url, '/dashboard', { headers: { Cookie: sid } })).status).toBe(200);

    // A connection the server destroys loses whatever the client sent next on it (keep-alive):
    // count them. Express's final handler destroys the socket of an error that arrives late.
    let destroyed = 0;
    const countDestroys = (req: { socket: { destroy: (...a: unknown[]) => unknown } }) => {
      const socket = req.socket;
      const original = socket.destroy.bind(socket);
      socket.destroy = (...a: unknown[]) => {
        destroyed++;
        return original(...a);
      };
    };
    t.server.on('request', countDestroys);
    await proxy.cut();
    const out = captureOutput();
    let results: Awaited<ReturnType<typeof hit>>[];
    const requests: Array<[string, RequestInit & { json?: boolean }, number | number[]]> = [];
    try {
      for (let round = 0; round < 10; round++) {
        requests.push(
          ['/dashboard', { headers: { Cookie: sid } }, 503],
          ['/courses', { headers: { Cookie: sid } }, 503],
          ['/dashboard', { headers: { Cookie: sid }, json: true }, 503],
          [
            '/account',
            {
              method: 'POST',
              headers: { Cookie: sid, 'Content-Type': 'application/x-www-form-urlencoded' },
              body: `_csrf=${encodeURIComponent(token)}&name=X&timeZone=UTC&language=en`,
            },
            503,
          ],
          ['/sign-in', {}, [200, 503]],
          ['/password/forgot', {}, [200, 503]],
          ['/healthz', {}, 503],
          ['/public/css/site.css', {}, 200],
        );
      }
      // 8 clients, each sending its requests one after another on a kept-alive connection: a
      // connection the server destroys after an answer takes the client's next request with it.
      results = new Array(requests.length);
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = w; i < requests.length; i += 8) results[i] = await hit(url, requests[i][0], requests[i][1]);
        }),
      );
    } finally {
      out.restore();
    }
    const summary = requests.map(([path, init], i) => `${init.method ?? 'GET'} ${path}${init.json ? ' (json)' : ''} -> ${results[i].status}`);
    t.server.off('request', countDestroys);
    expect(summary.filter((s) => s.endsWith('no response'))).toEqual([]);
    expect(destroyed).toBe(0);
    requests.forEach(([path, init, expected], i) => {
      const ok = Array.isArray(expected) ? expected.includes(results[i].status as number) : results[i].status === expected;
      if (!ok) throw new Error(`${init.method ?? 'GET'} ${path}${init.json ? ' (json)' : ''} answered ${results[i].status}, expected ${String(expected)}`);
      if (results[i].status === 503 && path !== '/healthz') {
        if (init.json) expect(results[i].json).toMatchObject({ statusCode: 503 });
        else expect(results[i].text).toContain('could not reach its database');
      }
    });
    // the health check and the pages answer within the bound (DATABASE_WAIT_MS = 1.5 s), not after minutes
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(6000);
    const notJson = out.lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(out.lines.some((l) => l.includes('"status":503'))).toBe(true);

    await proxy.restore();
    let back: number | 'no response' = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await hit(url, '/dashboard', { headers: { Cookie: sid } })).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(200);
    expect((await hit(url, '/healthz')).status).toBe(200);
  });
});
