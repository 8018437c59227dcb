// `npm run bench [-- --json] [-- --quick] [-- --no-scim] [-- --rss] [-- --only-xml-limits]`: our harness against Node's RSA-2048 sign rate and
// against samlify, in one run on one core (DESIGN.md, "Performance budgets"). It reports and never
// judges: the exit code is 0 whatever the figures, and a side that fails is reported as missing.
// Then, as absolute rates, SCIM at 10,000 users: provisioning through the IdP's client into the SP
// and userName lookups, over HTTP on 127.0.0.1 (bench/scim-figures.ts). The XML limit scan's share
// of sp-validate-response is measured with and without it (bench/xml-limits-share.ts);
// --only-xml-limits runs that figure alone.
import { cpus } from 'node:os';
import type { KeyPairPem } from '../src/crypto/keys.js';
import { DEFAULT_BUDGET, measure, median, type Budget, type Measurement, type Workload } from './measure.js';
import { formatTable, type BenchReport, type FigureName, type FigureResult, type ScimFigureName } from './report.js';
import { fixtureKeys } from './fixture-keys.js';
import { rsaSignWorkload } from './rsa-sign.js';

interface SideWorkloads {
  signResponse: Workload;
  validateResponse: Workload;
  roundTrip: Workload;
}

type RsaRelativeFigure = Exclude<FigureName, 'rsa-sign' | ScimFigureName>;

const FIGURES: readonly { name: RsaRelativeFigure; workload: keyof SideWorkloads; target: (rsa: number) => number }[] = [
  { name: 'idp-sign-response', workload: 'signResponse', target: (rsa) => 0.4 * rsa },
  { name: 'sp-validate-response', workload: 'validateResponse', target: () => 1000 },
  { name: 'round-trip', workload: 'roundTrip', target: (rsa) => 0.25 * rsa },
];

const QUICK_BUDGET: Budget = { warmupMs: 200, runMs: 250, runs: 3 };

const args = new Set(process.argv.slice(2));
const asJson = args.has('--json');
// The SCIM figures (10,000 users, about a minute) can be left out while working on the SAML path.
const withScim = !args.has('--no-scim');
// 100,000 logins take several minutes: only when asked.
const withRss = args.has('--rss');
// The XML limit scan's share alone, for work on the parser path.
const onlyXmlLimits = args.has('--only-xml-limits');
const budget = args.has('--quick') ? QUICK_BUDGET : DEFAULT_BUDGET;
for (const a of args) if (!['--json', '--quick', '--no-scim', '--rss', '--only-xml-limits'].includes(a)) process.stderr.write(`bench: ignoring unknown option ${a}\n`);

/** Progress goes to stderr so stdout holds only the table or the JSON. */
const progress = (line: string) => process.stderr.write(`${line}\n`);

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';

/** Rates to 0.1/s and ratios to 4 places: more digits than that are noise between runs. */
const round = (v: number, places: number): number => Number(v.toFixed(places));

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    progress(`  ${what} failed: ${describe(err)}`);
    return { ok: false, error: `${what}: ${describe(err)}` };
  }
}

async function measureSide(side: Outcome<SideWorkloads>, key: keyof SideWorkloads, label: string): Promise<Outcome<Measurement>> {
  if (!side.ok) return side;
  progress(`  ${label} …`);
  return attempt(label, () => measure(side.value[key], budget));
}

async function xmlLimitsResult(ours: Outcome<SideWorkloads>): Promise<FigureResult> {
  const target = 0.05;
  if (!ours.ok) return { name: 'xml-limits-share', value: null, unit: 'ratio', target, error: ours.error };
  progress('xml-limits-share …');
  const share = await attempt('xml-limits-share', async () => (await import('./xml-limits-share.js')).xmlLimitsShare(ours.value.validateResponse, budget, progress));
  if (!share.ok) return { name: 'xml-limits-share', value: null, unit: 'ratio', target, error: share.error };
  const x = share.value;
  return {
    name: 'xml-limits-share',
    // The direct figure: the A/B difference of two validation rates is within their run-to-run noise.
    value: round(x.directShare, 4),
    unit: 'ratio',
    target,
    xmlLimits: {
      ...x,
      withScanCpuUs: round(x.withScanCpuUs, 1),
      withoutScanCpuUs: round(x.withoutScanCpuUs, 1),
      abShare: round(x.abShare, 4),
      scanUsPerValidation: round(x.scanUsPerValidation, 2),
      directShare: round(x.directShare, 4),
    },
  };
}

async function wireOurs(keys: ReturnType<typeof fixtureKeys>): Promise<Outcome<SideWorkloads>> {
  progress('wiring our IdP and SP …');
  return attempt('our harness', async () => {
    const flow = await import('./harness-flow.js');
    return flow.harnessWorkloads(await flow.wireHarness(keys));
  });
}

async function main(): Promise<BenchReport> {
  const keys = fixtureKeys();
  const rsaWork = rsaSignWorkload(keys.idp);
  progress('rsa-sign (before) …');
  const rsaBefore = await measure(rsaWork, budget);
  if (onlyXmlLimits) return { ...machineFacts(rsaBefore.opsPerSec), results: [{ name: 'rsa-sign', value: round(rsaBefore.opsPerSec, 1), unit: 'ops/s' }, await xmlLimitsResult(await wireOurs(keys))] };

  // Loaded here, not imported at the top: a side that does not load is reported, not fatal.
  const ours = await wireOurs(keys);
  progress('wiring samlify …');
  const theirs = await attempt('samlify', async () => {
    const flow = await import('./samlify-flow.js');
    return flow.samlifyWorkloads(flow.createSamlifyPair(keys));
  });

  // Ours and samlify's back to back for each figure, so each ratio is taken close together in time.
  const measured: { name: RsaRelativeFigure; ours: Outcome<Measurement>; theirs: Outcome<Measurement> }[] = [];
  for (const f of FIGURES) {
    progress(`${f.name} …`);
    const o = await measureSide(ours, f.workload, 'ours');
    const t = await measureSide(theirs, f.workload, 'samlify');
    measured.push({ name: f.name, ours: o, theirs: t });
  }

  // The baseline again at the end, pooled with the first: a machine that drifts during the run
  // moves both halves of every ratio.
  progress('rsa-sign (after) …');
  const rsaAfter = await measure(rsaWork, budget);
  const rsa = median([...rsaBefore.runs, ...rsaAfter.runs]);

  const results: FigureResult[] = [{ name: 'rsa-sign', value: round(rsa, 1), unit: 'ops/s' }];
  for (const m of measured) {
    const f = FIGURES.find((x) => x.name === m.name);
    const value = m.ours.ok ? m.ours.value.opsPerSec : null;
    const errors = [m.ours, m.theirs].flatMap((o) => (o.ok ? [] : [o.error]));
    results.push({
      name: m.name,
      value: value === null ? null : round(value, 1),
      unit: 'ops/s',
      ...(f && { target: round(f.target(rsa), 1) }),
      ...(value !== null && { ratioToRsaSign: round(value / rsa, 4) }),
      ...(m.theirs.ok && { samlify: round(m.theirs.value.opsPerSec, 1) }),
      ...(errors.length > 0 && { error: [...new Set(errors)].join('; ') }),
    });
  }
  // The scan's share is a ratio of two validation rates taken together, not of the RSA rate.
  results.push(await xmlLimitsResult(ours));
  // The SCIM figures are absolute (no ratio), so they run after the RSA baseline is closed: the
  // provisioning run is long, and it would stretch the drift window of every ratio above.
  progress(`http-login (${args.has('--quick') ? 3 : 10} s of complete logins over HTTP) …`);
  const http = await attempt('http-login', async () => (await import('./http-login.js')).httpLogins(keys, args.has('--quick') ? 3 : 10));
  results.push(
    http.ok
      ? {
          name: 'http-login',
          value: round(http.value.loginsPerSec, 1),
          unit: 'logins/s',
          target: 300,
          ratioToRsaSign: round(http.value.loginsPerSec / rsa, 4),
          http: { ...http.value, p50Ms: round(http.value.p50Ms, 1), p99Ms: round(http.value.p99Ms, 1), p99TargetMs: 100, seconds: round(http.value.seconds, 2) },
        }
      : { name: 'http-login', value: null, unit: 'logins/s', target: 300, error: http.error },
  );
  const start = await attempt('start-to-metadata', async () => (await import('./start-figure.js')).startToMetadata(progress));
  results.push(
    start.ok
      ? { name: 'start-to-metadata', value: round(start.value.ms, 1), unit: 'ms', target: 300, startsMs: start.value.runs.map((v) => round(v, 1)) }
      : { name: 'start-to-metadata', value: null, unit: 'ms', target: 300, error: start.error },
    start.ok ? { name: 'idle-rss', value: round(start.value.idleRssMb, 1), unit: 'MB', target: 120 } : { name: 'idle-rss', value: null, unit: 'MB', target: 120, error: start.error },
  );
  if (withRss) {
    progress('rss-growth (100,000 in-process logins; several minutes) …');
    const rss = await attempt('rss-growth', async () => (await import('./rss-growth.js')).rssGrowth(keys, progress));
    results.push(
      rss.ok
        ? { name: 'rss-growth', value: round(rss.value.ratio, 3), unit: 'ratio', target: 1.2, rss: { after10kMb: round(rss.value.after10kMb, 1), after100kMb: round(rss.value.after100kMb, 1) } }
        : { name: 'rss-growth', value: null, unit: 'ratio', target: 1.2, error: rss.error },
    );
  }
  if (withScim) results.push(...(await scimResults(keys)));
  else progress('SCIM figures skipped (--no-scim)');
  return { ...machineFacts(rsa), results };
}

function machineFacts(rsa: number): Omit<BenchReport, 'results'> {
  const cpu = cpus();
  return { rsaSignPerSec: round(rsa, 1), node: process.version, machine: { cpus: cpu.length, model: cpu[0]?.model.trim() ?? 'unknown' } };
}

async function scimResults(keys: { idp: KeyPairPem; sp: KeyPairPem }): Promise<FigureResult[]> {
  const scim = await attempt('SCIM figures', async () => (await import('./scim-figures.js')).scimFigures(keys, budget, progress));
  if (scim.ok) return scim.value;
  return (['scim-provision-10k', 'scim-filter-lookup-10k', 'scim-filter-lookup-10k-in-process'] as const).map((name) => ({
    name,
    value: null,
    unit: name === 'scim-provision-10k' ? 'users/s' : 'lookups/s',
    error: scim.error,
  }));
}

try {
  const report = await main();
  process.stdout.write(`${asJson ? JSON.stringify(report, null, 2) : formatTable(report, budget)}\n`);
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}
process.exitCode = 0;
