// The in-memory store: tests and `--memory` runs. Rows and expiring-map values are kept as JSON, as
// the SQL stores keep them: every read parses a fresh object (cheaper than a structured clone), so a
// caller mutating a returned object never changes stored state behind the store's back, and values
// behave the same on every back-end (JSON types only). A transaction is the SQL stores' one too: every
// write made in its async context joins it, through any handle, expiring maps included, and is undone
// with it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { MemoryExpiringMap } from './memory-expiring-map.js';
import type { Undo } from './memory-journal.js';
import { MemoryTable, TableData } from './memory-table.js';
import { SerialGate } from './serial-gate.js';
import { ProcessLocks, type ExpiringMap, type AnyTableRef, type MapRef, type Row, type Store, type Table, type TableRef } from './types.js';

/** The running transaction: what undoes its writes, and whether it is still running. */
interface Transaction {
  open: boolean;
  readonly journal: Undo[];
}

export class MemoryStore implements Store {
  private readonly tables = new Map<string, TableData<Row>>();
  private readonly maps = new Map<string, MemoryExpiringMap<unknown>>();
  /** Marks the async context of the running transaction, so calls made inside it join it. */
  private readonly inside = new AsyncLocalStorage<Transaction>();
  private readonly gate = new SerialGate();

  /** The undo journal of the transaction this call belongs to, when one is running. */
  private readonly journal = (): Undo[] | undefined => {
    const tx = this.inside.getStore();
    return tx?.open ? tx.journal : undefined;
  };

  table<T extends Row>({ name }: TableRef<T>): Table<T> {
    let data = this.tables.get(name);
    if (!data) {
      data = new TableData();
      this.tables.set(name, data);
    }
    return new MemoryTable<T>(this.journal, name, data as unknown as TableData<T>);
  }

  expiring<V>({ name, options: opts }: MapRef<V>): ExpiringMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      map = new MemoryExpiringMap(this.journal, name, opts.maxEntries ?? 100_000, opts.whenFull === 'refuse');
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
