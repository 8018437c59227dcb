// Reads IdP and SP metadata as an administrator supplies it (file upload or metadata URL): one
// parse, direct DOM walks, and errors that say what was expected and what was found. What is
// usable but risky (expiring certificates, weak keys, plain-HTTP endpoints) becomes a warning
// that names the change to make, so the SSO settings page can show it next to the import.
// The certificates of KeyDescriptors are read in metadata-certificates.ts.
import { HarnessError } from '../errors.js';
import { childElements, firstChild, textOf } from './dom.js';
import { parseXml } from './parse.js';
import { METADATA_XML_LIMITS } from './xml-limits.js';
import { BINDING, NS } from './urn.js';
import { readCertificates, type ParsedCertificate } from './metadata-certificates.js';


export interface OfferedAttribute {
  name: string;
  nameFormat?: string;
  friendlyName?: string;
}

/** A SingleLogoutService: where LogoutRequests go (and LogoutResponses, unless ResponseLocation says otherwise). */
export interface SloService {
  binding: string;
  location: string;
  responseLocation?: string;
}

export interface ParsedIdpMetadata {
  entityId: string;
  ssoServices: { binding: string; location: string }[];
  sloServices: SloService[];
  certificates: ParsedCertificate[];
  nameIdFormats: string[];
  wantAuthnRequestsSigned: boolean | undefined;
  /** Names of the saml:Attribute elements the IdP offers (the SP lists them for email mapping). */
  attributes: string[];
  /** The same attributes with their NameFormat and FriendlyName. */
  attributeDetails?: OfferedAttribute[];
  /** The earliest validUntil found on the entity, its role or an enclosing EntitiesDescriptor. */
  validUntil?: string;
  warnings: string[];
}

export interface ParsedSpMetadata {
  entityId: string;
  acs: { binding: string; location: string; index: number; isDefault: boolean }[];
  sloServices: SloService[];
  certificates: ParsedCertificate[];
  authnRequestsSigned: boolean;
  wantAssertionsSigned: boolean;
  nameIdFormats: string[];
  organization?: { name: string; displayName: string; url: string };
  validUntil?: string;
  warnings: string[];
}

export interface MetadataParseOptions {
  nowMs: number;
  /** Which entity to read from an EntitiesDescriptor (an aggregate such as a federation feed). */
  entityId?: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const REQUEST_BINDINGS: readonly string[] = [BINDING.redirect, BINDING.post];

type Role = 'IDPSSODescriptor' | 'SPSSODescriptor';
const ROLE_WORD: Record<Role, string> = { IDPSSODescriptor: 'IdP', SPSSODescriptor: 'SP' };

function invalid(message: string, expected: string, received: string): never {
  throw new HarnessError('METADATA_INVALID', message, { expected, received });
}

function short(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

/** Parses metadata XML to its document element; not XML, HTML or empty input is METADATA_INVALID. */
export function loadRoot(xml: string): Element {
  const head = xml.replace(/^\uFEFF/, '').trimStart();
  if (head === '') invalid('the metadata is empty', 'a SAML 2.0 metadata XML document', 'an empty document');
  if (/^(<!doctype\s+html|<html[\s>])/i.test(head)) {
    invalid('the metadata is an HTML page, not XML metadata (is the metadata URL behind a login page?)',
      'a SAML 2.0 metadata XML document', short(head));
  }
  if (!head.startsWith('<')) invalid('the metadata is not XML', 'a SAML 2.0 metadata XML document', short(head));
  const doc = parseXml(xml, { allowComments: true, malformedCode: 'METADATA_INVALID', forbiddenCode: 'METADATA_INVALID', limits: METADATA_XML_LIMITS });
  return doc.documentElement ?? invalid('the metadata has no document element', 'md:EntityDescriptor', 'nothing');
}

interface Entity {
  element: Element;
  entityId: string;
  /** validUntil values of the enclosing EntitiesDescriptors and the entity itself. */
  validUntil: string[];
}

/**
 * The claim types a WS-Federation RoleDescriptor offers (fed:ClaimTypesOffered/auth:ClaimType/@Uri):
 * Entra ID's federation metadata lists its claims there, not as saml:Attribute elements, and an SP
 * lists them for the email mapping all the same.
 */
function offeredClaimTypes(entity: Element): OfferedAttribute[] {
  const out: OfferedAttribute[] = [];
  for (const role of childElements(entity, NS.metadata, 'RoleDescriptor')) {
    for (const offered of childElements(role, NS.wsfed, 'ClaimTypesOffered')) {
      for (const claim of childElements(offered, NS.wsfedAuth, 'ClaimType')) {
        const uri = (claim.getAttribute('Uri') ?? '').trim();
        if (uri === '' || out.some((o) => o.name === uri)) continue;
        const display = childElements(claim, NS.wsfedAuth, 'DisplayName')[0]?.textContent?.trim();
        out.push({ name: uri, ...(display && { friendlyName: display }) });
      }
    }
  }
  return out;
}

function isMd(e: Element, localName: string): boolean {
  return e.namespaceURI === NS.metadata && e.localName === localName;
}

/** The EntityDescriptors under `root`, in document order; a loop, so nesting depth costs no stack. */
function collectEntities(root: Element, out: Entity[]): void {
  // Enclosing validUntil values as a chain shared by every child, turned into a list per entity only.
  type Chain = { value: string; up: Chain } | undefined;
  const listOf = (chain: Chain): string[] => {
    const values: string[] = [];
    for (let c = chain; c; c = c.up) values.push(c.value);
    return values.reverse();
  };
  const pending: { node: Element; inherited: Chain }[] = [{ node: root, inherited: undefined }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, inherited } = next;
    const validUntil: Chain = node.hasAttribute('validUntil') ? { value: node.getAttribute('validUntil') ?? '', up: inherited } : inherited;
    if (isMd(node, 'EntityDescriptor')) {
      out.push({ element: node, entityId: (node.getAttribute('entityID') ?? '').trim(), validUntil: listOf(validUntil) });
    } else if (isMd(node, 'EntitiesDescriptor')) {
      const children = childElements(node, NS.metadata);
      for (let i = children.length - 1; i >= 0; i -= 1) pending.push({ node: children[i] as Element, inherited: validUntil });
    }
  }
}

function findRole(entity: Element, role: Role): Element | undefined {
  return childElements(entity, NS.metadata, role).find((d) =>
    (d.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol),
  );
}

function missingRole(entity: Entity, role: Role): never {
  const other: Role = role === 'IDPSSODescriptor' ? 'SPSSODescriptor' : 'IDPSSODescriptor';
  const own = childElements(entity.element, NS.metadata, role)[0];
  if (own) {
    invalid(`the ${role} does not support SAML 2.0`, `protocolSupportEnumeration listing ${NS.protocol}`,
      own.getAttribute('protocolSupportEnumeration') ?? '(no protocolSupportEnumeration)');
  }
  const roles = childElements(entity.element, NS.metadata).map((e) => e.localName).filter((n) => n.endsWith('Descriptor'));
  const hint = childElements(entity.element, NS.metadata, other).length > 0 ? `: this looks like ${ROLE_WORD[other]} metadata` : '';
  invalid(`no ${role}${hint}`, `an ${role} in entity ${entity.entityId}`, roles.length > 0 ? roles.join(', ') : 'no role descriptor');
}

function selectRole(root: Element, role: Role, entityId: string | undefined): { entity: Entity; descriptor: Element } {
  if (!isMd(root, 'EntityDescriptor') && !isMd(root, 'EntitiesDescriptor')) {
    invalid(`the document is not SAML metadata`, `md:EntityDescriptor or md:EntitiesDescriptor in ${NS.metadata}`,
      `${root.localName} in ${root.namespaceURI ?? 'no namespace'}`);
  }
  const entities: Entity[] = [];
  collectEntities(root, entities);
  const ids = entities.map((e) => e.entityId).join(', ') || 'none';
  let entity: Entity | undefined;
  if (entityId !== undefined) {
    entity = entities.find((e) => e.entityId === entityId);
    if (!entity) invalid(`the metadata has no entity ${entityId}`, `entityID ${entityId}`, `entityIDs: ${ids}`);
  } else if (entities.length === 1) {
    entity = entities[0];
  } else {
    const withRole = entities.filter((e) => findRole(e.element, role));
    if (withRole.length > 1) {
      invalid(`the metadata describes ${withRole.length} ${ROLE_WORD[role]}s: choose one by its entity ID`,
        `one ${ROLE_WORD[role]} entity`, `entityIDs: ${withRole.map((e) => e.entityId).join(', ')}`);
    }
    if (withRole.length === 0) {
      invalid(`no ${role} for SAML 2.0 in any of the ${entities.length} entities`, `an ${role}`, `entityIDs: ${ids}`);
    }
    entity = withRole[0];
  }
  if (!entity) invalid('the metadata has no EntityDescriptor', 'an md:EntityDescriptor', 'an empty EntitiesDescriptor');
  if (entity.entityId === '') invalid('the EntityDescriptor has no entityID', 'a non-empty entityID', 'none');
  const descriptor = findRole(entity.element, role);
  if (!descriptor) missingRole(entity, role);
  return { entity, descriptor };
}

function readBoolean(e: Element, name: string): boolean | undefined {
  if (!e.hasAttribute(name)) return undefined;
  const value = (e.getAttribute(name) ?? '').trim();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  invalid(`${e.localName}/@${name} is not a boolean`, 'true or false', value);
}

/** Checks an endpoint URL; plain HTTP is allowed (labs, local peers) but flagged. */
function checkLocation(what: string, location: string | undefined, warnings: string[]): string {
  const value = (location ?? '').trim();
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    invalid(`the ${what} Location is not an absolute http(s) URL`, 'an https:// URL', value || '(no Location)');
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
    warnings.push(`the ${what} ${value} uses plain http://: publish an https:// URL (browsers post SAML messages to it)`);
  }
  return value;
}

function validUntilOf(entity: Entity, descriptor: Element, nowMs: number, warnings: string[]): string | undefined {
  const values = descriptor.hasAttribute('validUntil') ? [...entity.validUntil, descriptor.getAttribute('validUntil') ?? ''] : entity.validUntil;
  let earliest: { value: string; ms: number } | undefined;
  for (const value of values) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) warnings.push(`validUntil "${value}" is not an xs:dateTime and was ignored: fix the metadata's validUntil`);
    else if (!earliest || ms < earliest.ms) earliest = { value, ms };
  }
  if (earliest && earliest.ms <= nowMs) {
    warnings.push(`the metadata expired (validUntil ${earliest.value}): download fresh metadata from its source and import it again`);
  }
  return earliest?.value;
}

function sloServicesOf(descriptor: Element, warnings: string[]): SloService[] {
  return childElements(descriptor, NS.metadata, 'SingleLogoutService').map((e) => {
    const responseLocation = e.getAttribute('ResponseLocation') || undefined;
    return {
      binding: e.getAttribute('Binding') ?? '',
      location: checkLocation('SingleLogoutService', e.getAttribute('Location') ?? undefined, warnings),
      ...(responseLocation !== undefined && { responseLocation: checkLocation('SingleLogoutService ResponseLocation', responseLocation, warnings) }),
    };
  });
}

function nameIdFormatsOf(descriptor: Element): string[] {
  return childElements(descriptor, NS.metadata, 'NameIDFormat').map((e) => textOf(e) ?? '').filter((f) => f !== '');
}

export function parseIdpMetadata(xml: string, opts: MetadataParseOptions): ParsedIdpMetadata {
  const { entity, descriptor } = selectRole(loadRoot(xml), 'IDPSSODescriptor', opts.entityId);
  const warnings: string[] = [];
  const services = childElements(descriptor, NS.metadata, 'SingleSignOnService');
  if (services.length === 0) {
    invalid('no SingleSignOnService in the IDPSSODescriptor', 'an HTTP-Redirect or HTTP-POST SingleSignOnService', 'none');
  }
  const ssoServices = services.map((s) => ({
    binding: s.getAttribute('Binding') ?? '',
    location: checkLocation('SingleSignOnService', s.getAttribute('Location') ?? undefined, warnings),
  }));
  if (!ssoServices.some((s) => REQUEST_BINDINGS.includes(s.binding))) {
    invalid('no usable SingleSignOnService', `Binding ${BINDING.redirect} or ${BINDING.post}`,
      ssoServices.map((s) => s.binding || '(no Binding)').join(', '));
  }
  if (!ssoServices.some((s) => s.binding === BINDING.redirect)) {
    warnings.push('there is no HTTP-Redirect SingleSignOnService: SPs will POST their AuthnRequests; enable the Redirect endpoint on the IdP if an SP needs it');
  }
  const certificates = readCertificates(descriptor, 'IDPSSODescriptor', opts.nowMs, warnings);
  if (!certificates.some((c) => c.use !== 'encryption')) {
    invalid('no signing certificate in the IDPSSODescriptor', 'a KeyDescriptor use="signing" (or without use) with an X509Certificate',
      certificates.length > 0 ? 'encryption certificates only' : 'no certificate');
  }
  const attributeDetails: OfferedAttribute[] = [];
  for (const a of childElements(descriptor, NS.assertion, 'Attribute')) {
    const name = (a.getAttribute('Name') ?? '').trim();
    if (name === '') {
      warnings.push('a saml:Attribute has no Name and was ignored: give every offered attribute a Name');
      continue;
    }
    const nameFormat = a.getAttribute('NameFormat') || undefined;
    const friendlyName = a.getAttribute('FriendlyName') || undefined;
    attributeDetails.push({ name, ...(nameFormat && { nameFormat }), ...(friendlyName && { friendlyName }) });
  }
  for (const offered of offeredClaimTypes(entity.element)) {
    if (!attributeDetails.some((a) => a.name === offered.name)) attributeDetails.push(offered);
  }
  const validUntil = validUntilOf(entity, descriptor, opts.nowMs, warnings);
  return {
    entityId: entity.entityId,
    ssoServices,
    sloServices: sloServicesOf(descriptor, warnings),
    certificates,
    nameIdFormats: nameIdFormatsOf(descriptor),
    wantAuthnRequestsSigned: readBoolean(descriptor, 'WantAuthnRequestsSigned'),
    attributes: attributeDetails.map((a) => a.name),
    attributeDetails,
    ...(validUntil !== undefined && { validUntil }),
    warnings,
  };
}

function readAcs(descriptor: Element, warnings: string[]): ParsedSpMetadata['acs'] {
  const elements = childElements(descriptor, NS.metadata, 'AssertionConsumerService');
  if (elements.length === 0) {
    invalid('no AssertionConsumerService in the SPSSODescriptor', 'an HTTP-POST AssertionConsumerService', 'none');
  }
  const seen = new Set<number>();
  const acs = elements.map((e, position) => {
    const rawIndex = (e.getAttribute('index') ?? '').trim();
    let index = position;
    if (rawIndex === '') {
      warnings.push(`AssertionConsumerService #${position + 1} has no index (the schema requires one): it was given index ${position}`);
    } else if (!/^\d{1,5}$/.test(rawIndex) || Number(rawIndex) > 65535) {
      invalid('an AssertionConsumerService index is not an unsigned short', 'an integer 0..65535', rawIndex);
    } else {
      index = Number(rawIndex);
    }
    if (seen.has(index)) invalid('two AssertionConsumerService elements share an index', 'unique indexes', String(index));
    seen.add(index);
    const location = checkLocation('AssertionConsumerService', e.getAttribute('Location') ?? undefined, warnings);
    return { binding: e.getAttribute('Binding') ?? '', location, index, isDefault: readBoolean(e, 'isDefault') ?? false };
  });
  if (!acs.some((a) => a.binding === BINDING.post)) {
    invalid('no HTTP-POST AssertionConsumerService', `Binding ${BINDING.post}`, acs.map((a) => a.binding || '(no Binding)').join(', '));
  }
  return acs;
}

export function parseSpMetadata(xml: string, opts: MetadataParseOptions): ParsedSpMetadata {
  const { entity, descriptor } = selectRole(loadRoot(xml), 'SPSSODescriptor', opts.entityId);
  const warnings: string[] = [];
  const acs = readAcs(descriptor, warnings);
  const certificates = readCertificates(descriptor, 'SPSSODescriptor', opts.nowMs, warnings);
  const authnRequestsSigned = readBoolean(descriptor, 'AuthnRequestsSigned') ?? false;
  if (!certificates.some((c) => c.use !== 'encryption')) {
    warnings.push(authnRequestsSigned
      ? 'the SP says AuthnRequestsSigned="true" but publishes no signing certificate, so its requests cannot be verified: add a KeyDescriptor use="signing"'
      : 'the SP publishes no signing certificate: add a KeyDescriptor use="signing" if it will sign AuthnRequests');
  }
  const org = firstChild(entity.element, NS.metadata, 'Organization');
  const orgText = (name: string): string => textOf(org && firstChild(org, NS.metadata, name)) ?? '';
  const validUntil = validUntilOf(entity, descriptor, opts.nowMs, warnings);
  return {
    entityId: entity.entityId,
    acs,
    sloServices: sloServicesOf(descriptor, warnings),
    certificates,
    authnRequestsSigned,
    wantAssertionsSigned: readBoolean(descriptor, 'WantAssertionsSigned') ?? false,
    nameIdFormats: nameIdFormatsOf(descriptor),
    ...(org && {
      organization: { name: orgText('OrganizationName'), displayName: orgText('OrganizationDisplayName'), url: orgText('OrganizationURL') },
    }),
    ...(validUntil !== undefined && { validUntil }),
    warnings,
  };
}
