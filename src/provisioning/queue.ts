// Serial work queues: tasks with the same key run one after another in the order they were
// added (one key per application keeps its SCIM calls in event order); different keys run
// side by side. A failing task is reported and never stops the queue. `idle()` resolves when
// nothing is queued or running, including tasks that tasks add.
export class SerialQueues {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly depth = new Map<string, number>();
  private pending = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly onError: (err: unknown, key: string) => void) {}

  enqueue(key: string, task: () => Promise<void>): void {
    this.pending++;
    this.depth.set(key, (this.depth.get(key) ?? 0) + 1);
    const run = async (): Promise<void> => {
      try {
        await task();
      } catch (err) {
        this.onError(err, key);
      }
    };
    const tail = (this.tails.get(key) ?? Promise.resolve()).then(run).finally(() => this.settle(key, tail));
    this.tails.set(key, tail);
  }

  private settle(key: string, tail: Promise<void>): void {
    const left = (this.depth.get(key) ?? 1) - 1;
    if (left === 0) this.depth.delete(key);
    else this.depth.set(key, left);
    if (this.tails.get(key) === tail) this.tails.delete(key);
    if (--this.pending === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Tasks queued or running under `key`. */
  size(key: string): number {
    return this.depth.get(key) ?? 0;
  }

  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
