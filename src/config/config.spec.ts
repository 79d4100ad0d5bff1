import { ConfigError, DEV_SESSION_SECRET, loadConfig } from './config';

const SECRET = 'a'.repeat(40);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/atelier');
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('loadConfig', () => {
  it('runs out of the box in development on SQLite under ./data, with mail written to files', () => {
    const c = loadConfig({}, '/srv/atelier');
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      database: { type: 'sqlite', path: '/srv/atelier/data/atelier.sqlite' },
      mail: { transport: 'file', dir: '/srv/atelier/data/mail' },
      uploadDir: '/srv/atelier/data/uploads',
      trustProxyHops: 0,
      invitationTtlDays: 14,
      seedDemo: true,
    });
    expect(c.session.secret).toBe(DEV_SESSION_SECRET);
  });

  it('uses PostgreSQL when DATABASE_URL says so', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/atelier' }).database).toEqual({ type: 'postgres', url: 'postgres://u:p@db:5432/atelier' });
  });

  it('refuses production without a real secret, https base URL and SMTP', () => {
    const p = problems({ NODE_ENV: 'production' });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringContaining('SESSION_SECRET is required in production'),
        expect.stringContaining('PUBLIC_BASE_URL must use https://'),
        expect.stringContaining('SMTP_URL is required'),
      ]),
    );
    expect(
      problems({ NODE_ENV: 'production', SESSION_SECRET: DEV_SESSION_SECRET, PUBLIC_BASE_URL: 'https://hub.example.org', SMTP_URL: 'smtp://m:25' }),
    ).toEqual(['SESSION_SECRET must not be the development default in production']);
    const ok = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: SECRET,
      PUBLIC_BASE_URL: 'https://hub.example.org/',
      SMTP_URL: 'smtps://u:p@mail.example.org:465',
    });
    expect(ok).toMatchObject({ publicBaseUrl: 'https://hub.example.org', seedDemo: false, mail: { transport: 'smtp' } });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number from 1 to 65535'],
    [{ PORT: '70000' }, 'PORT must be a whole number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres://'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET must be at least 32 characters'],
    [{ PUBLIC_BASE_URL: 'hub.example.org' }, 'PUBLIC_BASE_URL must be an absolute http(s) URL'],
    [{ MAIL_TRANSPORT: 'pigeon' }, 'MAIL_TRANSPORT must be one of file, smtp'],
    [{ MAIL_TRANSPORT: 'smtp' }, 'SMTP_URL is required'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL must start with smtp://'],
    [{ TRUST_PROXY_HOPS: 'true' }, 'TRUST_PROXY_HOPS must be a whole number from 0 to 10'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be one of development, production, test'],
    [{ DATABASE_URL: 'postgres://x/y', DATABASE_SCHEMA: 'Robert"; drop' }, 'DATABASE_SCHEMA must be a lower-case PostgreSQL identifier'],
    [{ WORKER: 'separate' }, 'WORKER must be one of inline, off'],
    [{ WORKER_INTERVAL_SECONDS: '0' }, 'WORKER_INTERVAL_SECONDS must be a whole number from 1 to 3600'],
  ])('names the variable for a bad value: %j', (env, message) => {
    expect(problems(env as Record<string, string>).join('\n')).toContain(message);
  });

  it('runs the worker loop in the web process unless WORKER=off, and never by itself in tests', () => {
    expect(loadConfig({}).worker).toEqual({ mode: 'inline', intervalSeconds: 5 });
    expect(loadConfig({ WORKER: 'off', WORKER_INTERVAL_SECONDS: '10' }).worker).toEqual({ mode: 'off', intervalSeconds: 10 });
    expect(loadConfig({ NODE_ENV: 'test' }).worker.mode).toBe('off');
    expect(loadConfig({ NODE_ENV: 'test', WORKER: 'inline' }).worker.mode).toBe('inline');
  });

  it('reports every problem at once', () => {
    expect(problems({ PORT: 'x', TRUST_PROXY_HOPS: 'y' })).toHaveLength(2);
  });
});
