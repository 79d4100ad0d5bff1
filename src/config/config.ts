import * as path from 'node:path';

/**
 * Application configuration, read once from the environment and validated at boot.
 * Every value has one place where it is parsed; a bad value stops the process with a message
 * that names the variable (see src/main.ts, exit code 78).
 */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicBaseUrl: string;
  dataDir: string;
  database: { type: 'sqlite'; path: string } | { type: 'postgres'; url: string; schema?: string };
  /** How long a request waits for the database (a lock, a connection) before it answers 503. */
  databaseWaitMs: number;
  session: { secret: string; idleMinutes: number; absoluteHours: number; cookieName: string };
  mail: { transport: 'file'; dir: string; from: string } | { transport: 'smtp'; url: string; from: string };
  uploadDir: string;
  /** Largest accepted file, in MB (per file). */
  uploadMaxMb: number;
  trustProxyHops: number;
  invitationTtlDays: number;
  passwordResetTtlMinutes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  seedDemo: boolean;
  rateLimit: { signInPerIp: number; signInPerAccount: number; windowMinutes: number };
  /**
   * Background work (the e-mail outbox, notifications): 'inline' runs the worker loop in this
   * process every `intervalSeconds`; 'off' leaves it to `npm run worker` processes (web-only
   * instances). Tests default to 'off' and run the worker themselves.
   */
  worker: { mode: 'inline' | 'off'; intervalSeconds: number };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export const DEV_SESSION_SECRET = 'atelier-development-session-secret-do-not-use-in-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return def;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return Number(raw);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], def: T): T => {
    const raw = read(name);
    if (raw === undefined) return def;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return def;
    }
    return raw as T;
  };

  const nodeEnv = oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const port = int('PORT', 3000, 1, 65535);
  const host = read('HOST') ?? '0.0.0.0';
  const dataDir = path.resolve(cwd, read('DATA_DIR') ?? 'data');

  let publicBaseUrl = read('PUBLIC_BASE_URL') ?? `http://localhost:${port}`;
  try {
    const u = new URL(publicBaseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');
    if (production && u.protocol !== 'https:') {
      problems.push('PUBLIC_BASE_URL must use https:// in production (links in e-mails carry sign-in tokens)');
    }
  } catch {
    problems.push(`PUBLIC_BASE_URL must be an absolute http(s) URL (got "${publicBaseUrl}")`);
  }

  let database: AppConfig['database'] = { type: 'sqlite', path: path.join(dataDir, 'atelier.sqlite') };
  const dbUrl = read('DATABASE_URL');
  if (dbUrl !== undefined) {
    if (/^postgres(ql)?:\/\//.test(dbUrl)) {
      try {
        new URL(dbUrl);
        const schema = read('DATABASE_SCHEMA');
        if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) problems.push('DATABASE_SCHEMA must be a lower-case PostgreSQL identifier');
        database = { type: 'postgres', url: dbUrl, ...(schema ? { schema } : {}) };
      } catch {
        problems.push('DATABASE_URL is not a valid postgres:// URL');
      }
    } else if (dbUrl.startsWith('sqlite:')) {
      const file = dbUrl.slice('sqlite:'.length).replace(/^\/\//, '');
      if (!file) problems.push('DATABASE_URL=sqlite:<file> needs a file name');
      else database = { type: 'sqlite', path: file === ':memory:' ? file : path.resolve(cwd, file) };
    } else {
      problems.push('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
    }
  }

  const secret = read('SESSION_SECRET') ?? (production ? undefined : DEV_SESSION_SECRET);
  if (secret === undefined) problems.push('SESSION_SECRET is required in production (32 or more random characters)');
  else if (production && secret === DEV_SESSION_SECRET) problems.push('SESSION_SECRET must not be the development default in production');
  else if (secret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters long');

  const mailFrom = read('MAIL_FROM') ?? 'Atelier <no-reply@atelier.localhost>';
  const transport = oneOf('MAIL_TRANSPORT', ['file', 'smtp'] as const, read('SMTP_URL') || production ? 'smtp' : 'file');
  let mail: AppConfig['mail'] = { transport: 'file', dir: path.join(dataDir, 'mail'), from: mailFrom };
  if (transport === 'smtp') {
    const url = read('SMTP_URL');
    if (!url) problems.push('SMTP_URL is required when mail goes through SMTP (e.g. smtp://user:pass@mail.example.org:587)');
    else if (!/^smtps?:\/\//.test(url)) problems.push('SMTP_URL must start with smtp:// or smtps://');
    else mail = { transport: 'smtp', url, from: mailFrom };
  } else if (read('MAIL_DIR')) {
    mail = { transport: 'file', dir: path.resolve(cwd, read('MAIL_DIR')!), from: mailFrom };
  }

  const seedRaw = oneOf('SEED_DEMO', ['auto', 'true', 'false'] as const, 'auto');
  const seedDemo = seedRaw === 'true' || (seedRaw === 'auto' && !production);

  const config: AppConfig = {
    env: nodeEnv,
    host,
    port,
    publicBaseUrl,
    dataDir,
    database,
    databaseWaitMs: int('DATABASE_WAIT_MS', 5000, 100, 60_000),
    session: {
      secret: secret ?? '',
      idleMinutes: int('SESSION_IDLE_MINUTES', 120, 5, 24 * 60),
      absoluteHours: int('SESSION_ABSOLUTE_HOURS', 24, 1, 24 * 30),
      cookieName: 'atelier.sid',
    },
    mail,
    uploadDir: path.resolve(cwd, read('UPLOAD_DIR') ?? path.join(dataDir, 'uploads')),
    uploadMaxMb: int('UPLOAD_MAX_MB', 25, 1, 500),
    trustProxyHops: int('TRUST_PROXY_HOPS', 0, 0, 10),
    invitationTtlDays: int('INVITATION_TTL_DAYS', 14, 1, 90),
    passwordResetTtlMinutes: int('PASSWORD_RESET_TTL_MINUTES', 60, 5, 24 * 60),
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, nodeEnv === 'test' ? 'silent' : 'info'),
    seedDemo,
    rateLimit: {
      signInPerIp: int('SIGN_IN_LIMIT_PER_IP', 100, 1, 10000),
      signInPerAccount: int('SIGN_IN_LIMIT_PER_ACCOUNT', 8, 1, 1000),
      windowMinutes: int('SIGN_IN_LIMIT_WINDOW_MINUTES', 15, 1, 24 * 60),
    },
    worker: {
      mode: oneOf('WORKER', ['inline', 'off'] as const, nodeEnv === 'test' ? 'off' : 'inline'),
      intervalSeconds: int('WORKER_INTERVAL_SECONDS', 5, 1, 3600),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
