// Check 9. Every signature verifies with a pinned IdP key, never with a key from KeyInfo (rows
// 17, 18), and its Reference digest matches (content changed after signing). Then, as node-saml's
// getVerifiedXml does, only the signed bytes are parsed again and every later check reads from
// them: whatever a comment, PI or CDATA did to the received DOM (rows 12-14, including
// xml-crypto rendering a PI as text in c14n), the signed bytes carry what the IdP signed. A
// signature by a pinned certificate past its notAfter is refused unless the account allows it.
import { createHash, timingSafeEqual, verify, X509Certificate } from 'node:crypto';
import { HarnessError } from '../../errors.js';
import { attr, childPath, firstChild, textContentOf } from '../dom.js';
import { documentElement, parseXml } from '../parse.js';
import { DIGEST_ALGORITHMS, NS, SIGNATURE_ALGORITHMS } from '../urn.js';
import { canonicalReference, canonicalSignedInfo } from './canonical-form.js';
import { signaturesOf } from './context.js';
import { assertionUnderResponseSignature } from './decrypt.js';
import type { EnvelopedSignature } from './enveloped-signatures.js';
import { describeKey, pinnedKeys, type PinnedKey } from './pinned-keys.js';
import { readSignedInfo, signatureParts, type SignedInfoFields } from './signed-info.js';
import type { Check, ResponseExpectations } from './types.js';

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

function signerOf(keys: PinnedKey[], hash: string, signedInfo: Buffer, value: Buffer): PinnedKey | undefined {
  return keys.find((k) => {
    try {
      return verify(hash, signedInfo, k.publicKey, value);
    } catch {
      return false; // a malformed SignatureValue simply does not verify
    }
  });
}

function hashesOf(info: SignedInfoFields): { signature: string; digest: string } {
  const signature = (SIGNATURE_ALGORITHMS as Record<string, { hash: string }>)[info.signatureAlgorithm];
  const digest = (DIGEST_ALGORITHMS as Record<string, { hash: string }>)[info.digestAlgorithm];
  if (!signature || !digest) {
    throw new HarnessError('SAML_SIGNATURE_ALGORITHM', 'the signed SignedInfo names an algorithm this SP does not accept', {
      expected: 'an algorithm approved by the signature-algorithm check',
      received: `${info.signatureAlgorithm} / ${info.digestAlgorithm}`,
    });
  }
  return { signature: signature.hash, digest: digest.hash };
}

/** Verifies one signature; returns the signed bytes of the element it covers. */
function verifyOne(s: EnvelopedSignature, expect: ResponseExpectations): { bytes: string; key: PinnedKey } {
  const parts = signatureParts(s.signature);
  const received = readSignedInfo(parts.signedInfo);
  const canonical = canonicalSignedInfo(parts.signedInfo);
  // The values used below come from the signed form of SignedInfo, and must be the ones the
  // shape and algorithm checks approved.
  const signed: SignedInfoFields = readSignedInfo(documentElement(parseXml(canonical)));
  if (JSON.stringify(signed) !== JSON.stringify(received)) {
    throw new HarnessError('SAML_SIGNATURE_SHAPE', `the ${s.level} SignedInfo reads differently once canonicalized`, {
      expected: 'a SignedInfo whose canonical form says the same',
      received: canonical.slice(0, 200),
    });
  }
  const hash = hashesOf(signed);
  const value = Buffer.from(textContentOf(parts.signatureValue).replace(/\s+/g, ''), 'base64');
  const keys = pinnedKeys(expect);
  const signedInfoBytes = Buffer.from(canonical, 'utf8');
  const key = signerOf(keys.accepted, hash.signature, signedInfoBytes, value);
  if (!key) {
    const weak = signerOf(keys.refused.map((r) => r.key), hash.signature, signedInfoBytes, value);
    if (weak) {
      throw new HarnessError('SAML_SIGNATURE_ALGORITHM', `the ${s.level} is signed with a pinned key this SP refuses`, {
        expected: `an RSA key of at least ${expect.minKeyBits} bits`,
        received: describeKey(weak),
      });
    }
    throw new HarnessError('SAML_SIGNATURE_UNTRUSTED', `the ${s.level} signature does not verify with any pinned IdP certificate`, {
      expected: `a signature by ${keys.accepted.map((k) => `SHA-256 ${k.fingerprint}`).join(' or ')}`,
      received: keyInfoClaim(parts.keyInfo),
    });
  }
  const bytes = canonicalReference(s.signed, signed);
  const actual = createHash(hash.digest).update(bytes, 'utf8').digest();
  const claimed = Buffer.from(signed.digestValue, 'base64');
  if (actual.length !== claimed.length || !timingSafeEqual(actual, claimed)) {
    throw new HarnessError('SAML_SIGNATURE_INVALID', `the ${s.level} was changed after it was signed: its digest does not match`, {
      expected: `DigestValue ${signed.digestValue} (signed by the IdP)`,
      received: `content whose digest is ${actual.toString('base64')}`,
    });
  }
  // RingCentral refuses SSO once the IdP certificate has expired, even with a valid signature.
  if (key.notAfterMs <= expect.nowMs && expect.allowExpiredCertificate !== true) {
    throw new HarnessError('SAML_CERTIFICATE_EXPIRED', `the ${s.level} is signed with a pinned IdP certificate that expired on ${new Date(key.notAfterMs).toISOString()}`, {
      expected: 'a signature by an unexpired pinned certificate (Primary or Secondary)',
      received: `a signature by ${describeKey(key)}, expired ${new Date(key.notAfterMs).toISOString()}`,
    });
  }
  return { bytes, key };
}

export const signatureVerify: Check = {
  id: 'signature-verify',
  title: 'Each signature verifies with a pinned IdP key; later checks read the signed bytes only (rows 12-14, 17, 18)',
  run(ctx) {
    const verified = new Map<EnvelopedSignature['level'], { bytes: string; key: PinnedKey }>();
    for (const s of signaturesOf(ctx)) verified.set(s.level, verifyOne(s, ctx.expect));
    const response = verified.get('response');
    const assertion = verified.get('assertion');
    const used = response ?? assertion;
    if (!used) throw new HarnessError('INTERNAL', 'validation pipeline order: no signature to verify');
    // The one re-parse: of the signed bytes, which carry no comment, PI or CDATA after c14n.
    const root = documentElement(parseXml(used.bytes));
    const signedAssertion =
      ctx.decrypted && response
        ? assertionUnderResponseSignature(ctx.decrypted, root, assertion?.bytes)
        : response
          ? firstChild(root, NS.assertion, 'Assertion')
          : root;
    if (!signedAssertion || signedAssertion.namespaceURI !== NS.assertion || signedAssertion.localName !== 'Assertion') {
      throw new HarnessError('SAML_SIGNATURE_SHAPE', 'the signed bytes do not hold the assertion', {
        expected: 'a signed saml:Assertion',
        received: root.localName,
      });
    }
    if (response) ctx.signedResponse = root;
    ctx.assertion = signedAssertion;
    ctx.result.assertionId = attr(signedAssertion, 'ID');
    ctx.result.signed = { response: response !== undefined, assertion: assertion !== undefined };
    return `${[...verified.keys()].join(' and ')} signature verified with pinned ${describeKey(used.key)}`;
  },
};
