// IdP users as SCIM 2.0 User resources, per the JumpCloud seed's attribute table, and back
// (for the manual import). RingCentral requires userName to be the work email, so the email
// is sent as userName.
import type { Address, IdpUser } from '../idp/model.js';
import { DEFAULT_PROVISIONING_SETTINGS, type ToAppSettings } from '../idp/provisioning-settings.js';
import { customAttributeOf, phoneNumbersOf } from '../idp/user-attributes.js';
import { SCIM_MESSAGE, SCIM_SCHEMA } from '../scim-protocol/urn.js';

type AttributeMappings = ToAppSettings['attributeMappings'];

export interface ScimUser {
  schemas: string[];
  id?: string;
  externalId?: string;
  userName: string;
  name: { givenName: string; familyName: string };
  emails: { type: string; value: string; primary?: boolean }[];
  /** Left out when To App does not map addresses. */
  addresses?: Partial<Address>[];
  phoneNumbers?: { type: string; value: string }[];
  active?: boolean;
  [SCIM_SCHEMA.enterpriseUser]?: { department?: string };
}

/**
 * The resource the client sends for `user` (without `active`: that is the caller's decision).
 * `mappings` (To App's Attribute Mappings) leave out an unmapped optional attribute, and may take
 * the department from a custom attribute; the defaults send the user's own values.
 */
export function toScimUser(user: IdpUser, mappings: AttributeMappings = DEFAULT_PROVISIONING_SETTINGS.toApp.attributeMappings): ScimUser {
  const phones = mappings.phoneNumbers ? phoneNumbersOf(user) : [];
  const department = departmentOf(user, mappings.department);
  return {
    schemas: department ? [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser] : [SCIM_SCHEMA.user],
    externalId: user.id,
    userName: user.email,
    name: { givenName: user.firstName, familyName: user.lastName },
    emails: [{ type: 'work', value: user.email, primary: true }],
    ...(mappings.addresses && { addresses: user.addresses.map((a) => ({ ...a })) }),
    ...(phones.length > 0 && { phoneNumbers: phones.map((p) => ({ type: p.type, value: p.value })) }),
    ...(department && { [SCIM_SCHEMA.enterpriseUser]: { department } }),
  };
}

function departmentOf(user: IdpUser, source: AttributeMappings['department']): string | undefined {
  if (source === null) return undefined;
  if (source === 'department') return user.department || undefined;
  return customAttributeOf(user, source.slice('custom:'.length)) || undefined;
}

/** What was last pushed, compared to decide whether an update is due. */
export function scimDigest(resource: ScimUser): string {
  return JSON.stringify(resource);
}

/** A path-less PATCH setting `active`, as Okta sends it. */
export function activePatch(active: boolean): unknown {
  return { schemas: [SCIM_MESSAGE.patchOp], Operations: [{ op: 'replace', value: { active } }] };
}

/** The fields of an SP user the import reads, from whatever the SP returned. */
export interface ImportedScimUser {
  scimId: string;
  userName: string;
  email: string;
  firstName: string;
  lastName: string;
  active: boolean;
  number?: string;
  department?: string;
  addresses: Address[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const ADDRESS_TYPES = ['work', 'home', 'other'] as const;

export function fromScimUser(resource: unknown): ImportedScimUser | undefined {
  const r = (resource ?? {}) as Record<string, unknown>;
  const scimId = str(r.id);
  const userName = str(r.userName);
  if (!scimId || !userName) return undefined;
  const emails = Array.isArray(r.emails) ? (r.emails as Record<string, unknown>[]) : [];
  const email = str(emails.find((e) => e.type === 'work')?.value) ?? str(emails[0]?.value) ?? userName;
  const name = (r.name ?? {}) as Record<string, unknown>;
  const phones = Array.isArray(r.phoneNumbers) ? (r.phoneNumbers as Record<string, unknown>[]) : [];
  const enterprise = (r[SCIM_SCHEMA.enterpriseUser] ?? {}) as Record<string, unknown>;
  const addresses = (Array.isArray(r.addresses) ? (r.addresses as Record<string, unknown>[]) : []).map((a) => {
    const type = ADDRESS_TYPES.find((t) => t === a.type) ?? 'work';
    const out: Address = { type };
    for (const key of ['streetAddress', 'locality', 'region', 'postalCode', 'country'] as const) {
      const value = str(a[key]);
      if (value) out[key] = value;
    }
    return out;
  });
  const number = str(phones.find((p) => p.type === 'work')?.value) ?? str(phones[0]?.value);
  const department = str(enterprise.department);
  return {
    scimId,
    userName,
    email,
    firstName: str(name.givenName) ?? userName.split('@')[0] ?? userName,
    lastName: str(name.familyName) ?? '-',
    active: r.active !== false,
    ...(number && { number }),
    ...(department && { department }),
    addresses,
  };
}
