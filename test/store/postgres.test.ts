import assert from 'node:assert/strict';
import pg from 'pg';
import type { HarnessError } from '../../src/errors.js';
import { POSTGRES_SCHEMA_VERSION } from '../../src/store/postgres-schema.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { mapRef, tableRef, type Store } from '../../src/store/types.js';
import { freshDatabase, PG_URL, requirePostgres } from '../support/postgres.js';
import { storeContract } from './contract.js';

/** Takes `store`'s seed lock and holds it until `release()`; resolves once it is held. */
async function holdSeedLock(store: { exclusive(name: string, waitMs: number, fn: () => Promise<unknown>): Promise<unknown> }): Promise<{ holder: Promise<unknown>; release: () => void }> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered: () => void = () => undefined;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const holder = store.exclusive('seed', 5_000, async () => {
    entered();
    await held;
  });
  await inside;
  return { holder, release };
}

describe('PostgreSQL store', function () {
  before(function () {
    requirePostgres(this);
  });

  const drops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const drop of drops) await drop();
  });
  const fresh = async (): Promise<string> => {
    const db = await freshDatabase();
    drops.push(db.drop);
    return db.url;
  };

  storeContract('PostgreSQL', async () => openPostgresStore(await fresh()));

  describe('two stores on one database (two instances)', () => {
    let a: Store;
    let b: Store;
    let url: string;
    beforeEach(async () => {
      url = await fresh();
      a = await openPostgresStore(url);
      b = await openPostgresStore(url);
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it('shares rows, and a single-use entry is taken by exactly one of them', async () => {
      await a.table(tableRef<{ id: string; email: string }>('users')).insert({ id: 'u1', email: 'ann@acme.test' });
      assert.deepEqual(await b.table(tableRef('users')).get('u1'), { id: 'u1', email: 'ann@acme.test' });
      await a.expiring(mapRef<string>('requests')).add('id-1', 'pending', 10_000, 0);
      const takes = await Promise.all([a, b, a, b].map((s) => s.expiring(mapRef<string>('requests')).take('id-1', 1)));
      assert.deepEqual(takes.filter((t) => t !== undefined), ['pending']);
    });

    it('holds an exclusive lock across instances, and gives up waiting with STORE_LOCK_TIMEOUT', async () => {
      const { holder, release } = await holdSeedLock(a);
      await assert.rejects(b.exclusive('seed', 200, async () => 'never'), (err: HarnessError) => {
        assert.equal(err.code, 'STORE_LOCK_TIMEOUT');
        assert.match(err.message, /waited 200 ms for the seed lock of PostgreSQL/);
        return true;
      });
      const waiting = b.exclusive('seed', 5_000, async () => 'b got it');
      release();
      await holder;
      assert.equal(await waiting, 'b got it');
    });

    it('frees an exclusive lock when its holder\'s connection dies (a process killed while seeding)', async () => {
      const { holder, release } = await holdSeedLock(a);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 72003 AND granted");
        assert.equal(killed.rowCount, 1);
      } finally {
        await admin.end();
      }
      assert.equal(await b.exclusive('seed', 5_000, async () => 'b got it'), 'b got it');
      release();
      await holder;
    });

    it('lets exactly one of many concurrent adds of one key win (replay cache)', async () => {
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).expiring(mapRef<true>('assertions')).add('assertion-1', true, 10_000, 0)));
      assert.equal(wins.filter(Boolean).length, 1);
    });

    it('runs read-then-write transactions of both instances one at a time', async () => {
      await a.table(tableRef<{ id: string; n: number }>('counter')).insert({ id: 'c', n: 0 });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).transaction(async (tx) => {
            const t = tx.table(tableRef<{ id: string; n: number }>('counter'));
            const row = await t.get('c');
            await new Promise((resolve) => setImmediate(resolve));
            await t.update({ id: 'c', n: (row?.n ?? 0) + 1 });
          }),
        ),
      );
      assert.equal((await b.table(tableRef<{ id: string; n: number }>('counter')).get('c'))?.n, 20);
    });
  });

  describe('opening', () => {
    it('refuses a database from a newer sso-harness', async () => {
      const url = await fresh();
      await (await openPostgresStore(url)).close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query("UPDATE harness_meta SET value = $1 WHERE key = 'schema_version'", [String(POSTGRES_SCHEMA_VERSION + 1)]);
      await c.end();
      await assert.rejects(openPostgresStore(url), /schema version 2, written by a newer sso-harness/);
    });

    it('names an unreachable server without its password, and says what to do', async () => {
      const url = new URL(PG_URL as string);
      url.port = '1';
      url.password = 'hunter2-secret';
      await assert.rejects(openPostgresStore(url.toString(), { connectTimeoutMs: 2000 }), (err: HarnessError) => {
        assert.equal(err.code, 'STORE_UNAVAILABLE');
        assert.match(err.message, /cannot be reached \(ECONNREFUSED\); start it/);
        assert.ok(!err.message.includes('hunter2-secret'));
        assert.match(err.message, /\*\*\*/);
        return true;
      });
    });

    it('names a database that does not exist', async () => {
      const url = new URL(PG_URL as string);
      url.pathname = '/no_such_database_here';
      await assert.rejects(openPostgresStore(url.toString()), /the database does not exist \(3D000\); create it/);
    });
  });
});
