// An SP directory user as a SCIM User resource (RFC 7643 §4.1), mapped as the JumpCloud seed's
// "Attribute Mappings" table says: emails→email, userName, name.givenName/familyName,
// addresses[], phoneNumbers[], and department through the enterprise extension.
import type { SpUser } from '../sp/model.js';
import { SCIM_SCHEMA } from '../scim-protocol/urn.js';

export type ScimUser = Record<string, unknown> & { id: string; userName: string; meta: ScimMeta };

export interface ScimMeta {
  resourceType: 'User';
  created: string;
  lastModified: string;
  location: string;
  version: string;
}

/** The ETag (and meta.version) of a user: weak, from its write counter. */
export const etagOf = (user: Pick<SpUser, 'version'>): string => `W/"${user.version}"`;

/** RingCentral's status as SCIM `active`: only an active user is; inactive and pending are not. */
export const isActive = (user: Pick<SpUser, 'status'>): boolean => user.status === 'active';

/**
 * The user's phone numbers as SCIM shows them. A user an administrator created with a direct
 * `number` (and no SCIM phoneNumbers yet) shows it as the work number, so an IdP importing or
 * matching users sees it.
 */
export function phoneNumbersOf(user: Pick<SpUser, 'phoneNumbers' | 'number'>): NonNullable<SpUser['phoneNumbers']> {
  if (user.phoneNumbers && user.phoneNumbers.length > 0) return user.phoneNumbers;
  return user.number ? [{ type: 'work', value: user.number }] : [];
}

/** The direct number a set of SCIM phoneNumbers gives: the work one, else the first. */
export function directNumberOf(phoneNumbers: SpUser['phoneNumbers']): string | undefined {
  return (phoneNumbers?.find((p) => p.type === 'work') ?? phoneNumbers?.[0])?.value;
}

export function toScimUser(user: SpUser, scimUrl: string): ScimUser {
  const name = {
    ...(user.firstName !== '' && { givenName: user.firstName }),
    ...(user.lastName !== '' && { familyName: user.lastName }),
  };
  return {
    schemas: user.department !== undefined ? [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser] : [SCIM_SCHEMA.user],
    id: user.id,
    ...(user.externalId !== undefined && { externalId: user.externalId }),
    userName: user.userName ?? user.email,
    ...(Object.keys(name).length > 0 && { name }),
    active: isActive(user),
    emails: [{ value: user.email, type: 'work', primary: true }],
    ...(phoneNumbersOf(user).length > 0 && { phoneNumbers: phoneNumbersOf(user).map((p) => ({ value: p.value, type: p.type })) }),
    ...(user.addresses.length > 0 && { addresses: user.addresses.map((a) => ({ ...a })) }),
    ...(user.department !== undefined && { [SCIM_SCHEMA.enterpriseUser]: { department: user.department } }),
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: user.updatedAt,
      location: `${scimUrl}/Users/${user.id}`,
      version: etagOf(user),
    },
  };
}
