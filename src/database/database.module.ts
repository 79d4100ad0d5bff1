import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Database } from './database.service';
import { dataSourceOptions } from './data-source-options';
import { openDataSource, openReader } from './open-data-source';
import { ReadSnapshots } from './read-snapshots';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
      dataSourceFactory: async (options) => openDataSource(options!),
    }),
  ],
  providers: [
    {
      provide: Database,
      inject: [DataSource],
      useFactory: async (ds: DataSource) => {
        const db = new Database(ds);
        db.reader = await openReader(ds.options);
        return db;
      },
    },
    ReadSnapshots,
  ],
  exports: [Database, ReadSnapshots],
})
export class DatabaseModule {}
