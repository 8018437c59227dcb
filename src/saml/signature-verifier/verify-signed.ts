// The one signature verifier for every signed SAML message (Response, Assertion, AuthnRequest,
// LogoutRequest, LogoutResponse), after node-saml's getVerifiedXml: the signature must be shaped
// as SAML requires, use an accepted algorithm, verify with a pinned key (never with a key from
// KeyInfo: rows 17, 18) and match its Reference digest (content changed after signing). It
// returns the signed bytes, the only thing a caller may read from then on: whatever a comment,
// PI or CDATA did to the received DOM (rows 12-14), the signed bytes carry what the signer signed.
import { createHash, timingSafeEqual, verify, X509Certificate } from 'node:crypto';
import { childPath, textContentOf } from '../dom.js';
import { documentElement, parseXml } from '../parse.js';
import { NS } from '../urn.js';
import { checkAlgorithms } from './algorithms.js';
import { canonicalReference, canonicalSignedInfo } from './canonical-form.js';
import { describeKey, usableKeys, type PinnedKey } from './pinned-keys.js';
import { refuser, type SignaturePolicy } from './policy.js';
import { shapedSignature, structureRefuser } from './shape.js';
import { readSignedInfo, type SignedInfoFields } from './signed-info.js';

export interface VerifiedSignature {
  /** The canonical signed element: parse these to read the message. */
  bytes: string;
  /** The pinned key the signature verified with. */
  key: PinnedKey;
}

/** What the signature's KeyInfo claims, for the message only: it is never used to verify. */
function keyInfoClaim(keyInfo: Element | undefined): string {
  const cert = keyInfo && childPath(keyInfo, [NS.dsig, 'X509Data'], [NS.dsig, 'X509Certificate']);
  const base64 = (cert ? textContentOf(cert) : '').replace(/\s+/g, '');
  if (base64 === '') return 'a signature by another key (no certificate in KeyInfo)';
  try {
    return `a signature by the KeyInfo certificate SHA-256 ${new X509Certificate(Buffer.from(base64, 'base64')).fingerprint256}`;
  } catch {
    return 'a signature by another key (KeyInfo holds an unreadable certificate)';
  }
}

function signerOf(keys: readonly PinnedKey[], hash: string, signedInfo: Buffer, value: Buffer): PinnedKey | undefined {
  return keys.find((k) => {
    try {
      return verify(hash, signedInfo, k.publicKey, value);
    } catch {
      return false; // a malformed SignatureValue simply does not verify
    }
  });
}

/**
 * Verifies the enveloped signature of `signed` (named `what` in errors, e.g. "assertion" or
 * "LogoutRequest") with the pinned `certificates` under `policy`, and returns the signed bytes.
 * Where else signatures may sit in the document is the caller's to check (`checkPlacement`).
 */
export function verifySigned(
  signed: Element,
  certificates: readonly X509Certificate[],
  policy: SignaturePolicy,
  what: string = signed.localName,
): VerifiedSignature {
  const shaped = shapedSignature(signed, what, policy);
  if (!shaped) return refuser(policy, 'missing')(`the ${what} is not signed`, 'an enveloped ds:Signature', 'no Signature');
  checkAlgorithms(shaped.info, policy, what);
  const keys = usableKeys(certificates, policy, what);
  const canonical = canonicalSignedInfo(shaped.signedInfo);
  // The values used below come from the signed form of SignedInfo, and must be the ones the
  // shape and algorithm checks approved.
  const info: SignedInfoFields = readSignedInfo(documentElement(parseXml(canonical)), structureRefuser(policy, what));
  if (JSON.stringify(info) !== JSON.stringify(shaped.info)) {
    refuser(policy, 'shape')(`the ${what} SignedInfo reads differently once canonicalized`, 'a SignedInfo whose canonical form says the same', canonical.slice(0, 200));
  }
  const hash = checkAlgorithms(info, policy, what);
  const value = Buffer.from(textContentOf(shaped.signatureValue).replace(/\s+/g, ''), 'base64');
  const signedInfoBytes = Buffer.from(canonical, 'utf8');
  const key = signerOf(keys.accepted, hash.signature, signedInfoBytes, value);
  if (!key) {
    const weak = signerOf(keys.refused.map((r) => r.key), hash.signature, signedInfoBytes, value);
    if (weak) {
      refuser(policy, 'algorithm')(`the ${what} is signed with a ${policy.keysName} whose key is refused`, `an RSA key of at least ${policy.minKeyBits} bits`, describeKey(weak));
    }
    return refuser(policy, 'untrusted')(
      `the ${what} signature does not verify with any ${policy.keysName}`,
      `a signature by ${keys.accepted.map((k) => `SHA-256 ${k.fingerprint}`).join(' or ')}`,
      keyInfoClaim(shaped.keyInfo),
    );
  }
  const bytes = canonicalReference(signed, info);
  const actual = createHash(hash.digest).update(bytes, 'utf8').digest();
  const claimed = Buffer.from(info.digestValue, 'base64');
  if (actual.length !== claimed.length || !timingSafeEqual(actual, claimed)) {
    refuser(policy, 'invalid')(`the ${what} was changed after it was signed: its digest does not match`, `DigestValue ${info.digestValue} (signed by the ${policy.signer})`,
      `content whose digest is ${actual.toString('base64')}`);
  }
  if (policy.expiry && key.notAfterMs <= policy.expiry.nowMs) {
    const expired = new Date(key.notAfterMs).toISOString();
    refuser(policy, 'expired')(`the ${what} is signed with a ${policy.keysName} that expired on ${expired}`, `a signature by an unexpired ${policy.keysName}`,
      `a signature by ${describeKey(key)}, expired ${expired}`);
  }
  return { bytes, key };
}
