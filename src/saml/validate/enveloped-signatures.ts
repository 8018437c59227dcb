// The signatures a SAML response may carry: a ds:Signature directly inside the Response and one
// directly inside its (single, direct-child) Assertion. The shape check guarantees these are
// all the signatures in the document before any later check relies on this list. When the
// assertion was encrypted, its signature is the one inside the decrypted assertion.
import { firstChild } from '../dom.js';
import { NS } from '../urn.js';

export interface EnvelopedSignature {
  level: 'response' | 'assertion';
  /** The element the signature sits in, which its Reference must point to. */
  signed: Element;
  signature: Element;
}

export function envelopedSignatures(
  response: Element,
  assertion: Element | undefined = firstChild(response, NS.assertion, 'Assertion'),
): EnvelopedSignature[] {
  const out: EnvelopedSignature[] = [];
  const add = (level: EnvelopedSignature['level'], signed: Element | undefined): void => {
    if (!signed) return;
    const signature = firstChild(signed, NS.dsig, 'Signature');
    if (signature) out.push({ level, signed, signature });
  };
  add('response', response);
  add('assertion', assertion);
  return out;
}
