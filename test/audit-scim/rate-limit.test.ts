import assert from 'node:assert/strict';
import { auditScim } from '../../src/client/audit/audit-scim.js';
import { rateLimitedFetch, type AuditClock } from '../../src/client/audit/scim/rate-limit.js';
import { startLaxScim } from '../support/lax-scim.js';

/** A clock that only moves when someone waits on it. */
function manualClock(): AuditClock & { waits: number[] } {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** The most requests in any window of `windowMs` that starts at a request. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('the audit-scim rate limit', () => {
  it('lets no more than N requests out in any second, counted on the injected clock', async () => {
    const clock = manualClock();
    const sentAt: number[] = [];
    const inner: typeof fetch = () => {
      sentAt.push(clock.now());
      return Promise.resolve(new Response('{}'));
    };
    const limited = rateLimitedFetch(inner, 3, clock);
    await Promise.all(Array.from({ length: 10 }, () => limited('http://x.test/')));
    assert.equal(sentAt.length, 10);
    assert.equal(busiestWindow(sentAt, 1000), 3);
    // 10 requests at 3 a second need at least three full windows.
    assert.ok((sentAt.at(-1) ?? 0) - (sentAt[0] ?? 0) >= 3000);
  });

  it('holds a whole audit to --max-rate, and honours Retry-After on a 429', async () => {
    const lax = await startLaxScim([]);
    try {
      const clock = manualClock();
      const sentAt: number[] = [];
      let throttled = false;
      const counting: typeof fetch = async (input, init) => {
        sentAt.push(clock.now());
        // The first create is throttled once, with Retry-After: 7 seconds.
        if (!throttled && init?.method === 'POST') {
          throttled = true;
          return new Response(JSON.stringify({ status: '429', detail: 'slow down' }), { status: 429, headers: { 'retry-after': '7' } });
        }
        return fetch(input, init);
      };
      const report = await auditScim({ scimUrl: lax.url, credentials: { token: lax.token }, dialects: ['jumpcloud'], maxRate: 2, fetch: counting, clock });
      assert.equal(report.failed, 0, JSON.stringify(report.failures));
      assert.ok(sentAt.length > 10);
      assert.equal(busiestWindow(sentAt, 1000), 2);
      assert.ok(clock.waits.includes(7000), `waited ${clock.waits.join(', ')}`);
      assert.match(report.rows.find((r) => r.step === 'throttling')?.observed ?? '', /1 throttled, each with Retry-After/);
    } finally {
      await lax.close();
    }
  });

  it('stops at the time limit: the remaining steps are not run, and its users are still deleted', async () => {
    const lax = await startLaxScim([]);
    try {
      const clock = manualClock();
      // One request a second and a 5-second limit: the audit runs out part-way.
      const report = await auditScim({ scimUrl: lax.url, credentials: { token: lax.token }, dialects: ['jumpcloud'], maxRate: 1, timeLimitMs: 5000, clock });
      assert.ok(report.rows.some((r) => r.outcome === 'skip' && /time limit \(5 s\) ran out/.test(r.observed)), JSON.stringify(report.rows.map((r) => [r.step, r.outcome])));
      assert.equal(lax.users.size, 0);
    } finally {
      await lax.close();
    }
  });
});
