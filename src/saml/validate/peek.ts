// An UNVERIFIED look at who sent a response and what it answers, so the SP can pick the account
// whose expectations the response is then validated against. Nothing read here is trusted: the
// pipeline checks the issuer and InResponseTo again from the signed bytes.
import { HarnessError } from '../../errors.js';
import { attr, childPath, firstChild, textOf } from '../dom.js';
import { documentElement } from '../parse.js';
import { NS } from '../urn.js';

export interface PeekedResponse {
  issuer?: string;
  inResponseTo?: string;
}

/** Reads a document the pipeline's read phase parsed (with the XML hygiene rules). */
export function peekDocument(doc: Document): PeekedResponse {
  const root = documentElement(doc);
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    throw new HarnessError('SAML_MESSAGE_UNEXPECTED', `the document element is ${root.localName}, not samlp:Response`, {
      expected: `Response in ${NS.protocol}`,
      received: `${root.localName} in ${root.namespaceURI ?? 'no namespace'}`,
    });
  }
  const issuer =
    textOf(firstChild(root, NS.assertion, 'Issuer')) || textOf(childPath(root, [NS.assertion, 'Assertion'], [NS.assertion, 'Issuer']));
  const inResponseTo = attr(root, 'InResponseTo');
  return { ...(issuer ? { issuer } : {}), ...(inResponseTo ? { inResponseTo } : {}) };
}
