// The store for more than one instance: PostgreSQL through `pg`. The same document layout as
// SQLite (rows keyed by table and id, JSONB documents, expression indexes made on first lookup).
// Write transactions hold one advisory lock, so transactions of every instance sharing the
// database run one at a time, as they do in one process; single-use state (request IDs,
// replay cache, codes) is claimed with one atomic statement, so two instances never both win.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { HarnessError } from '../errors.js';
import { PostgresExpiringMap } from './postgres-expiring-map.js';
import { migrate, NAMED_LOCK_CLASS, TRANSACTION_LOCK, type PostgresStatements } from './postgres-schema.js';
import { PostgresTable } from './postgres-table.js';
import { SerialGate } from './serial-gate.js';
import { errorCode, errorMessage } from '../caught-error.js';
import { fieldSql, indexName, redactUrl } from './sql-common.js';
import { lockTimeout, type ExpiringMap, type AnyTableRef, type MapRef, type Row, type Store, type Table, type TableRef } from './types.js';

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

export class PostgresStore implements Store, PostgresStatements {
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
