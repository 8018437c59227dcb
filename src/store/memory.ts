// The in-memory store: tests and `--memory` runs. Rows are copied in and out, so a caller
// mutating a returned object never changes stored state behind the store's back.
import { HarnessError } from '../errors.js';
import type { ExpiringMap, Row, Store, Table } from './types.js';

type Undo = () => void;

const copy = <T>(value: T): T => structuredClone(value);

class MemoryTable<T extends Row> implements Table<T> {
  constructor(
    private readonly name: string,
    private readonly rows: Map<string, T>,
    private readonly journal: Undo[] | undefined,
  ) {}

  async get(id: string): Promise<T | undefined> {
    const row = this.rows.get(id);
    return row === undefined ? undefined : copy(row);
  }

  async list(): Promise<T[]> {
    return [...this.rows.values()].map(copy);
  }

  async findBy<K extends keyof T & string>(field: K, value: T[K], opts: { caseInsensitive?: boolean } = {}): Promise<T[]> {
    const fold = (v: unknown): unknown => (opts.caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v);
    const wanted = fold(value);
    const out: T[] = [];
    for (const row of this.rows.values()) if (fold(row[field]) === wanted) out.push(copy(row));
    return out;
  }

  private remember(id: string): void {
    if (!this.journal) return;
    const had = this.rows.has(id);
    const before = this.rows.get(id);
    this.journal.push(() => {
      if (had) this.rows.set(id, before as T);
      else this.rows.delete(id);
    });
  }

  async insert(row: T): Promise<T> {
    if (this.rows.has(row.id)) throw new HarnessError('CONFLICT', `${this.name} ${row.id} already exists`);
    this.remember(row.id);
    this.rows.set(row.id, copy(row));
    return copy(row);
  }

  async update(row: T): Promise<T> {
    if (!this.rows.has(row.id)) throw new HarnessError('NOT_FOUND', `${this.name} ${row.id} does not exist`);
    this.remember(row.id);
    this.rows.set(row.id, copy(row));
    return copy(row);
  }

  async delete(id: string): Promise<boolean> {
    if (!this.rows.has(id)) return false;
    this.remember(id);
    return this.rows.delete(id);
  }
}

interface Entry<V> {
  value: V;
  expiresAtMs: number;
}

/** A Map in insertion order; when full, the oldest entries go first (they expire first too). */
class MemoryExpiringMap<V> implements ExpiringMap<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries: number) {}

  private live(key: string, nowMs: number): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private makeRoom(): void {
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }

  async add(key: string, value: V, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (this.live(key, nowMs)) return false;
    this.makeRoom();
    this.entries.set(key, { value: copy(value), expiresAtMs });
    return true;
  }

  async set(key: string, value: V, expiresAtMs: number): Promise<void> {
    this.entries.delete(key);
    this.makeRoom();
    this.entries.set(key, { value: copy(value), expiresAtMs });
  }

  async get(key: string, nowMs: number): Promise<V | undefined> {
    const entry = this.live(key, nowMs);
    return entry ? copy(entry.value) : undefined;
  }

  async take(key: string, nowMs: number): Promise<V | undefined> {
    const entry = this.live(key, nowMs);
    if (!entry) return undefined;
    this.entries.delete(key);
    return entry.value;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async size(): Promise<number> {
    return this.entries.size;
  }
}

export class MemoryStore implements Store {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly maps = new Map<string, MemoryExpiringMap<unknown>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly journal?: Undo[], parent?: MemoryStore) {
    if (parent) {
      this.tables = parent.tables;
      this.maps = parent.maps;
    }
  }

  table<T extends Row>(name: string): Table<T> {
    let rows = this.tables.get(name);
    if (!rows) {
      rows = new Map();
      this.tables.set(name, rows);
    }
    return new MemoryTable<T>(name, rows as Map<string, T>, this.journal);
  }

  expiring<V>(name: string, opts: { maxEntries?: number } = {}): ExpiringMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      map = new MemoryExpiringMap(opts.maxEntries ?? 100_000);
      this.maps.set(name, map);
    }
    return map as ExpiringMap<V>;
  }

  async transaction<R>(fn: (tx: Store) => Promise<R>): Promise<R> {
    if (this.journal) return fn(this); // already inside one: join it
    const run = async (): Promise<R> => {
      const journal: Undo[] = [];
      try {
        return await fn(new MemoryStore(journal, this));
      } catch (err) {
        for (const undo of journal.reverse()) undo();
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.tables.clear();
    this.maps.clear();
  }
}
