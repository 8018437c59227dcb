// Every signature is shaped as SAML requires before any cryptography runs (the node-saml
// getVerifiedXml recipe), so the signature that verifies is the one that covers the element:
// signatures only directly inside the elements that may be signed, at most one in each (wrapping:
// rows 2-9); one SignedInfo (row 16) holding one Reference whose URI is `#` + the xs:ID of the
// element the signature sits in (rows 2-9, 21, 26), no quotes, that ID carried by exactly one
// element (duplicate IDs: rows 8, 9, 21); exc-c14n without comments; at most two transforms from
// {enveloped-signature, exc-c14n}, ending with exc-c14n (row 25). KeyInfo is allowed but never
// trusted (row 17).
import { attr, descendants, elementsBelow, firstChild } from '../dom.js';
import { NCNAME } from '../protocol-envelope.js';
import { ALGORITHM, ALLOWED_TRANSFORMS, NS } from '../urn.js';
import { refuser, type Refuse, type SignaturePolicy } from './policy.js';
import { readSignedInfo, signatureParts, type SignedInfoFields } from './signed-info.js';

export interface ShapedSignature {
  /** The element the signature sits in, which its Reference points to. */
  signed: Element;
  signature: Element;
  signedInfo: Element;
  signatureValue: Element;
  keyInfo?: Element;
  /** The SignedInfo as received (not yet the signed form). */
  info: SignedInfoFields;
}

const ID_ATTRIBUTE_NAMES = new Set(['ID', 'Id', 'id']);

/** Elements with an ID-like attribute (any of the names xml-crypto resolves) equal to `id`. */
function elementsClaimingId(root: Node, id: string): Element[] {
  const out: Element[] = [];
  for (const e of elementsBelow(root)) {
    if (Array.from(e.attributes).some((a) => ID_ATTRIBUTE_NAMES.has(a.localName) && a.value === id)) out.push(e);
  }
  return out;
}

/**
 * Every ds:Signature in `docs` sits directly in one of `signable` (named `where` in errors), at
 * most one in each: an extra or misplaced signature is how wrapping smuggles unsigned content in.
 */
export function checkPlacement(docs: readonly Node[], signable: readonly (Element | undefined)[], where: string, policy: SignaturePolicy): void {
  const shape: Refuse = refuser(policy, 'shape');
  const seen = new Set<Node>();
  for (const signature of docs.flatMap((d) => descendants(d, NS.dsig, 'Signature'))) {
    const parent = signature.parentNode as Element | null;
    if (!parent || !signable.includes(parent)) {
      shape(`a ds:Signature is not a child of the ${where}`, `ds:Signature directly inside the ${where}`, `inside ${parent?.localName ?? 'nothing'}`);
    }
    if (seen.has(parent)) shape(`the ${parent.localName} carries more than one Signature`, 'at most one ds:Signature per element', `two in ${parent.localName}`);
    seen.add(parent);
  }
}

/** Refuses a ds:Signature or ds:SignedInfo of the wrong structure, naming the message it signs. */
export function structureRefuser(policy: SignaturePolicy, what: string): Refuse {
  const shape: Refuse = refuser(policy, 'shape');
  return (message, expected, received) => shape(`the ${what} signature is malformed: ${message}`, expected, received);
}

/** The enveloped signature of `signed` (named `what` in errors), shaped as SAML requires; undefined when it has none. */
export function shapedSignature(signed: Element, what: string, policy: SignaturePolicy): ShapedSignature | undefined {
  const signature = firstChild(signed, NS.dsig, 'Signature');
  if (!signature) return undefined;
  const shape: Refuse = refuser(policy, 'shape');
  const structure = structureRefuser(policy, what);
  const parts = signatureParts(signature, structure);
  const info = readSignedInfo(parts.signedInfo, structure);
  if (info.canonicalization !== ALGORITHM.excC14n) {
    shape(`the ${what} SignedInfo is not canonicalized with exc-c14n`, ALGORITHM.excC14n, info.canonicalization);
  }
  const id = attr(signed, 'ID') ?? '';
  if (!NCNAME.test(id)) shape(`the signed ${what} has no usable ID`, `an xs:ID on the ${what}`, id || 'none');
  const want = `#${id}`;
  const uri = info.referenceUri;
  if (uri === undefined || uri === '') {
    shape(`the ${what} signature's Reference covers the whole document`, `URI="${want}"`, uri === undefined ? 'no URI' : 'URI=""');
  }
  if (/['"]/.test(uri)) shape(`the ${what} signature's Reference URI contains quotes`, `URI="${want}"`, `URI=${JSON.stringify(uri)}`);
  if (uri !== want) shape(`the Signature does not reference the ${what} it sits in`, `URI="${want}"`, `URI="${uri}"`);
  const holders = elementsClaimingId(signed.ownerDocument ?? signed, id);
  if (holders.length !== 1) {
    shape(`${holders.length} elements carry the ID of the signed ${what}`, 'exactly one element with the signed ID', holders.map((h) => h.localName).join(', '));
  }
  const t = info.transforms;
  const allowed = t.every((a) => ALLOWED_TRANSFORMS.includes(a)) && new Set(t).size === t.length;
  if (t.length > 2 || !allowed || t[t.length - 1] !== ALGORITHM.excC14n) {
    shape(
      `the ${what} signature's Reference uses transforms a SAML signature does not need`,
      `${ALGORITHM.envelopedSignature} then ${ALGORITHM.excC14n}`,
      t.length === 0 ? 'no transforms' : t.join(' then '),
    );
  }
  return { signed, signature, ...parts, info };
}
