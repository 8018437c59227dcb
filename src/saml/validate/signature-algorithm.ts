// Check 7. Only RSA with SHA-2 (SHA-1 only when the account allows it for an old IdP), never
// HMAC (row 27: an HMAC keyed with the public certificate is forgeable by anyone), no unknown
// algorithm URIs; and the pinned certificates carry RSA keys of at least `minKeyBits` (row 28).
import { HarnessError } from '../../errors.js';
import { DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS } from '../urn.js';
import { signaturesOf } from './context.js';
import { describeKey, pinnedKeys } from './pinned-keys.js';
import { readSignedInfo, signatureParts } from './signed-info.js';
import type { Check } from './types.js';
import type { ResponseExpectations } from './types.js';

function refuse(message: string, expected: string, received: string): never {
  throw new HarnessError('SAML_SIGNATURE_ALGORITHM', message, { expected, received });
}

function accepted(table: Record<string, { weak: boolean }>, allowSha1: boolean): string {
  return Object.entries(table)
    .filter(([, a]) => allowSha1 || !a.weak)
    .map(([urn]) => urn)
    .join(', ');
}

function checkAlgorithms(signatureAlgorithm: string, digestAlgorithm: string, expect: ResponseExpectations): string {
  const sig = (SIGNATURE_ALGORITHMS as Record<string, { name: string; weak: boolean }>)[signatureAlgorithm];
  const sigList = accepted(SIGNATURE_ALGORITHMS, expect.allowSha1);
  if (/hmac/i.test(signatureAlgorithm)) {
    refuse('the signature uses HMAC, which is never accepted (anyone holding the public certificate could forge it)', sigList, signatureAlgorithm);
  }
  if (!sig) refuse('the SignatureMethod is not one this SP accepts', sigList, signatureAlgorithm);
  if (sig.weak && !expect.allowSha1) {
    refuse(`the signature uses ${sig.name}; SHA-1 is refused unless allowed for this IdP`, sigList, signatureAlgorithm);
  }
  const digest = (DIGEST_ALGORITHMS as Record<string, { hash: string; weak: boolean }>)[digestAlgorithm];
  const digestList = accepted(DIGEST_ALGORITHMS, expect.allowSha1);
  if (!digest) refuse('the DigestMethod is not one this SP accepts', digestList, digestAlgorithm);
  if (digest.weak && !expect.allowSha1) {
    refuse(`the digest uses ${digest.hash}; SHA-1 is refused unless allowed for this IdP`, digestList, digestAlgorithm);
  }
  return `${sig.name} / ${digest.hash}`;
}

export const signatureAlgorithm: Check = {
  id: 'signature-algorithm',
  title: 'RSA with SHA-2 only (SHA-1 if allowed), never HMAC; pinned keys RSA >= minimum size (rows 27, 28)',
  run(ctx) {
    const used = signaturesOf(ctx).map(({ level, signature }) => {
      const info = readSignedInfo(signatureParts(signature).signedInfo);
      return `${level}: ${checkAlgorithms(info.signatureAlgorithm, info.digestAlgorithm, ctx.expect)}`;
    });
    const keys = pinnedKeys(ctx.expect);
    if (keys.accepted.length === 0) {
      const refused = keys.refused.map((r) => `${describeKey(r.key)}, ${r.reason}`);
      if (refused.length === 0) {
        throw new HarnessError('SAML_SIGNATURE_UNTRUSTED', 'no IdP certificate is pinned for this account', {
          expected: 'at least one signing certificate from the IdP metadata',
          received: 'none',
        });
      }
      refuse('every pinned IdP certificate has a key this SP refuses', `an RSA key of at least ${ctx.expect.minKeyBits} bits`, refused.join('; '));
    }
    return [...used, `${keys.accepted.length} pinned key(s) usable`].join('; ');
  },
};
