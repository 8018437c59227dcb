// RingCentral-shaped throttling (its API groups): Heavy (POST/PUT/PATCH/DELETE) 10 and Light
// (GET, .search) 50 requests per 60 s, per account, on the SP clock. A refused request gets 429
// with Retry-After, as RingCentral answers.
import type { Clock } from '../clock.js';
import { HarnessError } from '../errors.js';

export type ThrottlingGroup = 'heavy' | 'light';

export const RATE_LIMITS: Record<ThrottlingGroup, { requests: number; windowMs: number }> = {
  heavy: { requests: 10, windowMs: 60_000 },
  light: { requests: 50, windowMs: 60_000 },
};

const MAX_KEYS = 10_000;

export class ScimRateLimiter {
  /** Request times per account and group, oldest first (a sliding window). */
  private readonly log = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Counts one request, or throws 429 when the group's window is full. */
  take(accountId: string, group: ThrottlingGroup): void {
    const { requests, windowMs } = RATE_LIMITS[group];
    const now = this.clock.now();
    const key = `${accountId} ${group}`;
    const recent = (this.log.get(key) ?? []).filter((t) => t > now - windowMs && t <= now);
    if (recent.length >= requests) {
      const retryAfterSec = Math.max(1, Math.ceil(((recent[0] as number) + windowMs - now) / 1000));
      this.log.set(key, recent);
      throw new HarnessError(
        'SCIM_RATE_LIMITED',
        `rate limit: the ${group} group allows ${requests} requests per ${windowMs / 1000} s for an account; retry after ${retryAfterSec} s (or switch off rateLimits with PATCH /sp/api/accounts/${accountId}/scim {"rateLimits":false})`,
        { retryAfterSec },
      );
    }
    recent.push(now);
    this.log.delete(key);
    if (this.log.size >= MAX_KEYS) this.log.delete(this.log.keys().next().value as string);
    this.log.set(key, recent);
  }
}
