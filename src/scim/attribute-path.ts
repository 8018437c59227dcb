// Attribute paths (RFC 7644 §3.10): `userName`, `name.givenName`, `emails.value`, and the
// URN-qualified forms, resolved case-insensitively to the schema's canonical names.
import { COMMON_ATTRIBUTES, ENTERPRISE_ATTRIBUTES, findAttribute, USER_ATTRIBUTES, type AttributeDef } from './schema.js';
import { LEGACY_ENTERPRISE_USER, SCIM_SCHEMA } from '../scim-protocol/urn.js';

export const CORE_DEFS: readonly AttributeDef[] = [...COMMON_ATTRIBUTES, ...USER_ATTRIBUTES];

export interface ResolvedPath {
  /** Set when the attribute lives in the enterprise extension object. */
  extension: boolean;
  /** Undefined when the path names the extension object itself. */
  attr?: AttributeDef;
  sub?: AttributeDef;
}

const startsWithUrn = (path: string, urn: string): boolean => path.toLowerCase().startsWith(`${urn.toLowerCase()}:`);

/** Resolves `[URN:]attr[.sub]`; undefined when the schema has no such attribute. */
export function resolvePath(path: string): ResolvedPath | undefined {
  const lower = path.toLowerCase();
  if (lower === SCIM_SCHEMA.enterpriseUser.toLowerCase() || lower === LEGACY_ENTERPRISE_USER.toLowerCase()) return { extension: true };
  let rest = path;
  let defs = CORE_DEFS;
  let extension = false;
  if (startsWithUrn(path, SCIM_SCHEMA.user)) rest = path.slice(SCIM_SCHEMA.user.length + 1);
  else if (startsWithUrn(path, SCIM_SCHEMA.enterpriseUser) || startsWithUrn(path, LEGACY_ENTERPRISE_USER)) {
    rest = path.slice((startsWithUrn(path, LEGACY_ENTERPRISE_USER) ? LEGACY_ENTERPRISE_USER : SCIM_SCHEMA.enterpriseUser).length + 1);
    defs = ENTERPRISE_ATTRIBUTES;
    extension = true;
  }
  const [name, subName, ...more] = rest.split('.');
  if (name === undefined || more.length > 0) return undefined;
  const attr = findAttribute(defs, name);
  if (!attr) return undefined;
  if (subName === undefined) return { extension, attr };
  const sub = findAttribute(attr.subAttributes ?? [], subName);
  return sub ? { extension, attr, sub } : undefined;
}

/** A sub-attribute path inside a value filter (`emails[type eq "work"]`) resolves against the parent. */
export function resolveSubPath(parent: AttributeDef, path: string): AttributeDef | undefined {
  const bare = path.includes('.') && path.toLowerCase().startsWith(`${parent.name.toLowerCase()}.`) ? path.slice(parent.name.length + 1) : path;
  return findAttribute(parent.subAttributes ?? [], bare);
}

/** The object a resolved path reads from: the resource itself or its extension object. */
export function containerOf(resource: Record<string, unknown>, path: ResolvedPath): Record<string, unknown> | undefined {
  if (!path.extension) return resource;
  const ext = resource[SCIM_SCHEMA.enterpriseUser];
  return ext !== null && typeof ext === 'object' ? (ext as Record<string, unknown>) : undefined;
}

/** The attribute's values as stored: a multi-valued attribute's elements, or the single value. */
export function itemsAt(resource: Record<string, unknown>, path: ResolvedPath): unknown[] {
  const container = containerOf(resource, path);
  if (!container || !path.attr) return container ? [container] : [];
  const raw = container[path.attr.name];
  return Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
}

/** Every value a path denotes (multi-valued attributes flatten; a bare complex multi-valued one reads `.value`). */
export function valuesAt(resource: Record<string, unknown>, path: ResolvedPath): unknown[] {
  const items = itemsAt(resource, path);
  if (!path.attr) return items;
  const subName = path.sub?.name ?? (path.attr.multiValued && path.attr.type === 'complex' ? 'value' : undefined);
  if (subName === undefined) return items;
  return items.map((item) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[subName] : undefined)).filter((v) => v !== undefined && v !== null);
}

/** Names a client may use, for error details. */
export function describePaths(): string {
  return `userName, externalId, id, active, name.givenName, name.familyName, emails.value, emails.type, phoneNumbers.value, addresses.country, meta.created, meta.lastModified, ${SCIM_SCHEMA.enterpriseUser}:department`;
}
