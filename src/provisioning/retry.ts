// When to try a SCIM request again, and how long to wait first: 429 and 5xx (and network
// failures) are retried with exponential backoff, a Retry-After header wins, every wait is
// capped and the number of attempts is bounded, so a failing SP cannot stall a queue for long.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first wait; each retry doubles it. */
  baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After says (RingCentral's throttling penalty is 60 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 60_000 });

/** 429 Too Many Requests and server errors may succeed later; other answers will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The wait before attempt `attempt + 1`, after `attempt` attempts (1-based) have failed. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: string | null | undefined, nowMs: number): number {
  const hinted = parseRetryAfter(retryAfter, nowMs);
  const wait = hinted ?? policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, wait);
}
