// `http-login`: complete SP-initiated logins over HTTP on 127.0.0.1, driven by autocannon with 8
// connections against `listen()` on the default store (SQLite in a temporary data directory).
// Each connection repeats the browser's three requests: GET /sp/login?email=… (302 to the IdP with
// a signed AuthnRequest), GET the IdP SSO URL with a signed-in IdP session (the auto-post form with
// a signed Response), POST the form to /sp/acs (every check on; 303 to /sp/home). A login counts
// when the ACS answers 303; its latency runs from the first request to the ACS answer. autocannon
// runs in a worker thread (bench/http-load-worker.mjs), so the harness has the main thread and one
// core to itself and the load generator another, as with a separate load generator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeyPairPem } from '../src/crypto/keys.js';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../src/harness/demo.js';
import { IDP_BROWSER_COOKIE, IDP_COOKIE } from '../src/http/cookies.js';
import { listen } from '../src/harness/server.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const CONNECTIONS = 8;
const EMAIL = 'ann@acme.test';

export interface HttpLoginResult {
  loginsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  logins: number;
  errors: number;
  seconds: number;
  connections: number;
}


/**
 * The figure measures the Redirect-binding login it always has: the demo application declares
 * HTTP-Redirect (a JumpCloud application lists only HTTP-POST by default, and the SP would then
 * post), and the account imports its metadata again.
 */
async function declareRedirect(base: string): Promise<void> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const app = await fetch(`${base}/idp/api/apps/${DEMO_APP_ID}`, { method: 'PATCH', headers, body: JSON.stringify({ declareRedirectEndpoint: true }) });
  const imported = await fetch(`${base}/sp/api/accounts/${DEMO_ACCOUNT.id}/sso/idp-metadata`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url: `${base}/idp/apps/${DEMO_APP_ID}/metadata` }),
  });
  if (!app.ok || !imported.ok) throw new Error(`bench: declaring HTTP-Redirect answered HTTP ${app.status} / ${imported.status}`);
}

/** One real sign-in at the IdP, to get the session cookie every measured login reuses. */
async function idpSessionCookie(base: string): Promise<string> {
  const start = await fetch(`${base}/sp/login?email=${encodeURIComponent(EMAIL)}`, { redirect: 'manual' });
  const sso = await fetch(new URL(start.headers.get('location') ?? '', base), { redirect: 'manual' });
  const pending = new URL(sso.headers.get('location') ?? '', base).searchParams.get('pending') ?? '';
  // The parked login belongs to the browser the IdP gave its browser cookie to.
  const browser = sso.headers.getSetCookie().find((c) => c.startsWith(`${IDP_BROWSER_COOKIE}=`))?.split(';')[0] ?? '';
  const login = await fetch(`${base}/idp/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser },
    body: new URLSearchParams({ login: EMAIL, password: 'ann-password-1', pending }).toString(),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith(`${IDP_COOKIE}=`))?.split(';')[0];
  if (login.status !== 200 || !cookie) throw new Error(`the IdP sign-in answered HTTP ${login.status}`);
  return cookie;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export async function httpLogins(keys: { idp: KeyPairPem; sp: KeyPairPem }, seconds: number): Promise<HttpLoginResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-harness-bench-http-'));
  const server = await listen({
    port: 0,
    host: '127.0.0.1',
    adminToken: ADMIN_TOKEN,
    keys,
    dataDir: dir,
    store: join(dir, 'harness.db'),
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    log: () => undefined,
  });
  try {
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    await declareRedirect(server.url);
    const cookie = await idpSessionCookie(server.url);
    const run = await new Promise<{ latencies: number[]; errors: number; duration: number }>((resolve, reject) => {
      const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
        workerData: { url: server.url, cookie, email: EMAIL, seconds, connections: CONNECTIONS },
      });
      worker.once('message', (m: { error?: string; latencies: number[]; errors: number; duration: number }) => {
        void worker.terminate();
        if (m.error !== undefined) reject(new Error(`the load generator failed: ${m.error}`));
        else resolve(m);
      });
      worker.once('error', reject);
    });
    const { latencies } = run;
    latencies.sort((a, b) => a - b);
    return {
      loginsPerSec: latencies.length / run.duration,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      logins: latencies.length,
      errors: run.errors,
      seconds: run.duration,
      connections: CONNECTIONS,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
