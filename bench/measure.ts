// Timing: one operation at a time on the main thread, a warm-up, then a few timed runs of a
// fixed length; the figure is the median run. Inputs an operation consumes (a response that may
// be validated only once) are prepared in batches outside the timed part.
import { performance } from 'node:perf_hooks';

export interface Budget {
  /** Untimed warm-up before the runs, in ms (lets V8 optimise and caches fill). */
  warmupMs: number;
  /** Length of one timed run, in ms. */
  runMs: number;
  /** Number of timed runs; the median is reported. */
  runs: number;
}

export const DEFAULT_BUDGET: Budget = { warmupMs: 500, runMs: 500, runs: 5 };

export interface Measurement {
  /** Median operations per second over the runs. */
  opsPerSec: number;
  /** Every run's rate, in run order. */
  runs: number[];
  /** Operations timed in all runs together. */
  ops: number;
}

/**
 * An operation to time: either the same call over and over, or calls that each consume their own
 * input (a response may be validated only once), handed over in batches prepared untimed.
 */
export type Workload = { run: () => unknown } | { batch: () => Promise<Array<() => unknown>> };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function timedRun(work: Workload, pool: Array<() => unknown>, budgetMs: number): Promise<{ ops: number; ms: number }> {
  let ops = 0;
  let ms = 0;
  while (ms < budgetMs) {
    let op: () => unknown;
    if ('run' in work) op = work.run;
    else {
      if (pool.length === 0) pool.push(...(await work.batch()));
      op = pool.pop() as () => unknown;
    }
    const t0 = performance.now();
    const out = op();
    if (out instanceof Promise) await out;
    ms += performance.now() - t0;
    ops++;
  }
  return { ops, ms };
}

/** Measures one workload: warm-up, then `budget.runs` runs of `budget.runMs` each. */
export async function measure(work: Workload, budget: Budget = DEFAULT_BUDGET): Promise<Measurement> {
  const pool: Array<() => unknown> = [];
  await timedRun(work, pool, budget.warmupMs);
  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < budget.runs; i++) {
    const { ops, ms } = await timedRun(work, pool, budget.runMs);
    runs.push((ops * 1000) / ms);
    total += ops;
  }
  return { opsPerSec: median(runs), runs, ops: total };
}
