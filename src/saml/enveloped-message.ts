// Enveloped signatures on SAML protocol messages sent with the HTTP-POST binding (AuthnRequest,
// LogoutRequest, LogoutResponse): the shape is checked first (one Signature, a child of the
// message, referencing its ID, exclusive c14n, SAML's transforms), then the signature is verified
// with the signer's metadata certificates only.
import type { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { HarnessError, type ErrorCode } from '../errors.js';
import { childElements, descendants, elementsWithId, firstChild } from './dom.js';
import { parseXml } from './parse.js';
import { NCNAME } from './protocol-envelope.js';
import { ALLOWED_TRANSFORMS, ALGORITHM, DIGEST_ALGORITHMS, NS, SIGNATURE_ALGORITHMS } from './urn.js';

export interface EnvelopedCheck {
  allowSha1: boolean;
  /** The message's name in errors: AuthnRequest, LogoutRequest, LogoutResponse. */
  what: string;
  /** Whose metadata the certificates come from, in errors: SP or IdP. */
  signer: 'SP' | 'IdP';
  /** The code every refusal carries. */
  code: ErrorCode;
}

type Refuse = (message: string, expected: string, received: string) => never;

function refuser(check: EnvelopedCheck): Refuse {
  return (message, expected, received) => {
    throw new HarnessError(check.code, message, { expected, received });
  };
}

function algorithmOf(parent: Element, localName: string): string {
  return firstChild(parent, NS.dsig, localName)?.getAttribute('Algorithm') ?? '';
}

/** The shape node-saml's getVerifiedXml insists on, so the verified signature covers the whole message. */
function checkShape(doc: Document, check: EnvelopedCheck): Element {
  const refuse: Refuse = refuser(check);
  const { what } = check;
  const root = doc.documentElement;
  const rootId = root?.getAttribute('ID') ?? '';
  if (!root || !NCNAME.test(rootId)) refuse('the signed message has no usable ID', `an xs:ID on the ${what}`, rootId || 'none');
  const signatures = descendants(doc, NS.dsig, 'Signature');
  const signature = signatures[0];
  if (!signature) refuse(`the ${what} is not signed`, 'an enveloped ds:Signature after Issuer', 'no Signature');
  // Extra or misplaced signatures are how signature wrapping smuggles unsigned content in.
  if (signatures.length > 1) refuse(`the ${what} carries more than one Signature`, 'exactly one ds:Signature', `${signatures.length}`);
  if (signature.parentNode !== root) {
    refuse(`the Signature is not a child of the ${what}`, 'an enveloped ds:Signature', `inside ${(signature.parentNode as Element).localName}`);
  }
  const signedInfos = childElements(signature, NS.dsig, 'SignedInfo');
  const signedInfo = signedInfos[0];
  if (!signedInfo || signedInfos.length !== 1) refuse('the Signature needs exactly one SignedInfo', 'one ds:SignedInfo', `${signedInfos.length}`);
  const c14n = algorithmOf(signedInfo, 'CanonicalizationMethod');
  if (c14n !== ALGORITHM.excC14n) refuse('the SignedInfo canonicalization is not exclusive c14n', ALGORITHM.excC14n, c14n || 'none');
  const sigAlg = algorithmOf(signedInfo, 'SignatureMethod');
  checkAlgorithm(sigAlg, SIGNATURE_ALGORITHMS, 'signature', check);
  const references = childElements(signedInfo, NS.dsig, 'Reference');
  const reference = references[0];
  if (!reference || references.length !== 1) refuse('the Signature must have exactly one Reference', 'one ds:Reference', `${references.length}`);
  const uri = reference.getAttribute('URI') ?? '';
  if (uri !== `#${rootId}`) refuse(`the Signature does not reference the ${what}`, `URI="#${rootId}"`, `URI="${uri}"`);
  if (elementsWithId(doc, rootId).length !== 1) refuse(`the ${what} ID appears on more than one element`, 'a unique ID', rootId);
  const transforms = childElements(firstChild(reference, NS.dsig, 'Transforms') ?? reference, NS.dsig, 'Transform');
  for (const t of transforms) {
    const alg = t.getAttribute('Algorithm') ?? '';
    if (!ALLOWED_TRANSFORMS.includes(alg)) refuse('the Reference uses a transform SAML does not allow', ALLOWED_TRANSFORMS.join(' + '), alg);
  }
  checkAlgorithm(algorithmOf(reference, 'DigestMethod'), DIGEST_ALGORITHMS, 'digest', check);
  return signature;
}

function checkAlgorithm(alg: string, table: Record<string, { weak: boolean }>, what: string, check: EnvelopedCheck): void {
  const refuse: Refuse = refuser(check);
  const entry = table[alg];
  if (!entry) refuse(`the ${what} algorithm is not supported`, Object.keys(table).join(', '), alg || 'none');
  if (entry.weak && !check.allowSha1) {
    const receiver = check.signer === 'SP' ? 'IdP' : 'SP';
    refuse(`the ${what} algorithm is SHA-1, which this ${receiver} refuses`, `SHA-256 or SHA-512 (change the ${check.signer}'s signature algorithm)`, alg);
  }
}

/**
 * Verifies the enveloped signature of an HTTP-POST protocol message (AuthnRequest, LogoutRequest,
 * LogoutResponse) with the signer's metadata certificates only (KeyInfo in the message is
 * ignored). Returns the canonical signed message, the only bytes a caller should trust.
 */
export function verifyEnvelopedMessage(xml: string, certificates: readonly X509Certificate[], check: EnvelopedCheck): string {
  const refuse: Refuse = refuser(check);
  const { what, signer } = check;
  const signature = checkShape(parseXml(xml), check);
  if (certificates.length === 0) {
    refuse(`there is no ${signer} certificate to verify the ${what === 'AuthnRequest' ? 'request' : what} with`, `a signing certificate from the ${signer} metadata`, 'none');
  }
  let digestMismatch = false;
  let problem: string | undefined;
  for (const cert of certificates) {
    // getCertFromKeyInfo: a KeyInfo certificate in the message is never a reason to trust it.
    const sig = new SignedXml({ publicCert: cert.publicKey, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature);
    try {
      if (sig.checkSignature(xml)) {
        const signed = sig.getSignedReferences()[0];
        if (signed !== undefined) return signed;
      } else {
        digestMismatch = true;
      }
    } catch (err) {
      // A wrong key throws "invalid signature"; anything else is about the document itself.
      const message = (err as Error).message;
      if (!message.startsWith('invalid signature')) problem ??= message;
    }
  }
  if (digestMismatch) {
    refuse(`the ${what} was changed after it was signed (digest mismatch)`, 'the signed content unchanged', 'a different digest');
  }
  if (problem !== undefined) refuse(`the ${what} signature cannot be checked`, 'a verifiable enveloped signature', problem);
  refuse(`the ${what} signature does not verify with any certificate from the ${signer} metadata`,
    `a signature by the ${signer}'s metadata key`, `${certificates.length} certificate(s) tried: ${certificates.map((c) => c.fingerprint256.slice(0, 11)).join(', ')}…`);
}
