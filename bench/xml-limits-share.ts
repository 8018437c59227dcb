// The XML limit scan's share of sp-validate-response, two ways in one run, both in CPU time of
// this process (on a shared machine, wall time mostly measures the other processes).
// Direct (the reported figure): the inputs the scan receives during one validation are recorded,
// the scan alone is timed over them, and its time per validation is divided by the time of one
// validation with the scan.
// A/B (the cross-check): batches of validations with the scan and with it switched off
// (xmlLimitScan, the one seam), in alternating order; share = 1 - the median over pairs of (CPU
// per validation without ÷ with). The scan's share is a percent or two, within the noise of such
// pairs, which is why the direct figure is the one reported.
import { performance } from 'node:perf_hooks';
import { checkXmlLimits, xmlLimitScan } from '../src/saml/xml-limits.js';
import { median, type Budget, type Workload } from './measure.js';

export interface XmlLimitsShare {
  /** CPU time of one validation with and without the scan (medians over the A/B batches), in µs. */
  withScanCpuUs: number;
  withoutScanCpuUs: number;
  /** 1 - the median over pairs of (CPU without ÷ CPU with): the scan's share, measured A/B. */
  abShare: number;
  /** The scan alone over one validation's inputs, CPU µs. */
  scanUsPerValidation: number;
  /** scanUsPerValidation ÷ withScanCpuUs: the figure. */
  directShare: number;
  callsPerValidation: number;
  charsPerValidation: number;
  pairs: number;
}

type Check = typeof checkXmlLimits;
const off: Check = () => undefined;

/** CPU µs per validation over one prepared batch, with `check` as the scan. */
async function cpuPerValidation(batch: Array<() => unknown>, check: Check): Promise<number> {
  xmlLimitScan.check = check;
  try {
    const start = process.cpuUsage();
    for (const op of batch) await op();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / batch.length;
  } finally {
    xmlLimitScan.check = checkXmlLimits;
  }
}

export async function xmlLimitsShare(validate: Workload, budget: Budget, progress: (line: string) => void, pairs = 16): Promise<XmlLimitsShare> {
  if (!('batch' in validate)) throw new Error('bench: the validation workload consumes its inputs in batches');

  // What one validation hands the scan.
  const seen: Parameters<Check>[] = [];
  const [first] = await validate.batch();
  if (!first) throw new Error('bench: no validation to record');
  xmlLimitScan.check = (...args) => {
    seen.push(args);
    checkXmlLimits(...args);
  };
  try {
    await first();
  } finally {
    xmlLimitScan.check = checkXmlLimits;
  }

  progress('  the scan alone over one validation\'s inputs …');
  const scanOnce = (): void => {
    for (const args of seen) checkXmlLimits(...args);
  };
  for (let t0 = performance.now(); performance.now() - t0 < budget.warmupMs; ) scanOnce();
  const perRun: number[] = [];
  for (let r = 0; r < budget.runs; r++) {
    let n = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    while (performance.now() - t0 < budget.runMs) {
      scanOnce();
      n++;
    }
    const used = process.cpuUsage(cpu0);
    perRun.push((used.user + used.system) / n);
  }
  const scanUsPerValidation = median(perRun);

  progress(`  A/B: ${pairs} pairs of validation batches with and without the scan (CPU time) …`);
  await cpuPerValidation(await validate.batch(), off);
  const withCpu: number[] = [];
  const withoutCpu: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternating order, each batch prepared (signed) before its timing starts.
    const [a, b] = [await validate.batch(), await validate.batch()];
    const scanFirst = i % 2 === 0;
    const x = await cpuPerValidation(a, scanFirst ? checkXmlLimits : off);
    const y = await cpuPerValidation(b, scanFirst ? off : checkXmlLimits);
    const [withUs, withoutUs] = scanFirst ? [x, y] : [y, x];
    withCpu.push(withUs);
    withoutCpu.push(withoutUs);
    ratios.push(withoutUs / withUs);
  }

  const withScanCpuUs = median(withCpu);
  return {
    withScanCpuUs,
    withoutScanCpuUs: median(withoutCpu),
    abShare: 1 - median(ratios),
    scanUsPerValidation,
    directShare: scanUsPerValidation / withScanCpuUs,
    callsPerValidation: seen.length,
    charsPerValidation: seen.reduce((sum, [xml]) => sum + xml.length, 0),
    pairs,
  };
}
