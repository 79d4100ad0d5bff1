/**
 * The database could not be reached in time (SQLite write lock held elsewhere, PostgreSQL down
 * or out of connections): 503 with Retry-After, never a hang or a 500.
 */
export class DatabaseUnavailableError extends Error {
  readonly status = 503;
  readonly title = 'Atelier is busy';
  readonly retryAfterSeconds = 5;
  constructor(readonly reason: string = 'database unavailable') {
    super('Atelier could not reach its database just now, so your request could not be completed. Please try again in a minute.');
    this.name = 'DatabaseUnavailableError';
  }
}

/** PostgreSQL SQLSTATE classes and codes that mean "the database is not there right now". */
const PG_UNAVAILABLE = /^(08\w{3}|57P0[1-5]|53300|53400|3D000|55P03|40P01)$/; // connection, shutdown, too many connections, database missing, lock timeout, deadlock
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|PROTOCOL)/;
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'The database connection is not open',
  'the database system is',
];

/**
 * Whether an error says the database could not be reached or used right now (as opposed to a
 * bug or a bad query): such errors become a 503 page, not a 500. Looks through TypeORM's
 * QueryFailedError to the driver's error.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  for (let e = err as Record<string, unknown> | null | undefined, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (MESSAGES.some((m) => message.includes(m))) return true;
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}
