import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { ConfigError, loadConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';

/**
 * npm run worker: a process that only runs the background worker (the e-mail outbox and the
 * notification jobs) against the configured database, without HTTP. Run one or more beside web
 * instances started with WORKER=off (PostgreSQL; see README, "Workers"). Stops cleanly on
 * SIGINT/SIGTERM: the message in hand is finished and recorded first.
 */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md, "Configuration".\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = new JsonLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ msg: 'unhandled promise rejection', error: String(reason) }));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, worker: { ...config.worker, mode: 'inline' } }), { logger });
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  const where = config.database.type === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.database.path}`;
  process.stdout.write(`Atelier worker running every ${config.worker.intervalSeconds} s (database: ${where}).\n`);
}

main().catch((err) => {
  process.stderr.write(`The Atelier worker could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
