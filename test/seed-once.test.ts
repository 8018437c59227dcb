// Seeding a durable store once: a later start restores instead of seeding, one seeding at a time
// holds the store's lock, and a first setup that was interrupted half-way is redone from a clean
// store by the next start.
import assert from 'node:assert/strict';
import { seedOnce, type SeedMarks } from '../src/harness/seed.js';

type Mark = { what: string; at: string; done: boolean };

function marks(): SeedMarks & { row?: Mark; rows: string[]; locked: number } {
  let tail: Promise<unknown> = Promise.resolve();
  const m: SeedMarks & { row?: Mark; rows: string[]; locked: number } = {
    rows: [],
    locked: 0,
    seedMark: async () => m.row,
    markSeeded: async (what, done = true) => {
      m.row = { what, at: '2026-11-24T12:00:00.000Z', done };
    },
    whileSeedLocked: <R>(fn: () => Promise<R>): Promise<R> => {
      const run = async (): Promise<R> => {
        m.locked += 1;
        try {
          return await fn();
        } finally {
          m.locked -= 1;
        }
      };
      const result = tail.then(run, run);
      tail = result.catch(() => undefined);
      return result;
    },
    clearUnfinishedSeed: async () => {
      m.rows = [];
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

  it('seeds holding the store lock, so of two starts at once one seeds and the other finds its mark', async () => {
    const m = marks();
    let runs = 0;
    const seed = async (): Promise<void> => {
      assert.equal(m.locked, 1);
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const [a, b] = await Promise.all([seedOnce(m, 'demo', seed), seedOnce(m, 'demo', seed)]);
    assert.equal(runs, 1);
    assert.deepEqual([a, b].filter((r) => r !== undefined), [{ what: 'demo', at: '2026-11-24T12:00:00.000Z' }]);
  });

  it('redoes from a clean store a first setup that stopped half-way, and says so', async () => {
    const m = marks();
    await assert.rejects(
      seedOnce(m, 'demo', async () => {
        m.rows.push('ann');
        throw new Error('killed');
      }),
      /killed/,
    );
    assert.equal(m.row?.done, false);
    const logged: string[] = [];
    const again = await seedOnce(
      m,
      'demo',
      async () => {
        assert.equal(m.rows.length, 0, 'what the stopped setup left is gone before seeding again');
        m.rows.push('ann', 'bob');
      },
      (line) => logged.push(line),
    );
    assert.equal(again, undefined);
    assert.deepEqual(m.rows, ['ann', 'bob']);
    assert.equal(m.row?.done, true);
    assert.match(logged.join('\n'), /first setup of this store \(demo, started .*\) stopped before it finished; clearing what it left and seeding again/);
  });
});
