import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSigningKey, type KeyPairPem, type SigningKey } from '../../src/crypto/keys.js';

const dir = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));

/** `sp-enc`: the SP's encryption key pair (assertion encryption tests). */
export type FixtureKeyName = 'idp' | 'sp' | 'sp-enc' | 'attacker' | 'weak-1024';

export function fixturePem(name: FixtureKeyName): KeyPairPem {
  return {
    privateKeyPem: readFileSync(`${dir}${name}.key.pem`, 'utf8'),
    certificatePem: readFileSync(`${dir}${name}.cert.pem`, 'utf8'),
  };
}

export function fixtureKey(name: FixtureKeyName): SigningKey {
  return loadSigningKey(fixturePem(name));
}
