// The signer's certificates pinned from its metadata, as ready-to-use public keys. Parsed once per
// certificate object (never per message), and filtered by the key policy: RSA only, at least
// `minKeyBits` (catalogue row 28: RSA-1024 refused).
import type { KeyObject, X509Certificate } from 'node:crypto';
import { refuser, type SignaturePolicy } from './policy.js';

/** The smallest RSA key a signer may use unless a caller asks for more. */
export const MIN_RSA_KEY_BITS = 2048;

export interface PinnedKey {
  certificate: X509Certificate;
  publicKey: KeyObject;
  /** SHA-256 fingerprint, colon-separated hex, as admin consoles show it. */
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

export function pinnedKeys(certificates: readonly X509Certificate[], minKeyBits: number): PinnedKeys {
  const out: PinnedKeys = { accepted: [], refused: [] };
  for (const certificate of certificates) {
    const key = pinnedKey(certificate);
    if (key.type !== 'rsa') {
      out.refused.push({ key, reason: `a ${key.type} key (only RSA signatures are verified)` });
    } else if ((key.bits ?? 0) < minKeyBits) {
      out.refused.push({ key, reason: `a ${key.bits ?? '?'}-bit RSA key (at least ${minKeyBits} bits required)` });
    } else {
      out.accepted.push(key);
    }
  }
  return out;
}

/**
 * The pinned keys a signature may verify with; refuses when there are none (nothing to verify
 * with is never "nothing to check") or when the policy refuses every one of them.
 */
export function usableKeys(certificates: readonly X509Certificate[], policy: SignaturePolicy, what: string): PinnedKeys {
  const keys = pinnedKeys(certificates, policy.minKeyBits);
  if (keys.accepted.length > 0) return keys;
  if (keys.refused.length === 0) {
    refuser(policy, 'untrusted')(`there is no ${policy.signer} certificate to verify the ${what} with`, `a signing certificate from the ${policy.signer} metadata`, 'none');
  }
  return refuser(policy, 'algorithm')(
    `every ${policy.keysName} has a key that is refused, so the ${what} cannot be verified`,
    `an RSA key of at least ${policy.minKeyBits} bits`,
    keys.refused.map((r) => `${describeKey(r.key)}, ${r.reason}`).join('; '),
  );
}
