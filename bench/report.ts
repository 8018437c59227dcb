// The bench's two outputs: one table for people, one JSON object for machines. Both report; neither
// judges (targets are shown next to the figures, the exit code is always 0).
import type { XmlLimitsShare } from './xml-limits-share.js';

/** The SCIM figures are absolute rates: no RSA ratio, no samlify equivalent. */
export type ScimFigureName = 'scim-provision-10k' | 'scim-filter-lookup-10k' | 'scim-filter-lookup-10k-in-process';
export type FigureName = 'rsa-sign' | 'idp-sign-response' | 'sp-validate-response' | 'round-trip' | 'http-login' | 'start-to-metadata' | 'idle-rss' | 'rss-growth' | 'xml-limits-share' | ScimFigureName;

const SCIM_FIGURES: ReadonlySet<FigureName> = new Set<ScimFigureName>(['scim-provision-10k', 'scim-filter-lookup-10k', 'scim-filter-lookup-10k-in-process']);

export interface FigureResult {
  name: FigureName;
  /** Our operations per second (median run; provisioning: one run); null when the figure could not be measured. */
  value: number | null;
  unit: 'ops/s' | 'users/s' | 'lookups/s' | 'logins/s' | 'ms' | 'MB' | 'ratio';
  /** The budget from DESIGN.md, in the same unit, for this run's RSA sign rate (start-to-metadata: at most). */
  target?: number;
  ratioToRsaSign?: number;
  /** samlify's operations per second for the same step. */
  samlify?: number;
  /** Why a figure is missing (a side failed to load or to complete a login). */
  error?: string;
  /** scim-provision-10k: the one timed run, its untimed setup, and the rate in each tenth of it. */
  provisioning?: { users: number; seconds: number; setupSeconds: number; usersPerSecByTenth: number[] };
  /** start-to-metadata: each timed start, in ms. */
  startsMs?: number[];
  /** rss-growth: the two readings. */
  rss?: { after10kMb: number; after100kMb: number };
  /** xml-limits-share: sp-validate-response with and without the XML limit scan, and the scan alone. */
  xmlLimits?: XmlLimitsShare;
  /** http-login: latency of a whole login and how the run went. */
  http?: { p50Ms: number; p99Ms: number; p99TargetMs: number; logins: number; errors: number; seconds: number; connections: number };
}

export interface BenchReport {
  rsaSignPerSec: number;
  node: string;
  machine: { cpus: number; model: string };
  results: FigureResult[];
}

export interface RunDescription {
  warmupMs: number;
  runMs: number;
  runs: number;
}

const LABELS: Record<FigureName, string> = {
  'rsa-sign': 'rsa-sign (Node crypto.sign, KeyObject)',
  'idp-sign-response': 'idp-sign-response (build + sign + base64)',
  'sp-validate-response': 'sp-validate-response (full pipeline)',
  'round-trip': 'round-trip (SP-initiated, in process)',
  'http-login': 'http-login (3 requests, 8 connections, SQLite)',
  'start-to-metadata': 'start-to-metadata (existing SQLite db; ms)',
  'idle-rss': 'idle-rss (sso-harness start, idle; MB)',
  'rss-growth': 'rss-growth (RSS after 100k ÷ after 10k logins)',
  'xml-limits-share': 'xml-limits-share (XML limit scan ÷ sp-validate-response)',
  'scim-provision-10k': 'scim-provision-10k (IdP client → SP, HTTP; users/s)',
  'scim-filter-lookup-10k': 'scim-filter-lookup-10k (GET filter, HTTP; lookups/s)',
  'scim-filter-lookup-10k-in-process': 'scim-filter-lookup-10k (in process; lookups/s)',
};

/** How each target is stated in DESIGN.md ("Performance budgets"). */
const TARGET_TEXT: Partial<Record<FigureName, string>> = {
  'idp-sign-response': '40% RSA',
  'sp-validate-response': 'fixed',
  'round-trip': '25% RSA',
};

const rate = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');
/** The SCIM rates can be a few per second: one decimal below 100. */
const absolute = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v < 100 ? v.toFixed(1) : rate(v);
const percent = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`;
const times = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`;

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r.map((cell, col) => (rightAligned.has(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0))).join('  ').trimEnd();
  const [head, ...body] = rows;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatTable(report: BenchReport, run: RunDescription): string {
  const rsa = report.rsaSignPerSec;
  const rows: string[][] = [['figure', 'ours/s', 'ours/RSA', 'target', 'samlify/s', 'samlify/RSA', 'ours/samlify']];
  for (const r of report.results) {
    if (r.name === 'rsa-sign') {
      rows.push([LABELS[r.name], rate(r.value), '100.0%', 'baseline', '', '', '']);
      continue;
    }
    if (r.name === 'http-login') {
      rows.push([LABELS[r.name], rate(r.value), percent(r.ratioToRsaSign), r.target === undefined ? '' : `≥ ${r.target} logins/s`, '', '', '']);
      continue;
    }
    if (r.name === 'rss-growth') {
      rows.push([LABELS[r.name], r.value === null ? '–' : `${r.value.toFixed(2)}×`, '', r.target === undefined ? '' : `≤ ${r.target.toFixed(2)}×`, '', '', '']);
      continue;
    }
    if (r.name === 'xml-limits-share') {
      rows.push([LABELS[r.name], percent(r.value), '', r.target === undefined ? '' : `≤ ${percent(r.target)}`, '', '', '']);
      continue;
    }
    if (r.name === 'idle-rss') {
      rows.push([LABELS[r.name], r.value === null ? '–' : `${Math.round(r.value)} MB`, '', r.target === undefined ? '' : `≤ ${r.target} MB`, '', '', '']);
      continue;
    }
    if (r.name === 'start-to-metadata') {
      rows.push([LABELS[r.name], r.value === null ? '–' : `${Math.round(r.value)} ms`, '', r.target === undefined ? '' : `≤ ${r.target} ms`, '', '', '']);
      continue;
    }
    if (SCIM_FIGURES.has(r.name)) {
      rows.push([LABELS[r.name], absolute(r.value), '', '', '', '', '']);
      continue;
    }
    const target = r.target === undefined ? '' : `≥ ${rate(r.target)} (${TARGET_TEXT[r.name] ?? ''})`;
    rows.push([
      LABELS[r.name],
      rate(r.value),
      percent(r.ratioToRsaSign),
      target,
      rate(r.samlify),
      percent(r.samlify === undefined ? undefined : r.samlify / rsa),
      times(r.value === null || r.samlify === undefined ? undefined : r.value / r.samlify),
    ]);
  }
  const header =
    `sso-harness bench — Node ${report.node}, ${report.machine.cpus} × ${report.machine.model}; ` +
    `one core, sequential; median of ${run.runs} runs × ${run.runMs} ms after ${run.warmupMs} ms warm-up`;
  const notes = report.results.flatMap((r) => {
    if (r.rss) return [`${r.name}: RSS ${Math.round(r.rss.after10kMb)} MB after 10,000 logins, ${Math.round(r.rss.after100kMb)} MB after 100,000 (in process, memory store, after a full GC)`];
    if (r.xmlLimits) {
      const x = r.xmlLimits;
      return [
        `${r.name} (CPU time): the scan alone ${x.scanUsPerValidation.toFixed(1)} µs per validation (${x.callsPerValidation} calls, ${x.charsPerValidation.toLocaleString('en-US')} characters) ` +
          `÷ ${Math.round(x.withScanCpuUs)} µs per validation = ${percent(x.directShare)} (the figure); ` +
          `A/B over ${x.pairs} alternating pairs of batches: ${Math.round(x.withoutScanCpuUs)} µs per validation without the scan, ${percent(x.abShare)}`,
      ];
    }
    if (r.startsMs) return [`${r.name}: median of ${r.startsMs.length} starts: ${r.startsMs.map((v) => `${Math.round(v)} ms`).join(', ')}`];
    if (r.http) {
      const h = r.http;
      return [`${r.name}: ${h.logins.toLocaleString('en-US')} logins in ${h.seconds.toFixed(1)} s, ${h.connections} connections, ${h.errors} errors; latency p50 ${Math.round(h.p50Ms)} ms, p99 ${Math.round(h.p99Ms)} ms (target < ${h.p99TargetMs} ms)`];
    }
    const p = r.provisioning;
    if (!p) return [];
    return [
      `${r.name}: one run, ${p.users.toLocaleString('en-US')} users in ${p.seconds.toFixed(1)} s ` +
        `(setup ${p.setupSeconds.toFixed(1)} s, untimed); users/s by tenth of the run: ${p.usersPerSecByTenth.map((v) => absolute(v)).join(', ')}`,
    ];
  });
  const errors = report.results.filter((r) => r.error).map((r) => `! ${r.name}: ${r.error}`);
  return [header, '', table(rows, new Set([1, 2, 4, 5, 6])), ...(notes.length > 0 ? ['', ...notes] : []), ...(errors.length > 0 ? ['', ...errors] : [])].join('\n');
}
