// Enveloped signatures on SAML protocol messages sent with the HTTP-POST binding (AuthnRequest,
// LogoutRequest, LogoutResponse): the message's one ds:Signature sits directly in the message
// and covers it whole, checked by the signature verifier with the signer's metadata certificates
// only (KeyInfo in the message is ignored).
import type { X509Certificate } from 'node:crypto';
import type { ErrorCode } from '../errors.js';
import { documentElement, parseXml } from './parse.js';
import { MIN_RSA_KEY_BITS } from './signature-verifier/pinned-keys.js';
import { oneCode, type SignaturePolicy } from './signature-verifier/policy.js';
import { checkPlacement } from './signature-verifier/shape.js';
import { verifySigned } from './signature-verifier/verify-signed.js';

export interface EnvelopedCheck {
  allowSha1: boolean;
  /** The message's name in errors: AuthnRequest, LogoutRequest, LogoutResponse. */
  what: string;
  /** Whose metadata the certificates come from, in errors: SP or IdP. */
  signer: 'SP' | 'IdP';
  /** The code every refusal carries. */
  code: ErrorCode;
}

/** The receiver's policy for a protocol message: the one code of its endpoint, RSA keys of 2048 bits or more. */
function messagePolicy(check: EnvelopedCheck): SignaturePolicy {
  return {
    allowSha1: check.allowSha1,
    minKeyBits: MIN_RSA_KEY_BITS,
    signer: check.signer,
    keysName: `certificate from the ${check.signer} metadata`,
    codes: oneCode(check.code),
  };
}

/**
 * Verifies the enveloped signature of an HTTP-POST protocol message (AuthnRequest, LogoutRequest,
 * LogoutResponse) with the signer's metadata certificates only (KeyInfo in the message is
 * ignored). Returns the canonical signed message, the only bytes a caller should trust.
 */
export function verifyEnvelopedMessage(xml: string, certificates: readonly X509Certificate[], check: EnvelopedCheck): string {
  const doc = parseXml(xml);
  const root = documentElement(doc);
  const policy = messagePolicy(check);
  checkPlacement([doc], [root], check.what, policy);
  return verifySigned(root, certificates, policy, check.what).bytes;
}
