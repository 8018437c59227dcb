// The SP's signature policy for a response, from the account's expectations: the IdP's pinned
// certificates, SHA-1 and expired certificates only when the account allows them, each kind of
// refusal with its own code.
import { RESPONSE_SIGNATURE_CODES, type SignaturePolicy } from '../signature-verifier/policy.js';
import type { ResponseExpectations } from './types.js';

export function responseSignaturePolicy(expect: ResponseExpectations): SignaturePolicy {
  return {
    allowSha1: expect.allowSha1,
    minKeyBits: expect.minKeyBits,
    // RingCentral refuses SSO once the IdP certificate has expired, even with a valid signature.
    ...(expect.allowExpiredCertificate !== true && { expiry: { nowMs: expect.nowMs } }),
    signer: 'IdP',
    keysName: 'pinned IdP certificate',
    codes: RESPONSE_SIGNATURE_CODES,
  };
}
