// The RingCentral-like SP's records: accounts with their SSO settings, and each account's users.
import type { SloService } from '../saml/metadata-parse.js';
import type { Address } from '../address.js';
import { TABLE, table } from '../store/tables.js';
import type { SpPlan } from './plans.js';

export type { Address };

/** What "Upload IdP Metadata" keeps: the parsed values, shown back to the administrator. */
export interface ImportedIdp {
  entityId: string;
  ssoServices: { binding: string; location: string }[];
  /** SingleLogoutService endpoints from the IdP metadata (absent in records imported before SLO). */
  sloServices?: SloService[];
  /** Signing certificates (base64 DER) the metadata lists, in document order. */
  certificates: string[];
  /**
   * The certificates the SP trusts, as RingCentral keeps them: Primary and Secondary (base64 DER).
   * The import fills them from the first two signing certificates; PATCH …/sso `idpCertificates`
   * changes them. A response verifies with either. Records imported before the slots existed
   * have none: the first two of `certificates` stand in (see trustedIdpCertificates).
   */
  certificateSlots?: IdpCertificateSlots;
  /** Attribute names the metadata offers: the choices of "Map Email Attribute to". */
  attributes: string[];
  nameIdFormats: string[];
  wantAuthnRequestsSigned: boolean | undefined;
  source: { kind: 'url'; url: string } | { kind: 'file' };
  importedAt: string;
}

export interface IdpCertificateSlots {
  primary: string;
  secondary?: string;
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
  /** Accept a response signed with an expired IdP certificate; off, as RingCentral refuses it. */
  allowExpiredCertificate?: boolean;
  /**
   * Decrypt an EncryptedAssertion with the SP's encryption key (config `sp.encryptionKey`). Off,
   * as RingCentral does not decrypt: an EncryptedAssertion is then refused (SAML_ENCRYPTED_ASSERTION).
   */
  decryptAssertions?: boolean;
  /** Accept RSA PKCS#1 v1.5 key transport when decrypting (Bleichenbacher oracle); off. */
  allowRsa15?: boolean;
  /** Accept AES-CBC content encryption when decrypting (padding oracle); off. */
  allowCbc?: boolean;
  /**
   * "Single Logout": publish the SP's SingleLogoutService for this account, send a LogoutRequest to
   * the IdP when a user signs out, and answer the IdP's LogoutRequests. Off: RingCentral has no SLO.
   */
  singleLogout?: boolean;
}

/**
 * The RingCentral provisioning rules from the JumpCloud seed ("Important Considerations",
 * "Attribute Considerations"); each can be switched off per account. The descriptions go into
 * the admin API and the SCIM error details.
 */
export const SCIM_RULES = {
  userNameIsWorkEmail: 'userName must equal the work email',
  namesRequired: 'name.givenName and name.familyName are required',
  addressRequired: 'at least one address is required',
  addressCountryNeedsExtension: "every address needs a country, and the user's country needs an unassigned extension",
  digitalLinesRequired: 'a new user takes one of the account\'s DigitalLines licences',
  ignoreExtraAttributes: 'attributes the API does not know are ignored (off: 400 invalidSyntax)',
  scimCreatedDeletedViaScim: 'a user created via SCIM is deleted via SCIM (the admin API must deactivate it first)',
  reactivateBeforeDelete: 'a deactivated user must be reactivated before SCIM deletes it',
  pendingOnlyDeletable: 'a pending user cannot be managed, only deleted',
  activationEmail: 'a new user gets an activation email and stays pending until the link is used',
} as const;

export type ScimRuleName = keyof typeof SCIM_RULES;
export const SCIM_RULE_NAMES = Object.keys(SCIM_RULES) as ScimRuleName[];

/** Unassigned extensions of one country: what "address country must match" checks against. */
export interface ExtensionPool {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  available: number;
}

/**
 * RingCentral's Account Settings → Directory Integrations → Directory Provider. Microsoft's
 * RingCentral provisioning tutorial has it set to SCIM before Entra ID provisions (see
 * src/sp/directory-provider.ts); `none` is an account without a directory integration.
 */
export const DIRECTORY_PROVIDERS = ['none', 'scim'] as const;
export type DirectoryProvider = (typeof DIRECTORY_PROVIDERS)[number];

export interface ScimSettings {
  rules: Record<ScimRuleName, boolean>;
  /** Absent on accounts saved before the setting: `none`. */
  directoryProvider?: DirectoryProvider;
  extensions: ExtensionPool[];
  /** Unused DigitalLines licences. */
  digitalLines: number;
  /** RingCentral-shaped throttling: Heavy (writes) 10 and Light (reads) 50 requests per 60 s. */
  rateLimits: boolean;
}

export const DEFAULT_SCIM_SETTINGS: ScimSettings = {
  rules: Object.fromEntries(SCIM_RULE_NAMES.map((r) => [r, true])) as Record<ScimRuleName, boolean>,
  extensions: [
    { country: 'US', available: 50 },
    { country: 'GB', available: 20 },
  ],
  digitalLines: 50,
  rateLimits: false,
  directoryProvider: 'none',
};

export interface Account {
  id: string;
  name: string;
  /** The RingCentral plan (src/sp/plans.ts); absent on accounts saved before plans: Premium. */
  plan?: SpPlan;
  createdAt: string;
  sso: SsoSettings;
  scim: ScimSettings;
  /** Extension numbers below this one are all held by users (kept by the directory). */
  extensionCursor?: number;
}

export const SP_ACCOUNTS = table<Account>(TABLE.spAccounts);

/** What the records an account holds (its SCIM tokens, its OAuth clients) need of the accounts: the account, or NOT_FOUND. */
export interface AccountLookup {
  get(id: string): Promise<Account>;
}

export type SpUserStatus = 'active' | 'inactive' | 'pending';
export type SpRole = 'user' | 'user-admin' | 'super-admin';

export interface PhoneNumber {
  type: 'work' | 'mobile' | 'home' | 'fax' | 'pager' | 'other';
  value: string;
}

/** The extension a user holds; `country` is set when it came from that country's unassigned pool. */
export interface AssignedExtension {
  number: string;
  country?: string;
}

export interface SpUser {
  id: string;
  accountId: string;
  /** The contact (work) email: unique across the SP, and what SAML logins match. */
  email: string;
  /** SCIM userName when it differs from the email (only possible with rule userNameIsWorkEmail off). */
  userName?: string;
  /** "" when SCIM created the user without a name (rule namesRequired off). */
  firstName: string;
  lastName: string;
  number?: string;
  department?: string;
  addresses: Address[];
  phoneNumbers?: PhoneNumber[];
  /** The IdP's identifier for the user (SCIM externalId). */
  externalId?: string;
  extension?: AssignedExtension;
  /** True when the user holds one of the account's DigitalLines. */
  digitalLine?: boolean;
  status: SpUserStatus;
  /**
   * Set on a user deactivated (SCIM `active: false`) while still pending: the activation link
   * refuses it, and reactivating the user makes it pending again rather than active, because it
   * never set up its account.
   */
  deactivatedWhilePending?: true;
  role: SpRole;
  /** Password for RingCentral credential login ("SSO or password" mode). */
  passwordHash?: string;
  createdVia: 'admin' | 'scim';
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change: the SCIM ETag. */
  version: number;
}

export const SP_USERS = table<SpUser>(TABLE.spUsers);

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
  allowExpiredCertificate: false,
  decryptAssertions: false,
  allowRsa15: false,
  allowCbc: false,
  singleLogout: false,
};
