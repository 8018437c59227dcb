import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory.js';
import { mapRef } from '../../src/store/types.js';
import { storeContract } from './contract.js';

storeContract('memory', async () => new MemoryStore());

describe('MemoryStore expiring maps', () => {
  it('drops expired entries on set too (sessions are only ever set), as of the latest read', async () => {
    const m = new MemoryStore().expiring(mapRef<{ user: string }>('sessions'));
    for (let i = 0; i < 1000; i++) await m.set(`old${i}`, { user: 'ann' }, 10);
    assert.equal(await m.get('old0', 20), undefined);
    for (let i = 0; i < 1000; i++) await m.set(`new${i}`, { user: 'bob' }, 10_000);
    assert.equal(await m.size(), 1000);
    assert.deepEqual(await m.get('new999', 20), { user: 'bob' });
  });

  it('keeps a set member (`true`) and its expiry exactly, with add single-use until then', async () => {
    const m = new MemoryStore().expiring(mapRef<true>('replay'));
    assert.equal(await m.add('_a', true, 1_000, 0), true);
    assert.equal(await m.add('_a', true, 1_000, 999), false);
    assert.equal(await m.get('_a', 999), true);
    assert.equal(await m.add('_a', true, 2_000, 1_000), true, 'free again at its expiry time');
    assert.equal(await m.take('_a', 1_500), true);
    assert.equal(await m.get('_a', 1_500), undefined);
  });

  it('keeps a key exactly, whatever its characters', async () => {
    const m = new MemoryStore().expiring(mapRef<number>('keys'));
    const keys = ['_ascii', 'ünïcödé', '\u{1F600}', 'lone \ud800 surrogate', 'x'.repeat(5000).slice(1000, 1041)];
    for (const [i, key] of keys.entries()) await m.add(key, i, 10, 0);
    for (const [i, key] of keys.entries()) assert.equal(await m.get(key, 0), i, JSON.stringify(key));
    assert.equal(await m.get('lone \ufffd surrogate', 0), undefined);
  });
});
