// `npm run soak [-- --minutes N] [--max-logins N] [--max-scim N] [--login-concurrency N] [--scim-connections N] [--json]`:
// the harness in process on 127.0.0.1 with a SQLite store in a new temporary directory, the demo
// seeded and Identity Management authorized (as bench/scim-flow.ts does), then two loads at once
// until the time or the counts run out: complete SP-initiated logins of ann@acme.test through the
// real HTTP flow (headlessLogin, a fixed number at a time), and SCIM creates of unique users with
// autocannon. It reports throughput, errors and RSS at the start, middle and end, and never
// judges: the exit code is 0 once it has finished. Not part of `npm test`.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { headlessLogin } from '../src/client/browser/headless-login.js';
import { DEMO_ACCOUNT, DEMO_APP_ID } from '../src/harness/demo.js';
import { SCIM_MEDIA_TYPE, SCIM_SCHEMA } from '../src/scim-protocol/urn.js';
import { listen } from '../src/harness/server.js';
import { fixtureKeys } from './fixture-keys.js';
import { prepareScim } from './scim-flow.js';

/** The SP's extension and DigitalLine pools hold at most 100,000, and the demo takes a few. */
const MAX_SCIM_CREATES = 99_900;

interface Options {
  minutes: number;
  maxLogins: number;
  maxScim: number;
  loginConcurrency: number;
  scimConnections: number;
  json: boolean;
}

const DEFAULTS: Options = { minutes: 2, maxLogins: 1_000_000, maxScim: MAX_SCIM_CREATES, loginConcurrency: 8, scimConnections: 4, json: false };

const VALUED: Record<string, { key: Exclude<keyof Options, 'json'>; integer: boolean; max?: number }> = {
  '--minutes': { key: 'minutes', integer: false },
  '--max-logins': { key: 'maxLogins', integer: true },
  '--max-scim': { key: 'maxScim', integer: true, max: MAX_SCIM_CREATES },
  '--login-concurrency': { key: 'loginConcurrency', integer: true },
  '--scim-connections': { key: 'scimConnections', integer: true },
};

/** Bad values end the run before anything starts (exit 2); unknown options are only warned about. */
function parseOptions(argv: readonly string[]): Options {
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const [name = '', inline] = (argv[i] ?? '').split(/=(.*)/s);
    if (name === '--json') {
      opts.json = true;
      continue;
    }
    const spec = VALUED[name];
    if (!spec) {
      process.stderr.write(`soak: ignoring unknown option ${argv[i]}\n`);
      continue;
    }
    const text = inline ?? argv[++i];
    const value = Number(text);
    const ok = text !== undefined && text.trim() !== '' && Number.isFinite(value) && value > 0 && (!spec.integer || Number.isInteger(value));
    if (!ok) usageError(`${name} wants a positive ${spec.integer ? 'whole number' : 'number'}, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
    if (spec.max !== undefined && value > spec.max) usageError(`${name} is at most ${spec.max} (the SP's extension pool), got ${value}`);
    opts[spec.key] = value;
  }
  return opts;
}

function usageError(message: string): never {
  process.stderr.write(`soak: ${message}\n`);
  process.exit(2);
}

/** A user RingCentral accepts (as test/scim/support.ts `rcUser`): userName = work email, a US work address. */
function scimUserBody(email: string): string {
  return JSON.stringify({
    schemas: [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser],
    userName: email,
    name: { givenName: 'Soak', familyName: 'User' },
    emails: [{ value: email, type: 'work', primary: true }],
    addresses: [{ type: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US' }],
    phoneNumbers: [{ type: 'mobile', value: '+16505550100' }],
    [SCIM_SCHEMA.enterpriseUser]: { department: 'Engineering' },
  });
}

interface Counters {
  loginsOk: number;
  loginErrors: number;
  /** Failed logins by "HTTP status code/message", to name what went wrong. */
  loginErrorKinds: Map<string, number>;
  scimOk: number;
  scimNon2xx: number;
  /** Connection errors and timeouts. */
  scimRequestErrors: number;
}

interface Sample {
  at: 'start' | 'middle' | 'end';
  elapsedSec: number;
  loginsPerSec: number | null;
  scimWritesPerSec: number | null;
  loginErrors: number;
  scimErrors: number;
  rssMb: number;
}

const round1 = (v: number): number => Number(v.toFixed(1));
const count = (n: number): string => n.toLocaleString('en-US');
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';

async function runLogins(url: string, o: Options, c: Counters, stopped: () => boolean): Promise<void> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (!stopped() && started < o.maxLogins) {
      started++;
      let kind: string | undefined;
      try {
        const r = await headlessLogin({ spBaseUrl: url, email: 'ann@acme.test', password: 'ann-password-1' });
        if (!r.ok) kind = `HTTP ${r.error?.status ?? '?'} ${r.error?.code ?? r.error?.message ?? ''}`.trim();
      } catch (err) {
        kind = `thrown: ${describe(err)}`;
      }
      if (kind === undefined) c.loginsOk++;
      else {
        c.loginErrors++;
        c.loginErrorKinds.set(kind, (c.loginErrorKinds.get(kind) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: o.loginConcurrency }, worker));
}

function runScim(url: string, token: string, o: Options, c: Counters): { instance: autocannon.Instance; done: Promise<autocannon.Result> } {
  const runId = randomBytes(4).toString('hex');
  let next = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: Math.min(o.scimConnections, o.maxScim),
        duration: o.minutes * 60,
        maxOverallRequests: o.maxScim,
        requests: [
          {
            method: 'POST',
            path: '/scim/v2/Users',
            headers: { authorization: `Bearer ${token}`, 'content-type': SCIM_MEDIA_TYPE, accept: SCIM_MEDIA_TYPE },
            setupRequest: (req) => ({ ...req, body: scimUserBody(`soak-${runId}-${next++}@acme.test`) }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance.on('response', (_client, status) => {
    if (status >= 200 && status < 300) c.scimOk++;
    else c.scimNon2xx++;
  });
  instance.on('reqError', () => c.scimRequestErrors++);
  return { instance, done };
}

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function formatSample(s: Sample): string {
  const rate = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)}/s`).padStart(8);
  return (
    `[${s.at}]`.padEnd(9) +
    `${s.elapsedSec.toFixed(1).padStart(7)} s  logins ${rate(s.loginsPerSec)}  SCIM writes ${rate(s.scimWritesPerSec)}  ` +
    `errors: logins ${count(s.loginErrors)}, SCIM ${count(s.scimErrors)}  RSS ${s.rssMb.toFixed(1)} MB`
  );
}

async function main(o: Options): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-harness-soak-'));
  const adminToken = `soak-${randomBytes(16).toString('hex')}`;
  const server = await listen({
    port: 0,
    host: '127.0.0.1',
    store: join(dataDir, 'harness.db'),
    dataDir,
    adminToken,
    keys: fixtureKeys(),
    passwordHashCost: { N: 1024, r: 8, p: 1 },
    log: () => undefined,
  }).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  try {
    progress(`soak: harness at ${server.url}, SQLite store in ${dataDir}; seeding the demo and authorizing Identity Management …`);
    await prepareScim(server.url, adminToken, o.maxScim);
    const { tokens } = await server.app.harness.idp.idm.get(DEMO_APP_ID);
    if (!tokens) throw new Error('Identity Management holds no SCIM access token after authorization');
    progress(
      `soak: ${o.minutes} min, at most ${count(o.maxLogins)} logins (${o.loginConcurrency} at a time) ` +
        `and ${count(o.maxScim)} SCIM creates (${Math.min(o.scimConnections, o.maxScim)} connections)`,
    );

    const c: Counters = { loginsOk: 0, loginErrors: 0, loginErrorKinds: new Map(), scimOk: 0, scimNon2xx: 0, scimRequestErrors: 0 };
    const samples: Sample[] = [];
    const t0 = performance.now();
    let last = { at: t0, logins: 0, scim: 0 };
    const sample = (at: Sample['at']): void => {
      const now = performance.now();
      const secs = at === 'start' ? 0 : (now - last.at) / 1000;
      const s: Sample = {
        at,
        elapsedSec: round1((now - t0) / 1000),
        loginsPerSec: secs > 0 ? round1((c.loginsOk - last.logins) / secs) : null,
        scimWritesPerSec: secs > 0 ? round1((c.scimOk - last.scim) / secs) : null,
        loginErrors: c.loginErrors,
        scimErrors: c.scimNon2xx + c.scimRequestErrors,
        rssMb: round1(process.memoryUsage().rss / 2 ** 20),
      };
      samples.push(s);
      last = { at: now, logins: c.loginsOk, scim: c.scimOk };
      if (!o.json) progress(formatSample(s));
    };

    sample('start');
    let stopped = false;
    const scim = runScim(server.url, tokens.accessToken, o, c);
    const middle = setTimeout(() => sample('middle'), o.minutes * 30_000);
    const deadline = setTimeout(() => {
      stopped = true;
      scim.instance.stop();
    }, o.minutes * 60_000);
    const [, scimResult] = await Promise.all([runLogins(server.url, o, c, () => stopped), scim.done]);
    clearTimeout(middle);
    clearTimeout(deadline);
    sample('end');
    const elapsedSec = (performance.now() - t0) / 1000;

    // What the SP holds afterwards: every 2xx create should be one soak user, no more, no less.
    const spSoakUsers = (await server.app.harness.sp.directory.list(DEMO_ACCOUNT.id)).filter((u) => u.email.startsWith('soak-')).length;
    const cpu = cpus();
    const rss = (at: Sample['at']): number | null => samples.find((s) => s.at === at)?.rssMb ?? null;
    const summary = {
      machine: { cpus: cpu.length, model: cpu[0]?.model.trim() ?? 'unknown' },
      node: process.version,
      store: 'sqlite',
      options: { minutes: o.minutes, maxLogins: o.maxLogins, maxScim: o.maxScim, loginConcurrency: o.loginConcurrency, scimConnections: o.scimConnections },
      elapsedSec: round1(elapsedSec),
      logins: { ok: c.loginsOk, errors: c.loginErrors, perSec: round1(c.loginsOk / elapsedSec), errorKinds: Object.fromEntries(c.loginErrorKinds) },
      scimWrites: {
        ok: c.scimOk,
        non2xx: c.scimNon2xx,
        requestErrors: c.scimRequestErrors,
        timeouts: scimResult.timeouts,
        perSec: round1(c.scimOk / elapsedSec),
        statusCodes: Object.fromEntries(Object.entries(scimResult.statusCodeStats).map(([code, s]) => [code, s.count])),
        soakUsersInSp: spSoakUsers,
      },
      rssMb: { start: rss('start'), middle: rss('middle'), end: rss('end') },
      samples,
    };
    if (o.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const mb = (v: number | null): string => (v === null ? 'not reached' : `${v.toFixed(1)} MB`);
    const kinds = [...c.loginErrorKinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${count(n)} × ${k}`);
    const statuses = Object.entries(summary.scimWrites.statusCodes).map(([code, n]) => `${code}: ${count(n)}`);
    process.stdout.write(
      [
        '',
        'sso-harness soak (SQLite store, loopback)',
        `  machine        ${summary.machine.cpus} CPUs, ${summary.machine.model}, Node ${summary.node}`,
        `  ran            ${summary.elapsedSec} s of ${o.minutes} min`,
        `  logins         ${count(c.loginsOk)} ok, ${summary.logins.perSec}/s (${o.loginConcurrency} at a time)`,
        `  SCIM writes    ${count(c.scimOk)} created, ${summary.scimWrites.perSec}/s (${Math.min(o.scimConnections, o.maxScim)} connections); ${count(spSoakUsers)} soak users in the SP (creates in flight at the stop are made but not counted)`,
        `  login errors   ${count(c.loginErrors)}${kinds.length > 0 ? `: ${kinds.slice(0, 5).join('; ')}` : ''}`,
        `  SCIM errors    ${count(c.scimNon2xx)} non-2xx, ${count(c.scimRequestErrors)} request errors (${count(scimResult.timeouts)} timeouts); statuses ${statuses.join(', ') || 'none'}`,
        `  RSS            start ${mb(summary.rssMb.start)}, middle ${mb(summary.rssMb.middle)}, end ${mb(summary.rssMb.end)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const options = parseOptions(process.argv.slice(2));
try {
  await main(options);
  process.exitCode = 0;
} catch (err) {
  process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
