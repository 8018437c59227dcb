import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSigningKey, type KeyPairPem, type SigningKey } from '../../src/crypto/keys.js';

const dir = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));

export function fixturePem(name: 'idp' | 'sp' | 'attacker' | 'weak-1024'): KeyPairPem {
  return {
    privateKeyPem: readFileSync(`${dir}${name}.key.pem`, 'utf8'),
    certificatePem: readFileSync(`${dir}${name}.cert.pem`, 'utf8'),
  };
}

export function fixtureKey(name: 'idp' | 'sp' | 'attacker' | 'weak-1024'): SigningKey {
  return loadSigningKey(fixturePem(name));
}
