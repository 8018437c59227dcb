// The IdP's records: users, groups and SAML applications, shaped like JumpCloud's.
import type { Address } from '../address.js';
import type { SloService } from '../saml/metadata-parse.js';
import type { SamlIdStyle } from '../saml/ids.js';
import type { NameIdFormatName } from '../saml/urn.js';
import { TABLE, table } from '../store/tables.js';

export type { Address };

export interface IdpUser {
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  /** The work phone number (else the first), kept in step with `phoneNumbers`; RingCentral's `number` attribute. */
  number?: string;
  /** Absent in records written before the list existed: read through `phoneNumbersOf`. */
  phoneNumbers?: PhoneNumber[];
  department?: string;
  addresses: Address[];
  /** JumpCloud custom attributes: name/value pairs an attribute statement can send. */
  customAttributes?: CustomAttribute[];
  passwordHash: string;
  /** JumpCloud suspends a user whose password expired. */
  suspended: boolean;
  passwordExpired: boolean;
  /** When the password expires (harness clock); the sweep then suspends the user. */
  passwordExpiresAt?: string;
  createdAt: string;
}

/** The phone types SCIM 2.0 names (RFC 7643 §4.1.2), as the SP's SCIM schema lists them. */
export const PHONE_TYPES = ['work', 'mobile', 'home', 'fax', 'pager', 'other'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export interface PhoneNumber {
  type: PhoneType;
  value: string;
}

export interface CustomAttribute {
  name: string;
  value: string;
}

export const IDP_USERS = table<IdpUser>(TABLE.idpUsers);

export interface IdpGroup {
  id: string;
  name: string;
  /** User ids. */
  members: string[];
}

export const IDP_GROUPS = table<IdpGroup>(TABLE.idpGroups);

/** User properties an attribute statement or the NameID can be taken from. */
export const USER_PROPERTIES = ['email', 'username', 'firstname', 'lastname', 'fullname', 'number', 'department'] as const;
export type UserProperty = (typeof USER_PROPERTIES)[number];

/**
 * One attribute of the assertion: its name (e.g. `email`) and where its value comes from, a user
 * property, one of the user's custom attributes, or a constant.
 */
export type AttributeStatement =
  | { name: string; property: UserProperty }
  | { name: string; customAttribute: string }
  | { name: string; constant: string };

export interface AcsEndpoint {
  url: string;
  binding: string;
  index: number;
  isDefault: boolean;
}

export interface AppServiceProvider {
  entityId: string;
  acs: AcsEndpoint[];
  /** SP-initiated start page (the "Login URL"), shown in the user portal. */
  loginUrl?: string;
  /** Set from the SP metadata: requests must carry a valid signature. */
  authnRequestsSigned: boolean;
  wantAssertionsSigned: boolean;
  /** Signing certificates from the SP metadata (base64 DER). */
  certificates: string[];
  /** Encryption certificates from the SP metadata (KeyDescriptor use="encryption" or without use; base64 DER). */
  encryptionCertificates?: string[];
  /** SingleLogoutService endpoints from the SP metadata: where the IdP sends LogoutRequests and LogoutResponses. */
  sloServices?: SloService[];
  metadataUploadedAt?: string;
}

/** Whose IdP an application imitates: its console pages, its SAML traits and its provisioning client. */
export const IDP_FLAVORS = ['jumpcloud', 'okta', 'entra'] as const;

/** How each flavour's vendor names itself (its OAuth client at the SP, its console headings). */
export const FLAVOR_NAMES: Readonly<Record<(typeof IDP_FLAVORS)[number], string>> = { jumpcloud: 'JumpCloud', okta: 'Okta', entra: 'Microsoft Entra ID' };
export type IdpFlavor = (typeof IDP_FLAVORS)[number];

export type SigningAlgorithmName = 'rsa-sha256' | 'rsa-sha512' | 'rsa-sha1';

/** "Encrypt assertion", to the SP metadata's encryption certificate. RSA 1.5 only when asked: it is insecure. */
export interface AppEncryption {
  enabled: boolean;
  dataAlgorithm: 'aes256-gcm' | 'aes128-gcm' | 'aes256-cbc';
  keyTransport: 'rsa-oaep' | 'rsa-1_5';
}

export interface IdpApp {
  /** Short name used in URLs (`/idp/apps/:id/...`), fixed at creation like JumpCloud's SSO URL. */
  id: string;
  template: string;
  displayLabel: string;
  description?: string;
  /** "Deactivate SSO" turns this off; the application then refuses logins. */
  ssoActive: boolean;
  idpEntityId: string;
  sp: AppServiceProvider;
  nameId: { property: UserProperty; format: NameIdFormatName };
  signing: { assertion: boolean; response: boolean; algorithm: SigningAlgorithmName };
  /** Absent: off (applications made before the setting existed). */
  encryption?: AppEncryption;
  attributes: AttributeStatement[];
  /** Group ids bound to the application: only their members may sign in to it. */
  groups: string[];
  /** User ids assigned to the application directly (Okta's "Assign to People"); absent: none. */
  users?: string[];
  /** Whose console and provisioning client the application follows; absent: the harness's `idpFlavor`. */
  flavor?: IdpFlavor;
  /** The response scenario every login gets (`valid` unless a tester changes it). */
  responseScenario: string;
  /** Sign the published metadata (enveloped, with the current signing key). */
  signMetadata?: boolean;
  /** The portal tile sends an unsolicited Response (IdP-initiated) instead of opening the SP's login URL. Absent: off. */
  idpInitiated?: boolean;
  /** The RelayState of an IdP-initiated Response (where the SP lands the user). */
  defaultRelayState?: string;
  /** The SP administrator's email, given URL-encoded as JumpCloud's RingCentral connector asks, stored decoded. */
  adminEmail?: string;
  /**
   * JumpCloud's "Declare Redirect Endpoint": the metadata lists an HTTP-Redirect SingleSignOnService
   * beside the HTTP-POST one. Absent: listed (applications made before the setting existed).
   */
  declareRedirectEndpoint?: boolean;
  /** The assertion's validity window around its issue instant, in seconds. Absent: 60 before, the IdP's assertion lifetime after. */
  assertionValidity?: AssertionValidity;
  /** How Response and Assertion IDs are spelled. Absent: `harness`. */
  idStyle?: SamlIdStyle;
  /** The attributes' NameFormat: `basic`, `uri`, `unspecified`, or `omitted` (Entra ID). Absent: basic. */
  attributeNameFormat?: AttributeNameFormat;
  /** Okta's per-application SSO rate limit (750 requests a minute), answered with 429. Absent: off. */
  ssoRateLimit?: boolean;
  createdAt: string;
}

export interface AssertionValidity {
  /** Conditions/@NotBefore this many seconds before the issue instant. */
  notBeforeSec: number;
  /** Conditions/@NotOnOrAfter (and SubjectConfirmationData's) this many seconds after it. */
  notOnOrAfterSec: number;
}

export const ATTRIBUTE_NAME_FORMATS = ['basic', 'uri', 'unspecified', 'omitted'] as const;
export type AttributeNameFormat = (typeof ATTRIBUTE_NAME_FORMATS)[number];

export const IDP_APPS = table<IdpApp>(TABLE.idpApps);

export function userProperty(user: IdpUser, property: UserProperty): string | undefined {
  switch (property) {
    case 'email':
      return user.email;
    case 'username':
      return user.username;
    case 'firstname':
      return user.firstName;
    case 'lastname':
      return user.lastName;
    case 'fullname':
      return `${user.firstName} ${user.lastName}`.trim();
    case 'number':
      return user.number;
    case 'department':
      return user.department;
  }
}

/** Whether the user may use the application: assigned directly, or a member of a bound group. */
export function isAssigned(app: IdpApp, userId: string, groupsOfUser: readonly string[]): boolean {
  return (app.users ?? []).includes(userId) || app.groups.some((g) => groupsOfUser.includes(g));
}

/** The user as the API shows it: never the password hash. */
export type PublicIdpUser = Omit<IdpUser, 'passwordHash'>;

export function publicUser(user: IdpUser): PublicIdpUser {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}
