// What a receiver asks of a signed message: the algorithms and keys it accepts, and the error
// code each kind of refusal carries. The SP's response checks give each fault its own code (the
// trace then names the attack); a protocol message (AuthnRequest, LogoutRequest, LogoutResponse)
// gives them all the code of the message's endpoint.
import { HarnessError, type ErrorCode } from '../../errors.js';

/** The kinds of refusal: malformed or misplaced signature, refused algorithm or key, unknown signer, changed content, expired signer, none at all. */
export type SignatureFault = 'shape' | 'algorithm' | 'untrusted' | 'invalid' | 'expired' | 'missing';

export interface SignaturePolicy {
  /** SHA-1 signatures and digests are refused unless this is on (interop with old peers). */
  allowSha1: boolean;
  /** Smallest RSA key accepted for a pinned certificate, in bits. */
  minKeyBits: number;
  /** When given, a signature by a pinned certificate past its notAfter at `nowMs` is refused. */
  expiry?: { nowMs: number };
  /** Whose metadata the pinned certificates come from, in errors. */
  signer: 'SP' | 'IdP';
  /** The pinned certificates as errors name them, e.g. "pinned IdP certificate". */
  keysName: string;
  codes: Readonly<Record<SignatureFault, ErrorCode>>;
}

/** Throws the policy's error for `fault`. */
export type Refuse = (message: string, expected: string, received: string) => never;

export function refuser(policy: SignaturePolicy, fault: SignatureFault): Refuse {
  return (message, expected, received) => {
    throw new HarnessError(policy.codes[fault], message, { expected, received });
  };
}

/** Every fault reported with one code: how an endpoint that answers with one error refuses a message. */
export function oneCode(code: ErrorCode): Readonly<Record<SignatureFault, ErrorCode>> {
  return { shape: code, algorithm: code, untrusted: code, invalid: code, expired: code, missing: code };
}

/** The SP's response validation: each fault its own code. */
export const RESPONSE_SIGNATURE_CODES: Readonly<Record<SignatureFault, ErrorCode>> = Object.freeze({
  shape: 'SAML_SIGNATURE_SHAPE',
  algorithm: 'SAML_SIGNATURE_ALGORITHM',
  untrusted: 'SAML_SIGNATURE_UNTRUSTED',
  invalid: 'SAML_SIGNATURE_INVALID',
  expired: 'SAML_CERTIFICATE_EXPIRED',
  missing: 'SAML_SIGNATURE_MISSING',
});
