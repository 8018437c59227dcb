// Malicious and broken responses made from genuinely signed ones by DOM edits, one function per
// shape of the attack catalogue (/work/shared/reference/saml-attacks.md). `evil` content is a
// NameID changed to EVIL_NAME_ID, so a test can also see which assertion a reader would use.
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { SigningKey } from '../../src/crypto/keys.js';
import { childPath, descendants, firstChild } from '../../src/saml/dom.js';
import { signElement } from '../../src/saml/signature.js';
import { ALGORITHM, NS, type SignatureAlgorithmUrn } from '../../src/saml/urn.js';

export const EVIL_NAME_ID = 'admin@example.com';
export const EVIL_ID = '_evil0000000000000000000000000000000000000';
/** Attack payload URIs (deliberately not in src/saml/urn.ts: the SP never accepts them). */
export const HMAC_SHA1 = 'http://www.w3.org/2000/09/xmldsig#hmac-sha1';
export const XSLT = 'http://www.w3.org/TR/1999/REC-xslt-19991116';

/** Parses, lets `edit` change the Response, serializes again. */
export function editXml(xml: string, edit: (response: Element, doc: Document) => void): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  edit(doc.documentElement, doc);
  return new XMLSerializer().serializeToString(doc);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`response-faults: no ${what}`);
  return value;
}

export function assertionIn(parent: Element): Element {
  return required(firstChild(parent, NS.assertion, 'Assertion'), 'Assertion');
}

export function signatureIn(parent: Element): Element {
  return required(firstChild(parent, NS.dsig, 'Signature'), 'Signature');
}

export function signedInfoIn(parent: Element): Element {
  return required(firstChild(signatureIn(parent), NS.dsig, 'SignedInfo'), 'SignedInfo');
}

export function setNameId(assertion: Element, value: string): void {
  const nameId = required(childPath(assertion, [NS.assertion, 'Subject'], [NS.assertion, 'NameID']), 'NameID');
  while (nameId.firstChild) nameId.removeChild(nameId.firstChild);
  nameId.appendChild(nameId.ownerDocument.createTextNode(value));
}

/** A deep copy without its own (direct-child) signature. */
export function withoutSignature(e: Element): Element {
  const copy = e.cloneNode(true) as Element;
  const sig = firstChild(copy, NS.dsig, 'Signature');
  if (sig) copy.removeChild(sig);
  return copy;
}

/** An evil copy of the assertion: new ID, NameID changed, signature dropped unless kept. */
function evilCopy(assertion: Element, keepSignature = false): Element {
  const evil = keepSignature ? (assertion.cloneNode(true) as Element) : withoutSignature(assertion);
  evil.setAttribute('ID', EVIL_ID);
  setNameId(evil, EVIL_NAME_ID);
  return evil;
}

export function removeSignatures(response: Element): void {
  for (const sig of descendants(response, NS.dsig, 'Signature')) sig.parentNode?.removeChild(sig);
}

// Signature wrapping, as SAMLRaider's XSWHelpers applies it (rows 2-9). XSW1/2 need a signed
// Response; XSW3-8 a signed Assertion.
export const XSW: Record<string, (response: Element, doc: Document) => void> = {
  // <R ID=evil>evil <S(#orig)>…<R ID=orig>orig</R></S></R>
  XSW1(response) {
    const original = withoutSignature(response);
    signatureIn(response).appendChild(original);
    response.setAttribute('ID', EVIL_ID);
    setNameId(assertionIn(response), EVIL_NAME_ID);
  },
  // <R ID=evil><R ID=orig>orig</R><S(#orig)/>evil</R>
  XSW2(response) {
    const original = withoutSignature(response);
    response.insertBefore(original, signatureIn(response));
    response.setAttribute('ID', EVIL_ID);
    setNameId(assertionIn(response), EVIL_NAME_ID);
  },
  // <R><A ID=evil>evil</A><A ID=orig><S(#orig)/>orig</A></R>
  XSW3(response) {
    const a = assertionIn(response);
    response.insertBefore(evilCopy(a), a);
  },
  // <R><A ID=evil>evil<A ID=orig><S(#orig)/>orig</A></A></R>
  XSW4(response) {
    const a = assertionIn(response);
    const evil = evilCopy(a);
    response.replaceChild(evil, a);
    evil.appendChild(a);
  },
  // <R><A ID=evil>evil<S(#orig)/></A><A ID=orig>orig</A></R>
  XSW5(response) {
    const a = assertionIn(response);
    const copy = withoutSignature(a);
    response.replaceChild(evilCopy(a, true), a);
    response.appendChild(copy);
  },
  // <R><A ID=evil>evil<S(#orig)><A ID=orig>orig</A></S></A></R>
  XSW6(response) {
    const a = assertionIn(response);
    const evil = evilCopy(a, true);
    signatureIn(evil).appendChild(withoutSignature(a));
    response.replaceChild(evil, a);
  },
  // <R><Extensions><A ID=orig>evil</A></Extensions><A ID=orig><S(#orig)/>orig</A></R>
  XSW7(response, doc) {
    const a = assertionIn(response);
    const evil = withoutSignature(a);
    setNameId(evil, EVIL_NAME_ID);
    const extensions = doc.createElementNS(NS.protocol, 'samlp:Extensions');
    extensions.appendChild(evil);
    response.insertBefore(extensions, firstChild(response, NS.protocol, 'Status') ?? a);
  },
  // <R><A ID=orig>evil<S(#orig)><Object><A ID=orig>orig</A></Object></S></A></R>
  XSW8(response, doc) {
    const a = assertionIn(response);
    const object = doc.createElementNS(NS.dsig, 'ds:Object');
    object.appendChild(withoutSignature(a));
    signatureIn(a).appendChild(object);
    setNameId(a, EVIL_NAME_ID);
  },
};

/** Row 10: the signed assertion hidden inside an evil one's SubjectConfirmationData or Advice. */
export function wrapAssertionIn(where: 'SubjectConfirmationData' | 'Advice') {
  return (response: Element, doc: Document): void => {
    const a = assertionIn(response);
    const evil = evilCopy(a);
    response.replaceChild(evil, a);
    if (where === 'Advice') {
      const advice = doc.createElementNS(NS.assertion, 'saml:Advice');
      advice.appendChild(a);
      evil.appendChild(advice);
    } else {
      const data = required(
        childPath(evil, [NS.assertion, 'Subject'], [NS.assertion, 'SubjectConfirmation'], [NS.assertion, 'SubjectConfirmationData']),
        'SubjectConfirmationData',
      );
      data.appendChild(a);
    }
  };
}

/** Puts `markup` (raw XML) in place of the NameID text: comment, PI and CDATA truncation. */
export function nameIdMarkup(xml: string, nameId: string, markup: string): string {
  const text = `>${nameId}</saml:NameID>`;
  if (!xml.includes(text)) throw new Error('response-faults: NameID text not found');
  return xml.replace(text, `>${markup}</saml:NameID>`);
}

/** Prepends a DOCTYPE (with an internal subset) before the document element. */
export function withDoctype(xml: string, subset = ''): string {
  return `<!DOCTYPE samlp:Response${subset ? ` [${subset}]` : ''}>${xml}`;
}

/** Replaces the signature on the element with this ID by a new one (KeyInfo carries `key`'s cert). */
export function resign(xml: string, id: string, key: SigningKey, algorithm: SignatureAlgorithmUrn = ALGORITHM.rsaSha256): string {
  const unsigned = editXml(xml, (response, doc) => {
    for (const sig of descendants(doc, NS.dsig, 'Signature')) {
      if ((sig.parentNode as Element).getAttribute('ID') === id) sig.parentNode?.removeChild(sig);
    }
    void response;
  });
  return signElement(unsigned, { key, algorithm, id, after: 'Issuer' });
}
