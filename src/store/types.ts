// Storage interfaces. Everything is async and every write can run inside a transaction, so the
// SQL back-ends slot in behind the same calls. Nothing outside src/store/ touches storage.
import { HarnessError } from '../errors.js';

export interface Row {
  id: string;
}

/**
 * A table: its name, with the type of its rows. Every table is named once, in the registry
 * (tables.ts); `Store.table` takes nothing else, so a caller cannot open a table that does not exist
 * or read its rows as another type.
 */
export interface TableRef<T extends Row> {
  readonly kind: 'table';
  readonly name: string;
  /** Never set: it ties the row type to the reference, both ways (a table of users is no table of accounts). */
  readonly rowType?: (row: T) => T;
}

/** An expiring map: its name, the type of its values and its bounds, named once in the registry. */
export interface MapRef<V> {
  readonly kind: 'map';
  readonly name: string;
  readonly options: ExpiringMapOptions;
  /** Never set: it ties the value type to the reference, both ways. */
  readonly valueType?: (value: V) => V;
}

/** Any table, whatever its rows (the tables a clear keeps). */
export type AnyTableRef = Pick<TableRef<Row>, 'kind' | 'name'>;

/** The reference to one table; for the registry and for tests' own tables. */
export function tableRef<T extends Row>(name: string): TableRef<T> {
  return Object.freeze({ kind: 'table', name });
}

/** The reference to one expiring map; for the registry and for tests' own maps. */
export function mapRef<V>(name: string, options: ExpiringMapOptions = {}): MapRef<V> {
  return Object.freeze({ kind: 'map', name, options: Object.freeze({ ...options }) });
}

export interface Table<T extends Row> {
  get(id: string): Promise<T | undefined>;
  list(): Promise<T[]>;
  /**
   * Rows whose `field` equals `value` (strings compared case-insensitively when asked). The field
   * may be a dotted path into a nested object (`extension.number`). Back-ends answer it from an
   * index, so callers use it instead of filtering `list()`.
   */
  findBy<K extends keyof T & string>(field: K, value: T[K], opts?: { caseInsensitive?: boolean }): Promise<T[]>;
  findBy(field: `${keyof T & string}.${string}`, value: string | number | boolean, opts?: { caseInsensitive?: boolean }): Promise<T[]>;
  /** How many rows the table holds. */
  count(): Promise<number>;
  /** Adds a row; fails with CONFLICT when the id exists. */
  insert(row: T): Promise<T>;
  /** Replaces a row; fails with NOT_FOUND when the id does not exist. */
  update(row: T): Promise<T>;
  delete(id: string): Promise<boolean>;
}

/** Short-lived keyed state with expiry (pending requests, replay caches, sessions), bounded in size. */
export interface ExpiringMapOptions {
  /** The most entries the map holds (100,000 unless given). */
  maxEntries?: number;
  /**
   * What a full map does with a new key: drop its oldest entries (the default: caches, sessions),
   * or refuse the write with STORE_FULL once expired entries are gone, for state whose loss would
   * reopen an attack (the replay cache must never forget a live assertion ID).
   */
  whenFull?: 'drop-oldest' | 'refuse';
}

/**
 * Retry-After of a full store: entries leave as they expire or are used, so room comes back
 * continuously once the store has filled (a hint; the SQL stores do not track the next expiry).
 */
export const STORE_FULL_RETRY_SEC = 30;

/** The STORE_FULL error of a map that refuses new keys when full. */
export function storeFull(name: string, maxEntries: number): HarnessError {
  return new HarnessError('STORE_FULL', `the ${name} store holds its maximum of ${maxEntries.toLocaleString('en-US')} live entries`, {
    expected: 'room for one more entry (entries leave as they expire)',
    received: `${maxEntries.toLocaleString('en-US')} live entries`,
    retryAfterSec: STORE_FULL_RETRY_SEC,
  });
}

export interface ExpiringMap<V> {
  /** Stores `value` until `expiresAtMs`; returns false (and changes nothing) when a live entry exists. */
  add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /** Stores or replaces. */
  set(key: string, value: V, expiresAtMs: number): Promise<void>;
  get(key: string, nowMs: number): Promise<V | undefined>;
  /** Removes and returns a live entry (single use). */
  take(key: string, nowMs: number): Promise<V | undefined>;
  delete(key: string): Promise<void>;
  size(): Promise<number>;
}

export interface Store {
  table<T extends Row>(ref: TableRef<T>): Table<T>;
  /** The map; the bounds of the first reference to open it hold for the life of the store. */
  expiring<V>(ref: MapRef<V>): ExpiringMap<V>;
  /** Runs `fn` atomically: when it throws, none of its table writes remain. */
  transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R>;
  /**
   * Runs `fn` (which may take seconds and many transactions) holding the lock `name`, which every
   * process sharing this store respects: a PostgreSQL advisory lock across instances, released
   * when `fn` ends or when its holder dies with its connection; a lock within the process for
   * memory and SQLite. Waits at most `waitMs` for it, then fails with STORE_LOCK_TIMEOUT.
   */
  exclusive<R>(name: string, waitMs: number, fn: () => Promise<R>): Promise<R>;
  /** Deletes every row of every table but `keepTables`, and every expiring entry, in one transaction. */
  clearAllBut(keepTables: readonly AnyTableRef[]): Promise<void>;
  /** Whether a table other than `keepTables` holds a row: whether there is state to lose. */
  hasRowsBut(keepTables: readonly AnyTableRef[]): Promise<boolean>;
  /** Set when the store was opened empty by moving earlier state aside: where that state is now. */
  readonly setAsideTo?: string | undefined;
  close(): Promise<void>;
}

/** The STORE_LOCK_TIMEOUT error of `Store.exclusive`. */
export function lockTimeout(name: string, where: string, waitMs: number): HarnessError {
  return new HarnessError('STORE_LOCK_TIMEOUT', `waited ${waitMs} ms for the ${name} lock of ${where}, held all that time by another instance`, {
    expected: `the lock within ${waitMs} ms`,
    received: 'no lock: another instance still holds it',
  });
}

/** Locks by name within one process, for the stores only one process uses. */
export class ProcessLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<R>(name: string, fn: () => Promise<R>): Promise<R> {
    const result = (this.tails.get(name) ?? Promise.resolve()).then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(name, tail);
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return result;
  }
}
