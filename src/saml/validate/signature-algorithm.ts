// Only RSA with SHA-2 (SHA-1 only when the account allows it for an old IdP), never
// HMAC, no unknown algorithm URIs (signature-verifier/algorithms.ts: row 27); and the pinned
// certificates carry RSA keys of at least `minKeyBits` (row 28).
import { checkAlgorithms } from '../signature-verifier/algorithms.js';
import { usableKeys } from '../signature-verifier/pinned-keys.js';
import { structureRefuser } from '../signature-verifier/shape.js';
import { readSignedInfo, signatureParts } from '../signature-verifier/signed-info.js';
import { signaturesOf } from './context.js';
import { responseSignaturePolicy } from './signature-policy.js';
import type { Check } from './types.js';

export const signatureAlgorithm: Check = {
  id: 'signature-algorithm',
  title: 'RSA with SHA-2 only (SHA-1 if allowed), never HMAC; pinned keys RSA >= minimum size (rows 27, 28)',
  run(ctx) {
    const policy = responseSignaturePolicy(ctx.expect);
    const used: string[] = [];
    for (const { level, signature } of signaturesOf(ctx)) {
      const structure = structureRefuser(policy, level);
      const info = readSignedInfo(signatureParts(signature, structure).signedInfo, structure);
      used.push(`${level}: ${checkAlgorithms(info, policy, level).label}`);
    }
    const keys = usableKeys(ctx.expect.idpCertificates, policy, 'response');
    return [...used, `${keys.accepted.length} pinned key(s) usable`].join('; ');
  },
};
