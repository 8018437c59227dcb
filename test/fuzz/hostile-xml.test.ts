// Expensive XML at every entry point that parses a document from outside: each class of
// test/fuzz/hostile-documents.ts, at the largest size its binding lets through, is refused with a
// documented code and the process keeps answering; the trace viewer renders what was recorded.
// Nothing here is timed as a test: under `npm run fuzz` the same cases also report, per class and
// entry point, how long a refusal took, how long the harness's event loop was held, and the
// harness process's memory, and the campaign holds those figures against its budgets. The
// harness runs in a child process (test/fuzz/hostile-server.ts), as it does in real life, so
// those figures are its own and not the test runner's.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from '../support/harness.js';
import { HOSTILE_CLASSES, POST_XML_BYTES, postValue, redirectDocument, redirectValue, type HostileClass } from './hostile-documents.js';
import type { HostileServerAnswer, HostileServerQuestion } from './hostile-server.js';
import { assertDocumentedCode, countCase, FUZZ_RUNS, recordFigure } from './support.js';

/** Requests per class and entry point: a few in `npm test`, more in a campaign. */
const REPEATS = Math.max(2, Math.round(FUZZ_RUNS / 30));
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
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const round = (n: number): number => Math.round(n * 100) / 100;

/** The harness in its child process, and the questions the test asks it. */
class HostileServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(): Promise<HostileServer> {
    const child = fork(fileURLToPath(new URL('./hostile-server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('message', (answer: HostileServerAnswer) => {
        if ('ready' in answer) resolve(new HostileServer(child, answer.ready));
        else reject(new Error(`unexpected first message ${JSON.stringify(answer)}`));
      });
      child.once('exit', (code) => reject(new Error(`the harness process exited with ${code} before it was ready`)));
    });
  }

  ask<A extends HostileServerAnswer>(question: HostileServerQuestion): Promise<A> {
    return new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the harness process exited with ${code}`));
      this.child.once('exit', exited);
      this.child.once('message', (answer: A) => {
        this.child.off('exit', exited);
        resolve(answer);
      });
      this.child.send(question);
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async close(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ ask: 'close' } satisfies HostileServerQuestion);
    await exited;
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends each request in turn while the harness watches its event loop and times its handling of
 * each (the round trip the test sees also holds the test process's own pauses); the figures go to
 * the campaign's report, the answers back to the test.
 */
async function measured(server: HostileServer, cls: string, entryPoint: string, requests: { url: string; init: RequestInit }[], withinLimits = false): Promise<Answer[]> {
  const times: number[] = [];
  const answers: Answer[] = [];
  await server.ask({ ask: 'watch-loop' });
  for (const { url, init } of requests) {
    const started = performance.now();
    const res = await fetch(url, init);
    const text = await res.text();
    times.push(performance.now() - started);
    answers.push({ status: res.status, contentType: res.headers.get('content-type') ?? '', text: text.slice(0, 2000) });
  }
  const loop = await server.ask<{ loopP99Ms: number; loopMaxMs: number; handlingMs: number[] }>({ ask: 'loop' });
  assert.equal(loop.handlingMs.length, requests.length, 'the harness saw another number of requests');
  recordFigure({
    kind: 'hostile-xml',
    class: cls,
    ...(withinLimits && { withinLimits: 'yes' }),
    entryPoint,
    requests: requests.length,
    refusalMedianMs: round(percentile(loop.handlingMs, 50)),
    refusalP99Ms: round(percentile(loop.handlingMs, 99)),
    refusalMaxMs: round(Math.max(...loop.handlingMs)),
    roundTripMedianMs: round(percentile(times, 50)),
    roundTripMaxMs: round(Math.max(...times)),
    loopDelayP99Ms: loop.loopP99Ms,
    loopDelayMaxMs: loop.loopMaxMs,
  });
  return answers;
}

type Memory = { rssBeforeGcMb: number; rssMb: number; rssPeakMb: number; heapMb: number; heapTotalMb: number };

describe('expensive XML at every entry point', function () {
  this.timeout(0);
  let server: HostileServer;
  let memoryBefore: Memory;

  /** An admin session's cookie, for the trace viewer's pages. */
  async function adminCookie(): Promise<string> {
    const login = await fetch(`${server.url}/admin/login`, { ...form({ token: ADMIN_TOKEN, next: '/debug' }), redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.ok(cookie.includes('='), `no admin session: HTTP ${login.status}`);
    return cookie;
  }

  /** The harness's memory now against `before`, as a figure of the report; the peak is reset. */
  async function recordMemory(scope: string, before: Memory): Promise<Memory> {
    const after = await server.ask<Memory>({ ask: 'memory', resetPeak: true });
    recordFigure({
      kind: 'hostile-xml-rss',
      scope,
      rssBeforeMb: before.rssMb,
      rssEndMb: after.rssBeforeGcMb,
      rssAfterMb: after.rssMb,
      rssPeakMb: after.rssPeakMb,
      heapBeforeMb: before.heapMb,
      heapAfterMb: after.heapMb,
      heapTotalBeforeMb: before.heapTotalMb,
      heapTotalAfterMb: after.heapTotalMb,
    });
    return after;
  }

  before(async () => {
    for (const cls of HOSTILE_CLASSES) for (const binding of ['redirect', 'post', 'metadata'] as const) document(cls, binding);
    server = await HostileServer.start();
    // Every entry point and the trace viewer answer once first (a small document each, refused),
    // so that the modules they load on first use and the code V8 compiles are not counted as
    // what the hostile documents cost; then the trace starts empty.
    const small: HostileClass = { name: 'small', build: () => '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_w" Version="2.0"/>' };
    for (const entry of ENTRY_POINTS) {
      const { url, init } = entry.request(small, server.url);
      await (await fetch(url, init)).text();
    }
    const api = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    const [first] = (await (await fetch(`${server.url}/debug/api/traces`, api)).json()) as { id: string }[];
    await (await fetch(`${server.url}/debug/entries/${first?.id ?? 'none'}`, { headers: { cookie: await adminCookie(), accept: 'text/html' } })).text();
    await fetch(`${server.url}/debug/api/traces`, { ...api, method: 'DELETE' });
    memoryBefore = await server.ask<Memory>({ ask: 'memory', resetPeak: true });
  });
  after(async () => {
    await server?.close();
  });

  const cases = (classes: readonly HostileClass[]): void => {
    for (const entry of ENTRY_POINTS) {
      for (const cls of classes) {
        it(`${entry.name} refuses ${cls.name} XML with a documented code`, async () => {
          // The requests are built before the clock starts: only the harness's work is measured.
          const request = entry.request(cls, server.url);
          const answers = await measured(server, cls.name, entry.name, Array.from({ length: REPEATS }, () => request), cls.withinLimits);
          for (const answer of answers) {
            countCase(`${entry.name} (expensive XML)`);
            const where = `${entry.name} ${cls.name}`;
            assert.ok(answer.status >= 400 && answer.status < 500, `${where}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
            assert.match(answer.contentType, /application\/json/, `${where}: HTTP ${answer.status} is not JSON`);
            assertDocumentedCode((JSON.parse(answer.text) as { error?: unknown }).error, answer.status, where);
          }
          const health = await fetch(`${server.url}/healthz`);
          assert.equal(health.status, 200);
        });
      }
    }
  };

  /** Renders each entry the trace holds, as the trace viewer's figures. */
  const rendersTrace = (which: string, withinLimits: boolean): void => {
    it(`GET /debug/entries/:id renders every entry the documents ${which} left in the trace`, async () => {
      const cookie = await adminCookie();
      const api = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
      const entries = (await (await fetch(`${server.url}/debug/api/traces`, api)).json()) as { id: string }[];
      assert.ok(entries.length > 0, 'the refusals left nothing in the trace');
      const pages = entries.map(({ id }) => ({ url: `${server.url}/debug/entries/${id}`, init: { headers: { cookie, accept: 'text/html' } } }));
      const answers = await measured(server, 'recorded', 'GET /debug/entries/:id', pages, withinLimits);
      answers.forEach((answer, i) => {
        countCase('GET /debug/entries/:id (expensive XML)');
        assert.equal(answer.status, 200, `${pages[i]?.url}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
      });
    });
  };

  // First the documents the limits refuse, then the costliest one they let through (parsed in
  // full, refused by a later check, and pretty-printed by the viewer): the figures of each,
  // the memory they leave behind included, are reported on their own.
  cases(HOSTILE_CLASSES.filter((cls) => !cls.withinLimits));
  rendersTrace('beyond the limits', false);
  it('measures the memory the documents beyond the limits leave behind', async () => {
    memoryBefore = await recordMemory('beyond the limits', memoryBefore);
    // The next trace viewer figures are those of the next documents alone.
    const cleared = await fetch(`${server.url}/debug/api/traces`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.ok(cleared.ok, `the trace was not emptied: HTTP ${cleared.status}`);
  });
  cases(HOSTILE_CLASSES.filter((cls) => cls.withinLimits));
  rendersTrace('within the limits', true);
  it('measures the memory the largest documents within the limits leave behind', async () => {
    memoryBefore = await recordMemory('within the limits', memoryBefore);
  });
});
