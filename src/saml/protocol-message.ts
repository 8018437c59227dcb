// The samlp envelope every protocol message the harness writes shares (Response, AuthnRequest,
// LogoutRequest, LogoutResponse): the namespaces, ID, Version, IssueInstant, Destination and the
// Issuer first, as SAML core §3.2.1 orders them. protocol-envelope.ts reads the same envelope back.
import { isoInstant } from '../clock.js';
import { STATUS, NS } from './urn.js';
import { el, type XmlChild, type XmlNode } from './xml-builder.js';

export interface ProtocolMessageHeader {
  id: string;
  issuer: string;
  nowMs: number;
  destination?: string | undefined;
}

/**
 * `samlp:<name>` with the envelope attributes, then the message's own `attrs` (InResponseTo,
 * Reason, ...), then the Issuer and the message's children.
 */
export function protocolMessage(name: string, header: ProtocolMessageHeader, attrs: XmlNode['attrs'], ...children: (XmlChild | readonly XmlChild[])[]): XmlNode {
  return el(
    `samlp:${name}`,
    {
      'xmlns:samlp': NS.protocol,
      'xmlns:saml': NS.assertion,
      ID: header.id,
      Version: '2.0',
      IssueInstant: isoInstant(header.nowMs),
      Destination: header.destination,
      ...attrs,
    },
    el('saml:Issuer', {}, header.issuer),
    ...children,
  );
}

export interface StatusSpec {
  /** Top-level status code; Success when absent. */
  code?: string | undefined;
  subCode?: string | undefined;
  message?: string | undefined;
}

/** samlp:Status of a Response or LogoutResponse. */
export function statusElement(status: StatusSpec | undefined): XmlNode {
  return el(
    'samlp:Status',
    {},
    el('samlp:StatusCode', { Value: status?.code ?? STATUS.success }, status?.subCode ? el('samlp:StatusCode', { Value: status.subCode }) : null),
    status?.message ? el('samlp:StatusMessage', {}, status.message) : null,
  );
}
