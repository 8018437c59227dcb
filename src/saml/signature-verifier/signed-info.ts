// Reads a ds:SignedInfo by direct child walks, refusing any structure a SAML signature never
// needs. Used on the received SignedInfo (shape and algorithm checks) and again on its canonical
// form (verifySigned), so the values a check trusted are the values that were signed.
// Stops: two or wrapped SignedInfo (row 16), XPath-selector confusion over Reference/DigestValue
// (row 19), several References (row 26).
import { attr, childElements, textContentOf } from '../dom.js';
import { ALGORITHM, NS } from '../urn.js';
import type { Refuse } from './policy.js';

export interface SignedInfoFields {
  canonicalization: string;
  signatureAlgorithm: string;
  referenceUri: string | undefined;
  /** Transform algorithms, in order. */
  transforms: string[];
  /** InclusiveNamespaces/@PrefixList of the exc-c14n transform, when given. */
  prefixList: string[];
  digestAlgorithm: string;
  digestValue: string;
}

function names(elements: Element[]): string {
  return elements.length === 0 ? 'nothing' : elements.map((e) => e.localName).join(', ');
}

/** Children must be exactly these ds: elements in this order (optional ones marked `?`). */
function expectChildren(parent: Element, pattern: string[], shape: Refuse): Element[] {
  const children = childElements(parent);
  const out: Element[] = [];
  let i = 0;
  for (const want of pattern) {
    const optional = want.endsWith('?');
    const name = optional ? want.slice(0, -1) : want;
    const next = children[i];
    if (next && next.namespaceURI === NS.dsig && next.localName === name) {
      out.push(next);
      i++;
    } else if (!optional) {
      break;
    }
  }
  if (i !== children.length || out.length < pattern.filter((p) => !p.endsWith('?')).length) {
    shape(
      `ds:${parent.localName} does not have the children a SAML signature has`,
      `ds:${parent.localName} with ${pattern.map((p) => p.replace('?', ' (optional)')).join(', ')}`,
      names(children),
    );
  }
  return out;
}

function algorithmOf(e: Element, shape: Refuse): string {
  const value = attr(e, 'Algorithm');
  if (value === undefined) shape(`ds:${e.localName} has no Algorithm`, 'an Algorithm attribute', 'none');
  return value;
}

/** A SAML signature holds SignedInfo, SignatureValue and optionally KeyInfo: no Object (XSW8). */
export function signatureParts(signature: Element, shape: Refuse): { signedInfo: Element; signatureValue: Element; keyInfo?: Element } {
  const signedInfos = childElements(signature, NS.dsig, 'SignedInfo');
  if (signedInfos.length !== 1) {
    shape(`a Signature holds ${signedInfos.length} SignedInfo elements`, 'exactly one ds:SignedInfo child', `${signedInfos.length}`);
  }
  const [signedInfo, signatureValue, keyInfo] = expectChildren(signature, ['SignedInfo', 'SignatureValue', 'KeyInfo?'], shape);
  return { signedInfo: signedInfo as Element, signatureValue: signatureValue as Element, ...(keyInfo && { keyInfo }) };
}

export function readSignedInfo(signedInfo: Element, shape: Refuse): SignedInfoFields {
  const references = childElements(signedInfo, NS.dsig, 'Reference');
  if (references.length !== 1) {
    shape('a SignedInfo must hold exactly one Reference', 'one ds:Reference', `${references.length}`);
  }
  const [c14n, method, reference] = expectChildren(signedInfo, ['CanonicalizationMethod', 'SignatureMethod', 'Reference'], shape) as [
    Element,
    Element,
    Element,
  ];
  const parts = expectChildren(reference, ['Transforms?', 'DigestMethod', 'DigestValue'], shape);
  const transformsEl = parts.length === 3 ? parts[0] : undefined;
  const transformEls = transformsEl ? childElements(transformsEl) : [];
  for (const t of transformEls) {
    if (t.namespaceURI !== NS.dsig || t.localName !== 'Transform') {
      shape('ds:Transforms holds something other than ds:Transform', 'ds:Transform elements only', t.localName);
    }
  }
  const last = transformEls[transformEls.length - 1];
  // The exc-c14n namespace is also its algorithm URI.
  const inclusive = last ? childElements(last, ALGORITHM.excC14n, 'InclusiveNamespaces')[0] : undefined;
  const digestValue = parts[parts.length - 1] as Element;
  return {
    canonicalization: algorithmOf(c14n, shape),
    signatureAlgorithm: algorithmOf(method, shape),
    referenceUri: attr(reference, 'URI'),
    transforms: transformEls.map((t) => algorithmOf(t, shape)),
    prefixList: (attr(inclusive, 'PrefixList') ?? '').split(/\s+/).filter((p) => p !== ''),
    digestAlgorithm: algorithmOf(parts[parts.length - 2] as Element, shape),
    // Full text content: a comment inside DigestValue cannot truncate it (row 15).
    digestValue: textContentOf(digestValue).replace(/\s+/g, ''),
  };
}
