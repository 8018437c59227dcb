// The PostgreSQL store's tables: JSONB documents in one table keyed by (table, id); `findBy` reads
// an expression index made the first time a field is looked up.
import { HarnessError } from '../errors.js';
import type { PostgresStatements } from './postgres-schema.js';
import type { Row, Table } from './types.js';

const parse = <T>(doc: unknown): T => doc as T; // pg already parses JSONB

export class PostgresTable<T extends Row> implements Table<T> {
  constructor(
    private readonly store: PostgresStatements & {
      /** The SQL expression reading a field, its index made on first use. */
      indexedExpression(field: string, ci: boolean): string;
    },
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
