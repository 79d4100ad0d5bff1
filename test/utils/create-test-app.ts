import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { type AppConfig, loadConfig } from '../../src/config/config';
import { Background } from '../../src/common/background';
import { Database } from '../../src/database/database.service';
import { WorkerService } from '../../src/worker/worker.service';
import { MailCatcher } from './mail-catcher';

export interface TestApp {
  app: NestExpressApplication;
  server: Server;
  config: AppConfig;
  db: Database;
  mail: MailCatcher;
  /** The variables the app was built from, to build another app on the same database. */
  env: Record<string, string>;
  /**
   * What the worker loop does in a running app (it is off in tests): finish the background steps
   * begun by requests, then one worker pass, which sends the outbox to the MailCatcher.
   * `t.mail.last()` calls it while it waits, so a test reads mail the way it would arrive.
   */
  deliverMail(now?: Date): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL when the suite runs with DATABASE_URL=postgres://… (npm run test:pg), else SQLite. */
export const ON_POSTGRES = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

async function freshSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    schema,
    drop: async () => {
      const c = new Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/**
 * An app built exactly as main.ts builds it (AppModule.forRoot + configureApp), on a database of
 * its own (a temporary SQLite file, or a fresh PostgreSQL schema) and with a real SMTP server.
 * Pass `reuse` (another TestApp's env) to start a second app on the same database.
 */
export async function createTestApp(overrides: Record<string, string> = {}, reuse?: TestApp): Promise<TestApp> {
  const mail = new MailCatcher();
  const smtpUrl = await mail.start();
  let dropSchema: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  if (reuse) {
    env = { ...reuse.env, SMTP_URL: smtpUrl, ...overrides };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-test-'));
    env = {
      NODE_ENV: 'test',
      DATA_DIR: dir,
      SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789',
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtpUrl,
      PUBLIC_BASE_URL: 'http://atelier.test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...overrides,
    };
    if (ON_POSTGRES) {
      const s = await freshSchema();
      env.DATABASE_URL = process.env.DATABASE_URL!;
      env.DATABASE_SCHEMA = s.schema;
      dropSchema = s.drop;
    } else {
      env.DATABASE_URL = `sqlite:${path.join(dir, 'test.sqlite')}`;
    }
  }
  const config = loadConfig(env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  await configureApp(app);
  await app.init();
  const testApp: TestApp = {
    app,
    server: app.getHttpServer(),
    config,
    db: app.get(Database),
    mail,
    env,
    deliverMail: async (now?: Date) => {
      await app.get(Background).idle();
      await app.get(WorkerService).runOnce(now ?? new Date());
    },
    close: async () => {
      await app.close();
      await mail.stop();
      if (dropSchema) await dropSchema();
    },
  };
  mail.deliver = () => testApp.deliverMail();
  return testApp;
}
