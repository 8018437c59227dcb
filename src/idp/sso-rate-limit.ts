// Okta's per-application SSO rate limit: `/app/{app}/{key}/sso/saml` takes 750 requests a minute
// (help.okta.com, "API rate limits"), then answers 429 with its X-Rate-Limit-* headers. Opt-in per
// application (`ssoRateLimit`), like the RingCentral SCIM rate limits; a sliding minute on the IdP
// clock, kept in memory per instance as Okta's counters are per cell.
import type { Clock } from '../clock.js';
import { HarnessError } from '../errors.js';

export const OKTA_SSO_LIMIT = { requests: 750, windowMs: 60_000 } as const;

const MAX_APPS = 10_000;

/** The headers Okta sends with every rate-limited answer. */
export interface RateLimitHeaders {
  'X-Rate-Limit-Limit': string;
  'X-Rate-Limit-Remaining': string;
  /** When the window frees a request, in UTC epoch seconds. */
  'X-Rate-Limit-Reset': string;
}

export class SsoRateLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /**
   * Counts one SSO request of the application. Returns Okta's headers, to send whatever the
   * outcome; throws IDP_SSO_RATE_LIMITED (with those headers) when the minute is full.
   */
  take(appId: string): RateLimitHeaders {
    const { requests, windowMs } = OKTA_SSO_LIMIT;
    const now = this.clock.now();
    const recent = (this.log.get(appId) ?? []).filter((t) => t > now - windowMs && t <= now);
    const full = recent.length >= requests;
    if (!full) recent.push(now);
    this.log.delete(appId);
    if (this.log.size >= MAX_APPS) this.log.delete(this.log.keys().next().value as string);
    this.log.set(appId, recent);
    const resetMs = (recent[0] ?? now) + windowMs;
    const headers: RateLimitHeaders = {
      'X-Rate-Limit-Limit': String(requests),
      'X-Rate-Limit-Remaining': String(Math.max(0, requests - recent.length)),
      'X-Rate-Limit-Reset': String(Math.ceil(resetMs / 1000)),
    };
    if (full) {
      const retryAfterSec = Math.max(1, Math.ceil((resetMs - now) / 1000));
      throw new HarnessError('IDP_SSO_RATE_LIMITED', `Okta's SSO rate limit: ${requests} requests a minute for this application; retry after ${retryAfterSec} s (or turn ssoRateLimit off on the application)`, {
        expected: `at most ${requests} SSO requests in ${windowMs / 1000} s`,
        received: `${recent.length + 1}`,
        retryAfterSec,
        headers: { ...headers },
        // Okta's own error body for an exceeded rate limit.
        fields: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' },
      });
    }
    return headers;
  }
}
