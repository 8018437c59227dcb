import assert from 'node:assert/strict';
import { isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from '../../src/provisioning/retry.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('provisioning retry policy', () => {
  for (const [status, retryable] of [
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [409, false],
  ] as const) {
    it(`${retryable ? 'retries' : 'does not retry'} HTTP ${status}`, () => {
      assert.equal(isRetryableStatus(status), retryable);
    });
  }

  for (const [value, expected] of [
    ['7', 7000],
    [' 0 ', 0],
    ['Tue, 01 Jan 2030 00:00:10 GMT', 10_000],
    ['Mon, 31 Dec 2029 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ] as const) {
    it(`reads Retry-After ${JSON.stringify(value)} as ${String(expected)} ms`, () => {
      assert.equal(parseRetryAfter(value, NOW), expected);
    });
  }

  for (const [attempt, retryAfter, expected] of [
    [1, null, 500],
    [2, null, 1000],
    [3, null, 2000],
    [1, '3', 3000],
    [3, '1', 1000],
    [1, '3600', 30_000],
    [12, null, 30_000],
  ] as const) {
    it(`waits ${expected} ms after attempt ${attempt}${retryAfter ? ` with Retry-After ${retryAfter}` : ''}`, () => {
      assert.equal(retryDelayMs(policy, attempt, retryAfter, NOW), expected);
    });
  }
});
