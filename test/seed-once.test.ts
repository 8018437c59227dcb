// Seeding a durable store once: a later start restores instead of seeding, and a first setup
// that was interrupted half-way stops the next start with one clear message.
import assert from 'node:assert/strict';
import { seedOnce, type SeedMarks } from '../src/seed.js';

function marks(): SeedMarks & { row?: { what: string; at: string; done: boolean } } {
  const m: SeedMarks & { row?: { what: string; at: string; done: boolean } } = {
    seedMark: async () => m.row,
    markSeeded: async (what, done = true) => {
      m.row = { what, at: '2026-11-24T12:00:00.000Z', done };
    },
  };
  return m;
}

describe('seedOnce', () => {
  it('seeds a fresh store once, then reports what seeded it', async () => {
    const m = marks();
    let runs = 0;
    assert.equal(await seedOnce(m, 'demo', async () => void (runs += 1)), undefined);
    assert.deepEqual(await seedOnce(m, 'demo', async () => void (runs += 1)), { what: 'demo', at: '2026-11-24T12:00:00.000Z' });
    assert.equal(runs, 1);
  });

  it('refuses to go on from a first setup that stopped half-way, and says what to do', async () => {
    const m = marks();
    await assert.rejects(seedOnce(m, 'demo', async () => Promise.reject(new Error('killed'))), /killed/);
    await assert.rejects(seedOnce(m, 'demo', async () => undefined), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'STORE_UNAVAILABLE');
      assert.match(err.message, /first setup of this store \(demo, started .*\) was interrupted before it finished; delete the database file/);
      return true;
    });
  });
});
