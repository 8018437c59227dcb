// SCIM at 10,000 users, over real HTTP on 127.0.0.1: the demo seeded through the admin APIs,
// Identity Management configured and authorized at the SP's OAuth pages (as the e2e tests do),
// then (1) the IdP's provisioning client creating N users in the SP, timed from binding a group of
// N members to the application until the provisioning queue is idle, and (2) lookups by userName
// (`GET /scim/v2/Users?filter=userName eq "…"`) with those N users in the account.
//
// The SP keeps its defaults except what 10,000 users need: rate limits off, and the US extension
// pool and DigitalLines raised to N + 100 (the licence rules stay on, so every create takes an
// extension and a DigitalLine as in production). The activation email stays on (RingCentral's
// default): every created user is pending with an email in the outbox.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { authorizeOrThrow } from '../src/client/browser/idm-authorize.js';
import type { KeyPairPem } from '../src/crypto/keys.js';
import { AdminClient, DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../src/harness/demo.js';
import { readListQuery } from '../src/scim/list-query.js';
import { ScimUsers } from '../src/scim/users.js';
import { listen, type RunningHarness } from '../src/harness/server.js';
import type { Workload } from './measure.js';

/** The figure's size: users provisioned, and users in the account for the lookups. */
export const SCIM_USER_COUNT = 10_000;

const ADMIN_TOKEN = `bench-${randomBytes(16).toString('hex')}`;
/** IdP users created at once (their password hashes run on libuv's thread pool). */
const CREATE_BATCH = 64;
const PROGRESS_EVERY_MS = 10_000;

export interface ScimHarness {
  server: RunningHarness;
  admin: AdminClient;
}

export interface ProvisionResult {
  users: number;
  /** Creating the IdP users and the (unbound) group: not part of the figure. */
  setupMs: number;
  /** Binding the group until the provisioning queue is idle. */
  provisionMs: number;
  usersPerSec: number;
  /** Provisioning rate per tenth of the run, to show how it changes as the directory grows. */
  tenths: number[];
}

/**
 * The demo seeded on a running harness, SCIM opened up for `users` users (rate limits off, pools
 * large enough) and Identity Management authorized and verified.
 */
export async function prepareScim(url: string, adminToken: string, users: number): Promise<AdminClient> {
  const admin = new AdminClient(url, adminToken);
  await seedDemo({ idpBaseUrl: url, spBaseUrl: url, adminToken });
  await admin.call('PATCH', `/sp/api/accounts/${DEMO_ACCOUNT.id}/scim`, {
    rateLimits: false,
    extensions: [
      { country: 'US', available: users + 100 },
      { country: 'GB', available: 20 },
    ],
    digitalLines: users + 100,
  });
  const { authorizeUrl } = await admin.call<{ authorizeUrl: string }>('POST', `/idp/api/apps/${DEMO_APP_ID}/idm/configure`, {});
  await authorizeOrThrow(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
  await admin.call('POST', '/idp/api/maintenance/idle');
  const idm = await admin.call<{ status: string }>('GET', `/idp/api/apps/${DEMO_APP_ID}/idm`);
  if (idm.status !== 'verified') throw new Error(`Identity Management is ${idm.status}, not verified`);
  return admin;
}

/** The server (memory store), the demo, SCIM settings for `users` users, and Identity Management verified. */
export async function startScimHarness(keys: { idp: KeyPairPem; sp: KeyPairPem }, users: number): Promise<ScimHarness> {
  const server = await listen({
    port: 0,
    host: '127.0.0.1',
    adminToken: ADMIN_TOKEN,
    keys,
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    log: () => undefined,
  });
  try {
    return { server, admin: await prepareScim(server.url, ADMIN_TOKEN, users) };
  } catch (err) {
    await server.close();
    throw err;
  }
}

export const benchEmail = (i: number): string => `user${String(i).padStart(5, '0')}@acme.test`;

/**
 * Creates `users` IdP users (domain API, untimed) in a new group, then binds the group to the
 * application over the admin API and times the provisioning client until it is idle.
 */
export async function provisionUsers(h: ScimHarness, users: number, progress: (line: string) => void): Promise<ProvisionResult> {
  const { idp, sp, provisioning } = h.server.app.harness;
  const setupStart = performance.now();
  const ids: string[] = [];
  for (let from = 0; from < users; from += CREATE_BATCH) {
    const batch = Array.from({ length: Math.min(CREATE_BATCH, users - from) }, (_, k) => from + k);
    const created = await Promise.all(
      batch.map((i) =>
        idp.directory.createUser({
          email: benchEmail(i),
          firstName: 'Bench',
          lastName: `User ${i}`,
          number: `+1650${String(5_000_000 + i).padStart(7, '0')}`,
          department: 'Bench',
          password: `bench-password-${i}`,
          addresses: [{ type: 'work', locality: 'Belmont', region: 'CA', country: 'US' }],
        }),
      ),
    );
    ids.push(...created.map((u) => u.id));
  }
  const group = await idp.directory.createGroup({ name: 'Bench users', members: ids });
  await provisioning.idle();
  const setupMs = performance.now() - setupStart;
  progress(`  setup: ${users.toLocaleString('en-US')} IdP users and their group in ${(setupMs / 1000).toFixed(1)} s (not timed)`);

  const spBefore = (await sp.directory.list(DEMO_ACCOUNT.id)).length;
  const queue = provisioning.engine.queues;
  const marks: number[] = [];
  const t0 = performance.now();
  let lastLog = t0;
  let lastDone = 0;
  // Done = users minus the tasks still queued, once the binding's tasks are in the queue.
  let started = false;
  const doneSoFar = (): number => {
    const queued = queue.size(DEMO_APP_ID);
    if (queued > 0) started = true;
    return started ? users - queued : 0;
  };
  const timer = setInterval(() => {
    const now = performance.now();
    const done = doneSoFar();
    progress(`  provisioned ${done.toLocaleString('en-US')}/${users.toLocaleString('en-US')} after ${((now - t0) / 1000).toFixed(0)} s (${Math.round(((done - lastDone) * 1000) / (now - lastLog))} users/s lately)`);
    lastLog = now;
    lastDone = done;
  }, PROGRESS_EVERY_MS);
  const tenth = Math.max(1, Math.floor(users / 10));
  const sampler = setInterval(() => {
    const done = doneSoFar();
    while (marks.length < 10 && done >= (marks.length + 1) * tenth) marks.push(performance.now());
  }, 20);
  try {
    await h.admin.call('PUT', `/idp/api/apps/${DEMO_APP_ID}/groups/${group.id}`);
    await provisioning.idle();
  } finally {
    clearInterval(timer);
    clearInterval(sampler);
  }
  const provisionMs = performance.now() - t0;
  while (marks.length < 10) marks.push(t0 + provisionMs);

  const spAfter = await sp.directory.list(DEMO_ACCOUNT.id);
  const created = spAfter.length - spBefore;
  if (created !== users) throw new Error(`the SP has ${created} new users, expected ${users}`);
  const pending = spAfter.filter((u) => u.createdVia === 'scim' && u.status === 'pending').length;
  if (pending < users) throw new Error(`only ${pending} SCIM-created users are pending activation, expected ${users}`);
  const tenths = marks.map((at, k) => (tenth * 1000) / (at - (k === 0 ? t0 : (marks[k - 1] as number))));
  return { users, setupMs, provisionMs, usersPerSec: (users * 1000) / provisionMs, tenths };
}

/** The IdP's current SCIM bearer token for the application (the one its provisioning client sends). */
async function accessToken(h: ScimHarness): Promise<string> {
  const { tokens } = await h.server.app.harness.idp.idm.get(DEMO_APP_ID);
  if (!tokens) throw new Error('the IdP holds no SCIM access token');
  return tokens.accessToken;
}

/** A spread of the provisioned users' emails, visited in turn. */
function emailCycle(users: number): () => string {
  let k = 0;
  return () => benchEmail((k++ * 7919) % users);
}

/** One `GET /scim/v2/Users?filter=userName eq "…"` over HTTP, checked to find exactly that user. */
export async function lookupWorkload(h: ScimHarness, users: number): Promise<Workload> {
  const token = await accessToken(h);
  const next = emailCycle(users);
  const headers = { authorization: `Bearer ${token}`, accept: 'application/scim+json' };
  const base = `${h.server.url}/scim/v2/Users?filter=`;
  const run = async (): Promise<void> => {
    const email = next();
    const res = await fetch(`${base}${encodeURIComponent(`userName eq "${email}"`)}`, { headers });
    const body = (await res.json()) as { totalResults?: number; Resources?: { userName?: string }[] };
    if (res.status !== 200 || body.totalResults !== 1 || body.Resources?.[0]?.userName !== email) {
      throw new Error(`lookup of ${email}: HTTP ${res.status}, ${JSON.stringify(body).slice(0, 200)}`);
    }
  };
  await run();
  return { run };
}

/** The same lookup in process: the SCIM service's list call, without HTTP, auth or JSON. */
export async function inProcessLookupWorkload(h: ScimHarness, users: number): Promise<Workload> {
  const { sp } = h.server.app.harness;
  const scim = new ScimUsers({ directory: sp.directory, activation: sp.activation, scimUrl: sp.endpoints.scimUrl, nowMs: () => sp.clock.now() });
  const next = emailCycle(users);
  const run = async (): Promise<void> => {
    const email = next();
    const list = await scim.list(DEMO_ACCOUNT.id, readListQuery({ filter: `userName eq "${email}"` }));
    if (list.totalResults !== 1) throw new Error(`in-process lookup of ${email}: ${list.totalResults} results`);
  };
  await run();
  return { run };
}
