// The SP's AuthnRequest: built with the escaping builder, read back by the IdP with the parse
// hygiene, and (for the HTTP-POST binding) signed and verified as an enveloped signature.
import type { X509Certificate } from 'node:crypto';
import type { SigningKey } from '../crypto/keys.js';
import { childElements, firstChild, textOf } from './dom.js';
import { verifyEnvelopedMessage } from './enveloped-message.js';
import { newSamlId } from './ids.js';
import { bad, optionalAttr, readProtocolEnvelope } from './protocol-envelope.js';
import { protocolMessage } from './protocol-message.js';
import { signElement } from './signature.js';
import { BINDING, NAMEID_FORMAT, NS, type SignatureAlgorithmUrn } from './urn.js';
import { el, render } from './xml-builder.js';

export interface AuthnRequestSpec {
  /** Defaults to a fresh random ID. */
  id?: string;
  issuer: string;
  destination: string;
  acsUrl: string;
  /** Binding the IdP answers with; HTTP-POST by default. */
  protocolBinding?: string;
  nameIdFormat?: string;
  forceAuthn?: boolean;
  /**
   * The user the SP asks the IdP to sign in (the email typed at the SP), sent as
   * `<saml:Subject><saml:NameID>`: the IdP prefills its sign-in page with it.
   */
  subjectNameId?: { value: string; format: string };
  nowMs: number;
}

export interface ParsedAuthnRequest {
  id: string;
  issuer: string;
  issueInstant: string;
  destination?: string;
  acsUrl?: string;
  acsIndex?: number;
  protocolBinding?: string;
  nameIdFormat?: string;
  forceAuthn: boolean;
  isPassive: boolean;
  /**
   * The NameID of the requested `<saml:Subject>`, trimmed: a hint of who is signing in, never an
   * identity (the user still signs in). Absent when the Subject names none, or one too long or with
   * control characters to be a login name.
   */
  subjectNameId?: string;
  /** A ds:Signature child of the request (HTTP-POST binding); verify it before trusting the request. */
  hasEnvelopedSignature: boolean;
}

export function buildAuthnRequest(spec: AuthnRequestSpec): { id: string; xml: string } {
  const id = spec.id ?? newSamlId();
  const xml = render(
    protocolMessage(
      'AuthnRequest',
      { id, issuer: spec.issuer, nowMs: spec.nowMs, destination: spec.destination },
      {
        AssertionConsumerServiceURL: spec.acsUrl,
        ProtocolBinding: spec.protocolBinding ?? BINDING.post,
        ForceAuthn: spec.forceAuthn ? true : undefined,
      },
      // SAML core §3.4.1: Subject comes after Issuer (and the Signature) and before NameIDPolicy.
      spec.subjectNameId ? el('saml:Subject', {}, el('saml:NameID', { Format: spec.subjectNameId.format }, spec.subjectNameId.value)) : null,
      spec.nameIdFormat ? el('samlp:NameIDPolicy', { Format: spec.nameIdFormat, AllowCreate: true }) : null,
    ),
  );
  return { id, xml };
}

/** Enveloped signature for the HTTP-POST binding; the Signature goes right after Issuer. */
export function signAuthnRequest(xml: string, id: string, key: SigningKey, algorithm: SignatureAlgorithmUrn): string {
  return signElement(xml, { key, algorithm, id, after: 'Issuer' });
}

function xsBoolean(e: Element, name: string): boolean {
  const value = optionalAttr(e, name);
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return bad('SAML_MESSAGE_UNEXPECTED', `AuthnRequest/@${name} is not a boolean`, 'true or false', value);
}

/** Longer than any login name (an address is at most 254 characters, RFC 5321): no hint, not a refusal. */
const MAX_SUBJECT_NAME_ID = 256;
const IDENTIFIERS = new Set(['BaseID', 'NameID', 'EncryptedID']);

/**
 * The requested Subject's NameID. The schema allows one Subject and one identifier in it: more is
 * refused, as two users named in one request cannot both be the one signing in.
 */
function requestedSubject(root: Element): string | undefined {
  const subjects = childElements(root, NS.assertion, 'Subject');
  if (subjects.length === 0) return undefined;
  if (subjects.length > 1) bad('SAML_MESSAGE_UNEXPECTED', 'the AuthnRequest has more than one saml:Subject', 'at most one saml:Subject', `${subjects.length} Subject elements`);
  const subject = subjects[0] as Element;
  const identifiers = childElements(subject).filter((e) => e.namespaceURI === NS.assertion && IDENTIFIERS.has(e.localName));
  if (identifiers.length > 1) {
    bad('SAML_MESSAGE_UNEXPECTED', 'the AuthnRequest Subject names more than one identifier', 'one saml:NameID in the Subject', identifiers.map((e) => e.localName).join(', '));
  }
  const nameId = identifiers[0]?.localName === 'NameID' ? identifiers[0] : undefined;
  const value = textOf(nameId)?.trim();
  if (!value || value.length > MAX_SUBJECT_NAME_ID || [...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')) return undefined;
  return value;
}

export function parseAuthnRequest(xml: string): ParsedAuthnRequest {
  const { root, id, issuer, issuerElement, issueInstant, hasEnvelopedSignature } = readProtocolEnvelope(xml, 'AuthnRequest', { issuerRole: 'the SP entity ID' });
  const issuerFormat = issuerElement.getAttribute('Format');
  if (issuerFormat && issuerFormat !== NAMEID_FORMAT.entity) {
    // SAML profiles §4.1.4.1: the Issuer of an AuthnRequest names an entity.
    bad('SAML_MESSAGE_UNEXPECTED', 'the AuthnRequest Issuer has a Format other than entity', NAMEID_FORMAT.entity, issuerFormat);
  }
  const rawIndex = optionalAttr(root, 'AssertionConsumerServiceIndex');
  if (rawIndex !== undefined && (!/^\d{1,5}$/.test(rawIndex) || Number(rawIndex) > 65535)) {
    bad('SAML_MESSAGE_UNEXPECTED', 'AssertionConsumerServiceIndex is not an unsigned short', '0..65535', rawIndex);
  }
  const policy = firstChild(root, NS.protocol, 'NameIDPolicy');
  const out: ParsedAuthnRequest = {
    id,
    issuer,
    issueInstant,
    forceAuthn: xsBoolean(root, 'ForceAuthn'),
    isPassive: xsBoolean(root, 'IsPassive'),
    hasEnvelopedSignature,
  };
  const destination = optionalAttr(root, 'Destination');
  const acsUrl = optionalAttr(root, 'AssertionConsumerServiceURL');
  const protocolBinding = optionalAttr(root, 'ProtocolBinding');
  const nameIdFormat = policy ? optionalAttr(policy, 'Format') : undefined;
  const subjectNameId = requestedSubject(root);
  if (destination !== undefined) out.destination = destination;
  if (acsUrl !== undefined) out.acsUrl = acsUrl;
  if (rawIndex !== undefined) out.acsIndex = Number(rawIndex);
  if (protocolBinding !== undefined) out.protocolBinding = protocolBinding;
  if (nameIdFormat !== undefined) out.nameIdFormat = nameIdFormat;
  if (subjectNameId !== undefined) out.subjectNameId = subjectNameId;
  return out;
}

/**
 * Verifies the enveloped signature of an HTTP-POST AuthnRequest with the SP metadata certificates
 * only (KeyInfo in the message is ignored). Returns the canonical signed request, the only bytes
 * a caller should trust.
 */
export function verifyEnvelopedRequestSignature(
  xml: string,
  certificates: readonly X509Certificate[],
  opts: { allowSha1: boolean },
): string {
  return verifyEnvelopedMessage(xml, certificates, { ...opts, what: 'AuthnRequest', signer: 'SP', code: 'IDP_REQUEST_SIGNATURE' });
}
