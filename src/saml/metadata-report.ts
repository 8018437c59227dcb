// A report on any SAML metadata document, for people debugging an integration: every entity of
// an EntityDescriptor or EntitiesDescriptor, each of its IdP and SP roles as metadata-parse reads
// them, the warnings it raises, the schema's element order, and what RingCentral needs. Pure: the
// caller reads the bytes and supplies the clock.
import type { X509Certificate } from 'node:crypto';
import type { CertificateSummary } from '../crypto/keys.js';
import { HarnessError, isHarnessError } from '../errors.js';
import { childElements } from './dom.js';
import { loadRoot, parseIdpMetadata, parseSpMetadata, type ParsedIdpMetadata, type ParsedSpMetadata } from './metadata-parse.js';
import { metadataSignature, type MetadataSignature } from './metadata-signature.js';
import { BINDING, NAMEID_FORMAT, NS } from './urn.js';

export interface ReportedCertificate extends CertificateSummary {
  use: 'signing' | 'encryption' | 'both';
}

export interface IdpRoleReport {
  role: 'idp';
  /** SSO endpoints keyed by binding URN. */
  endpoints: Record<string, string[]>;
  nameIdFormats: string[];
  certificates: ReportedCertificate[];
  wantAuthnRequestsSigned: boolean | undefined;
  attributes: string[];
  validUntil?: string;
}

export interface SpRoleReport {
  role: 'sp';
  /** ACS endpoints keyed by binding URN. */
  endpoints: Record<string, string[]>;
  nameIdFormats: string[];
  certificates: ReportedCertificate[];
  authnRequestsSigned: boolean;
  wantAssertionsSigned: boolean;
  validUntil?: string;
}

export interface RequirementCheck {
  met: boolean | 'unknown';
  requirement: string;
  /** What to change when it is not met. */
  fix?: string;
}

export interface EntityReport {
  entityId: string;
  roles: (IdpRoleReport | SpRoleReport)[];
  warnings: string[];
  /** What a RingCentral integration needs of this entity (the JumpCloud/RingCentral seed). */
  ringCentral: RequirementCheck[];
  /** The EntityDescriptor's cacheDuration (xs:duration), when it has one. */
  cacheDuration?: string;
  /** Present when the EntityDescriptor is signed. */
  signature?: MetadataSignature;
}

export interface MetadataReport {
  document: 'EntityDescriptor' | 'EntitiesDescriptor';
  entities: EntityReport[];
  /** Warnings of every entity, prefixed with its entity ID when there are several. */
  warnings: string[];
}

const RING_CENTRAL_SP = /^(https:\/\/sso(euro)?\.ringcentral\.com\/?|saml2:ringcentral:prod(euro)?)$/;

/** Child order of each element, per saml-schema-metadata-2.0.xsd (role descriptors share one rank). */
const ROLE_HEAD = ['Signature', 'Extensions', 'KeyDescriptor', 'Organization', 'ContactPerson',
  'ArtifactResolutionService', 'SingleLogoutService', 'ManageNameIDService', 'NameIDFormat'];
const SCHEMA_ORDER: Record<string, string[][]> = {
  EntityDescriptor: [['Signature'], ['Extensions'],
    ['RoleDescriptor', 'IDPSSODescriptor', 'SPSSODescriptor', 'AuthnAuthorityDescriptor', 'AttributeAuthorityDescriptor', 'PDPDescriptor', 'AffiliationDescriptor'],
    ['Organization'], ['ContactPerson'], ['AdditionalMetadataLocation']],
  IDPSSODescriptor: [...ROLE_HEAD, 'SingleSignOnService', 'NameIDMappingService', 'AssertionIDRequestService', 'AttributeProfile', 'Attribute'].map((n) => [n]),
  SPSSODescriptor: [...ROLE_HEAD, 'AssertionConsumerService', 'AttributeConsumingService'].map((n) => [n]),
};

/** Warns about the first child out of schema order ("schema invalid"), naming both elements. */
export function schemaOrderWarnings(element: Element): string[] {
  const order = SCHEMA_ORDER[element.localName];
  if (!order) return [];
  const rank = (name: string): number => order.findIndex((names) => names.includes(name));
  const warnings: string[] = [];
  let last: { name: string; rank: number } | undefined;
  for (const child of childElements(element)) {
    const r = rank(child.localName);
    if (r === -1) {
      if (child.namespaceURI === NS.metadata) warnings.push(`schema invalid: md:${child.localName} is not allowed in the ${element.localName}: remove it`);
      continue;
    }
    if (last && r < last.rank) {
      warnings.push(`schema invalid: ${child.localName} comes after ${last.name} in the ${element.localName}; the metadata schema puts it before: move it up (strict parsers such as Shibboleth reject the file)`);
      break;
    }
    last = { name: child.localName, rank: r };
  }
  return warnings;
}

function byBinding(list: { binding: string; location: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { binding, location } of list) (out[binding || '(no Binding)'] ??= []).push(location);
  return out;
}

function certificates(parsed: ParsedIdpMetadata | ParsedSpMetadata): ReportedCertificate[] {
  return parsed.certificates.map((c) => ({ use: c.use, ...c.summary }));
}

function idpRole(p: ParsedIdpMetadata): IdpRoleReport {
  return {
    role: 'idp', endpoints: byBinding(p.ssoServices), nameIdFormats: p.nameIdFormats, certificates: certificates(p),
    wantAuthnRequestsSigned: p.wantAuthnRequestsSigned, attributes: p.attributes, ...(p.validUntil !== undefined && { validUntil: p.validUntil }),
  };
}

function spRole(p: ParsedSpMetadata): SpRoleReport {
  return {
    role: 'sp', endpoints: byBinding(p.acs), nameIdFormats: p.nameIdFormats, certificates: certificates(p),
    authnRequestsSigned: p.authnRequestsSigned, wantAssertionsSigned: p.wantAssertionsSigned,
    ...(p.validUntil !== undefined && { validUntil: p.validUntil }),
  };
}

export function isRingCentralSp(entityId: string): boolean {
  return RING_CENTRAL_SP.test(entityId);
}

/** What RingCentral (SP-initiated, Redirect, RSA-SHA256, email + number) needs of an IdP. */
export function ringCentralIdpRequirements(idp: IdpRoleReport): RequirementCheck[] {
  const attrs = new Set(idp.attributes.map((a) => a.toLowerCase()));
  const emailNameId = idp.nameIdFormats.includes(NAMEID_FORMAT.emailAddress);
  const rsa = idp.certificates.filter((c) => c.use !== 'encryption' && c.keyType === 'rsa' && !c.expired);
  return [
    // Public RingCentral documents do not say which binding its SP-initiated login sends: Redirect
    // is the one every SP can use, so an IdP offering only HTTP-POST is marked unknown, not unmet.
    {
      met: (idp.endpoints[BINDING.redirect]?.length ?? 0) > 0 || ((idp.endpoints[BINDING.post]?.length ?? 0) > 0 ? 'unknown' : false),
      requirement: 'SSO by HTTP-Redirect, or by HTTP-POST if RingCentral posts its AuthnRequests (its documents do not say)',
      fix: 'publish an HTTP-Redirect SingleSignOnService (JumpCloud: tick "Declare Redirect Endpoint")',
    },
    { met: rsa.length > 0, requirement: 'a valid RSA signing certificate: sign the assertion or the response with RSA-SHA256 or stronger',
      fix: 'publish an unexpired RSA signing certificate and set Signature Algorithm RSA-SHA256' },
    { met: attrs.has('email') || emailNameId || (idp.attributes.length === 0 ? 'unknown' : false),
      requirement: 'the user\'s email, as the attribute "email" (Map Email Attribute to: Custom, email) or as the NameID',
      fix: 'add the attribute "email" (or send the email as the NameID and map SAML_SUBJECT)' },
    { met: attrs.has('number') || (idp.attributes.length === 0 ? 'unknown' : false), requirement: 'the attribute "number", required for SSO to work',
      fix: 'add the attribute "number" (JumpCloud: populated by default; Okta: number = user.primaryPhone)' },
    { met: 'unknown', requirement: `the IdP entity ID is used by this RingCentral account only (another account already using it blocks self-serve setup)` },
  ];
}

function ringCentralSpRequirements(sp: SpRoleReport): RequirementCheck[] {
  return [
    { met: (sp.endpoints[BINDING.post]?.length ?? 0) > 0, requirement: 'the ACS takes HTTP-POST', fix: 'add an HTTP-POST AssertionConsumerService' },
    { met: true, requirement: 'the IdP must offer SSO (HTTP-Redirect, or HTTP-POST if RingCentral can post), sign with RSA-SHA256, and send "email" (or the NameID) and "number"' },
  ];
}

function prefixed(entities: EntityReport[]): string[] {
  return entities.flatMap((e) => e.warnings.map((w) => (entities.length > 1 ? `${e.entityId}: ${w}` : w)));
}

/**
 * Reports on metadata of either role. A document that is not metadata, or a single entity whose
 * roles cannot be read, throws METADATA_INVALID; in an aggregate an unreadable role becomes a warning.
 */
export function reportMetadata(xml: string, opts: { nowMs: number }): MetadataReport {
  const root = loadRoot(xml);
  const isMd = (e: Element, n: string): boolean => e.namespaceURI === NS.metadata && e.localName === n;
  if (!isMd(root, 'EntityDescriptor') && !isMd(root, 'EntitiesDescriptor')) {
    throw new HarnessError('METADATA_INVALID', 'the document is not SAML metadata', {
      expected: `md:EntityDescriptor or md:EntitiesDescriptor in ${NS.metadata}`, received: `${root.localName} in ${root.namespaceURI ?? 'no namespace'}`,
    });
  }
  const elements: Element[] = [];
  const walk = (e: Element): void => {
    if (isMd(e, 'EntityDescriptor')) elements.push(e);
    else if (isMd(e, 'EntitiesDescriptor')) childElements(e, NS.metadata).forEach(walk);
  };
  walk(root);
  if (elements.length === 0) throw new HarnessError('METADATA_INVALID', 'the EntitiesDescriptor holds no EntityDescriptor', { expected: 'an md:EntityDescriptor', received: 'none' });
  const single = elements.length === 1;
  const entities = elements.map((element): EntityReport => {
    const entityId = (element.getAttribute('entityID') ?? '').trim();
    const report: EntityReport = { entityId, roles: [], warnings: schemaOrderWarnings(element), ringCentral: [] };
    const signing: X509Certificate[] = [];
    const readers = [
      ['IDPSSODescriptor', () => idpRole(keep(parseIdpMetadata(xml, { ...opts, entityId }), report, signing))],
      ['SPSSODescriptor', () => spRole(keep(parseSpMetadata(xml, { ...opts, entityId }), report, signing))],
    ] as const;
    for (const [name, read] of readers) {
      const descriptor = childElements(element, NS.metadata, name)[0];
      if (!descriptor) continue;
      report.warnings.push(...schemaOrderWarnings(descriptor));
      try {
        report.roles.push(read());
      } catch (err) {
        if (single || !isHarnessError(err)) throw err;
        report.warnings.push(`the ${name} is unusable: ${err.message}`);
      }
    }
    if (report.roles.length === 0 && single) {
      throw new HarnessError('METADATA_INVALID', 'the entity has neither an IDPSSODescriptor nor an SPSSODescriptor', {
        expected: 'an IdP or SP role for SAML 2.0', received: childElements(element, NS.metadata).map((e) => e.localName).join(', ') || 'no role',
      });
    }
    const cacheDuration = element.getAttribute('cacheDuration');
    if (cacheDuration) report.cacheDuration = cacheDuration;
    const signature = metadataSignature(xml, element, signing);
    if (signature) {
      report.signature = signature;
      if (!signature.verifiedBy) {
        report.warnings.push('the metadata is signed, but the signature does not verify with any signing certificate it publishes: sign it again with the current key (or the SP may refuse it)');
      }
    }
    for (const role of report.roles) {
      if (role.role === 'idp') report.ringCentral.push(...ringCentralIdpRequirements(role));
      else if (isRingCentralSp(entityId)) report.ringCentral.push(...ringCentralSpRequirements(role));
    }
    return report;
  });
  return { document: single && isMd(root, 'EntityDescriptor') ? 'EntityDescriptor' : 'EntitiesDescriptor', entities, warnings: prefixed(entities) };
}

function keep<T extends ParsedIdpMetadata | ParsedSpMetadata>(parsed: T, report: EntityReport, signing: X509Certificate[]): T {
  for (const w of parsed.warnings) if (!report.warnings.includes(w)) report.warnings.push(w);
  signing.push(...parsed.certificates.filter((c) => c.use !== 'encryption').map((c) => c.certificate));
  return parsed;
}
