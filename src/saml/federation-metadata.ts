// Federation metadata shaped like Microsoft Entra ID's per-application document
// (`/federationmetadata/2007-06/federationmetadata.xml?appid=…`): WS-Federation RoleDescriptors
// that list the claims offered (fed:ClaimTypesOffered), then an IDPSSODescriptor with the signing
// certificates, one HTTP-Redirect SingleLogoutService and the HTTP-Redirect and HTTP-POST
// SingleSignOnService, and no NameIDFormat (docs/vendor-traits.md has the public captures).
import { HarnessError } from '../errors.js';
import { keyDescriptor, rootAttrs } from './metadata-build.js';
import { BINDING, NS } from './urn.js';
import { el, renderDocument, type XmlNode } from './xml-builder.js';

export interface FederationMetadataInput {
  /** `https://sts.windows.net/{tenant-id}/`. */
  entityId: string;
  /** EntityDescriptor/@ID (`_` + a GUID at Entra), which the enveloped signature references. */
  id: string;
  /** The tenant's SAML sign-on endpoint. */
  samlEndpoint: string;
  /** Where LogoutRequests go (Entra uses the sign-on endpoint for both). */
  sloEndpoint: string;
  /** The tenant's WS-Federation endpoint, listed for the document's shape. */
  wsfedEndpoint: string;
  /** Base64 DER bodies: the active certificate first, then the one waiting to become active. */
  signingCertificates: string[];
  claims: { uri: string; displayName: string; description: string }[];
}

function endpointReference(address: string): XmlNode {
  return el('wsa:EndpointReference', { 'xmlns:wsa': NS.wsa }, el('wsa:Address', {}, address));
}

function roleDescriptor(type: 'SecurityTokenServiceType' | 'ApplicationServiceType', keys: XmlNode[], ...children: XmlNode[]): XmlNode {
  return el(
    'md:RoleDescriptor',
    { 'xmlns:xsi': NS.xsi, 'xmlns:fed': NS.wsfed, 'xsi:type': `fed:${type}`, protocolSupportEnumeration: NS.wsfed },
    keys,
    children,
  );
}

export function buildFederationMetadata(input: FederationMetadataInput): string {
  if (input.signingCertificates.length === 0) {
    throw new HarnessError('CONFIG_INVALID', 'cannot build metadata: signingCertificates is empty', { expected: 'a signing certificate', received: '[]' });
  }
  const keys = (): XmlNode[] => input.signingCertificates.map((c) => keyDescriptor('signing', c));
  const claimTypes = el(
    'fed:ClaimTypesOffered',
    {},
    input.claims.map((c) =>
      el('auth:ClaimType', { 'xmlns:auth': NS.wsfedAuth, Uri: c.uri }, el('auth:DisplayName', {}, c.displayName), el('auth:Description', {}, c.description)),
    ),
  );
  const sts = roleDescriptor(
    'SecurityTokenServiceType',
    keys(),
    claimTypes,
    el('fed:SecurityTokenServiceEndpoint', {}, endpointReference(input.wsfedEndpoint)),
    el('fed:PassiveRequestorEndpoint', {}, endpointReference(input.wsfedEndpoint)),
  );
  const application = roleDescriptor(
    'ApplicationServiceType',
    keys(),
    el('fed:TargetScopes', {}, endpointReference(input.entityId)),
    el('fed:ApplicationServiceEndpoint', {}, endpointReference(input.wsfedEndpoint)),
    el('fed:PassiveRequestorEndpoint', {}, endpointReference(input.wsfedEndpoint)),
  );
  const idp = el(
    'md:IDPSSODescriptor',
    { protocolSupportEnumeration: NS.protocol },
    keys(),
    el('md:SingleLogoutService', { Binding: BINDING.redirect, Location: input.sloEndpoint }),
    el('md:SingleSignOnService', { Binding: BINDING.redirect, Location: input.samlEndpoint }),
    el('md:SingleSignOnService', { Binding: BINDING.post, Location: input.samlEndpoint }),
  );
  return renderDocument(el('md:EntityDescriptor', { ...rootAttrs(input.entityId, undefined), ID: input.id }, sts, application, idp));
}
