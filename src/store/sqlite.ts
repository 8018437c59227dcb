// The embedded default store: one SQLite file in the data directory (better-sqlite3), WAL mode.
// Rows are JSON documents in one table keyed by (table, id); `findBy` is answered from an
// expression index created the first time a field is looked up. Transactions are serialized in
// the process (as in memory) and each is one SQLite transaction, so a write is whole or absent.
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HarnessError } from '../errors.js';
import { lockSqliteFile, type LockWording, type SqliteFileLock } from './sqlite-lock.js';
import { SqliteExpiringMap } from './sqlite-expiring-map.js';
import { fold, migrate, prepare, unavailable, type Db, type StatementRunner, type Statements } from './sqlite-schema.js';
import { holdsRowsBut, setAside } from './sqlite-set-aside.js';
import { SqliteTable } from './sqlite-table.js';
import { SerialGate } from './serial-gate.js';
import { errorCode, errorMessage } from '../caught-error.js';
import { fieldSql, indexName } from './sql-common.js';
import { ProcessLocks, type ExpiringMap, type AnyTableRef, type MapRef, type Row, type Store, type Table, type TableRef } from './types.js';

function explainOpenError(path: string, err: unknown): HarnessError {
  const code = errorCode(err) ?? '';
  if (['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(code)) {
    return unavailable(path, `its folder ${dirname(path)} cannot be created or written (${code}); make it a writable folder or pass --data DIR with one`);
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return unavailable(path, `the file is not a valid SQLite database (${code}); move it away (it is kept as it is) and start again, or pass --store with another file`);
  }
  // better-sqlite3 loads its native module on first use: npm may have skipped its install script
  // (newer npm versions run a dependency's install script only once it is approved) or built it
  // for another Node.
  if (code === 'ERR_DLOPEN_FAILED' || /Could not locate the bindings file/.test(errorMessage(err))) {
    return unavailable(
      path,
      "better-sqlite3's native module is not built for this Node; run `npm rebuild better-sqlite3` where sso-harness is installed (after `npm install-scripts approve better-sqlite3` where npm holds back install scripts), or pass --store memory or a postgres:// URL",
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return unavailable(path, `the database is locked by another process (${code}); stop the other sso-harness or program using it, or pass --data DIR with another folder`);
  }
  return unavailable(path, `${code ? `${code}: ` : ''}${errorMessage(err)}`);
}

export interface SqliteOpenOptions {
  busyTimeoutMs?: number;
  /** How a refusal names the file when another instance holds it (default: the file itself). */
  lockWording?: LockWording;
  /**
   * Start on an empty state: when the file holds rows of tables other than these (the harness's
   * own marks), it is moved aside first (see setAside) and a new file is opened in its place.
   */
  emptyBut?: readonly string[];
}

function openDatabase(path: string, busyTimeoutMs: number): Db {
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.function('fold', { deterministic: true }, fold as (v: unknown) => string);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864'); // a WAL grown under load is cut back to 64 MB once checkpointed
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (creating when missing, mode 0600) and migrates the database at `path`, holding its lock
 * (see lockSqliteFile) until the store closes.
 */
export function openSqliteStore(path: string, opts: SqliteOpenOptions = {}): SqliteStore {
  let lock: SqliteFileLock | undefined;
  let db: Db | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    lock = lockSqliteFile(path, opts.lockWording ?? { what: `the SQLite database ${path}`, instead: 'use --store with another file' });
    const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
    db = openDatabase(path, busyTimeoutMs);
    let setAsideTo: string | undefined;
    if (opts.emptyBut && holdsRowsBut(db, opts.emptyBut)) {
      db.close(); // checkpoints the WAL into the file, which then moves whole
      db = undefined;
      setAsideTo = setAside(path);
      db = openDatabase(path, busyTimeoutMs);
    }
    return new SqliteStore(db, path, lock, setAsideTo);
  } catch (err) {
    db?.close();
    lock?.release();
    if (err instanceof HarnessError) throw err;
    throw explainOpenError(path, err);
  }
}

/** How often the WAL is checkpointed into the database file. */
const CHECKPOINT_EVERY_MS = 1000;

export class SqliteStore implements Store, StatementRunner {
  readonly statements: Statements;
  private readonly lookups = new Map<string, Database.Statement<[string, unknown], { doc: string }>>();
  private readonly maps = new Map<string, SqliteExpiringMap<unknown>>();
  /** Marks the async context of the running transaction, so calls made inside it join it. */
  private readonly inside = new AsyncLocalStorage<{ open: boolean }>();
  private readonly gate = new SerialGate();
  private closed = false;
  private readonly checkpoints: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    readonly path: string,
    private readonly lock?: SqliteFileLock,
    /** Where opening it empty moved the earlier state (see SqliteOpenOptions.emptyBut). */
    readonly setAsideTo?: string,
  ) {
    this.statements = prepare(db);
    // The WAL is copied back into the database once a second, outside any request, instead of by
    // whichever commit crosses the automatic threshold: a second's commits rewrite the same few
    // pages many times, and the checkpoint copies each page once. The WAL itself stays the
    // durable record in between (a killed process loses nothing). Auto-checkpointing at 10,000
    // pages remains as a backstop.
    this.checkpoints = setInterval(() => {
      if (this.closed || this.inside.getStore()?.open || !this.gate.idle) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // a busy or failing checkpoint is retried on the next tick; commits are unaffected
      }
    }, CHECKPOINT_EVERY_MS);
    this.checkpoints.unref();
  }

  /**
   * Runs one synchronous step. Inside a transaction (or with none running) at once; otherwise
   * after the running and queued transactions, so it never lands inside another caller's one.
   */
  run<R>(step: () => R): Promise<R> {
    if (this.closed) return Promise.reject(new HarnessError('STORE_UNAVAILABLE', `the SQLite database ${this.path} is closed`));
    if (this.inside.getStore()?.open || this.gate.idle) {
      try {
        return Promise.resolve(step());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.gate.enqueue(async () => step());
  }

  /** The prepared lookup for one field path (and its index, created on first use). */
  lookup(field: string, ci: boolean): Database.Statement<[string, unknown], { doc: string }> {
    const key = `${ci ? 'i' : 's'}:${field}`;
    let statement = this.lookups.get(key);
    if (!statement) {
      const expr = fieldSql(field, (path) => `json_extract(doc, '${path}')`);
      const indexed = ci ? `fold(${expr})` : expr;
      this.db.exec(`CREATE INDEX IF NOT EXISTS "${indexName(field, ci)}" ON rows (tbl, ${indexed})`);
      statement = this.db.prepare(`SELECT doc FROM rows WHERE tbl = ? AND ${indexed} = ? ORDER BY seq`);
      this.lookups.set(key, statement);
    }
    return statement;
  }

  table<T extends Row>({ name }: TableRef<T>): Table<T> {
    return new SqliteTable<T>(this, name);
  }

  expiring<V>({ name, options: opts }: MapRef<V>): ExpiringMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      map = new SqliteExpiringMap(this, name, opts.maxEntries ?? 100_000, opts.whenFull === 'refuse');
      this.maps.set(name, map);
    }
    return map as ExpiringMap<V>;
  }

  async transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
    if (this.inside.getStore()?.open) return fn(this); // already inside one: join it
    return this.gate.enqueue(async () => {
      if (this.closed) throw new HarnessError('STORE_UNAVAILABLE', `the SQLite database ${this.path} is closed`);
      // Work that outlives the transaction (timers, events) inherits this context: closing the
      // token sends it back through the queue instead of into a later transaction.
      const token = { open: true };
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.inside.run(token, () => fn(this));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.lookups.clear(); // an index made inside the transaction went with it
        throw err;
      } finally {
        token.open = false;
      }
    });
  }

  private readonly locks = new ProcessLocks();

  /** One process uses a SQLite file, so the lock is the process's own. */
  exclusive<R>(name: string, _waitMs: number, fn: () => Promise<R>): Promise<R> {
    return this.locks.run(name, fn);
  }

  hasRowsBut(keep: readonly AnyTableRef[]): Promise<boolean> {
    const keepTables = keep.map((t) => t.name);
    return this.run(() => holdsRowsBut(this.db, keepTables));
  }

  async clearAllBut(keep: readonly AnyTableRef[]): Promise<void> {
    const keepTables = keep.map((t) => t.name);
    await this.transaction(async () => {
      const kept = keepTables.map(() => '?').join(', ');
      this.db.prepare(`DELETE FROM rows${keepTables.length > 0 ? ` WHERE tbl NOT IN (${kept})` : ''}`).run(...keepTables);
      this.db.prepare('DELETE FROM expiring').run();
    });
    for (const map of this.maps.values()) map.forgetSize();
  }

  /** Waits for queued work, then closes the file (WAL checkpointed). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.gate.drain();
    this.closed = true;
    clearInterval(this.checkpoints);
    this.db.close();
    this.lock?.release();
  }
}
