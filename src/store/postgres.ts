// The store for more than one instance: PostgreSQL through `pg`. The same document layout as
// SQLite (rows keyed by table and id, JSONB documents, expression indexes made on first lookup).
// Write transactions hold one advisory lock, so transactions of every instance sharing the
// database run one at a time, as they do in one process; single-use state (request IDs,
// replay cache, codes) is claimed with one atomic statement, so two instances never both win.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { HarnessError } from '../errors.js';
import { SerialGate } from './serial-gate.js';
import { fieldSql, indexName, redactUrl } from './sql-common.js';
import { lockTimeout, storeFull, type ExpiringMap, type AnyTableRef, type MapRef, type Row, type Store, type Table, type TableRef } from './types.js';
import { errorCode, errorMessage } from '../caught-error.js';

export const POSTGRES_SCHEMA_VERSION = 1;

/** Advisory lock keys: one for migrations at start, one held by every write transaction. */
const MIGRATION_LOCK = 72_001;
const TRANSACTION_LOCK = 72_002;
/** The class of the named locks of `exclusive` (two-key advisory locks: a key space of their own). */
const NAMED_LOCK_CLASS = 72_003;

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

type Queryable = Pick<pg.PoolClient, 'query'>;

function explainConnectError(url: string, err: unknown): HarnessError {
  const code = errorCode(err);
  const where = redactUrl(url);
  const say = (what: string): HarnessError => new HarnessError('STORE_UNAVAILABLE', `cannot use PostgreSQL ${where}: ${what}`);
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return say(`the server cannot be reached (${code}); start it, or fix the host and port in --store`);
    case '28P01':
    case '28000':
      return say(`the server refuses the credentials (${code}); fix the user and password in --store`);
    case '3D000':
      return say(`the database does not exist (${code}); create it (createdb) or fix its name in --store`);
    default:
      return say(`${code ? `${code}: ` : ''}${errorMessage(err)}`);
  }
}

async function migrate(client: pg.PoolClient, url: string): Promise<void> {
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

/** Connects, checks and migrates the schema. */
export async function openPostgresStore(url: string, opts: { max?: number; connectTimeoutMs?: number } = {}): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000 });
  // An idle client that loses its connection must not take the process down.
  pool.on('error', () => undefined);
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    await migrate(client, url);
  } catch (err) {
    client?.release();
    client = undefined;
    await pool.end().catch(() => undefined);
    if (err instanceof HarnessError) throw err;
    throw explainConnectError(url, err);
  }
  client.release();
  return new PostgresStore(pool, url);
}

const parse = <T>(doc: unknown): T => doc as T; // pg already parses JSONB

class PostgresTable<T extends Row> implements Table<T> {
  constructor(
    private readonly store: PostgresStore,
    private readonly name: string,
  ) {}

  async get(id: string): Promise<T | undefined> {
    const r = await this.store.query<{ doc: unknown }>('SELECT doc FROM rows WHERE tbl = $1 AND id = $2', [this.name, id]);
    return r.rows[0] ? parse<T>(r.rows[0].doc) : undefined;
  }

  async list(): Promise<T[]> {
    const r = await this.store.query<{ doc: unknown }>('SELECT doc FROM rows WHERE tbl = $1 ORDER BY seq', [this.name]);
    return r.rows.map((x) => parse<T>(x.doc));
  }

  async findBy(field: string, value: unknown, opts: { caseInsensitive?: boolean } = {}): Promise<T[]> {
    if (value === undefined || value === null) return [];
    const ci = opts.caseInsensitive === true;
    const expr = this.store.indexedExpression(field, ci);
    const wanted = ci ? 'lower($2)' : '$2';
    const r = await this.store.query<{ doc: unknown }>(`SELECT doc FROM rows WHERE tbl = $1 AND ${expr} = ${wanted} ORDER BY seq`, [this.name, typeof value === 'string' ? value : JSON.stringify(value)]);
    return r.rows.map((x) => parse<T>(x.doc));
  }

  async count(): Promise<number> {
    const r = await this.store.query<{ n: string }>('SELECT count(*) AS n FROM rows WHERE tbl = $1', [this.name]);
    return Number(r.rows[0]?.n ?? 0);
  }

  async insert(row: T): Promise<T> {
    const doc = JSON.stringify(row);
    const r = await this.store.query('INSERT INTO rows (tbl, id, doc) VALUES ($1, $2, $3) ON CONFLICT (tbl, id) DO NOTHING', [this.name, row.id, doc]);
    if (r.rowCount === 0) throw new HarnessError('CONFLICT', `${this.name} ${row.id} already exists`);
    return JSON.parse(doc) as T;
  }

  async update(row: T): Promise<T> {
    const doc = JSON.stringify(row);
    const r = await this.store.query('UPDATE rows SET doc = $3 WHERE tbl = $1 AND id = $2', [this.name, row.id, doc]);
    if (r.rowCount === 0) throw new HarnessError('NOT_FOUND', `${this.name} ${row.id} does not exist`);
    return JSON.parse(doc) as T;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.store.query('DELETE FROM rows WHERE tbl = $1 AND id = $2', [this.name, id]);
    return (r.rowCount ?? 0) > 0;
  }
}

const PURGE_EVERY = 500;

class PostgresExpiringMap<V> implements ExpiringMap<V> {
  private writes = 0;
  private latestNowMs = 0;

  constructor(
    private readonly store: PostgresStore,
    private readonly name: string,
    private readonly maxEntries: number,
    private readonly refuseWhenFull: boolean,
  ) {}

  /**
   * A map that refuses when full: room for a new key once expired entries are gone, or STORE_FULL.
   * A key with a live entry takes no room. Instances check on their own, so together they may go
   * a few entries past the bound; they never drop a live entry.
   */
  private async ensureRoom(key: string, nowMs: number): Promise<void> {
    if (!this.refuseWhenFull || (this.approxSize ?? this.maxEntries) < this.maxEntries) return;
    const live = await this.store.query('SELECT 1 FROM expiring WHERE map = $1 AND key = $2 AND expires_at > $3', [this.name, key, nowMs]);
    if ((live.rowCount ?? 0) > 0) return;
    await this.store.query('DELETE FROM expiring WHERE map = $1 AND expires_at <= $2', [this.name, nowMs]);
    const exact = await this.count();
    this.approxSize = exact;
    if (exact >= this.maxEntries) throw storeFull(this.name, this.maxEntries);
  }

  /** An estimate of the entries (other instances add too): recounted when it passes the bound, and every PURGE_EVERY writes. */
  private approxSize: number | undefined;

  private async count(): Promise<number> {
    const r = await this.store.query<{ n: string }>('SELECT count(*) AS n FROM expiring WHERE map = $1', [this.name]);
    return Number(r.rows[0]?.n ?? 0);
  }

  private async afterWrite(): Promise<void> {
    const purge = ++this.writes % PURGE_EVERY === 0;
    if (purge && this.latestNowMs > 0) await this.store.query('DELETE FROM expiring WHERE map = $1 AND expires_at <= $2', [this.name, this.latestNowMs]);
    this.approxSize = (this.approxSize ?? (await this.count())) + 1;
    if (!purge && this.approxSize <= this.maxEntries) return;
    const exact = await this.count();
    if (exact > this.maxEntries && !this.refuseWhenFull) {
      await this.store.query('DELETE FROM expiring WHERE seq IN (SELECT seq FROM expiring WHERE map = $1 ORDER BY seq LIMIT $2)', [this.name, exact - this.maxEntries]);
    }
    this.approxSize = Math.min(exact, this.maxEntries);
  }

  async add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean> {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    await this.ensureRoom(key, nowMs);
    // One statement: a new key, or an expired entry replaced; a live one stays and nothing is returned.
    const r = await this.store.query(
      `INSERT INTO expiring (map, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (map, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, seq = nextval(pg_get_serial_sequence('expiring', 'seq'))
       WHERE expiring.expires_at <= $5`,
      [this.name, key, JSON.stringify(value), expiresAtMs, nowMs],
    );
    if (r.rowCount === 0) return false;
    await this.afterWrite();
    return true;
  }

  async set(key: string, value: V, expiresAtMs: number): Promise<void> {
    await this.ensureRoom(key, this.latestNowMs);
    await this.store.query(
      `INSERT INTO expiring (map, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (map, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, seq = nextval(pg_get_serial_sequence('expiring', 'seq'))`,
      [this.name, key, JSON.stringify(value), expiresAtMs],
    );
    await this.afterWrite();
  }

  async get(key: string, nowMs: number): Promise<V | undefined> {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    const r = await this.store.query<{ value: unknown }>('SELECT value FROM expiring WHERE map = $1 AND key = $2 AND expires_at > $3', [this.name, key, nowMs]);
    return r.rows[0] ? (r.rows[0].value as V) : undefined;
  }

  async take(key: string, nowMs: number): Promise<V | undefined> {
    this.latestNowMs = Math.max(this.latestNowMs, nowMs);
    // Claimed by exactly one caller, whichever instance it runs on.
    const r = await this.store.query<{ value: unknown; expires_at: string }>('DELETE FROM expiring WHERE map = $1 AND key = $2 RETURNING value, expires_at', [this.name, key]);
    const row = r.rows[0];
    return row && Number(row.expires_at) > nowMs ? (row.value as V) : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.store.query('DELETE FROM expiring WHERE map = $1 AND key = $2', [this.name, key]);
  }

  size(): Promise<number> {
    return this.count();
  }

  /** After the map was emptied behind its back: count again on the next write. */
  forgetSize(): void {
    this.approxSize = undefined;
  }
}

export class PostgresStore implements Store {
  private readonly inside = new AsyncLocalStorage<{ open: boolean; client: pg.PoolClient }>();
  private readonly gate = new SerialGate();
  private readonly indexed = new Set<string>();
  private readonly maps = new Map<string, PostgresExpiringMap<unknown>>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  /** A statement on the running transaction's connection when inside one, else on the pool. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.closed) return Promise.reject(new HarnessError('STORE_UNAVAILABLE', `PostgreSQL ${redactUrl(this.url)} is closed`));
    const tx = this.inside.getStore();
    const target: Queryable = tx?.open ? tx.client : this.pool;
    return target.query<R>(text, values);
  }

  /**
   * The SQL expression for a field. Its index is made the first time the field is looked up, by
   * a task queued behind the running transaction: building an index waits for the table's
   * writers, and the running transaction may be the one asking.
   */
  indexedExpression(field: string, ci: boolean): string {
    const raw = fieldSql(field, () => `(doc #>> '{${field.split('.').join(',')}}')`);
    const expr = ci ? `lower${raw}` : raw;
    const key = `${ci ? 'i' : 's'}:${field}`;
    if (!this.indexed.has(key)) {
      this.indexed.add(key);
      const name = indexName(field, ci);
      void this.gate
        .enqueue(async () => {
          if (!this.closed) await this.pool.query(`CREATE INDEX IF NOT EXISTS "${name}" ON rows (tbl, (${expr}))`);
        })
        .catch(() => {
          // Another instance made it at the same moment, or the server went away: try again next time.
          this.indexed.delete(key);
        });
    }
    return expr;
  }

  table<T extends Row>({ name }: TableRef<T>): Table<T> {
    return new PostgresTable<T>(this, name);
  }

  expiring<V>({ name, options: opts }: MapRef<V>): ExpiringMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      map = new PostgresExpiringMap(this, name, opts.maxEntries ?? 100_000, opts.whenFull === 'refuse');
      this.maps.set(name, map);
    }
    return map as ExpiringMap<V>;
  }

  async transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
    if (this.inside.getStore()?.open) return fn(this); // already inside one: join it
    return this.gate.enqueue(async () => {
      if (this.closed) throw new HarnessError('STORE_UNAVAILABLE', `PostgreSQL ${redactUrl(this.url)} is closed`);
      const client = await this.pool.connect();
      const token = { open: true, client };
      let broken = false;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [TRANSACTION_LOCK]);
        const result = await this.inside.run(token, () => fn(this));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        token.open = false;
        client.release(broken);
      }
    });
  }

  /**
   * A session-level advisory lock on a connection of its own, held while `fn` runs (its queries
   * use the pool). When the holder's process dies, PostgreSQL ends its session and frees the lock.
   */
  async exclusive<R>(name: string, waitMs: number, fn: () => Promise<R>): Promise<R> {
    if (this.closed) throw new HarnessError('STORE_UNAVAILABLE', `PostgreSQL ${redactUrl(this.url)} is closed`);
    const client = await this.pool.connect();
    let broken = false;
    // A connection lost while the lock is held (the server restarted, an administrator ended it)
    // must not take the process down: the lock went with it, and the connection is dropped.
    const lost = (): void => {
      broken = true;
    };
    client.on('error', lost);
    try {
      try {
        await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [NAMED_LOCK_CLASS, name]);
      } catch (err) {
        if (errorCode(err) === '55P03') throw lockTimeout(name, `PostgreSQL ${redactUrl(this.url)}`, waitMs);
        throw err;
      } finally {
        await client.query('RESET lock_timeout').catch(() => (broken = true));
      }
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [NAMED_LOCK_CLASS, name]).catch(() => (broken = true));
      }
    } finally {
      // A connection whose unlock failed is dropped, which frees the lock with the session.
      client.off('error', lost);
      client.release(broken);
    }
  }

  async hasRowsBut(keep: readonly AnyTableRef[]): Promise<boolean> {
    const keepTables = keep.map((t) => t.name);
    const r = await this.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM rows WHERE NOT (tbl = ANY($1::text[]))) AS found', [keepTables]);
    return r.rows[0]?.found === true;
  }

  async clearAllBut(keep: readonly AnyTableRef[]): Promise<void> {
    const keepTables = keep.map((t) => t.name);
    await this.transaction(async () => {
      await this.query('DELETE FROM rows WHERE NOT (tbl = ANY($1::text[]))', [keepTables]);
      await this.query('DELETE FROM expiring', []);
    });
    for (const map of this.maps.values()) map.forgetSize();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.gate.drain();
    this.closed = true;
    await this.pool.end();
  }
}
