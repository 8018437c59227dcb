// The XML limit scan's share of sp-validate-response, two ways in one run. A/B: the validation
// workload measured with the scan and with it switched off (xmlLimitScan, the one seam), in
// alternating order so drift falls on both; share = 1 - rate with ÷ rate without. Direct: the
// inputs the scan receives during one validation are recorded, the scan alone is timed over them,
// and its time per validation is divided by the time of one validation (with the scan). The
// direct share is the reported figure: the A/B difference of two validation rates is smaller than
// their run-to-run noise on a shared machine (it came out between -3% and +8% for the same code);
// the A/B rates are printed beside it as the cross-check.
import { performance } from 'node:perf_hooks';
import { checkXmlLimits, xmlLimitScan } from '../src/saml/xml-limits.js';
import { measure, median, type Budget, type Workload } from './measure.js';

export interface XmlLimitsShare {
  /** Validations per second with the scan (median of every run of every with-measurement). */
  withScanPerSec: number;
  withoutScanPerSec: number;
  /** 1 - with ÷ without: the share of a validation's time the scan takes, measured A/B. */
  abShare: number;
  /** The scan alone over one validation's inputs, in µs. */
  scanUsPerValidation: number;
  /** scanUsPerValidation ÷ the time of one validation with the scan. */
  directShare: number;
  callsPerValidation: number;
  charsPerValidation: number;
  pairs: number;
}

type Check = typeof checkXmlLimits;

async function measureWith(check: Check, work: Workload, budget: Budget): Promise<number[]> {
  xmlLimitScan.check = check;
  try {
    return (await measure(work, budget)).runs;
  } finally {
    xmlLimitScan.check = checkXmlLimits;
  }
}

export async function xmlLimitsShare(validate: Workload, budget: Budget, progress: (line: string) => void, pairs = 3): Promise<XmlLimitsShare> {
  if (!('batch' in validate)) throw new Error('bench: the validation workload consumes its inputs in batches');
  const off: Check = () => undefined;

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

  const withRuns: number[] = [];
  const withoutRuns: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // ABBA order: a machine that speeds up or slows down during the run moves both sides alike.
    const order: ['with' | 'without', Check][] = i % 2 === 0 ? [['with', checkXmlLimits], ['without', off]] : [['without', off], ['with', checkXmlLimits]];
    for (const [side, check] of order) {
      progress(`  sp-validate-response ${side} the XML limit scan (${i + 1}/${pairs}) …`);
      (side === 'with' ? withRuns : withoutRuns).push(...(await measureWith(check, validate, budget)));
    }
  }
  const withScanPerSec = median(withRuns);
  const withoutScanPerSec = median(withoutRuns);

  progress('  the scan alone over one validation\'s inputs …');
  const scanOnce = (): void => {
    for (const args of seen) checkXmlLimits(...args);
  };
  for (let t0 = performance.now(); performance.now() - t0 < budget.warmupMs; ) scanOnce();
  const perRun: number[] = [];
  for (let r = 0; r < budget.runs; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < budget.runMs) {
      scanOnce();
      n++;
    }
    perRun.push(((performance.now() - t0) * 1000) / n);
  }
  const scanUsPerValidation = median(perRun);
  return {
    withScanPerSec,
    withoutScanPerSec,
    abShare: 1 - withScanPerSec / withoutScanPerSec,
    scanUsPerValidation,
    directShare: scanUsPerValidation / (1e6 / withScanPerSec),
    callsPerValidation: seen.length,
    charsPerValidation: seen.reduce((sum, [xml]) => sum + xml.length, 0),
    pairs,
  };
}
