// The behaviour every Store back-end must have. Each back-end's test file runs this suite
// against a fresh store per test.
import assert from 'node:assert/strict';
import { HarnessError } from '../../src/errors.js';
import { mapRef, tableRef, type Store } from '../../src/store/types.js';

interface Person {
  id: string;
  email: string;
  accountId: string;
  extension?: { number: string; country?: string };
  tags: string[];
}

const ann: Person = { id: 'p1', email: 'Ann@Acme.test', accountId: 'a1', extension: { number: '101' }, tags: ['x'] };
const bob: Person = { id: 'p2', email: 'bob@acme.test', accountId: 'a1', tags: [] };
const cid: Person = { id: 'p3', email: 'cid@other.test', accountId: 'a2', extension: { number: '101', country: 'US' }, tags: [] };

const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id).sort();

const PEOPLE = tableRef<Person>('people');
const META = tableRef<{ id: string }>('meta');
const REQUESTS = mapRef<string>('requests');

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    const people = () => store.table(PEOPLE);

    it('runs the holders of one exclusive lock one after the other', async () => {
      const log: string[] = [];
      const hold = (who: string) =>
        store.exclusive('seed', 5_000, async () => {
          log.push(`${who} in`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          log.push(`${who} out`);
          return who;
        });
      assert.deepEqual(await Promise.all([hold('a'), hold('b')]), ['a', 'b']);
      assert.deepEqual(log, ['a in', 'a out', 'b in', 'b out']);
      // A holder that fails lets the next one in.
      await assert.rejects(store.exclusive('seed', 5_000, async () => Promise.reject(new Error('boom'))), /boom/);
      assert.equal(await store.exclusive('seed', 5_000, async () => 'after'), 'after');
    });

    it('clears every table but the kept ones, and every expiring entry, with handed-out tables still in use', async () => {
      const kept = store.table(META);
      await kept.insert({ id: 'seed' });
      await people().insert(ann);
      await people().findBy('accountId', 'a1'); // an index exists
      const requests = store.expiring(REQUESTS);
      await requests.add('r1', 'pending', 10_000, 0);
      await store.clearAllBut([META]);
      assert.deepEqual(await kept.list(), [{ id: 'seed' }]);
      assert.equal(await people().count(), 0);
      assert.deepEqual(await people().findBy('accountId', 'a1'), []);
      assert.equal(await requests.get('r1', 1), undefined);
      await people().insert(ann);
      assert.deepEqual(ids(await people().findBy('accountId', 'a1')), ['p1']);
      assert.equal(await requests.add('r1', 'again', 10_000, 0), true);
    });

    it('tells whether a table other than the kept ones holds a row', async () => {
      assert.equal(await store.hasRowsBut([META]), false);
      await store.table(META).insert({ id: 'seed' });
      await store.expiring(REQUESTS).add('r1', 'pending', 10_000, 0);
      assert.equal(await store.hasRowsBut([META]), false, 'the kept table and expiring entries are no state to lose');
      assert.equal(await store.hasRowsBut([]), true);
      await people().insert(ann);
      assert.equal(await store.hasRowsBut([META]), true);
      await people().delete(ann.id);
      assert.equal(await store.hasRowsBut([META]), false);
    });

    it('inserts, reads, lists, counts, updates and deletes rows', async () => {
      await people().insert(ann);
      await people().insert(bob);
      assert.deepEqual(await people().get('p1'), ann);
      assert.equal(await people().get('nope'), undefined);
      assert.deepEqual(ids(await people().list()), ['p1', 'p2']);
      assert.equal(await people().count(), 2);
      await people().update({ ...bob, email: 'robert@acme.test' });
      assert.equal((await people().get('p2'))?.email, 'robert@acme.test');
      assert.equal(await people().delete('p2'), true);
      assert.equal(await people().delete('p2'), false);
      assert.deepEqual(ids(await people().list()), ['p1']);
      assert.equal(await store.table(tableRef<Person>('other')).count(), 0, 'tables are separate');
    });

    it('refuses a duplicate id (CONFLICT) and an update of a missing row (NOT_FOUND)', async () => {
      await people().insert(ann);
      await assert.rejects(people().insert({ ...ann, email: 'x@y.test' }), { code: 'CONFLICT' });
      await assert.rejects(people().update(bob), { code: 'NOT_FOUND' });
      assert.equal((await people().get('p1'))?.email, ann.email);
    });

    it('hands out copies: changing a returned row changes nothing stored', async () => {
      const inserted = await people().insert({ ...ann, tags: ['x'] });
      inserted.tags.push('changed');
      const read = await people().get('p1');
      read?.tags.push('changed too');
      (await people().findBy('accountId', 'a1'))[0]?.tags.push('and again');
      assert.deepEqual((await people().get('p1'))?.tags, ['x']);
    });

    it('finds rows by a field, exactly or case-insensitively, and by a dotted path', async () => {
      for (const p of [ann, bob, cid]) await people().insert(p);
      assert.deepEqual(ids(await people().findBy('accountId', 'a1')), ['p1', 'p2']);
      assert.deepEqual(ids(await people().findBy('email', 'ann@acme.test')), []);
      assert.deepEqual(ids(await people().findBy('email', 'ann@acme.test', { caseInsensitive: true })), ['p1']);
      assert.deepEqual(ids(await people().findBy('email', 'ANN@ACME.TEST', { caseInsensitive: true })), ['p1']);
      assert.deepEqual(ids(await people().findBy('extension.number', '101')), ['p1', 'p3']);
      assert.deepEqual(ids(await people().findBy('extension.country', 'us', { caseInsensitive: true })), ['p3']);
      assert.deepEqual(ids(await people().findBy('extension.number', '999')), []);
    });

    it('keeps lookups right after updates and deletes (indexes follow every write)', async () => {
      for (const p of [ann, bob, cid]) await people().insert(p);
      assert.deepEqual(ids(await people().findBy('accountId', 'a1')), ['p1', 'p2']);
      assert.deepEqual(ids(await people().findBy('email', 'bob@acme.test', { caseInsensitive: true })), ['p2']);
      await people().update({ ...bob, accountId: 'a2', email: 'Bobby@acme.test' });
      await people().update({ ...ann, extension: { number: '102' } });
      await people().delete('p3');
      assert.deepEqual(ids(await people().findBy('accountId', 'a1')), ['p1']);
      assert.deepEqual(ids(await people().findBy('accountId', 'a2')), ['p2']);
      assert.deepEqual(ids(await people().findBy('email', 'bob@acme.test', { caseInsensitive: true })), []);
      assert.deepEqual(ids(await people().findBy('email', 'bobby@ACME.test', { caseInsensitive: true })), ['p2']);
      assert.deepEqual(ids(await people().findBy('extension.number', '101')), []);
      assert.deepEqual(ids(await people().findBy('extension.number', '102')), ['p1']);
      await people().insert({ ...cid, id: 'p4' });
      assert.deepEqual(ids(await people().findBy('extension.number', '101')), ['p4']);
    });

    it('undoes every write of a transaction that throws, lookups included', async () => {
      await people().insert(ann);
      await people().findBy('email', 'x', { caseInsensitive: true }); // an index exists before the transaction
      await assert.rejects(
        store.transaction(async (tx) => {
          const t = tx.table(PEOPLE);
          await t.insert(bob);
          await t.update({ ...ann, email: 'renamed@acme.test', accountId: 'a9' });
          await t.insert(cid);
          await t.delete('p3');
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(ids(await people().list()), ['p1']);
      assert.deepEqual(await people().get('p1'), ann);
      assert.deepEqual(ids(await people().findBy('accountId', 'a1')), ['p1']);
      assert.deepEqual(ids(await people().findBy('accountId', 'a9')), []);
      assert.deepEqual(ids(await people().findBy('email', 'renamed@acme.test', { caseInsensitive: true })), []);
      assert.deepEqual(ids(await people().findBy('email', 'ann@acme.test', { caseInsensitive: true })), ['p1']);
    });

    it('keeps every write of a transaction that returns, and joins a nested one', async () => {
      const out = await store.transaction(async (tx) => {
        await tx.table(PEOPLE).insert(ann);
        await tx.transaction(async (inner) => inner.table(PEOPLE).insert(bob));
        return 'done';
      });
      assert.equal(out, 'done');
      assert.deepEqual(ids(await people().list()), ['p1', 'p2']);
    });

    it('runs transactions one at a time: a read-then-write cannot interleave', async () => {
      await store.table(tableRef<{ id: string; n: number }>('counter')).insert({ id: 'c', n: 0 });
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.transaction(async (tx) => {
            const t = tx.table(tableRef<{ id: string; n: number }>('counter'));
            const row = await t.get('c');
            await new Promise((resolve) => setImmediate(resolve));
            await t.update({ id: 'c', n: (row?.n ?? 0) + 1 });
          }),
        ),
      );
      assert.equal((await store.table(tableRef<{ id: string; n: number }>('counter')).get('c'))?.n, 20);
    });

    it('lets a call on the store itself, made inside a transaction, see that transaction (no deadlock)', async () => {
      await store.transaction(async (tx) => {
        await tx.table(PEOPLE).insert(ann);
        assert.equal((await store.table(PEOPLE).get('p1'))?.email, ann.email);
        assert.equal((await people().findBy('accountId', 'a1')).length, 1);
      });
    });

    it('joins writes through the outer store and its handles, made inside a transaction, to it: a failure leaves none behind, expiring maps included', async () => {
      const requests = store.expiring(REQUESTS);
      const replay = store.expiring(mapRef<true>('refusing', { maxEntries: 2, whenFull: 'refuse' }));
      const outerPeople = people(); // handed out before the transaction, as callers keep them
      await outerPeople.insert(ann);
      await requests.add('kept', 'before', 10_000, 0);
      await requests.add('taken', 'before', 10_000, 0);
      await replay.add('old', true, 50, 0);
      await assert.rejects(
        store.transaction(async () => {
          await outerPeople.insert(bob);
          await outerPeople.update({ ...ann, email: 'renamed@acme.test' });
          await store.table(PEOPLE).insert(cid);
          await store.table(PEOPLE).delete('p3');
          await requests.add('new', 'inside', 10_000, 5);
          await requests.set('kept', 'replaced', 20_000);
          assert.equal(await requests.take('taken', 5), 'before');
          await replay.add('a', true, 10_000, 100); // the expired entry makes room and goes
          await replay.add('b', true, 10_000, 100);
          // The transaction sees its own writes through the outer handles.
          assert.equal((await people().get('p2'))?.email, bob.email);
          assert.equal(await requests.get('kept', 5), 'replaced');
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(ids(await people().list()), ['p1']);
      assert.deepEqual(await people().get('p1'), ann);
      assert.deepEqual(ids(await people().findBy('email', 'renamed@acme.test', { caseInsensitive: true })), []);
      assert.equal(await requests.get('new', 5), undefined);
      assert.equal(await requests.get('kept', 5), 'before');
      assert.equal(await requests.get('kept', 15_000), undefined, 'the earlier expiry is back too');
      assert.equal(await requests.take('taken', 5), 'before', 'a taken entry is back, and single use again');
      assert.equal(await replay.get('a', 100), undefined);
      assert.equal(await replay.get('b', 100), undefined);
      assert.equal(await replay.get('old', 10), true, 'an entry dropped to make room is back');
    });

    it('keeps writes through the outer store, made inside a transaction that returns, with that transaction', async () => {
      const requests = store.expiring(REQUESTS);
      await store.transaction(async () => {
        await people().insert(ann);
        await requests.add('r1', 'inside', 10_000, 0);
      });
      assert.deepEqual(ids(await people().list()), ['p1']);
      assert.equal(await requests.get('r1', 1), 'inside');
    });

    it('keeps a write made outside a transaction while it runs, when that transaction fails', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const failing = store.transaction(async (tx) => {
        await tx.table(PEOPLE).insert(ann);
        started();
        await gate;
        throw new Error('abort');
      });
      await running;
      const outside = people().insert(bob);
      release();
      await assert.rejects(failing, /abort/);
      await outside;
      assert.deepEqual(ids(await people().list()), ['p2']);
    });

    it('keeps expiring entries until they expire, once each with add and take', async () => {
      const m = store.expiring(mapRef<{ user: string }>('requests'));
      assert.equal(await m.add('r1', { user: 'ann' }, 1_000, 0), true);
      assert.equal(await m.add('r1', { user: 'eve' }, 1_000, 10), false, 'a live entry is not replaced by add');
      assert.deepEqual(await m.get('r1', 500), { user: 'ann' });
      assert.deepEqual(await m.take('r1', 500), { user: 'ann' });
      assert.equal(await m.take('r1', 500), undefined, 'take is single use');
      await m.set('r2', { user: 'bob' }, 1_000);
      assert.equal(await m.get('r2', 1_000), undefined, 'gone at its expiry time');
      assert.equal(await m.add('r2', { user: 'cid' }, 3_000, 2_000), true, 'an expired entry can be added again');
      await m.delete('r2');
      assert.equal(await m.get('r2', 2_000), undefined);
    });

    it('purges expired entries as new ones arrive, so the map does not grow under load', async () => {
      const m = store.expiring(mapRef<number>('replay'));
      for (let i = 0; i < 1000; i++) await m.add(`old${i}`, i, 10, 0);
      for (let i = 0; i < 1000; i++) await m.add(`new${i}`, i, 10_000, 20);
      assert.ok((await m.size()) <= 1000, `size ${await m.size()}`);
      assert.equal(await m.get('new999', 20), 999);
    });

    it('refuses a new key when a refusing map is full of live entries, and never drops one', async () => {
      const m = store.expiring(mapRef<true>('refusing', { maxEntries: 3, whenFull: 'refuse' }));
      for (let i = 0; i < 3; i++) assert.equal(await m.add(`k${i}`, true, 100 + i, 0), true);
      await assert.rejects(m.add('k3', true, 1_000, 0), (err: unknown) => err instanceof HarnessError && err.code === 'STORE_FULL');
      // A key already live takes no room: it is still reported as present, not as a full store.
      assert.equal(await m.add('k1', true, 1_000, 0), false);
      assert.equal(await m.size(), 3);
      for (let i = 0; i < 3; i++) assert.equal(await m.add(`k${i}`, true, 1_000, 50), false, `k${i} still remembered`);
      // Once one has expired there is room again.
      assert.equal(await m.add('k3', true, 1_000, 100), true);
      await assert.rejects(m.add('k4', true, 1_000, 100), (err: unknown) => err instanceof HarnessError && err.code === 'STORE_FULL');
    });

    it('bounds an expiring map: the oldest entries go first', async () => {
      const m = store.expiring(mapRef<number>('bounded', { maxEntries: 3 }));
      for (let i = 0; i < 5; i++) await m.add(`k${i}`, i, 10_000, 0);
      assert.equal(await m.size(), 3);
      assert.equal(await m.get('k0', 0), undefined);
      assert.equal(await m.get('k4', 0), 4);
    });
  });
}
