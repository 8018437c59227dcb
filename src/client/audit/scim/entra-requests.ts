// Microsoft Entra ID's SCIM requests as its provisioning service sends them to a non-gallery app
// (docs/vendors-entra-scim.md has the sources): the create body with `active` and `meta`, filters
// with `+` for spaces, PATCH ops capitalised ("Add", "Replace", "Remove"), booleans as the strings
// "True"/"False", and multi-valued attributes addressed as `emails[type eq "work"].value`.
import { SCIM_MESSAGE, SCIM_SCHEMA } from '../../../scim-protocol/urn.js';
import type { AuditUser } from './audit-user.js';

export interface EntraOperation {
  op: 'Add' | 'Replace' | 'Remove';
  path: string;
  value?: unknown;
}

export function entraCreateBody(user: AuditUser): Record<string, unknown> {
  return {
    schemas: [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser],
    externalId: user.externalId,
    userName: user.email,
    active: true,
    emails: [{ primary: true, type: 'work', value: user.email }],
    meta: { resourceType: 'User' },
    name: { formatted: `${user.givenName} ${user.familyName}`, familyName: user.familyName, givenName: user.givenName },
    addresses: [{ type: 'work', streetAddress: '20 Davis Drive', locality: 'Belmont', region: 'CA', postalCode: '94002', country: user.country, primary: true }],
  };
}

export function entraPatch(...operations: EntraOperation[]): Record<string, unknown> {
  return { schemas: [SCIM_MESSAGE.patchOp], Operations: operations };
}

/** Disable or enable: `Replace active` with a string boolean. */
export const entraActivePatch = (active: boolean): Record<string, unknown> => entraPatch({ op: 'Replace', path: 'active', value: active ? 'True' : 'False' });

/** Entra's filter query: `attribute eq "value"` with `+` for spaces (as its requests show). */
export const entraFilter = (attribute: string, value: string): string => `/Users?filter=${attribute}+eq+${encodeURIComponent(JSON.stringify(value))}`;
