// The SQLite store's tables: JSON documents in one table keyed by (table, id); `findBy` reads an
// expression index created the first time a field is looked up.
import type Database from 'better-sqlite3';
import { HarnessError } from '../errors.js';
import { fold, type StatementRunner, type Statements } from './sqlite-schema.js';
import { jsonValue } from './sql-common.js';
import type { Row, Table } from './types.js';

export class SqliteTable<T extends Row> implements Table<T> {
  constructor(
    private readonly store: StatementRunner & {
      /** The prepared lookup for one field path (and its index, created on first use). */
      lookup(field: string, ci: boolean): Database.Statement<[string, unknown], { doc: string }>;
    },
    private readonly name: string,
  ) {}

  private get s(): Statements {
    return this.store.statements;
  }

  get(id: string): Promise<T | undefined> {
    return this.store.run(() => {
      const row = this.s.get.get(this.name, id);
      return row ? (JSON.parse(row.doc) as T) : undefined;
    });
  }

  list(): Promise<T[]> {
    return this.store.run(() => this.s.list.all(this.name).map((r) => JSON.parse(r.doc) as T));
  }

  findBy(field: string, value: unknown, opts: { caseInsensitive?: boolean } = {}): Promise<T[]> {
    return this.store.run(() => {
      const ci = opts.caseInsensitive === true;
      const statement = this.store.lookup(field, ci);
      return statement.all(this.name, jsonValue(ci ? fold(value) : value)).map((r) => JSON.parse(r.doc) as T);
    });
  }

  count(): Promise<number> {
    return this.store.run(() => this.s.count.get(this.name)?.n ?? 0);
  }

  insert(row: T): Promise<T> {
    return this.store.run(() => {
      const doc = JSON.stringify(row);
      try {
        this.s.insert.run(this.name, row.id, doc);
      } catch (err) {
        if (err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new HarnessError('CONFLICT', `${this.name} ${row.id} already exists`);
        throw err;
      }
      return JSON.parse(doc) as T;
    });
  }

  update(row: T): Promise<T> {
    return this.store.run(() => {
      const doc = JSON.stringify(row);
      if (this.s.update.run(doc, this.name, row.id).changes === 0) throw new HarnessError('NOT_FOUND', `${this.name} ${row.id} does not exist`);
      return JSON.parse(doc) as T;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.store.run(() => this.s.delete.run(this.name, id).changes > 0);
  }
}
