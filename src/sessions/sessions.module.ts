import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Database } from '../database/database.service';
import { DbSessionStore } from './db-session.store';

/** The session store, used app-wide (express-session, ending a person's sessions). */
@Global()
@Module({
  providers: [
    {
      provide: DbSessionStore,
      inject: [Database, APP_CONFIG],
      useFactory: (db: Database, c: AppConfig) => new DbSessionStore(db, c.session.idleMinutes * 60_000),
    },
  ],
  exports: [DbSessionStore],
})
export class SessionsModule {}
