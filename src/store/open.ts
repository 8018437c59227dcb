// Which store a run uses: `memory`, `sqlite` (harness.db in the data directory), a SQLite file
// path, or a PostgreSQL URL. Parsing is separate from opening so a bad value fails with the
// rest of the configuration, before anything listens.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import { redactUrl } from './sql-common.js';
import type { AnyTableRef, Store } from './types.js';


export type StoreSpec =
  | { kind: 'memory' }
  /** `dataDir` when the file is the data directory's default one (`--store sqlite`). */
  | { kind: 'sqlite'; path: string; dataDir?: string }
  | { kind: 'postgres'; url: string };

/** The default SQLite file's name inside the data directory. */
export const SQLITE_FILE = 'harness.db';

export function parseStoreSpec(value: string, dataDir: string): StoreSpec {
  const text = value.trim();
  if (text === '' || text === 'memory') return { kind: 'memory' };
  if (text === 'sqlite') return { kind: 'sqlite', path: join(dataDir, SQLITE_FILE), dataDir };
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new HarnessError('CONFIG_INVALID', `store: ${redactUrl(text)} is not a valid PostgreSQL URL; e.g. postgres://user:password@127.0.0.1:5432/harness`);
    }
    return { kind: 'postgres', url: text };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new HarnessError('CONFIG_INVALID', `store: ${redactUrl(text)} is not a store sso-harness knows; use memory, sqlite, a SQLite file path or a postgres:// URL`);
  }
  return { kind: 'sqlite', path: resolve(text.replace(/^sqlite:/i, '')) };
}

/** Where the state lives, in words for the start banner. */
export function describeStore(spec: StoreSpec): string {
  if (spec.kind === 'memory') return 'in memory (lost when the process stops)';
  if (spec.kind === 'sqlite') return `SQLite file ${spec.path}`;
  return `PostgreSQL ${redactUrl(spec.url)}`;
}

/** A path as a user typed it: relative to the working directory when inside it (`./.sso-harness`). */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : `./${rel}`;
}

export interface OpenStoreOptions {
  /**
   * Start on an empty state, keeping only these tables (the harness's own marks): a SQLite file
   * holding other rows is moved aside (`Store.setAsideTo` says where); a PostgreSQL database
   * holding them is refused with STORE_NOT_EMPTY, since other instances may be using it.
   */
  emptyBut?: readonly AnyTableRef[];
}

/** Opens the store; only the chosen kind's module (and driver) is loaded. */
export async function openStore(spec: StoreSpec, opts: OpenStoreOptions = {}): Promise<Store> {
  if (spec.kind === 'memory') {
    const { MemoryStore } = await import('./memory.js');
    return new MemoryStore();
  }
  if (spec.kind === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite.js');
    const lockWording =
      spec.dataDir === undefined
        ? { what: `the SQLite file ${shown(spec.path)}`, instead: 'use --store with another file' }
        : { what: `the data directory ${shown(spec.dataDir)}`, instead: 'use --data for another' };
    return openSqliteStore(spec.path, { lockWording, ...(opts.emptyBut && { emptyBut: opts.emptyBut.map((t) => t.name) }) });
  }
  const { openPostgresStore } = await import('./postgres.js');
  const store = await openPostgresStore(spec.url);
  if (opts.emptyBut && (await store.hasRowsBut(opts.emptyBut))) {
    await store.close();
    throw new HarnessError(
      'STORE_NOT_EMPTY',
      `PostgreSQL ${redactUrl(spec.url)} already holds state, and a blank start never replaces a store other instances may share; start without --blank to use it as it is, or give --store an empty database`,
    );
  }
  return store;
}
