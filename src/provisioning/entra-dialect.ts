// Microsoft Entra ID's SCIM dialect: the request bodies and queries its provisioning service sends,
// as Microsoft documents them (docs/entra-provisioning.md has the sources). Kept apart from the
// call sequence (entra-sequence.ts) so that anything speaking to a SCIM server as Entra does
// (the engine, an auditor) builds the same requests.
// - lookup: `GET /Users?filter=userName+eq+"x"` (spaces as `+`, as its requests show in server
//   logs), then by `externalId` ("queried with their username and externalId"); a ListResponse
//   with no Resources means none.
// - create: POST with both core and enterprise schemas, `externalId`, boolean `active: true`,
//   the work email as primary, `meta.resourceType`, `name.formatted`, and an empty `roles`.
// - update: PATCH with one operation per changed attribute, `op` capitalised ("Replace", or "Add"
//   for an attribute the user has no value for yet), paths such as `name.givenName`,
//   `emails[type eq "work"].value` and the enterprise extension's URN-qualified `department`.
// - disable / enable: PATCH `{"op": "Replace", "path": "active", "value": "False"}`: a string,
//   as Entra sends it unless the tenant URL carries the aadOptscim062020 flag.
import { SCIM_MESSAGE, SCIM_SCHEMA } from '../scim-protocol/urn.js';
import { filterParam } from './scim-client.js';
import type { ScimUser } from './scim-mapping.js';

type Json = Record<string, unknown>;

export type EntraOp = 'Add' | 'Replace';

export interface EntraPatchOperation {
  op: EntraOp;
  path: string;
  value: string;
}

/** Entra ID encodes the spaces of a filter as `+`. */
export const ENTRA_FILTER_SPACES = '+';

/** `/Users?filter=attribute+eq+"value"`, as Entra ID queries. */
export const entraFilterPath = (attribute: 'userName' | 'externalId', value: string): string => `/Users?filter=${filterParam(attribute, value, ENTRA_FILTER_SPACES)}`;

/** A PATCH of these operations, in Entra's shape. */
export function entraPatch(...operations: EntraPatchOperation[]): EntraPatch {
  return { schemas: [SCIM_MESSAGE.patchOp], Operations: operations };
}

export interface EntraPatch {
  schemas: [typeof SCIM_MESSAGE.patchOp];
  Operations: EntraPatchOperation[];
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const member = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);
/** The element of a multi-valued attribute with this `type`. */
const typed = (list: unknown, type: string): unknown => (Array.isArray(list) ? list.find((e) => member(e, 'type') === type) : undefined);

const ENTERPRISE_DEPARTMENT = `${SCIM_SCHEMA.enterpriseUser}:department`;

/** The attributes Entra's default mapping sends, each with its PATCH path and how to read it from a User. */
const ENTRA_ATTRIBUTES: readonly { path: string; read: (user: Json) => string | undefined }[] = [
  { path: 'userName', read: (u) => text(u.userName) },
  { path: 'externalId', read: (u) => text(u.externalId) },
  { path: 'name.givenName', read: (u) => text(member(u.name, 'givenName')) },
  { path: 'name.familyName', read: (u) => text(member(u.name, 'familyName')) },
  { path: 'emails[type eq "work"].value', read: (u) => text(member(typed(u.emails, 'work'), 'value')) },
  { path: 'phoneNumbers[type eq "work"].value', read: (u) => text(member(typed(u.phoneNumbers, 'work'), 'value')) },
  { path: 'phoneNumbers[type eq "mobile"].value', read: (u) => text(member(typed(u.phoneNumbers, 'mobile'), 'value')) },
  ...(['streetAddress', 'locality', 'region', 'postalCode', 'country'] as const).map((sub) => ({
    path: `addresses[type eq "work"].${sub}`,
    read: (u: Json) => text(member(typed(u.addresses, 'work'), sub)),
  })),
  { path: ENTERPRISE_DEPARTMENT, read: (u) => text(member(u[SCIM_SCHEMA.enterpriseUser], 'department')) },
];

/** Entra's `active` value: the strings "True" and "False". */
export const entraBoolean = (value: boolean): 'True' | 'False' => (value ? 'True' : 'False');

/** A SCIM `active` as a boolean, whether the server answered a boolean or a string. */
const activeOf = (user: Json): boolean | undefined => {
  const v = user.active;
  if (typeof v === 'boolean') return v;
  return typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : undefined;
};

/** The disable (soft delete) or enable PATCH. */
export function entraActivePatch(active: boolean): EntraPatch {
  return entraPatch({ op: 'Replace', path: 'active', value: entraBoolean(active) });
}

/**
 * The update PATCH bringing `current` (the server's copy) to `desired`: one operation per mapped
 * attribute whose value differs, "Add" where the server has none yet; `active` when `desired`
 * sets it and it differs. Undefined when nothing differs (Entra then sends nothing). Values the
 * server has and `desired` lacks are left alone: Entra does not clear attributes by default.
 */
export function entraUpdatePatch(current: Json, desired: ScimUser): EntraPatch | undefined {
  const want = desired as unknown as Json;
  const ops: EntraPatchOperation[] = [];
  for (const attribute of ENTRA_ATTRIBUTES) {
    const value = attribute.read(want);
    const have = attribute.read(current);
    if (value !== undefined && value !== have) ops.push({ op: have === undefined ? 'Add' : 'Replace', path: attribute.path, value });
  }
  if (desired.active !== undefined && activeOf(current) !== desired.active) ops.push({ op: 'Replace', path: 'active', value: entraBoolean(desired.active) });
  return ops.length === 0 ? undefined : entraPatch(...ops);
}

/** The POST body for a new user, shaped as Entra's documented create request. */
export function entraCreateBody(resource: ScimUser): Json {
  const work = resource.addresses?.find((a) => (a.type ?? 'work') === 'work');
  const phones = (resource.phoneNumbers ?? []).filter((p) => p.type === 'work' || p.type === 'mobile');
  const department = resource[SCIM_SCHEMA.enterpriseUser]?.department;
  const { givenName, familyName } = resource.name;
  return {
    schemas: [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser],
    ...(resource.externalId !== undefined && { externalId: resource.externalId }),
    userName: resource.userName,
    active: resource.active ?? true,
    emails: resource.emails.filter((e) => e.type === 'work').map((e) => ({ primary: true, type: 'work', value: e.value })),
    meta: { resourceType: 'User' },
    name: { formatted: `${givenName} ${familyName}`.trim(), familyName, givenName },
    ...(work && { addresses: [{ ...work, type: 'work', primary: true }] }),
    ...(phones.length > 0 && { phoneNumbers: phones.map((p) => ({ type: p.type, value: p.value })) }),
    ...(department !== undefined && { [SCIM_SCHEMA.enterpriseUser]: { department } }),
    roles: [],
  };
}
