import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/config';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * The DataSource for the TypeORM CLI, built from the same options as the app
 * (src/database/data-source-options.ts) and the same environment variables:
 *   npm run build && npx typeorm -d dist/ormconfig.js migration:show
 * Schema changes happen only through migrations/; synchronize is never on.
 */
export { dataSourceOptions };
export default new DataSource(dataSourceOptions(loadConfig()));
