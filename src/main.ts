import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { errorFields } from './common/app-exception.filter';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig } from './config/config';
import { Database } from './database/database.service';
import { JsonLogger } from './logging/json-logger';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoIfEmpty } from './seed/demo-seed';
import { startHousekeeping } from './housekeeping/housekeeping';

/** Exit code for a configuration error (BSD sysexits EX_CONFIG). */
const EX_CONFIG = 78;

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md, "Configuration".\n`);
      process.exit(EX_CONFIG);
    }
    throw err;
  }
  const logger = new JsonLogger(config.logLevel);
  // Nothing leaves the process as a raw stack trace: the last-resort handlers log JSON too.
  process.on('unhandledRejection', (reason) => logger.error({ msg: 'unhandled promise rejection', error: errorFields(reason) }));
  process.on('uncaughtException', (err) => {
    logger.error({ msg: 'uncaught exception: stopping', error: errorFields(err) });
    process.exit(1);
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger });
  await configureApp(app);
  const db = app.get(Database);
  if (config.seedDemo && (await seedDemoIfEmpty(db))) {
    logger.log({ msg: 'demo data created: see README for the accounts' });
  }
  startHousekeeping(app);
  await app.listen(config.port, config.host);
  const where = config.database.type === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.database.path}`;
  process.stdout.write(`\nAtelier is running at ${config.publicBaseUrl} (database: ${where}).\n`);
  if (config.seedDemo) {
    process.stdout.write(`Demo accounts (password "${DEMO_PASSWORD}"):\n`);
    for (const a of DEMO_ACCOUNTS) process.stdout.write(`  ${a.role.padEnd(12)} ${a.email}\n`);
  }
  process.stdout.write('\n');
}

main().catch((err) => {
  process.stderr.write(`Atelier could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
