// The in-memory store's tables: rows kept as JSON (each read parses a fresh object), with lookup
// indexes built on first use. Writes made inside a transaction are journaled, so it can undo them.
import { HarnessError } from '../errors.js';
import type { CurrentJournal } from './memory-journal.js';
import type { Row, Table } from './types.js';

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
export class TableData<T extends Row> {
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

export class MemoryTable<T extends Row> implements Table<T> {
  constructor(
    /** The undo journal of the running transaction, when the call is made inside one. */
    private readonly journal: CurrentJournal,
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
    const journal = this.journal();
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
