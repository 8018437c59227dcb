// Only RSA with SHA-2 (SHA-1 only when the receiver allows it for an old peer), never HMAC (row
// 27: an HMAC keyed with the public certificate is forgeable by anyone), no unknown algorithm URIs.
import { DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS } from '../urn.js';
import { refuser, type Refuse, type SignaturePolicy } from './policy.js';
import type { SignedInfoFields } from './signed-info.js';

export interface Hashes {
  /** Node's name of the signature's hash, e.g. sha256. */
  signature: string;
  digest: string;
  /** For verdicts, e.g. "rsa-sha256 / sha256". */
  label: string;
}

function accepted(table: Record<string, { weak: boolean }>, allowSha1: boolean): string {
  return Object.entries(table)
    .filter(([, a]) => allowSha1 || !a.weak)
    .map(([urn]) => urn)
    .join(', ');
}

/** The hashes `info` names, when the policy accepts them. */
export function checkAlgorithms(info: Pick<SignedInfoFields, 'signatureAlgorithm' | 'digestAlgorithm'>, policy: SignaturePolicy, what: string): Hashes {
  const refuse: Refuse = refuser(policy, 'algorithm');
  const change = ` (change the ${policy.signer}'s signature algorithm)`;
  const { signatureAlgorithm, digestAlgorithm } = info;
  const sig = (SIGNATURE_ALGORITHMS as Record<string, { name: string; hash: string; weak: boolean }>)[signatureAlgorithm];
  const sigList = accepted(SIGNATURE_ALGORITHMS, policy.allowSha1);
  if (/hmac/i.test(signatureAlgorithm)) {
    refuse(`the ${what} signature uses HMAC, which is never accepted (anyone holding the public certificate could forge it)`, sigList, signatureAlgorithm);
  }
  if (!sig) refuse(`the ${what} SignatureMethod is not a supported algorithm`, sigList, signatureAlgorithm);
  if (sig.weak && !policy.allowSha1) refuse(`the ${what} signature uses ${sig.name}, and SHA-1 is refused`, sigList + change, signatureAlgorithm);
  const digest = (DIGEST_ALGORITHMS as Record<string, { hash: string; weak: boolean }>)[digestAlgorithm];
  const digestList = accepted(DIGEST_ALGORITHMS, policy.allowSha1);
  if (!digest) refuse(`the ${what} DigestMethod is not a supported algorithm`, digestList, digestAlgorithm);
  if (digest.weak && !policy.allowSha1) refuse(`the ${what} digest uses ${digest.hash}, and SHA-1 is refused`, digestList + change, digestAlgorithm);
  return { signature: sig.hash, digest: digest.hash, label: `${sig.name} / ${digest.hash}` };
}
