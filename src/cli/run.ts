import { ConfigError, loadConfig, type AppConfig } from '../config/config';
import { Database } from '../database/database.service';
import { dataSourceOptions } from '../database/data-source-options';
import { openDataSource } from '../database/open-data-source';

/** Runs a command-line task against the configured database (migrations applied first). */
export async function withDatabase(task: (db: Database, config: AppConfig) => Promise<void>): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const ds = await openDataSource(dataSourceOptions(config));
  try {
    await task(new Database(ds), config);
  } finally {
    await ds.destroy();
  }
}
