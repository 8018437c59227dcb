// The SCIM figures of `npm run bench`: provisioning 10,000 users through the IdP's client into the
// SP, and userName lookups with 10,000 users in the account (over HTTP, and in process). Absolute
// rates: no RSA ratio, no samlify equivalent. A step that fails is reported, never fatal.
import type { KeyPairPem } from '../src/crypto/keys.js';
import { measure, type Budget } from './measure.js';
import type { FigureResult, ScimFigureName } from './report.js';
import { inProcessLookupWorkload, lookupWorkload, provisionUsers, SCIM_USER_COUNT, startScimHarness, type ScimHarness } from './scim-flow.js';

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
const round = (v: number, places: number): number => Number(v.toFixed(places));

export async function scimFigures(keys: { idp: KeyPairPem; sp: KeyPairPem }, budget: Budget, progress: (line: string) => void): Promise<FigureResult[]> {
  const users = SCIM_USER_COUNT;
  const results: FigureResult[] = [];
  const missing = (name: ScimFigureName, unit: FigureResult['unit'], what: string, err: unknown): FigureResult => {
    progress(`  ${what} failed: ${describe(err)}`);
    return { name, value: null, unit, error: `${what}: ${describe(err)}` };
  };

  progress('scim: a server on 127.0.0.1, the demo, Identity Management authorized …');
  let h: ScimHarness;
  try {
    h = await startScimHarness(keys, users);
  } catch (err) {
    const setup = missing('scim-provision-10k', 'users/s', 'SCIM setup', err);
    return [
      setup,
      { name: 'scim-filter-lookup-10k', value: null, unit: 'lookups/s', ...(setup.error && { error: setup.error }) },
      { name: 'scim-filter-lookup-10k-in-process', value: null, unit: 'lookups/s', ...(setup.error && { error: setup.error }) },
    ];
  }
  try {
    progress(`scim-provision-10k (${users.toLocaleString('en-US')} users, one run; progress every 10 s) …`);
    try {
      const p = await provisionUsers(h, users, progress);
      results.push({
        name: 'scim-provision-10k',
        value: round(p.usersPerSec, 1),
        unit: 'users/s',
        provisioning: {
          users: p.users,
          seconds: round(p.provisionMs / 1000, 1),
          setupSeconds: round(p.setupMs / 1000, 1),
          usersPerSecByTenth: p.tenths.map((v) => round(v, 1)),
        },
      });
    } catch (err) {
      results.push(missing('scim-provision-10k', 'users/s', 'provisioning', err));
    }

    const lookups: { name: ScimFigureName; label: string; workload: () => ReturnType<typeof lookupWorkload> }[] = [
      { name: 'scim-filter-lookup-10k', label: 'over HTTP', workload: () => lookupWorkload(h, users) },
      { name: 'scim-filter-lookup-10k-in-process', label: 'in process', workload: () => inProcessLookupWorkload(h, users) },
    ];
    for (const l of lookups) {
      progress(`${l.name} (${l.label}) …`);
      try {
        const m = await measure(await l.workload(), budget);
        results.push({ name: l.name, value: round(m.opsPerSec, 1), unit: 'lookups/s' });
      } catch (err) {
        results.push(missing(l.name, 'lookups/s', `lookup ${l.label}`, err));
      }
    }
  } finally {
    await h.server.close();
  }
  return results;
}
