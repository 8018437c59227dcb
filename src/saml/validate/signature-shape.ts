// Check 6. Every signature is shaped as SAML requires, before any cryptography runs (the
// node-saml getVerifiedXml recipe): a ds:Signature only directly inside the Response or the
// Assertion, at most one per element; one SignedInfo (row 16) holding one Reference whose URI
// is `#` + the ID of the element the signature sits in (rows 2-9, 21, 26), no quotes, that ID
// carried by exactly one element (duplicate IDs: rows 8, 9, 21); exc-c14n without comments;
// at most two transforms from {enveloped-signature, exc-c14n}, ending with exc-c14n (row 25).
// KeyInfo is allowed but never trusted (row 17). A decrypted assertion is its own document: its
// signature sits directly in it and references it by an ID unique in that document.
import { HarnessError } from '../../errors.js';
import { attr, descendants, elementsBelow } from '../dom.js';
import { ALGORITHM, ALLOWED_TRANSFORMS, NS } from '../urn.js';
import { parsedDocument, receivedAssertion, receivedResponse, signaturesOf } from './context.js';
import { pathOf } from './dom-path.js';
import type { EnvelopedSignature } from './enveloped-signatures.js';
import { readSignedInfo, signatureParts } from './signed-info.js';
import type { Check } from './types.js';

const ID_ATTRIBUTE_NAMES = new Set(['ID', 'Id', 'id']);

function shape(message: string, expected: string, received: string): never {
  throw new HarnessError('SAML_SIGNATURE_SHAPE', message, { expected, received });
}

/** Elements with an ID-like attribute (any of the names xml-crypto resolves) equal to `id`. */
function elementsClaimingId(root: Node, id: string): Element[] {
  const out: Element[] = [];
  for (const e of elementsBelow(root)) {
    if (Array.from(e.attributes).some((a) => ID_ATTRIBUTE_NAMES.has(a.localName) && a.value === id)) out.push(e);
  }
  return out;
}

function checkOne(doc: Document, { signed, signature }: EnvelopedSignature): void {
  const where = pathOf(signature);
  const info = readSignedInfo(signatureParts(signature).signedInfo);
  if (info.canonicalization !== ALGORITHM.excC14n) {
    shape(`${where}: SignedInfo is not canonicalized with exc-c14n`, ALGORITHM.excC14n, info.canonicalization);
  }
  const id = attr(signed, 'ID');
  const want = `#${id ?? ''}`;
  const uri = info.referenceUri;
  if (!id) shape(`${where}: the signed ${signed.localName} has no ID`, 'an ID on the signed element', 'none');
  if (uri === undefined || uri === '') {
    shape(`${where}: the Reference covers the whole document`, `URI="${want}"`, uri === undefined ? 'no URI' : 'URI=""');
  }
  if (/['"]/.test(uri)) shape(`${where}: the Reference URI contains quotes`, `URI="${want}"`, `URI=${JSON.stringify(uri)}`);
  if (uri !== want) {
    shape(`${where}: the Reference points to ${uri}, not to the ${signed.localName} the signature sits in`, `URI="${want}"`, `URI="${uri}"`);
  }
  const holders = elementsClaimingId(doc, id);
  if (holders.length !== 1) {
    shape(`${where}: ${holders.length} elements carry the ID ${id}`, 'exactly one element with the signed ID', holders.map(pathOf).join(', '));
  }
  const t = info.transforms;
  const allowed = t.every((a) => ALLOWED_TRANSFORMS.includes(a)) && new Set(t).size === t.length;
  if (t.length > 2 || !allowed || t[t.length - 1] !== ALGORITHM.excC14n) {
    shape(
      `${where}: the Reference uses transforms a SAML signature does not need`,
      `${ALGORITHM.envelopedSignature} then ${ALGORITHM.excC14n}`,
      t.length === 0 ? 'no transforms' : t.join(' then '),
    );
  }
}

export const signatureShape: Check = {
  id: 'signature-shape',
  title: 'Signatures sit in the Response or Assertion and reference their parent by a unique ID (rows 2-9, 16, 19, 21, 25, 26)',
  run(ctx) {
    const doc = parsedDocument(ctx);
    const response = receivedResponse(ctx);
    const assertion = receivedAssertion(ctx);
    const seen = new Set<Node>();
    const docs = ctx.decrypted ? [doc, ctx.decrypted.assertion.ownerDocument] : [doc];
    for (const signature of docs.flatMap((d) => descendants(d, NS.dsig, 'Signature'))) {
      const parent = signature.parentNode;
      if (!parent || (parent !== response && parent !== assertion)) {
        shape('a ds:Signature sits outside the Response and Assertion', 'ds:Signature directly inside samlp:Response or saml:Assertion', pathOf(signature));
      }
      if (seen.has(parent)) shape(`${pathOf(signature)}: two signatures in one element`, 'at most one ds:Signature per element', pathOf(signature));
      seen.add(parent);
    }
    const signatures = signaturesOf(ctx);
    for (const s of signatures) checkOne(s.signed.ownerDocument ?? doc, s);
    return signatures.length === 0 ? 'no signatures (checked next)' : `${signatures.map((s) => s.level).join(' and ')} signature shaped as SAML requires`;
  },
};
