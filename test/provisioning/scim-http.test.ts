import assert from 'node:assert/strict';
import type { ScimExchange } from '../../src/idp/identity-management.js';
import { ScimHttp, type TokenSource } from '../../src/provisioning/scim-http.js';

interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  networkError?: boolean;
}

function scriptedFetch(script: Scripted[]): { fetch: typeof fetch; seen: { url: string; auth: string | null }[] } {
  const seen: { url: string; auth: string | null }[] = [];
  const impl: typeof fetch = async (input, init) => {
    seen.push({ url: input instanceof Request ? input.url : String(input), auth: new Headers(init?.headers).get('authorization') });
    const step = script.shift() ?? { status: 200, body: {} };
    if (step.networkError) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    return new Response(step.body === undefined ? null : JSON.stringify(step.body), { status: step.status ?? 200, headers: step.headers ?? {} });
  };
  return { fetch: impl, seen };
}

function client(script: Scripted[]) {
  const { fetch, seen } = scriptedFetch(script);
  const sleeps: number[] = [];
  let token = 'token-1';
  let refreshes = 0;
  const tokens: TokenSource = {
    accessToken: async () => token,
    refresh: async () => {
      refreshes++;
      token = `token-${refreshes + 1}`;
      return token;
    },
  };
  const http = new ScimHttp({
    fetch,
    baseUrl: 'http://sp.test/scim/v2',
    userAgent: 'test-agent',
    tokens,
    retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    nowMs: () => Date.parse('2030-01-01T00:00:00Z'),
    timeoutMs: 1000,
  });
  const exchanges: ScimExchange[] = [];
  const send = (method: 'GET' | 'POST' = 'GET', body?: unknown) => http.send(method, '/Users', body, { record: (x) => exchanges.push(x) });
  return { send, sleeps, seen, exchanges, refreshes: () => refreshes };
}

describe('ScimHttp', () => {
  it('honours Retry-After on a 429, then returns the answer', async () => {
    const c = client([{ status: 429, headers: { 'retry-after': '2' } }, { status: 200, body: { Resources: [] } }]);
    const answer = await c.send();
    assert.equal(answer.status, 200);
    assert.deepEqual(c.sleeps, [2000]);
    assert.equal(c.exchanges.length, 2);
    assert.equal(c.exchanges[0]?.response?.headers['retry-after'], '2');
  });

  it('backs off exponentially on 5xx and gives the last answer when the attempts run out', async () => {
    const c = client([{ status: 503 }, { status: 502 }, { status: 500 }, { status: 503, body: { detail: 'down' } }, { status: 200 }]);
    const answer = await c.send();
    assert.equal(answer.status, 503);
    assert.deepEqual(c.sleeps, [500, 1000, 2000]);
    assert.equal(c.seen.length, 4);
  });

  it('does not retry a 4xx other than 429', async () => {
    const c = client([{ status: 400, body: { scimType: 'invalidValue' } }]);
    assert.equal((await c.send('POST', { userName: 'x' })).status, 400);
    assert.deepEqual(c.sleeps, []);
  });

  it('retries a network failure and throws IDM_SCIM_REQUEST when no answer ever comes', async () => {
    const c = client([{ networkError: true }, { networkError: true }, { networkError: true }, { networkError: true }]);
    await assert.rejects(c.send(), (err: { code?: string; message: string }) => err.code === 'IDM_SCIM_REQUEST' && /ECONNREFUSED/.test(err.message));
    assert.equal(c.exchanges.length, 4);
    assert.match(c.exchanges[0]?.error ?? '', /ECONNREFUSED/);
  });

  it('refreshes the token once on a 401 without spending a retry', async () => {
    const c = client([{ status: 401 }, { status: 200 }]);
    assert.equal((await c.send()).status, 200);
    assert.equal(c.refreshes(), 1);
    assert.deepEqual(
      c.seen.map((s) => s.auth),
      ['Bearer token-1', 'Bearer token-2'],
    );
    assert.deepEqual(c.sleeps, []);
  });

  it('records each attempt with the token redacted and the body kept', async () => {
    const c = client([{ status: 201, body: { id: 'u1' } }]);
    await c.send('POST', { userName: 'a@b.test' });
    const [x] = c.exchanges;
    assert.equal(x?.request.headers.authorization, 'Bearer (redacted)');
    assert.equal(x?.request.headers['user-agent'], 'test-agent');
    assert.deepEqual(x?.request.body, { userName: 'a@b.test' });
    assert.deepEqual(x?.response?.body, { id: 'u1' });
    assert.doesNotMatch(JSON.stringify(c.exchanges), /token-1/);
  });
});
