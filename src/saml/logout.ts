// Single Logout messages (SAML core §3.7): LogoutRequest and LogoutResponse, built with the
// escaping builder and read back with the parse hygiene. Signing follows the binding: an enveloped
// signature after Issuer for HTTP-POST (signLogoutMessage), the query signature for
// HTTP-Redirect (buildRedirectUrl). Nothing here trusts a message: verify its signature with
// verifyEnvelopedMessage or verifyRedirectSignature first, then check it with checkLogoutRequest /
// checkLogoutResponse against what the receiver knows.
import { isoInstant } from '../clock.js';
import type { SigningKey } from '../crypto/keys.js';
import type { ErrorCode } from '../errors.js';
import { attr, childElements, firstChild, textOf } from './dom.js';
import { newSamlId } from './ids.js';
import { bad, DATE_TIME, NCNAME, optionalAttr, readProtocolEnvelope } from './protocol-envelope.js';
import { protocolMessage, statusElement } from './protocol-message.js';
import { signElement } from './signature.js';
import { NS, STATUS, type SignatureAlgorithmUrn } from './urn.js';
import { el, render } from './xml-builder.js';

export interface LogoutRequestSpec {
  id?: string;
  issuer: string;
  destination: string;
  nameId: string;
  nameIdFormat?: string;
  /** The SessionIndex values of the sessions to end (from the AuthnStatement). */
  sessionIndexes?: readonly string[];
  /** e.g. LOGOUT_REASON.user */
  reason?: string;
  nowMs: number;
  /** How long the request stays valid (NotOnOrAfter); default 5 minutes. */
  lifetimeSec?: number;
}

export interface LogoutResponseSpec {
  id?: string;
  issuer: string;
  destination: string;
  inResponseTo: string;
  /** Top-level status; Success by default. */
  status?: string;
  /** Second-level status, e.g. PartialLogout. */
  subStatus?: string;
  message?: string;
  nowMs: number;
}

export interface ParsedLogoutRequest {
  id: string;
  issuer: string;
  issueInstant: string;
  destination?: string;
  notOnOrAfter?: string;
  reason?: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndexes: string[];
  hasEnvelopedSignature: boolean;
}

export interface ParsedLogoutResponse {
  id: string;
  issuer: string;
  issueInstant: string;
  destination?: string;
  inResponseTo: string;
  status: string;
  subStatus?: string;
  message?: string;
  hasEnvelopedSignature: boolean;
}

export function buildLogoutRequest(spec: LogoutRequestSpec): { id: string; xml: string } {
  const id = spec.id ?? newSamlId();
  const xml = render(
    protocolMessage(
      'LogoutRequest',
      { id, issuer: spec.issuer, nowMs: spec.nowMs, destination: spec.destination },
      { NotOnOrAfter: isoInstant(spec.nowMs + (spec.lifetimeSec ?? 300) * 1000), Reason: spec.reason },
      el('saml:NameID', { Format: spec.nameIdFormat }, spec.nameId),
      ...(spec.sessionIndexes ?? []).map((s) => el('samlp:SessionIndex', {}, s)),
    ),
  );
  return { id, xml };
}

export function buildLogoutResponse(spec: LogoutResponseSpec): { id: string; xml: string } {
  const id = spec.id ?? newSamlId();
  const xml = render(
    protocolMessage(
      'LogoutResponse',
      { id, issuer: spec.issuer, nowMs: spec.nowMs, destination: spec.destination },
      { InResponseTo: spec.inResponseTo },
      statusElement({ code: spec.status, subCode: spec.subStatus, message: spec.message }),
    ),
  );
  return { id, xml };
}

/** Enveloped signature for the HTTP-POST binding; the Signature goes right after Issuer. */
export function signLogoutMessage(xml: string, id: string, key: SigningKey, algorithm: SignatureAlgorithmUrn): string {
  return signElement(xml, { key, algorithm, id, after: 'Issuer' });
}

export function parseLogoutRequest(xml: string): ParsedLogoutRequest {
  const { root, issuerElement: _issuer, ...envelope } = readProtocolEnvelope(xml, 'LogoutRequest');
  const nameIds = childElements(root, NS.assertion, 'NameID');
  const nameId = textOf(nameIds[0]) ?? '';
  if (nameIds.length !== 1 || nameId === '') {
    const encrypted = childElements(root, NS.assertion, 'EncryptedID').length > 0;
    bad('SAML_MESSAGE_UNEXPECTED', 'the LogoutRequest needs exactly one non-empty saml:NameID', 'one saml:NameID (plain: encrypted IDs are not supported)',
      encrypted ? 'an EncryptedID' : nameIds.length === 1 ? 'an empty NameID' : `${nameIds.length} NameID elements`);
  }
  const notOnOrAfter = optionalAttr(root, 'NotOnOrAfter');
  if (notOnOrAfter !== undefined && (!DATE_TIME.test(notOnOrAfter) || Number.isNaN(Date.parse(notOnOrAfter)))) {
    bad('SAML_TIME_MALFORMED', 'the LogoutRequest NotOnOrAfter is not an xs:dateTime', 'e.g. 2026-01-31T12:05:00Z', notOnOrAfter);
  }
  const reason = optionalAttr(root, 'Reason');
  const format = attr(nameIds[0], 'Format');
  return {
    ...envelope,
    nameId,
    ...(format !== undefined && { nameIdFormat: format }),
    sessionIndexes: childElements(root, NS.protocol, 'SessionIndex').map((s) => textOf(s) ?? ''),
    ...(notOnOrAfter !== undefined && { notOnOrAfter }),
    ...(reason !== undefined && { reason }),
  };
}

export function parseLogoutResponse(xml: string): ParsedLogoutResponse {
  const { root, issuerElement: _issuer, ...envelope } = readProtocolEnvelope(xml, 'LogoutResponse');
  const inResponseTo = optionalAttr(root, 'InResponseTo') ?? '';
  if (!NCNAME.test(inResponseTo)) {
    bad('SAML_MESSAGE_UNEXPECTED', 'the LogoutResponse has no InResponseTo naming the LogoutRequest', 'InResponseTo="<the request ID>"', inResponseTo || 'none');
  }
  const statusEl = firstChild(root, NS.protocol, 'Status');
  const code = statusEl ? firstChild(statusEl, NS.protocol, 'StatusCode') : undefined;
  const status = attr(code, 'Value') ?? '';
  if (status === '') bad('SAML_MESSAGE_UNEXPECTED', 'the LogoutResponse has no Status/StatusCode', 'samlp:Status/samlp:StatusCode/@Value', 'none');
  const sub = code ? attr(firstChild(code, NS.protocol, 'StatusCode'), 'Value') : undefined;
  const message = statusEl ? textOf(firstChild(statusEl, NS.protocol, 'StatusMessage')) : undefined;
  return {
    ...envelope,
    inResponseTo,
    status,
    ...(sub !== undefined && { subStatus: sub }),
    ...(message !== undefined && { message }),
  };
}

export interface LogoutRequestExpectations {
  /** The entity ID of the peer that may send it. */
  issuer: string;
  /** This side's SLO endpoint URL (the Destination must be it). */
  destination: string;
  nowMs: number;
  /** The clock skew allowed, in seconds. */
  allowedClockSkewSec: number;
  /** The code every refusal carries. */
  code: ErrorCode;
}

/** Issuer, Destination and NotOnOrAfter of a verified LogoutRequest; NameID and SessionIndex are the receiver's to match. */
export function checkLogoutRequest(req: ParsedLogoutRequest, expect: LogoutRequestExpectations): void {
  if (req.issuer !== expect.issuer) bad(expect.code, 'the LogoutRequest comes from another entity', expect.issuer, req.issuer);
  if (req.destination !== expect.destination) {
    bad(expect.code, 'the LogoutRequest Destination is not this endpoint', expect.destination, req.destination ?? 'no Destination');
  }
  if (req.notOnOrAfter !== undefined && Date.parse(req.notOnOrAfter) + expect.allowedClockSkewSec * 1000 <= expect.nowMs) {
    bad(expect.code, 'the LogoutRequest has expired', `NotOnOrAfter after ${isoInstant(expect.nowMs)}`, req.notOnOrAfter);
  }
}

export interface LogoutResponseExpectations {
  issuer: string;
  destination: string;
  /** The ID of the LogoutRequest this side sent. */
  requestId: string;
  code: ErrorCode;
}

/** Issuer, Destination and InResponseTo of a verified LogoutResponse; returns whether it reports success. */
export function checkLogoutResponse(res: ParsedLogoutResponse, expect: LogoutResponseExpectations): { success: boolean; partial: boolean } {
  if (res.issuer !== expect.issuer) bad(expect.code, 'the LogoutResponse comes from another entity', expect.issuer, res.issuer);
  if (res.destination !== expect.destination) {
    bad(expect.code, 'the LogoutResponse Destination is not this endpoint', expect.destination, res.destination ?? 'no Destination');
  }
  if (res.inResponseTo !== expect.requestId) bad(expect.code, 'the LogoutResponse answers another request', expect.requestId, res.inResponseTo);
  return { success: res.status === STATUS.success, partial: res.subStatus === STATUS.partialLogout };
}
