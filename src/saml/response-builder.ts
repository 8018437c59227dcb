// Builds a SAML 2.0 Response with one assertion, signed as the IdP application asks
// (assertion, response, or both). Values are escaped by the builder; nothing is templated.
import type { SigningKey } from '../crypto/keys.js';
import { isoInstant } from '../clock.js';
import { newSamlIdIn, type SamlIdStyle } from './ids.js';
import { scopeInside } from './exclusive-c14n.js';
import { protocolMessage, statusElement } from './protocol-message.js';
import { signNode } from './tree-signature.js';
import { ATTRNAME_FORMAT, AUTHN_CONTEXT, CONFIRMATION_METHOD, NS, STATUS, type SignatureAlgorithmUrn } from './urn.js';
import { el, render, type XmlNode } from './xml-builder.js';

export interface SamlAttribute {
  name: string;
  values: readonly string[];
  /** Default basic; `null` leaves NameFormat out, as Entra ID does for its URI-named claims. */
  nameFormat?: string | null;
}

export interface ResponseSpec {
  issuer: string;
  /** The ACS URL the response is posted to (Response/@Destination). */
  destination: string;
  /** SubjectConfirmationData/@Recipient; defaults to the destination. */
  recipient?: string;
  /** SP entity ID, the Audience. */
  audience: string;
  inResponseTo?: string;
  nameId: string;
  nameIdFormat: string;
  attributes: readonly SamlAttribute[];
  sessionIndex: string;
  nowMs: number;
  authnInstantMs?: number;
  /** How long the assertion is valid (Conditions and SubjectConfirmationData), in seconds. */
  lifetimeSec?: number;
  /** How far before its issue instant the assertion is valid (Conditions/@NotBefore), in seconds. Default 60. */
  notBeforeSkewSec?: number;
  /** Session lifetime at the SP (AuthnStatement/@SessionNotOnOrAfter), in seconds. */
  sessionLifetimeSec?: number;
  status?: { code: string; subCode?: string; message?: string };
  signing: {
    key: SigningKey;
    algorithm: SignatureAlgorithmUrn;
    assertion: boolean;
    response: boolean;
  };
  responseId?: string;
  assertionId?: string;
  /** How fresh Response and Assertion IDs are spelled (the IdP flavour's style). Default `harness`. */
  idStyle?: SamlIdStyle;
}

export interface BuiltResponse {
  xml: string;
  responseId: string;
  assertionId: string | undefined;
}

function assertionNode(spec: ResponseSpec, assertionId: string): XmlNode {
  const now = spec.nowMs;
  const lifetimeMs = (spec.lifetimeSec ?? 300) * 1000;
  const issueInstant = isoInstant(now);
  const notOnOrAfter = isoInstant(now + lifetimeMs);
  return el(
    'saml:Assertion',
    { 'xmlns:saml': NS.assertion, ID: assertionId, Version: '2.0', IssueInstant: issueInstant },
    el('saml:Issuer', {}, spec.issuer),
    el(
      'saml:Subject',
      {},
      el('saml:NameID', { Format: spec.nameIdFormat }, spec.nameId),
      el(
        'saml:SubjectConfirmation',
        { Method: CONFIRMATION_METHOD.bearer },
        el('saml:SubjectConfirmationData', {
          InResponseTo: spec.inResponseTo,
          NotOnOrAfter: notOnOrAfter,
          Recipient: spec.recipient ?? spec.destination,
        }),
      ),
    ),
    el(
      'saml:Conditions',
      { NotBefore: isoInstant(now - (spec.notBeforeSkewSec ?? 60) * 1000), NotOnOrAfter: notOnOrAfter },
      el('saml:AudienceRestriction', {}, el('saml:Audience', {}, spec.audience)),
    ),
    el(
      'saml:AuthnStatement',
      {
        AuthnInstant: isoInstant(spec.authnInstantMs ?? now),
        SessionIndex: spec.sessionIndex,
        SessionNotOnOrAfter: isoInstant(now + (spec.sessionLifetimeSec ?? 8 * 3600) * 1000),
      },
      el('saml:AuthnContext', {}, el('saml:AuthnContextClassRef', {}, AUTHN_CONTEXT.passwordProtectedTransport)),
    ),
    spec.attributes.length > 0
      ? el(
          'saml:AttributeStatement',
          {},
          spec.attributes.map((a) =>
            el(
              'saml:Attribute',
              { Name: a.name, NameFormat: a.nameFormat === null ? undefined : (a.nameFormat ?? ATTRNAME_FORMAT.basic) },
              a.values.map((v) => // Namespaces declared where used, so the signed assertion stands alone after
              // exclusive c14n (xs:string is a QName in content, which c14n does not track).
              el('saml:AttributeValue', { 'xmlns:xs': NS.xs, 'xmlns:xsi': NS.xsi, 'xsi:type': 'xs:string' }, v)),
            ),
          ),
        )
      : null,
  );
}

/** The unsigned Response document, as a tree (fault injection edits it before rendering). */
export function responseTree(spec: ResponseSpec, responseId: string, assertionId: string): XmlNode {
  const success = (spec.status?.code ?? STATUS.success) === STATUS.success;
  return protocolMessage(
    'Response',
    { id: responseId, issuer: spec.issuer, nowMs: spec.nowMs, destination: spec.destination },
    { InResponseTo: spec.inResponseTo },
    statusElement(spec.status),
    success ? assertionNode(spec, assertionId) : null,
  );
}

export function buildResponse(spec: ResponseSpec): BuiltResponse {
  const responseId = spec.responseId ?? newSamlIdIn(spec.idStyle ?? 'harness');
  const assertionId = spec.assertionId ?? newSamlIdIn(spec.idStyle ?? 'harness');
  const success = (spec.status?.code ?? STATUS.success) === STATUS.success;
  let response = responseTree(spec, responseId, assertionId);
  const signing = { key: spec.signing.key, algorithm: spec.signing.algorithm };
  // The assertion is signed first, so a Response signature covers the signed assertion. Both are
  // signed from the tree (src/saml/tree-signature.ts): nothing is parsed back.
  if (success && spec.signing.assertion) {
    const outer = scopeInside(response, new Map());
    const children = response.children.map((c) =>
      typeof c === 'object' && c !== null && c.name === 'saml:Assertion' ? signNode(c, signing, { after: 'saml:Issuer', outer }) : c,
    );
    response = { ...response, children };
  }
  if (spec.signing.response || (!success && spec.signing.assertion)) response = signNode(response, signing, { after: 'saml:Issuer' });
  return { xml: render(response), responseId, assertionId: success ? assertionId : undefined };
}
