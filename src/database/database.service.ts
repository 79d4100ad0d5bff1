import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type Repository } from 'typeorm';
import { sqliteWaitMs } from './open-data-source';
import { Mutex, transactionContext } from './transaction-serializer';

const mutexes = new WeakMap<DataSource, Mutex>();

/**
 * The way services reach the database.
 *
 * - Reads: `db.repo(Entity)` or `db.manager`.
 * - Writes: always inside `db.tx(em => ...)`. On SQLite the transaction holds a process-wide lock
 *   (TypeORM shares one connection there); on SQLite a write outside tx() is refused outright
 *   (see transaction-serializer.ts). Keep transactions short: no file or network I/O inside.
 */
@Injectable()
export class Database {
  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  repo<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.dataSource.getRepository(entity);
  }

  async tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const current = transactionContext.getStore() as EntityManager | undefined;
    if (current) return fn(current); // nested: join the open transaction
    const run = () => this.dataSource.transaction((em) => transactionContext.run(em, () => fn(em)));
    if (this.isPostgres) return run();
    let mutex = mutexes.get(this.dataSource);
    if (!mutex) mutexes.set(this.dataSource, (mutex = new Mutex()));
    // A transaction that cannot start within the wait bound (a long one ahead of it) is a 503.
    return mutex.run(run, sqliteWaitMs(this.dataSource.options));
  }
}
