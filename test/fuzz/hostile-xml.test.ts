// Expensive XML at every entry point that parses a document from outside: each class of
// test/fuzz/hostile-documents.ts, at the largest size its binding lets through, is refused with a
// documented code and the process keeps answering; the trace viewer renders what was recorded.
// Nothing here is timed as a test: under `npm run fuzz` the same cases also report, per class and
// entry point, how long a refusal took, how long the event loop was held, and the process's
// memory, and the campaign holds those figures against its budgets.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seedDemo } from '../../src/demo.js';
import type { RunningHarness } from '../../src/server.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';
import { HOSTILE_CLASSES, POST_XML_BYTES, postValue, redirectDocument, redirectValue, type HostileClass } from './hostile-documents.js';
import { assertDocumentedCode, countCase, crashWatch, FUZZ_RUNS, recordFigure } from './support.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Requests per class and entry point: a few in `npm test`, more in a campaign. */
const REPEATS = Math.max(2, Math.round(FUZZ_RUNS / 100));
const METADATA_XML_BYTES = 1000 * 1024;
const APP = '/idp/apps/ringcentral';

interface EntryPoint {
  name: string;
  request(doc: HostileClass, base: string): { url: string; init: RequestInit };
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const json: RequestInit = { headers: { accept: 'application/json' } };

// Built once per class and binding, outside the measured requests.
const documents = new Map<string, string>();
function document(cls: HostileClass, binding: 'redirect' | 'post' | 'metadata'): string {
  const key = `${cls.name} ${binding}`;
  let value = documents.get(key);
  if (value === undefined) {
    value =
      binding === 'redirect'
        ? redirectValue(redirectDocument(cls))
        : binding === 'post'
          ? postValue(cls.build(POST_XML_BYTES))
          : cls.build(METADATA_XML_BYTES);
    documents.set(key, value);
  }
  return value;
}

const redirect = (path: string, param: string): EntryPoint => ({
  name: `GET ${path}`,
  request: (cls, base) => ({ url: `${base}${path}?${param}=${encodeURIComponent(document(cls, 'redirect'))}`, init: json }),
});
const post = (path: string, param: string): EntryPoint => ({
  name: `POST ${path}`,
  request: (cls, base) => ({ url: `${base}${path}`, init: form({ [param]: document(cls, 'post') }) }),
});

const ENTRY_POINTS: readonly EntryPoint[] = [
  post('/sp/acs', 'SAMLResponse'),
  redirect('/sp/slo', 'SAMLRequest'),
  post('/sp/slo', 'SAMLRequest'),
  redirect(`${APP}/sso`, 'SAMLRequest'),
  post(`${APP}/sso`, 'SAMLRequest'),
  redirect(`${APP}/slo`, 'SAMLRequest'),
  post(`${APP}/slo`, 'SAMLRequest'),
  {
    name: 'POST /sp/api/accounts/:id/sso/idp-metadata',
    request: (cls, base) => ({
      url: `${base}/sp/api/accounts/acme/sso/idp-metadata`,
      init: {
        method: 'POST',
        headers: { accept: 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/xml' },
        body: document(cls, 'metadata'),
      },
    }),
  },
];

/** The value below which `p` per cent of `values` lie (nearest rank). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/** Sends `send` REPEATS times; the figures of those requests go to the campaign's report. */
async function measured(cls: string, entryPoint: string, send: () => Promise<void>): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const times: number[] = [];
  loop.enable();
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await send();
    times.push(performance.now() - started);
  }
  loop.disable();
  recordFigure({
    kind: 'hostile-xml',
    class: cls,
    entryPoint,
    requests: REPEATS,
    refusalP99Ms: Math.round(percentile(times, 99) * 100) / 100,
    refusalMaxMs: Math.round(Math.max(...times) * 100) / 100,
    loopDelayP99Ms: ms(loop.percentile(99)),
    loopDelayMaxMs: ms(loop.max),
  });
}

describe('expensive XML at every entry point', function () {
  this.timeout(0);
  let server: RunningHarness;
  const crashes = crashWatch();
  let rssBefore = 0;
  let rssPeak = 0;
  let sampler: NodeJS.Timeout | undefined;

  before(async () => {
    crashes.start();
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    for (const cls of HOSTILE_CLASSES) for (const binding of ['redirect', 'post', 'metadata'] as const) document(cls, binding);
    gc();
    rssBefore = process.memoryUsage.rss();
    rssPeak = rssBefore;
    sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 20);
  });
  after(async () => {
    clearInterval(sampler);
    crashes.stop();
    if (server) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 500));
      gc();
      const rssAfter = process.memoryUsage.rss();
      recordFigure({ kind: 'hostile-xml-rss', rssBeforeMb: mb(rssBefore), rssAfterMb: mb(rssAfter), rssPeakMb: mb(Math.max(rssPeak, rssAfter)) });
      await server.close();
    }
  });

  for (const entry of ENTRY_POINTS) {
    for (const cls of HOSTILE_CLASSES) {
      it(`${entry.name} refuses ${cls.name} XML with a documented code`, async () => {
        // The request is built before the clock starts: only the harness's work is measured.
        const { url, init } = entry.request(cls, server.url);
        await measured(cls.name, entry.name, async () => {
          countCase(`${entry.name} (expensive XML)`);
          const res = await fetch(url, init);
          const text = await res.text();
          assert.ok(res.status >= 400 && res.status < 500, `${entry.name} ${cls.name}: HTTP ${res.status} ${text.slice(0, 300)}`);
          assertDocumentedCode((JSON.parse(text) as { error?: unknown }).error, res.status, `${entry.name} ${cls.name}`);
        });
        const health = await fetch(`${server.url}/healthz`);
        assert.equal(health.status, 200);
        crashes.check();
      });
    }
  }

  it('GET /debug/entries/:id renders every entry the refusals left in the trace', async () => {
    const login = await fetch(`${server.url}/admin/login`, { ...form({ token: ADMIN_TOKEN, next: '/debug' }), redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.ok(cookie.includes('='), `no admin session: HTTP ${login.status}`);
    const listed = await fetch(`${server.url}/debug/api/traces`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const entries = (await listed.json()) as { id: string }[];
    assert.ok(entries.length > 0, 'the refusals left nothing in the trace');
    const times: number[] = [];
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    for (const { id } of entries) {
      countCase('GET /debug/entries/:id (expensive XML)');
      const started = performance.now();
      const res = await fetch(`${server.url}/debug/entries/${id}`, { headers: { cookie, accept: 'text/html' } });
      const text = await res.text();
      times.push(performance.now() - started);
      assert.equal(res.status, 200, `entry ${id}: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
    loop.disable();
    recordFigure({
      kind: 'hostile-xml',
      class: 'all (recorded)',
      entryPoint: 'GET /debug/entries/:id',
      requests: entries.length,
      refusalP99Ms: Math.round(percentile(times, 99) * 100) / 100,
      refusalMaxMs: Math.round(Math.max(...times) * 100) / 100,
      loopDelayP99Ms: ms(loop.percentile(99)),
      loopDelayMaxMs: ms(loop.max),
    });
    crashes.check();
  });
});
