// What every SAML protocol message the harness reads has in common (AuthnRequest, LogoutRequest,
// LogoutResponse): the root element in the protocol namespace, Version 2.0, an xs:ID, an
// xs:dateTime IssueInstant and exactly one non-empty Issuer, read with the parse hygiene.
import { HarnessError, type ErrorCode } from '../errors.js';
import { childElements, firstChild, textOf } from './dom.js';
import { parseXml } from './parse.js';
import { NS } from './urn.js';

/** An xs:ID; also keeps quotes out of the XPath literals xml-crypto builds from it. */
export const NCNAME = /^[A-Za-z_][\w.-]*$/;
export const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export function bad(code: ErrorCode, message: string, expected: string, received: string): never {
  throw new HarnessError(code, message, { expected, received });
}

export function optionalAttr(e: Element, name: string): string | undefined {
  return e.hasAttribute(name) ? (e.getAttribute(name) ?? '') : undefined;
}

export interface ProtocolEnvelope {
  root: Element;
  id: string;
  issuer: string;
  /** The Issuer element, for checks of its Format. */
  issuerElement: Element;
  issueInstant: string;
  destination?: string;
  hasEnvelopedSignature: boolean;
}

/** Reads and checks the envelope; `issuerRole` names what the Issuer should be in the error (e.g. "the SP entity ID"). */
export function readProtocolEnvelope(xml: string, localName: string, opts: { issuerRole?: string } = {}): ProtocolEnvelope {
  const root = parseXml(xml).documentElement;
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== localName) {
    bad('SAML_MESSAGE_UNEXPECTED', `the message is not a SAML 2.0 ${localName}`, `samlp:${localName} in ${NS.protocol}`,
      root ? `${root.localName} in ${root.namespaceURI ?? 'no namespace'}` : 'no element');
  }
  const version = optionalAttr(root, 'Version');
  if (version !== '2.0') bad('SAML_VERSION', `the ${localName} is not SAML 2.0`, 'Version="2.0"', version ?? 'no Version');
  const id = optionalAttr(root, 'ID') ?? '';
  if (!NCNAME.test(id)) bad('SAML_MESSAGE_UNEXPECTED', `the ${localName} ID is missing or not an xs:ID`, 'an ID such as _8f3a…', id || 'none');
  const issueInstant = optionalAttr(root, 'IssueInstant') ?? '';
  if (!DATE_TIME.test(issueInstant) || Number.isNaN(Date.parse(issueInstant))) {
    bad('SAML_TIME_MALFORMED', `the ${localName} IssueInstant is not an xs:dateTime`, 'e.g. 2026-01-31T12:00:00Z', issueInstant || 'none');
  }
  const issuers = childElements(root, NS.assertion, 'Issuer');
  const issuer = textOf(issuers[0]) ?? '';
  if (issuers.length !== 1 || issuer === '' || !issuers[0]) {
    bad('SAML_MESSAGE_UNEXPECTED', `the ${localName} needs exactly one non-empty saml:Issuer${opts.issuerRole ? ` (${opts.issuerRole})` : ''}`, 'one saml:Issuer',
      issuers.length === 1 ? 'an empty Issuer' : `${issuers.length} Issuer elements`);
  }
  const destination = optionalAttr(root, 'Destination');
  return {
    root,
    id,
    issuer,
    issuerElement: issuers[0],
    issueInstant,
    ...(destination !== undefined && { destination }),
    hasEnvelopedSignature: firstChild(root, NS.dsig, 'Signature') !== undefined,
  };
}
