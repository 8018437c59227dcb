// The PostgreSQL store's schema, with its migrations, and the advisory lock keys its instances
// take; and the one call its tables and expiring maps run their statements through.
import type pg from 'pg';
import { HarnessError } from '../errors.js';
import { redactUrl } from './sql-common.js';

export const POSTGRES_SCHEMA_VERSION = 1;

/** Advisory lock keys: one for migrations at start, one held by every write transaction. */
const MIGRATION_LOCK = 72_001;
export const TRANSACTION_LOCK = 72_002;
/** The class of the named locks of `exclusive` (two-key advisory locks: a key space of their own). */
export const NAMED_LOCK_CLASS = 72_003;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE rows (
      seq BIGSERIAL PRIMARY KEY,
      tbl TEXT NOT NULL,
      id TEXT NOT NULL,
      doc JSONB NOT NULL,
      UNIQUE (tbl, id)
    );
    CREATE TABLE expiring (
      seq BIGSERIAL PRIMARY KEY,
      map TEXT NOT NULL,
      key TEXT NOT NULL,
      value JSONB NOT NULL,
      expires_at BIGINT NOT NULL,
      UNIQUE (map, key)
    );
    CREATE INDEX expiring_by_expiry ON expiring (map, expires_at);
    CREATE INDEX expiring_by_map ON expiring (map, seq);
  `,
};

/** Runs one statement: on the running transaction's connection inside one, else on the pool. */
export interface PostgresStatements {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>>;
}

export async function migrate(client: pg.PoolClient, url: string): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS harness_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const found = await client.query<{ value: string }>("SELECT value FROM harness_meta WHERE key = 'schema_version'");
    const version = Number(found.rows[0]?.value ?? 0);
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new HarnessError(
        'STORE_UNAVAILABLE',
        `cannot use PostgreSQL ${redactUrl(url)}: it has schema version ${version}, written by a newer sso-harness (this one knows up to ${POSTGRES_SCHEMA_VERSION}); upgrade sso-harness or use another database`,
      );
    }
    for (let v = version + 1; v <= POSTGRES_SCHEMA_VERSION; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v] as string);
        await client.query(
          "INSERT INTO harness_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
          [String(v)],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
