// The fixed key pairs of fixtures/keys, so every bench run signs with the same keys.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KeyPairPem } from '../src/crypto/keys.js';

export function fixtureKeys(): { idp: KeyPairPem; sp: KeyPairPem } {
  const dir = fileURLToPath(new URL('../fixtures/keys/', import.meta.url));
  const pair = (name: string): KeyPairPem => ({
    privateKeyPem: readFileSync(`${dir}${name}.key.pem`, 'utf8'),
    certificatePem: readFileSync(`${dir}${name}.cert.pem`, 'utf8'),
  });
  return { idp: pair('idp'), sp: pair('sp') };
}
