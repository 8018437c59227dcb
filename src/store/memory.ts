// The in-memory store: tests and `--memory` runs. Rows and expiring-map values are kept as JSON, as
// the SQL stores keep them: every read parses a fresh object (cheaper than a structured clone), so a
// caller mutating a returned object never changes stored state behind the store's back, and values
// behave the same on every back-end (JSON types only). A transaction is the SQL stores' one too: every
// write made in its async context joins it, through any handle, expiring maps included, and is undone
// with it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Buffer } from 'node:buffer';
import { HarnessError } from '../errors.js';
import { SerialGate } from './serial-gate.js';
import { ProcessLocks, storeFull, type ExpiringMap, type AnyTableRef, type MapRef, type Row, type Store, type Table, type TableRef } from './types.js';

type Undo = () => void;

/** The running transaction: what undoes its writes, and whether it is still running. */
interface Transaction {
  open: boolean;
  readonly journal: Undo[];
}

/** Reads a field, or a dotted path into nested objects (`extension.number`). */
function fieldValue(row: object, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const fold = (v: unknown, caseInsensitive: boolean): unknown => (caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v);

/**
 * One table's rows and its lookup indexes. An index (field, case folding) is built on the first
 * `findBy` that needs it and kept up to date by every write, so a lookup costs the size of its
 * answer, not of the table.
 */
class TableData<T extends Row> {
  /** The parsed rows, for the indexes; callers get fresh objects parsed from `json`. */
  readonly rows = new Map<string, T>();
  readonly json = new Map<string, string>();
  private readonly indexes = new Map<string, { path: string; ci: boolean; ids: Map<unknown, Set<string>> }>();

  put(row: T, json: string): void {
    const before = this.rows.get(row.id);
    this.rows.set(row.id, row);
    this.json.set(row.id, json);
    for (const index of this.indexes.values()) {
      const next = fold(fieldValue(row, index.path), index.ci);
      if (before !== undefined) {
        const prev = fold(fieldValue(before, index.path), index.ci);
        if (prev === next) continue;
        this.unlink(index.ids, prev, row.id);
      }
      this.link(index.ids, next, row.id);
    }
  }

  clear(): void {
    this.rows.clear();
    this.json.clear();
    this.indexes.clear();
  }

  remove(id: string): boolean {
    const before = this.rows.get(id);
    if (before === undefined) return false;
    this.rows.delete(id);
    this.json.delete(id);
    for (const index of this.indexes.values()) this.unlink(index.ids, fold(fieldValue(before, index.path), index.ci), id);
    return true;
  }

  /** The ids of the rows whose field equals the value. */
  lookup(path: string, value: unknown, ci: boolean): string[] {
    const key = `${ci ? 'i' : 's'}:${path}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = { path, ci, ids: new Map() };
      for (const row of this.rows.values()) this.link(index.ids, fold(fieldValue(row, path), ci), row.id);
      this.indexes.set(key, index);
    }
    const ids = index.ids.get(fold(value, ci));
    return ids ? [...ids] : [];
  }

  /** A fresh object for the row with this id. */
  read(id: string): T | undefined {
    const json = this.json.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  private link(ids: Map<unknown, Set<string>>, value: unknown, id: string): void {
    if (value === undefined || value === null) return;
    let set = ids.get(value);
    if (!set) {
      set = new Set();
      ids.set(value, set);
    }
    set.add(id);
  }

  private unlink(ids: Map<unknown, Set<string>>, value: unknown, id: string): void {
    const set = ids.get(value);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) ids.delete(value);
  }
}

class MemoryTable<T extends Row> implements Table<T> {
  constructor(
    private readonly store: MemoryStore,
    private readonly name: string,
    private readonly data: TableData<T>,
  ) {}

  async get(id: string): Promise<T | undefined> {
    return this.data.read(id);
  }

  async list(): Promise<T[]> {
    return [...this.data.json.values()].map((json) => JSON.parse(json) as T);
  }

  async findBy(field: string, value: unknown, opts: { caseInsensitive?: boolean } = {}): Promise<T[]> {
    return this.data.lookup(field, value, opts.caseInsensitive === true).map((id) => this.data.read(id) as T);
  }

  async count(): Promise<number> {
    return this.data.rows.size;
  }

  private remember(id: string): void {
    const journal = this.store.journal();
    if (!journal) return;
    const before = this.data.rows.get(id);
    const beforeJson = this.data.json.get(id);
    journal.push(() => {
      if (before !== undefined && beforeJson !== undefined) this.data.put(before, beforeJson);
      else this.data.remove(id);
    });
  }

  /** Stores the row as JSON (and its parsed form for the indexes); returns a fresh copy. */
  private write(row: T): T {
    const json = JSON.stringify(row);
    this.data.put(JSON.parse(json) as T, json);
    return JSON.parse(json) as T;
  }

  async insert(row: T): Promise<T> {
    if (this.data.rows.has(row.id)) throw new HarnessError('CONFLICT', `${this.name} ${row.id} already exists`);
    this.remember(row.id);
    return this.write(row);
  }

  async update(row: T): Promise<T> {
    if (!this.data.rows.has(row.id)) throw new HarnessError('NOT_FOUND', `${this.name} ${row.id} does not exist`);
    this.remember(row.id);
    return this.write(row);
  }

  async delete(id: string): Promise<boolean> {
    if (!this.data.rows.has(id)) return false;
    this.remember(id);
    return this.data.remove(id);
  }
}

/** A stored value (as JSON, the form the SQL stores keep too) and when it expires. */
class Entry {
  constructor(
    readonly json: string,
    readonly expiresAtMs: number,
  ) {}
}

/**
 * What the map holds per key: an Entry, or for the value `true` (a set member, as in the replay
 * caches, which hold one per login) the bare expiry, so such an entry costs its key and a number.
 */
type Slot = Entry | number;

/**
 * A flat copy of a string, one byte per character when it is ASCII. A string cut from a larger one
 * (an assertion ID read out of the response XML) shares that larger string's memory: kept as a map
 * key it would keep the whole document alive for as long as the entry lives. Exact for every
 * well-formed string (UTF-8 round trip); the comparison catches the others (lone surrogates).
 */
function ownCopy(text: string): string {
  const copied = Buffer.from(text, 'utf8').toString('utf8');
  return copied === text ? copied : structuredClone(text);
}

const expiryOf = (slot: Slot): number => (typeof slot === 'number' ? slot : slot.expiresAtMs);
const slotFor = (value: unknown, expiresAtMs: number): Slot =>
  // JSON.stringify makes a new string of its own: only keys need ownCopy.
  value === true ? expiresAtMs : new Entry(JSON.stringify(value) ?? 'null', expiresAtMs);
const valueOf = <V>(slot: Slot): V => (typeof slot === 'number' ? true : JSON.parse(slot.json)) as V;

/**
 * A Map in insertion order; when full, the oldest entries go first (they expire first too).
 * Expired entries are dropped from the oldest end on every write, so a map written at a steady
 * rate holds what is live and no more. Inside a transaction every change, purges and evictions
 * included, is journaled; undoing a removal puts the entry back at the young end, so it is purged
 * or evicted a little later than it would have been, never lost.
 */
class MemoryExpiringMap<V> implements ExpiringMap<V> {
  private readonly entries = new Map<string, Slot>();
  /** The time of the latest read or add: `set` is given no time, and purges up to this one. */
  private lastNowMs = Number.NEGATIVE_INFINITY;
  /**
   * For a refusing map: no entry expires before this (a lower bound, kept on every write), so a
   * full map refuses at once until then instead of scanning every entry on every refused write
   * (a flood of refused writes must cost little).
   */
  private earliestExpiryMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: MemoryStore,
    private readonly name: string,
    private readonly maxEntries: number,
    private readonly refuseWhenFull: boolean,
  ) {}

  clear(): void {
    this.entries.clear();
  }

  /** Sets or removes (`undefined`) one entry, journaled when a transaction is running. */
  private change(key: string, slot: Slot | undefined): void {
    const journal = this.store.journal();
    if (journal) {
      const before = this.entries.get(key);
      journal.push(() => this.restore(key, before));
    }
    if (slot === undefined) this.entries.delete(key);
    else this.entries.set(key, slot);
  }

  private restore(key: string, before: Slot | undefined): void {
    if (before === undefined) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, before);
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiryOf(before));
  }

  private live(key: string, nowMs: number): Slot | undefined {
    this.lastNowMs = nowMs;
    const slot = this.entries.get(key);
    if (slot !== undefined && expiryOf(slot) <= nowMs) {
      this.change(key, undefined);
      return undefined;
    }
    return slot;
  }

  private makeRoom(nowMs: number): void {
    if (this.entries.size < this.maxEntries) return;
    if (this.refuseWhenFull) {
      if (nowMs < this.earliestExpiryMs) throw storeFull(this.name, this.maxEntries);
      // Every expired entry goes, wherever it sits; a map still full of live entries refuses.
      let earliest = Number.POSITIVE_INFINITY;
      for (const [key, slot] of this.entries) {
        const expiry = expiryOf(slot);
        if (expiry <= nowMs) this.change(key, undefined);
        else earliest = Math.min(earliest, expiry);
      }
      this.earliestExpiryMs = earliest;
      if (this.entries.size >= this.maxEntries) throw storeFull(this.name, this.maxEntries);
      return;
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.change(oldest.value, undefined);
    }
  }

  /** Drops expired entries from the oldest end (entries mostly expire in the order they came). */
  private purge(nowMs: number): void {
    for (const [key, slot] of this.entries) {
      if (expiryOf(slot) > nowMs) return;
      this.change(key, undefined);
    }
  }

  async add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (this.live(key, nowMs) !== undefined) return false;
    this.purge(nowMs);
    this.makeRoom(nowMs);
    this.change(ownCopy(key), slotFor(value, expiresAtMs));
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiresAtMs);
    return true;
  }

  async set(key: string, value: V, expiresAtMs: number): Promise<void> {
    this.change(key, undefined);
    this.purge(this.lastNowMs);
    this.makeRoom(this.lastNowMs);
    this.change(ownCopy(key), slotFor(value, expiresAtMs));
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiresAtMs);
  }

  async get(key: string, nowMs: number): Promise<V | undefined> {
    const slot = this.live(key, nowMs);
    return slot === undefined ? undefined : valueOf<V>(slot);
  }

  async take(key: string, nowMs: number): Promise<V | undefined> {
    const slot = this.live(key, nowMs);
    if (slot === undefined) return undefined;
    this.change(key, undefined);
    return valueOf<V>(slot);
  }

  async delete(key: string): Promise<void> {
    this.change(key, undefined);
  }

  async size(): Promise<number> {
    return this.entries.size;
  }
}

export class MemoryStore implements Store {
  private readonly tables = new Map<string, TableData<Row>>();
  private readonly maps = new Map<string, MemoryExpiringMap<unknown>>();
  /** Marks the async context of the running transaction, so calls made inside it join it. */
  private readonly inside = new AsyncLocalStorage<Transaction>();
  private readonly gate = new SerialGate();

  /** The undo journal of the transaction this call belongs to, when one is running. */
  journal(): Undo[] | undefined {
    const tx = this.inside.getStore();
    return tx?.open ? tx.journal : undefined;
  }

  table<T extends Row>({ name }: TableRef<T>): Table<T> {
    let data = this.tables.get(name);
    if (!data) {
      data = new TableData();
      this.tables.set(name, data);
    }
    return new MemoryTable<T>(this, name, data as unknown as TableData<T>);
  }

  expiring<V>({ name, options: opts }: MapRef<V>): ExpiringMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      map = new MemoryExpiringMap(this, name, opts.maxEntries ?? 100_000, opts.whenFull === 'refuse');
      this.maps.set(name, map);
    }
    return map as ExpiringMap<V>;
  }

  async transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
    if (this.inside.getStore()?.open) return fn(this); // already inside one: join it
    return this.gate.enqueue(async () => {
      // Work that outlives the transaction (timers, events) inherits this context: closing it
      // makes that work's writes plain ones instead of entries in a finished journal.
      const tx: Transaction = { open: true, journal: [] };
      try {
        return await this.inside.run(tx, () => fn(this));
      } catch (err) {
        tx.open = false;
        for (const undo of tx.journal.reverse()) undo();
        throw err;
      } finally {
        tx.open = false;
      }
    });
  }

  private readonly locks = new ProcessLocks();

  exclusive<R>(name: string, _waitMs: number, fn: () => Promise<R>): Promise<R> {
    return this.locks.run(name, fn);
  }

  async hasRowsBut(keep: readonly AnyTableRef[]): Promise<boolean> {
    const keepTables = keep.map((t) => t.name);
    for (const [name, data] of this.tables) if (!keepTables.includes(name) && data.rows.size > 0) return true;
    return false;
  }

  async clearAllBut(keep: readonly AnyTableRef[]): Promise<void> {
    const keepTables = keep.map((t) => t.name);
    await this.transaction(async () => {
      // Emptied in place: the tables and maps handed out earlier stay the ones in use.
      for (const [name, data] of this.tables) if (!keepTables.includes(name)) data.clear();
      for (const map of this.maps.values()) map.clear();
    });
  }

  async close(): Promise<void> {
    this.tables.clear();
    this.maps.clear();
  }
}
