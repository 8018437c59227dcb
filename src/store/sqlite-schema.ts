// The SQLite store's schema (with its migrations) and the prepared statements every table and
// expiring map shares.
import Database from 'better-sqlite3';
import { HarnessError } from '../errors.js';

export type Db = Database.Database;

/** The schema this code writes. A file with a higher `user_version` came from a newer sso-harness. */
export const SQLITE_SCHEMA_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE rows (
      seq INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      id TEXT NOT NULL,
      doc TEXT NOT NULL,
      UNIQUE (tbl, id)
    );
    CREATE TABLE expiring (
      seq INTEGER PRIMARY KEY,
      map TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      UNIQUE (map, key)
    );
    CREATE INDEX expiring_by_expiry ON expiring (map, expires_at);
  `,
};

/** Case folding that matches the in-memory store (JavaScript's toLowerCase), usable in indexes (`fold(...)`). */
export const fold = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

export const unavailable = (path: string, what: string): HarnessError =>
  new HarnessError('STORE_UNAVAILABLE', `cannot use the SQLite database ${path}: ${what}`);

/** Brings the file to this code's schema version; refuses a file from a newer sso-harness. */
export function migrate(db: Db, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw unavailable(path, `it has schema version ${version}, written by a newer sso-harness (this one knows up to ${SQLITE_SCHEMA_VERSION}); upgrade sso-harness or pass --store with another file`);
  }
  if (version === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = version + 1; v <= SQLITE_SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v}`);
    }
  }).immediate();
}

export interface Statements {
  get: Database.Statement<[string, string], { doc: string }>;
  list: Database.Statement<[string], { doc: string }>;
  count: Database.Statement<[string], { n: number }>;
  insert: Database.Statement<[string, string, string]>;
  update: Database.Statement<[string, string, string]>;
  delete: Database.Statement<[string, string]>;
  mapGet: Database.Statement<[string, string], { value: string; expires_at: number }>;
  mapDelete: Database.Statement<[string, string]>;
  mapPut: Database.Statement<[string, string, string, number]>;
  mapTake: Database.Statement<[string, string], { value: string; expires_at: number }>;
  mapAdd: Database.Statement<[string, string, string, number, number]>;
  mapCount: Database.Statement<[string], { n: number }>;
  mapTrim: Database.Statement<[string, number]>;
  mapPurge: Database.Statement<[string, number]>;
}

/** Runs the steps of the store's tables and expiring maps: at once inside a transaction, else after the queued ones. */
export interface StatementRunner {
  readonly statements: Statements;
  run<R>(step: () => R): Promise<R>;
}

export function prepare(db: Db): Statements {
  return {
    get: db.prepare('SELECT doc FROM rows WHERE tbl = ? AND id = ?'),
    list: db.prepare('SELECT doc FROM rows WHERE tbl = ? ORDER BY seq'),
    count: db.prepare('SELECT count(*) AS n FROM rows WHERE tbl = ?'),
    insert: db.prepare('INSERT INTO rows (tbl, id, doc) VALUES (?, ?, ?)'),
    update: db.prepare('UPDATE rows SET doc = ? WHERE tbl = ? AND id = ?'),
    delete: db.prepare('DELETE FROM rows WHERE tbl = ? AND id = ?'),
    mapGet: db.prepare('SELECT value, expires_at FROM expiring WHERE map = ? AND key = ?'),
    mapDelete: db.prepare('DELETE FROM expiring WHERE map = ? AND key = ?'),
    // One statement per write: each autocommit is a WAL commit. REPLACE gives the row a new seq,
    // so a rewritten key counts as the newest when the map is trimmed.
    mapPut: db.prepare('INSERT OR REPLACE INTO expiring (map, key, value, expires_at) VALUES (?, ?, ?, ?)'),
    mapTake: db.prepare('DELETE FROM expiring WHERE map = ? AND key = ? RETURNING value, expires_at'),
    mapAdd: db.prepare(
      'INSERT INTO expiring (map, key, value, expires_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (map, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE expiring.expires_at <= ?',
    ),
    mapCount: db.prepare('SELECT count(*) AS n FROM expiring WHERE map = ?'),
    mapTrim: db.prepare('DELETE FROM expiring WHERE seq IN (SELECT seq FROM expiring WHERE map = ? ORDER BY seq LIMIT ?)'),
    mapPurge: db.prepare('DELETE FROM expiring WHERE map = ? AND expires_at <= ?'),
  };
}
