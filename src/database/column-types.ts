/**
 * Column types that differ between the two supported databases. Entities and migrations both
 * use these so that one migration history yields the same schema on SQLite and PostgreSQL.
 *
 * Instants are stored in UTC: `timestamptz` on PostgreSQL, `datetime` (UTC text) on SQLite.
 * The choice is made from DATABASE_URL when the entity classes load, the same variable that
 * chooses the driver (src/config/config.ts).
 */
export function usesPostgres(env: Record<string, string | undefined> = process.env): boolean {
  return /^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '');
}

export const TIMESTAMP: 'timestamptz' | 'datetime' = usesPostgres() ? 'timestamptz' : 'datetime';

export function timestampTypeFor(driverType: string): 'timestamptz' | 'datetime' {
  return driverType === 'postgres' ? 'timestamptz' : 'datetime';
}
