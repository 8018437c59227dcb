// The IdP certificates pinned from its metadata, as ready-to-use public keys. Parsed once per
// certificate object (never per message), and filtered by the key policy: RSA only, at least
// `minKeyBits` (catalogue row 28: RSA-1024 refused).
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { ResponseExpectations } from './types.js';

export interface PinnedKey {
  certificate: X509Certificate;
  publicKey: KeyObject;
  /** SHA-256 fingerprint, colon-separated hex, as shown by the IdP admin console. */
  fingerprint: string;
  type: string;
  bits: number | undefined;
  /** The certificate's notAfter, in ms: a signature by an expired certificate is refused. */
  notAfterMs: number;
}

export interface PinnedKeys {
  accepted: PinnedKey[];
  refused: { key: PinnedKey; reason: string }[];
}

const parsed = new WeakMap<X509Certificate, PinnedKey>();

function pinnedKey(certificate: X509Certificate): PinnedKey {
  let key = parsed.get(certificate);
  if (!key) {
    const publicKey = certificate.publicKey;
    key = {
      certificate,
      publicKey,
      fingerprint: certificate.fingerprint256,
      type: publicKey.asymmetricKeyType ?? 'unknown',
      bits: publicKey.asymmetricKeyDetails?.modulusLength,
      notAfterMs: Date.parse(certificate.validTo),
    };
    parsed.set(certificate, key);
  }
  return key;
}

export function describeKey(key: PinnedKey): string {
  return `${key.type.toUpperCase()}${key.bits ? `-${key.bits}` : ''} SHA-256 ${key.fingerprint}`;
}

export function pinnedKeys(expect: ResponseExpectations): PinnedKeys {
  const out: PinnedKeys = { accepted: [], refused: [] };
  for (const certificate of expect.idpCertificates) {
    const key = pinnedKey(certificate);
    if (key.type !== 'rsa') {
      out.refused.push({ key, reason: `a ${key.type} key (this SP verifies RSA signatures only)` });
    } else if ((key.bits ?? 0) < expect.minKeyBits) {
      out.refused.push({ key, reason: `a ${key.bits ?? '?'}-bit RSA key (at least ${expect.minKeyBits} bits required)` });
    } else {
      out.accepted.push(key);
    }
  }
  return out;
}
