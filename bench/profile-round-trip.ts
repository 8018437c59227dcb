// Runs one side's round trip in a loop for a CPU profile (not part of `npm run bench`):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-round-trip.ts [ours|samlify] [seconds]
//   npx tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KeyPairPem } from '../src/crypto/keys.js';

const side = process.argv[2] === 'samlify' ? 'samlify' : 'ours';
const seconds = Number(process.argv[3] ?? 5);

const dir = fileURLToPath(new URL('../fixtures/keys/', import.meta.url));
const pair = (name: string): KeyPairPem => ({
  privateKeyPem: readFileSync(`${dir}${name}.key.pem`, 'utf8'),
  certificatePem: readFileSync(`${dir}${name}.cert.pem`, 'utf8'),
});
const keys = { idp: pair('idp'), sp: pair('sp') };

let roundTrip: () => Promise<void>;
if (side === 'ours') {
  const flow = await import('./harness-flow.js');
  const wired = await flow.wireHarness(keys);
  roundTrip = () => flow.harnessRoundTrip(wired);
} else {
  const flow = await import('./samlify-flow.js');
  const samlifyPair = flow.createSamlifyPair(keys);
  roundTrip = () => flow.samlifyRoundTrip(samlifyPair);
}

const end = Date.now() + seconds * 1000;
let n = 0;
while (Date.now() < end) {
  await roundTrip();
  n++;
}
process.stderr.write(`${side}: ${n} round trips in ${seconds} s (${Math.round(n / seconds)}/s, profiler attached)\n`);
