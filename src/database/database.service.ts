import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type Repository } from 'typeorm';
import { sqliteWaitMs } from './open-data-source';
import { Mutex, transactionContext } from './transaction-serializer';

const mutexes = new WeakMap<DataSource, Mutex>();

/** A prepared better-sqlite3 statement, as far as `Database.rows` uses it. */
interface ReaderStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
}

/** At most this many reader statements are kept by `rows` (then all are dropped and prepared again as used). */
const READER_STATEMENTS_MAX = 2000;

/**
 * The way services reach the database.
 *
 * - Reads: `db.repo(Entity)`, `db.manager` or `db.rows`: inside tx() the transaction's, else (on
 *   SQLite) a read-only connection that sees only committed data.
 * - Writes: always inside `db.tx(em => ...)`. On SQLite the transaction holds a process-wide lock
 *   (TypeORM shares one connection there); on SQLite a write outside tx() is refused outright
 *   (see transaction-serializer.ts). Keep transactions short: no file or network I/O inside.
 */
@Injectable()
export class Database implements OnModuleDestroy {
  /**
   * On a SQLite file, reads outside Database.tx() go through a second, read-only connection
   * (openReader in open-data-source.ts). The shared connection may at that moment be inside
   * another request's transaction: a read there would see that transaction's writes before they
   * are committed, or that are then rolled back. In WAL mode the reader sees the last committed
   * state and never waits for the write lock (decision 62). Null on PostgreSQL (each query takes
   * a pooled connection of its own) and for an in-memory database.
   */
  reader: DataSource | null = null;

  /**
   * Statements of `rows` on the SQLite reader, prepared once, by their text (bounded: the texts
   * come from the call sites' templates, a few hundred at most).
   */
  private readonly readerStatements = new Map<string, ReaderStatement>();

  /** Bumped by forgetSnapshots(): part of every version. */
  private epoch = 0;

  constructor(readonly dataSource: DataSource) {}

  /**
   * A token that is the same for two calls only if nothing a page shows was written between them,
   * by this process or any other (ReadSnapshots, decision 74): the content version, a number that
   * triggers raise with every write to such a table, whoever writes (migration 1764870000000,
   * decision 76; sessions, rate limits, the outbox and notifications do not count). Read it before
   * the data it stands for: a write committed in between then makes the next token differ, never
   * the other way round. Null inside a transaction (what it reads there may not be committed) and
   * if the row is missing.
   */
  async version(): Promise<string | null> {
    if (transactionContext.getStore()) return null;
    const [row] = await this.rows<{ n: number | string }>`SELECT n AS "n" FROM content_version WHERE id = 1`;
    return row ? `${this.epoch}:${row.n}` : null;
  }

  /** Makes the next version() differ, as a write would: every ReadSnapshots entry is read again (the query-budget tests measure pages so). */
  forgetSnapshots(): void {
    this.epoch++;
  }

  /** Where a read goes: the transaction under way in this async context, else the reader (if any). */
  private get readSource(): DataSource {
    return transactionContext.getStore() || !this.reader ? this.dataSource : this.reader;
  }

  /** The reader's manager outside a transaction (on SQLite); the shared one inside (use tx()'s `em` there). */
  get manager(): EntityManager {
    return this.readSource.manager;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.reader?.isInitialized) await this.reader.destroy();
  }

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /**
   * A hand-written read for hot paths, as a tagged template: `db.rows\`SELECT id FROM tasks WHERE course_id IN ${ids}\``.
   * Every value becomes a bound parameter, never text in the SQL. An array becomes one parameter
   * holding the whole list (SQLite: `json_each`, PostgreSQL: `unnest`), so the statement's text is
   * the same whatever the list's length and the prepared statement is reused. Only for a module's
   * own tables; column names come back as written in the SQL (alias them in camelCase).
   */
  async rows<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
    const pg = this.isPostgres;
    const params: unknown[] = [];
    let sql = strings[0];
    values.forEach((value, i) => {
      if (Array.isArray(value)) {
        params.push(pg ? value : JSON.stringify(value));
        const type = value.every((v) => typeof v === 'number') ? 'int' : 'text';
        sql += pg ? `(SELECT unnest($${params.length}::${type}[]))` : '(SELECT value FROM json_each(?))';
      } else {
        params.push(typeof value === 'boolean' && !pg ? Number(value) : value);
        sql += pg ? `$${params.length}` : '?';
      }
      sql += strings[i + 1];
    });
    const tx = transactionContext.getStore() as EntityManager | undefined;
    if (!tx && this.reader) {
      const direct = this.readDirect<T>(sql, params);
      if (direct) return direct;
    }
    const em = tx ?? this.readSource.manager;
    const result: T[] = await em.query(sql, params);
    return result;
  }

  /**
   * `rows` outside a transaction on SQLite: the reader's prepared statement run directly, without
   * TypeORM's query runner around it (its runner look-up, broadcaster, logger and promise hops cost
   * more than the statement itself on the hot paths). It answers exactly what the runner would:
   * better-sqlite3's rows. Anything unusual (an error, such as a busy or closed database, or a
   * statement that returns no rows) returns undefined, and the caller takes TypeORM's way, whose
   * errors and waits on a locked database are those of every other read.
   */
  private readDirect<T>(sql: string, params: unknown[]): T[] | undefined {
    try {
      let statement = this.readerStatements.get(sql);
      if (!statement) {
        const connection = (this.reader!.driver as unknown as { databaseConnection: { prepare(sql: string): ReaderStatement } }).databaseConnection;
        statement = connection.prepare(sql);
        if (!statement.reader) return undefined;
        if (this.readerStatements.size >= READER_STATEMENTS_MAX) this.readerStatements.clear();
        this.readerStatements.set(sql, statement);
      }
      return statement.all(...params) as T[];
    } catch {
      return undefined;
    }
  }

  /** Outside a transaction on SQLite, the reader's repository: for reads (a write there is refused). */
  repo<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.readSource.getRepository(entity);
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
