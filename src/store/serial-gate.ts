// The queue that runs one transaction at a time in this process, every back-end's.
/** Runs tasks one after another, in the order they were queued. */
export class SerialGate {
  private pending = 0;
  private tail: Promise<unknown> = Promise.resolve();

  /** True when nothing is running or queued. */
  get idle(): boolean {
    return this.pending === 0;
  }

  enqueue<R>(task: () => Promise<R>): Promise<R> {
    this.pending += 1;
    const run = async (): Promise<R> => {
      try {
        return await task();
      } finally {
        this.pending -= 1;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has run. */
  drain(): Promise<void> {
    return this.enqueue(async () => undefined);
  }
}
