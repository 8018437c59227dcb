// The user each dialect creates: a throwaway address at a domain the auditor picks, with every
// attribute RingCentral requires (names, a work email as userName, an address whose country has
// an unassigned extension), so a generic server and RingCentral alike can take it.
import { randomBytes, randomUUID } from 'node:crypto';
import { SCIM_SCHEMA } from '../../../scim-protocol/urn.js';
import type { ScimUser } from '../../../provisioning/scim-mapping.js';
import type { ScimDialect } from './dialect-run.js';

export interface AuditUser {
  email: string;
  givenName: string;
  familyName: string;
  externalId: string;
  country: string;
}

export function newAuditUser(dialect: ScimDialect, domain: string, country: string): AuditUser {
  const tag = randomBytes(4).toString('hex');
  return {
    email: `sso-harness-audit-${dialect}-${tag}@${domain}`,
    givenName: 'Audit',
    familyName: `${dialect[0]?.toUpperCase() ?? ''}${dialect.slice(1)} ${tag}`,
    externalId: randomUUID(),
    country,
  };
}

/** The shape the harness's own JumpCloud and Okta clients send (src/provisioning/scim-mapping.ts toScimUser). */
export function userResource(user: AuditUser): ScimUser {
  return {
    schemas: [SCIM_SCHEMA.user],
    externalId: user.externalId,
    userName: user.email,
    name: { givenName: user.givenName, familyName: user.familyName },
    emails: [{ type: 'work', value: user.email, primary: true }],
    addresses: [{ type: 'work', streetAddress: '20 Davis Drive', locality: 'Belmont', region: 'CA', postalCode: '94002', country: user.country }],
  };
}

/** What a read-back must show; undefined fields are not checked. */
export interface ExpectedUser {
  userName?: string;
  familyName?: string;
  workEmail?: string;
  active?: boolean;
}

/** The differences between a stored user and what the client wrote, one phrase each. */
export function userMismatches(body: Record<string, unknown>, expected: ExpectedUser): string[] {
  const out: string[] = [];
  const name = (body.name ?? {}) as Record<string, unknown>;
  const emails = Array.isArray(body.emails) ? (body.emails as Record<string, unknown>[]) : [];
  const work = emails.find((e) => e.type === 'work') ?? emails[0];
  const same = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
  if (expected.userName !== undefined && !same(body.userName, expected.userName)) out.push(`userName ${JSON.stringify(body.userName)}`);
  if (expected.familyName !== undefined && name.familyName !== expected.familyName) out.push(`name.familyName ${JSON.stringify(name.familyName)}`);
  if (expected.workEmail !== undefined && !same(work?.value, expected.workEmail)) out.push(`work email ${JSON.stringify(work?.value)}`);
  if (expected.active !== undefined && body.active !== expected.active) {
    out.push(`active ${JSON.stringify(body.active)}${typeof body.active === 'string' ? ' (a string, not a boolean)' : ''}`);
  }
  return out;
}

export function describeExpected(expected: ExpectedUser): string {
  return Object.entries(expected)
    .map(([k, v]) => `${k === 'familyName' ? 'name.familyName' : k === 'workEmail' ? 'the work email' : k} ${JSON.stringify(v)}`)
    .join(', ');
}
