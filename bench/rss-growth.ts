// `rss-growth` (`npm run bench -- --rss`, several minutes): resident memory after 10,000 and after
// 100,000 complete in-process SP-initiated logins on the default in-memory store, each read after a
// full garbage collection. The budget: the second within 20% of the first — traces, caches and
// sessions must be bounded, not grow with the number of logins.
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KeyPairPem } from '../src/crypto/keys.js';
import { harnessRoundTrip, wireHarness } from './harness-flow.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * V8 hands the pages a full GC freed back to the system from a background task: read at once, RSS
 * still holds 20–40 MB of them, more or less from one reading to the next. Half a second later
 * the reading is steady.
 */
const rssMb = async (): Promise<number> => {
  gc();
  gc();
  await sleep(500);
  return process.memoryUsage().rss / 1024 / 1024;
};

export interface RssGrowth {
  after10kMb: number;
  after100kMb: number;
  ratio: number;
}

export async function rssGrowth(keys: { idp: KeyPairPem; sp: KeyPairPem }, progress: (line: string) => void): Promise<RssGrowth> {
  const wired = await wireHarness(keys);
  const run = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      await harnessRoundTrip(wired);
      if ((i + 1) % 10_000 === 0) progress(`  rss-growth: ${(i + 1).toLocaleString('en-US')} logins, RSS ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
    }
  };
  await run(0, 10_000);
  const after10kMb = await rssMb();
  await run(10_000, 100_000);
  const after100kMb = await rssMb();
  return { after10kMb, after100kMb, ratio: after100kMb / after10kMb };
}
