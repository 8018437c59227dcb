// SAML 2.0 metadata for the harness's own IdP applications and SP accounts. Elements are emitted
// in the order the metadata schema (saml-schema-metadata-2.0.xsd) fixes, because strict peers
// (Shibboleth SP, xmllint-validating SPs) refuse metadata in any other order (samlify puts
// SingleLogoutService after SingleSignOnService and gets refused).
import { isoInstant } from '../clock.js';
import { HarnessError } from '../errors.js';
import { ATTRNAME_FORMAT, NS } from './urn.js';
import { el, renderDocument, type XmlNode } from './xml-builder.js';

export interface IdpMetadataInput {
  entityId: string;
  /** SingleSignOnService endpoints, normally HTTP-Redirect and HTTP-POST. */
  ssoServices: { binding: string; location: string }[];
  /** SingleLogoutService endpoints (Single Logout), when the IdP offers it. */
  sloServices?: { binding: string; location: string }[];
  /** Base64 DER bodies (SigningKey.certificateBase64); the first is the primary. */
  signingCertificates: string[];
  nameIdFormats: string[];
  /** Emitted only when defined: real IdP metadata (Okta, SimpleSAMLphp) often omits it. */
  wantAuthnRequestsSigned?: boolean;
  /** The attributes the IdP offers (saml:Attribute elements, which an SP may list for mapping). */
  attributes?: { name: string; nameFormat?: string; friendlyName?: string }[];
  validUntilMs?: number;
  /** How long a peer may cache the document before fetching it again (xs:duration, e.g. PT1H). */
  cacheDuration?: string;
  /** EntityDescriptor/@ID, which an enveloped metadata signature references. */
  id?: string;
}

export interface SpMetadataInput {
  entityId: string;
  acs: { location: string; binding: string; index: number; isDefault?: boolean }[];
  signingCertificates: string[];
  encryptionCertificates?: string[];
  /** SingleLogoutService endpoints: only for an SP with Single Logout on (RingCentral has none). */
  sloServices?: { binding: string; location: string }[];
  authnRequestsSigned: boolean;
  wantAssertionsSigned: boolean;
  nameIdFormats: string[];
  organization?: { name: string; displayName: string; url: string };
}

function configError(field: string, message: string, received?: string): never {
  throw new HarnessError('CONFIG_INVALID', `cannot build metadata: ${field} ${message}`, {
    expected: `a valid ${field}`,
    received,
  });
}

export function keyDescriptor(use: 'signing' | 'encryption', base64: string): XmlNode {
  return el(
    'md:KeyDescriptor',
    { use },
    el('ds:KeyInfo', {}, el('ds:X509Data', {}, el('ds:X509Certificate', {}, base64.replace(/\s+/g, '')))),
  );
}

/** Schema order: after the KeyDescriptors (and ArtifactResolutionService), before NameIDFormat. */
function sloServices(services: readonly { binding: string; location: string }[] | undefined): XmlNode[] {
  return (services ?? []).map((s) => el('md:SingleLogoutService', { Binding: s.binding, Location: s.location }));
}

function nameIdFormats(formats: readonly string[]): XmlNode[] {
  return formats.map((f) => el('md:NameIDFormat', {}, f));
}

export function rootAttrs(entityId: string, validUntilMs: number | undefined, cacheDuration?: string): XmlNode['attrs'] {
  if (entityId.trim() === '') configError('entityId', 'is empty', JSON.stringify(entityId));
  if (cacheDuration !== undefined && !/^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(cacheDuration)) {
    configError('cacheDuration', 'is not an xs:duration', cacheDuration);
  }
  return {
    'xmlns:md': NS.metadata,
    'xmlns:ds': NS.dsig,
    entityID: entityId,
    validUntil: validUntilMs === undefined ? undefined : isoInstant(validUntilMs),
    cacheDuration,
  };
}

export function buildIdpMetadata(input: IdpMetadataInput): string {
  if (input.ssoServices.length === 0) configError('ssoServices', 'is empty', '[]');
  if (input.signingCertificates.length === 0) configError('signingCertificates', 'is empty', '[]');
  const attributes = input.attributes ?? [];
  const descriptor = el(
    'md:IDPSSODescriptor',
    {
      // Attribute order is cosmetic; this one matches what IdPs commonly emit.
      WantAuthnRequestsSigned: input.wantAuthnRequestsSigned,
      protocolSupportEnumeration: NS.protocol,
    },
    input.signingCertificates.map((c) => keyDescriptor('signing', c)),
    sloServices(input.sloServices),
    nameIdFormats(input.nameIdFormats),
    input.ssoServices.map((s) => el('md:SingleSignOnService', { Binding: s.binding, Location: s.location })),
    attributes.map((a) =>
      el('saml:Attribute', {
        Name: a.name,
        NameFormat: a.nameFormat ?? ATTRNAME_FORMAT.basic,
        FriendlyName: a.friendlyName,
      }),
    ),
  );
  const attrs = rootAttrs(input.entityId, input.validUntilMs, input.cacheDuration);
  const withId = input.id === undefined ? attrs : { ...attrs, ID: input.id };
  return renderDocument(
    el('md:EntityDescriptor', attributes.length > 0 ? { ...withId, 'xmlns:saml': NS.assertion } : withId, descriptor),
  );
}

export function buildSpMetadata(input: SpMetadataInput): string {
  if (input.acs.length === 0) configError('acs', 'is empty', '[]');
  const indexes = new Set<number>();
  for (const a of input.acs) {
    if (!Number.isInteger(a.index) || a.index < 0 || a.index > 65535) {
      configError('acs index', 'is not an unsigned short', String(a.index));
    }
    if (indexes.has(a.index)) configError('acs index', 'is used twice', String(a.index));
    indexes.add(a.index);
  }
  if (input.acs.filter((a) => a.isDefault).length > 1) configError('acs', 'has more than one isDefault entry');
  const descriptor = el(
    'md:SPSSODescriptor',
    {
      AuthnRequestsSigned: input.authnRequestsSigned,
      WantAssertionsSigned: input.wantAssertionsSigned,
      protocolSupportEnumeration: NS.protocol,
    },
    input.signingCertificates.map((c) => keyDescriptor('signing', c)),
    (input.encryptionCertificates ?? []).map((c) => keyDescriptor('encryption', c)),
    sloServices(input.sloServices),
    nameIdFormats(input.nameIdFormats),
    input.acs.map((a) =>
      el('md:AssertionConsumerService', {
        Binding: a.binding,
        Location: a.location,
        index: a.index,
        isDefault: a.isDefault ? true : undefined,
      }),
    ),
  );
  const org = input.organization;
  const organization = org
    ? el(
        'md:Organization',
        {},
        el('md:OrganizationName', { 'xml:lang': 'en' }, org.name),
        el('md:OrganizationDisplayName', { 'xml:lang': 'en' }, org.displayName),
        el('md:OrganizationURL', { 'xml:lang': 'en' }, org.url),
      )
    : null;
  return renderDocument(el('md:EntityDescriptor', rootAttrs(input.entityId, undefined), descriptor, organization));
}
