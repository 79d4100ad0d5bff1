/**
 * Values of hand-written reads (`Database.rows`), which come back as each driver gives them.
 */

/** A timestamp: a Date on PostgreSQL, UTC text on SQLite. */
export function rawDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(/Z$|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}

/** A boolean: true/false on PostgreSQL, 1/0 on SQLite. */
export function rawBool(v: boolean | number | string): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}
