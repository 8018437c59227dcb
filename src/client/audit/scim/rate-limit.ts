// The audit never sends more than a set number of requests per second to the audited server, a
// SCIM API that may be a customer's production tenant: a sliding one-second window over the
// moments requests left, waiting (on the injected clock) before one that would exceed it.

export interface AuditClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: AuditClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const WINDOW_MS = 1000;

/** `inner`, sending at most `perSecond` requests in any one-second window, in call order. */
export function rateLimitedFetch(inner: typeof fetch, perSecond: number, clock: AuditClock): typeof fetch {
  const sent: number[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const slot = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      while (sent.length > 0 && (sent[0] ?? 0) <= now - WINDOW_MS) sent.shift();
      if (sent.length < perSecond) {
        sent.push(now);
        return;
      }
      await clock.sleep((sent[0] ?? now) + WINDOW_MS - now);
    }
  };
  return async (input, init) => {
    const turn = queue.then(slot);
    queue = turn.catch(() => undefined);
    await turn;
    return inner(input, init);
  };
}
