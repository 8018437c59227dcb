import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IDP_USERS } from '../../src/idp/model.js';
import { SP_ACCOUNTS, SP_USERS, type SpUser } from '../../src/sp/model.js';
import { MemoryStore } from '../../src/store/memory.js';
import { expiringMap, MAP, table, TABLE } from '../../src/store/tables.js';
import type { Store, Table } from '../../src/store/types.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every map of the registry, the families (one map per SP, a configured bound) made with sample arguments. */
const { spRequests, idpServedRequests, ...fixedMaps } = MAP;
const mapRefs = [...Object.entries(fixedMaps), ['spRequests', spRequests(7)], ['idpServedRequests', idpServedRequests('https://sp.example.test', 7)]] as const;

/**
 * What the compiler refuses (checked by `npm run typecheck`: an error that stops happening fails it).
 * Never called.
 */
export function refusedByTheCompiler(store: Store): void {
  // @ts-expect-error a table is opened through its registry entry, never by a name
  store.table('sp.users');
  // @ts-expect-error nor an expiring map
  store.expiring('sp.sessions');
  // @ts-expect-error the rows of one table are not read as another's
  const accounts: Table<{ id: string; name: string }> = store.table(SP_USERS);
  // @ts-expect-error nor written as another's
  void store.table(SP_ACCOUNTS).insert({ id: 'u1', email: 'ann@acme.test' } as SpUser);
  void accounts;
  // @ts-expect-error a handle is made from a name of the registry, never from a string
  void table<SpUser>('sp.users');
  // @ts-expect-error nor a map's, whose bounds come with its name
  void expiringMap<string>({ name: 'sp.sessions', options: {} });
  // @ts-expect-error nor is a registry name opened without a handle, which gives it its row type
  store.table(TABLE.spUsers);
}

describe('the table registry', () => {
  it('gives every table and map a name of its own', () => {
    const names = [...Object.values(TABLE), ...mapRefs.map(([, m]) => m.name)];
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
    // A family's names never meet a fixed name either.
    assert.deepEqual(
      Object.values(fixedMaps).filter((m) => m.name.startsWith('idp.served-requests:')),
      [],
    );
  });

  it('is where every table and map of the code is named: no reference is made anywhere else', () => {
    const makers = /\b(tableRef|mapRef)\s*[<(]/;
    const elsewhere = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => file !== join('store', 'tables.ts') && file !== join('store', 'types.ts'))
      .filter((file) => makers.test(readFileSync(join(SRC, file), 'utf8')));
    assert.deepEqual(elsewhere, []);
  });

  it('gives each table and map one handle, made by its owner: one row type per name', () => {
    const uses = new Map<string, string[]>();
    for (const file of sourceFiles(SRC)) {
      const where = relative(SRC, file);
      if (where === join('store', 'tables.ts')) continue;
      for (const [, registry, key] of readFileSync(file, 'utf8').matchAll(/\b(TABLE|MAP)\.(\w+)/g)) {
        const name = `${registry}.${key}`;
        uses.set(name, [...(uses.get(name) ?? []), where]);
      }
    }
    const registered = [...Object.keys(TABLE).map((k) => `TABLE.${k}`), ...Object.keys(MAP).map((k) => `MAP.${k}`)];
    assert.deepEqual(registered.filter((name) => uses.get(name)?.length !== 1).map((name) => [name, uses.get(name) ?? []]), []);
    assert.deepEqual([...uses.keys()].filter((name) => !registered.includes(name)), []);
  });

  it('bounds the state that proves a flow by refusing when full, never by dropping a live entry', () => {
    const refusing = mapRefs.filter(([, m]) => m.options.whenFull === 'refuse').map(([key]) => key);
    assert.deepEqual(refusing.sort(), ['idpPending', 'idpServedRequests', 'spAssertions', 'spOAuthRequests', 'spRequests']);
    for (const [key, m] of mapRefs) assert.ok(m.options.maxEntries !== undefined && m.options.maxEntries > 0, `${key} has a bound`);
  });

  it('opens one table per entry: rows written through one entry are read through it only', async () => {
    const store = new MemoryStore();
    await store.table(SP_USERS).insert({ id: 'u1' } as SpUser);
    assert.equal(await store.table(SP_USERS).count(), 1);
    assert.equal(await store.table(IDP_USERS).count(), 0);
    await store.close();
  });
});
