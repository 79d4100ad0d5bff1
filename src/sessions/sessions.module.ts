import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Database } from '../database/database.service';
import { UsersService } from '../users/users.service';
import { DbSessionStore } from './db-session.store';

/** The session store and UsersService, which ends sessions on deactivation; both used app-wide. */
@Global()
@Module({
  providers: [
    { provide: DbSessionStore, inject: [Database, APP_CONFIG], useFactory: (db: Database, c: AppConfig) => new DbSessionStore(db, c.session.idleMinutes * 60_000) },
    UsersService,
  ],
  exports: [DbSessionStore, UsersService],
})
export class SessionsModule {}
