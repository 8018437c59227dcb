// The RingCentral-like SP's records: accounts with their SSO settings, and each account's users.
import type { Address } from '../address.js';

export type { Address };

/** What "Upload IdP Metadata" keeps: the parsed values, shown back to the administrator. */
export interface ImportedIdp {
  entityId: string;
  ssoServices: { binding: string; location: string }[];
  /** Signing certificates (base64 DER) pinned from the metadata; the only keys trusted. */
  certificates: string[];
  /** Attribute names the metadata offers: the choices of "Map Email Attribute to". */
  attributes: string[];
  nameIdFormats: string[];
  wantAuthnRequestsSigned: boolean | undefined;
  source: { kind: 'url'; url: string } | { kind: 'file' };
  importedAt: string;
}

export type EmailMapping = { kind: 'attribute'; name: string } | { kind: 'custom'; name: string } | { kind: 'nameid' };

export interface SsoSettings {
  idp?: ImportedIdp;
  emailMapping?: EmailMapping;
  /** "Enable SSO". */
  enabled: boolean;
  /** "Manage Your Login": SSO only, or SSO or RingCentral password. */
  loginMode: 'sso-only' | 'sso-or-password';
  /** RingCentral works SP-initiated only; this switch accepts IdP-initiated responses. */
  allowUnsolicited: boolean;
  /** Allowed clock difference with the IdP, in seconds. */
  clockSkewSec: number;
  /** RingCentral needs the `number` attribute; switch off for SPs that don't. */
  requireNumberAttribute: boolean;
  /** Accept SHA-1 signatures (old IdPs); off by default. */
  allowSha1: boolean;
}

export interface Account {
  id: string;
  name: string;
  createdAt: string;
  sso: SsoSettings;
}

export type SpUserStatus = 'active' | 'inactive' | 'pending';
export type SpRole = 'user' | 'user-admin' | 'super-admin';

export interface SpUser {
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  number?: string;
  department?: string;
  addresses: Address[];
  status: SpUserStatus;
  role: SpRole;
  /** Password for RingCentral credential login ("SSO or password" mode). */
  passwordHash?: string;
  createdVia: 'admin' | 'scim';
  createdAt: string;
}

export type PublicSpUser = Omit<SpUser, 'passwordHash'> & { hasPassword: boolean };

export function publicSpUser(user: SpUser): PublicSpUser {
  const { passwordHash, ...rest } = user;
  return { ...rest, hasPassword: passwordHash !== undefined };
}

export interface SpSession {
  id: string;
  accountId: string;
  userId: string;
  email: string;
  via: 'sso' | 'password';
  nameId?: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes?: Record<string, string[]>;
  idpEntityId?: string;
  startedAt: string;
}

export const DEFAULT_SSO_SETTINGS: SsoSettings = {
  enabled: false,
  loginMode: 'sso-or-password',
  allowUnsolicited: false,
  clockSkewSec: 180,
  requireNumberAttribute: true,
  allowSha1: false,
};
