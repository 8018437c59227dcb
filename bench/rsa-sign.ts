// The baseline: Node's own RSA-2048 PKCS#1 v1.5 signature over SHA-256, with the key parsed once
// into a KeyObject. A login signs at least once, so this bounds what one core can do.
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { KeyPairPem } from '../src/crypto/keys.js';
import type { Workload } from './measure.js';

export function rsaSignWorkload(pem: KeyPairPem): Workload {
  const key = createPrivateKey(pem.privateKeyPem);
  // About the size of the SignedInfo an enveloped signature signs.
  const data = randomBytes(600);
  return { run: () => sign('sha256', data, key) };
}
