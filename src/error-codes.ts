// The catalogue of error codes: each has a stable code, an HTTP status, a one-line title, and
// where a fix is, the side and setting. docs/errors.md documents each code; a test keeps them in
// step. HarnessError (src/errors.ts) is the one class that carries them.

import { SCIM_ERROR_CODES, SP_OAUTH_ERROR_CODES } from './error-codes-provisioning.js';
import type { ErrorSpec } from './error-spec.js';

export type { ErrorSpec, Side } from './error-spec.js';

export const ERROR_CODES = {
  // Input shape (SAML messages arriving at either side)
  SAML_MESSAGE_MISSING: { status: 400, title: 'The SAML message parameter is missing' },
  SAML_MESSAGE_ENCODING: { status: 400, title: 'The SAML message is not valid base64 / deflate' },
  SAML_MESSAGE_TOO_LARGE: { status: 413, title: 'The SAML message is larger than the size cap' },
  SAML_XML_FORBIDDEN: {
    status: 400,
    title: 'The SAML message contains a DOCTYPE, entity, processing instruction or comment',
  },
  SAML_XML_MALFORMED: { status: 400, title: 'The SAML message is not well-formed XML' },
  // XML complexity limits (src/saml/xml-limits.ts), for messages and metadata alike
  SAML_XML_TOO_DEEP: { status: 413, title: 'The XML nests elements deeper than the limit' },
  SAML_XML_TOO_MANY_ELEMENTS: { status: 413, title: 'The XML has more elements than the limit' },
  SAML_XML_TOO_MANY_ATTRIBUTES: { status: 413, title: 'An XML element has more attributes than the limit' },
  SAML_XML_TOO_MANY_NAMESPACES: { status: 413, title: 'An XML element has more namespace declarations in scope than the limit' },
  SAML_XML_TEXT_TOO_LARGE: { status: 413, title: 'An XML text run or attribute value is longer than the limit' },
  SAML_MESSAGE_UNEXPECTED: { status: 400, title: 'The document element is not the expected SAML message' },
  SAML_VERSION: { status: 400, title: 'The SAML message is not version 2.0' },
  // SP response validation
  SAML_STATUS: { status: 401, title: 'The IdP answered with a non-success status', side: 'idp' },
  SAML_ASSERTION_COUNT: { status: 400, title: 'The response does not hold exactly one assertion' },
  SAML_ENCRYPTED_ASSERTION: {
    status: 400,
    title: 'The response carries an encrypted assertion, which this SP is not set up to decrypt',
    side: 'idp',
    setting: 'Assertion encryption',
  },
  SAML_ENCRYPTION_ALGORITHM: {
    status: 400,
    title: 'The encrypted assertion uses an algorithm this SP account refuses (RSA 1.5 key transport or AES-CBC unless allowed)',
    side: 'idp',
    setting: 'Assertion encryption algorithm (AES-GCM with RSA-OAEP)',
  },
  SAML_ENCRYPTION_SHAPE: {
    status: 400,
    title: 'The encrypted assertion is not shaped as the SP accepts (one EncryptedData, one EncryptedKey, no duplicate or foreign-namespace encryption elements)',
  },
  SAML_DECRYPTION_FAILED: {
    status: 400,
    title: 'The encrypted assertion cannot be decrypted (one answer for every cause; the SP trace has the reason)',
    side: 'idp',
    setting: "Assertion encryption certificate (the SP metadata's encryption certificate)",
  },
  SAML_SIGNATURE_MISSING: {
    status: 401,
    title: 'Neither the assertion nor the response is signed',
    side: 'idp',
    setting: 'Sign: Assertion / Response',
  },
  SAML_SIGNATURE_SHAPE: {
    status: 401,
    title: 'The signature is not shaped as SAML requires (wrapping, references, transforms)',
  },
  SAML_SIGNATURE_ALGORITHM: {
    status: 401,
    title: 'The signature uses an algorithm the SP does not accept',
    side: 'idp',
    setting: 'Signature Algorithm',
  },
  SAML_SIGNATURE_UNTRUSTED: {
    status: 401,
    title: 'The signature does not verify with any certificate pinned from the IdP metadata',
    side: 'sp',
    setting: 'Upload IdP Metadata',
  },
  SAML_SIGNATURE_INVALID: { status: 401, title: 'The signature or digest does not match the signed content' },
  SAML_CERTIFICATE_EXPIRED: {
    status: 401,
    title: 'The response is signed with a pinned IdP certificate that has expired',
    side: 'idp',
    setting: 'IdP signing certificate (rotate the key and import the metadata again; or the SP setting allowExpiredCertificate)',
  },
  SAML_ISSUER: {
    status: 401,
    title: 'The issuer is not the IdP entity ID imported from its metadata',
    side: 'idp',
    setting: 'IdP Entity ID',
  },
  SAML_DESTINATION: {
    status: 401,
    title: 'The response Destination is not this SP\'s ACS URL',
    side: 'idp',
    setting: 'ACS URL',
  },
  SAML_IN_RESPONSE_TO: {
    status: 401,
    title: 'InResponseTo does not match an outstanding AuthnRequest of this SP',
  },
  SP_LOGIN_OTHER_BROWSER: {
    status: 403,
    title: 'The response answers a login that another browser started (its login cookie is missing or does not match)',
  },
  SAML_UNSOLICITED: {
    status: 401,
    title: 'An unsolicited (IdP-initiated) response arrived and this account accepts SP-initiated logins only',
    side: 'sp',
    setting: 'Allow IdP-initiated login',
  },
  SAML_SUBJECT_CONFIRMATION: {
    status: 401,
    title: 'There is no valid bearer SubjectConfirmation',
  },
  SAML_RECIPIENT: {
    status: 401,
    title: 'SubjectConfirmationData Recipient is not this SP\'s ACS URL',
    side: 'idp',
    setting: 'ACS URL',
  },
  SAML_AUDIENCE: {
    status: 401,
    title: 'The assertion is not addressed to this SP (AudienceRestriction)',
    side: 'idp',
    setting: 'SP Entity ID',
  },
  SAML_NOT_YET_VALID: {
    status: 401,
    title: 'The assertion is not valid yet (NotBefore is in the future)',
    side: 'sp',
    setting: 'Clock skew',
  },
  SAML_EXPIRED: {
    status: 401,
    title: 'The assertion has expired (NotOnOrAfter has passed)',
    side: 'sp',
    setting: 'Clock skew',
  },
  SAML_TIME_MALFORMED: { status: 400, title: 'A time attribute is not a valid xs:dateTime' },
  SAML_REPLAY: { status: 401, title: 'This assertion was already used' },
  // Single Logout
  SLO_REQUEST_INVALID: { status: 401, title: 'The LogoutRequest failed a check (signature, issuer, destination, time, NameID or SessionIndex)' },
  SLO_RESPONSE_INVALID: { status: 401, title: 'The LogoutResponse failed a check (signature, issuer, destination, InResponseTo)' },
  SLO_NOT_ENABLED: { status: 403, title: 'Single Logout is off for this SP account', side: 'sp', setting: 'Single Logout' },
  SLO_NO_ENDPOINT: { status: 409, title: 'The peer\'s metadata has no SingleLogoutService', setting: 'Upload Metadata (with a SingleLogoutService)' },
  SAML_NAME_ID: {
    status: 401,
    title: 'The assertion has no usable NameID (missing, empty, or not an address in the emailAddress format)',
    side: 'idp',
    setting: 'Name ID (format and the user field it is taken from)',
  },
  SAML_ATTRIBUTE_EMAIL: {
    status: 401,
    title: 'The attribute the SP maps the email from is missing',
    side: 'sp',
    setting: 'Map Email Attribute to',
  },
  SAML_ATTRIBUTE_NUMBER: {
    status: 401,
    title: 'The `number` attribute RingCentral requires is missing',
    side: 'idp',
    setting: 'Attributes',
  },
  SAML_RELAY_STATE: { status: 400, title: 'RelayState is not a relative path on this SP or is too long' },
  // SP login and directory
  SP_ACCOUNT_NOT_FOUND: { status: 404, title: 'No SP account matches' },
  SP_USER_NOT_FOUND: {
    status: 403,
    title: 'No user with this email in the SP account directory',
    side: 'sp',
    setting: 'Map Email Attribute to',
  },
  SP_LOGIN_EMAIL_UNKNOWN: {
    status: 404,
    title: 'No SP user has the email typed at the SP sign-in page',
    side: 'sp',
    setting: "the account's Users page (Add user), or Identity Management at the IdP",
  },
  SP_USER_INACTIVE: {
    status: 403,
    title: 'The SP user is deactivated',
    side: 'idp',
    setting: 'reactivate the user (Identity Management, or the SP directory)',
  },
  SP_USER_PENDING: {
    status: 403,
    title: 'The SP user has not activated the account yet (pending)',
    side: 'sp',
    setting: 'the activation email link',
  },
  SP_SSO_NOT_CONFIGURED: {
    status: 409,
    title: 'The account has no IdP metadata imported',
    side: 'sp',
    setting: 'Upload IdP Metadata',
  },
  SP_PLAN_NOT_ALLOWED: {
    status: 403,
    title: "The account's plan includes neither SSO nor Identity Management (Premium or Enterprise do)",
    side: 'sp',
    setting: 'Plan (the account settings)',
  },
  SP_SSO_DISABLED: { status: 403, title: 'SSO is not enabled for this account', side: 'sp', setting: 'Enable SSO' },
  SP_PASSWORD_LOGIN_DISABLED: {
    status: 403,
    title: 'This account enforces SSO login only',
    side: 'sp',
    setting: 'Manage Your Login',
  },
  SP_BAD_CREDENTIALS: { status: 401, title: 'Wrong email or password' },
  SP_NOT_SIGNED_IN: { status: 401, title: 'No SP session' },
  SP_IDP_ENTITY_TAKEN: {
    status: 409,
    title: 'Another account already uses this IdP entity ID',
    side: 'idp',
    setting: 'IdP Entity ID',
  },
  SP_USER_SCIM_MANAGED: {
    status: 409,
    title: 'The user was created via SCIM: delete it via SCIM, or deactivate it first',
    side: 'sp',
    setting: 'SCIM rule scimCreatedDeletedViaScim',
  },
  SP_ACTIVATION_LINK: { status: 404, title: 'The activation link is unknown, expired or already used' },
  SP_OAUTH_CLIENT_NOT_FOUND: { status: 404, title: 'The SP account has no OAuth client with this id' },
  SP_SCIM_TOKEN_NOT_FOUND: { status: 404, title: 'The SP account has no SCIM token with this id' },
  SP_CREDENTIAL_LIMIT: {
    status: 409,
    title: 'The SP account already has the most OAuth clients or SCIM tokens it may have',
    side: 'sp',
    setting: 'delete an OAuth client or revoke a SCIM token of the account',
  },
  ...SP_OAUTH_ERROR_CODES,
  // IdP
  IDP_APP_NOT_FOUND: { status: 404, title: 'No IdP application with this id' },
  IDP_SP_UNKNOWN: {
    status: 400,
    title: 'The AuthnRequest issuer is not the SP this application is configured for',
    side: 'idp',
    setting: 'SP Entity ID / Upload Metadata',
  },
  IDP_ACS_NOT_ALLOWED: {
    status: 400,
    title: 'The AuthnRequest asks for an ACS URL that the SP metadata does not list',
    side: 'idp',
    setting: 'Upload Metadata',
  },
  IDP_REQUEST_SIGNATURE: {
    status: 400,
    title: 'The AuthnRequest signature is missing or does not verify with the SP metadata certificate',
  },
  IDP_APP_INCOMPLETE: {
    status: 409,
    title: 'The application still has placeholders or no SP values',
    side: 'idp',
    setting: 'SSO tab',
  },
  IDP_SSO_INACTIVE: { status: 403, title: 'SSO is deactivated for this application', side: 'idp', setting: 'SSO tab' },
  IDP_ENTRA_APP_UNKNOWN: {
    status: 404,
    title: "No Entra ID application of the tenant has the AuthnRequest's Issuer as its Identifier (Entity ID)",
    side: 'idp',
    setting: 'SP entity ID of the entra application',
  },
  IDP_SSO_RATE_LIMITED: {
    status: 429,
    title: "The application's SSO URL got more requests than Okta's per-application limit (750 a minute)",
    side: 'idp',
    setting: 'ssoRateLimit',
  },
  IDP_INITIATED_OFF: {
    status: 403,
    title: 'The application is not set to start IdP-initiated logins from the portal',
    side: 'idp',
    setting: 'SSO tab: IdP-initiated login',
  },
  IDP_NOT_AUTHORIZED: {
    status: 403,
    title: 'The user is not authorized for this application (no bound group)',
    side: 'idp',
    setting: 'User Groups',
  },
  IDP_BAD_CREDENTIALS: { status: 401, title: 'Wrong email/username or password' },
  IDP_USER_SUSPENDED: { status: 403, title: 'The IdP user is suspended' },
  IDP_LOGIN_EXPIRED: { status: 400, title: 'The pending sign-in expired or is unknown; start again from the SP' },
  IDP_LOGIN_OTHER_BROWSER: { status: 403, title: 'The pending sign-in was started by another browser' },
  IDP_REQUEST_DESTINATION: {
    status: 400,
    title: 'The AuthnRequest Destination is not this SSO URL (or is missing on a signed request)',
    side: 'sp',
    setting: "the IdP's SSO URL (import the IdP metadata again)",
  },
  IDP_REQUEST_EXPIRED: {
    status: 400,
    title: 'The AuthnRequest IssueInstant is older than the IdP accepts',
    side: 'idp',
    setting: 'idp.requestMaxAgeSec / idp.clockSkewSec',
  },
  IDP_REQUEST_NOT_YET_VALID: {
    status: 400,
    title: 'The AuthnRequest IssueInstant is in the future beyond the clock skew',
    side: 'idp',
    setting: 'idp.clockSkewSec',
  },
  IDP_REQUEST_REPLAY: { status: 400, title: 'The IdP already answered an AuthnRequest with this ID from this SP' },
  IDP_BINDING_UNSUPPORTED: {
    status: 400,
    title: 'The AuthnRequest asks for a response binding the IdP does not support (only HTTP-POST)',
    side: 'sp',
    setting: 'ProtocolBinding of the AuthnRequest',
  },
  IDP_KEY_NO_NEXT: {
    status: 409,
    title: 'The application has no next signing key to make current',
    side: 'idp',
    setting: 'Signing keys: make a next key (POST /idp/api/apps/:app/keys/next)',
  },
  // IdP Identity Management (the provisioning client)
  IDM_NOT_VERIFIED: {
    status: 409,
    title: 'Identity Management of this application is not configured and verified',
    side: 'idp',
    setting: 'Identity Management tab: configure',
  },
  IDM_IMPORT_RUNNING: {
    status: 409,
    title: 'A manual import of this application is still running; one runs at a time',
    side: 'idp',
    setting: 'Identity Management tab: manual import (wait for the "import complete" email)',
  },
  IDM_STATE_INVALID: { status: 400, title: 'The authorization callback\'s state is unknown, expired or already used; configure again' },
  IDM_AUTHORIZATION_DENIED: {
    status: 403,
    title: 'The SP did not authorize Identity Management (e.g. the admin who signed in is not a User Admin or higher)',
    side: 'sp',
    setting: 'sign in to the SP as a User Admin or higher',
  },
  IDM_TOKEN_EXCHANGE: { status: 502, title: 'The SP\'s token endpoint refused the authorization code or refresh token, or did not answer' },
  IDM_VERIFICATION_FAILED: { status: 502, title: 'The verification call to the SP\'s SCIM API failed after authorization' },
  IDM_SCIM_REQUEST: { status: 502, title: 'A SCIM request to the SP failed; the job log has the request and the SP\'s answer' },
  // Metadata
  METADATA_INVALID: { status: 422, title: 'The metadata is not usable SAML 2.0 metadata' },
  METADATA_FETCH: { status: 502, title: 'The metadata URL could not be fetched' },
  // audit-sp (the client that audits another SP)
  AUDIT_OPTIONS: { status: 400, title: 'The audit options are unusable (missing or malformed values, unknown scenario ids)' },
  AUDIT_UNREACHABLE: { status: 502, title: 'The harness does not answer at the given URL' },
  AUDIT_SETUP: { status: 409, title: 'The harness admin API refused an audit setup step (token, application, metadata, user)' },
  AUDIT_BASELINE: {
    status: 502,
    title: 'The genuine login every verdict is compared with did not succeed',
    side: 'sp',
    setting: 'the SP\'s IdP metadata, login URL and user',
  },
  // audit-scim (the client that audits another SCIM server)
  AUDIT_SCIM_UNREACHABLE: { status: 502, title: 'The audited SCIM server (or its OAuth token endpoint) does not answer' },
  AUDIT_SCIM_AUTH: { status: 401, title: 'The audited SCIM server, or its OAuth token endpoint, refuses the credentials' },
  ...SCIM_ERROR_CODES,
  // Admin API and generic
  ADMIN_TOKEN: {
    status: 401,
    title: 'The admin API needs Authorization: Bearer <admin token>',
    headers: { 'WWW-Authenticate': 'Bearer realm="sso-harness admin"' },
  },
  CSRF_TOKEN: { status: 403, title: 'The form has no valid CSRF token' },
  INPUT_INVALID: { status: 400, title: 'The request body or parameters are invalid' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than allowed' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  CONFLICT: { status: 409, title: 'The resource already exists' },
  CONFIG_INVALID: { status: 500, title: 'The harness configuration is invalid' },
  STORE_UNAVAILABLE: { status: 503, title: 'The state store cannot be used' },
  STORE_IN_USE: { status: 503, title: 'Another running instance holds the SQLite database' },
  STORE_NOT_EMPTY: { status: 503, title: 'A blank start was asked of a shared store that already holds state' },
  STORE_FULL: { status: 503, title: 'A bounded store holds its maximum of live entries' },
  SP_LOGIN_BUSY: { status: 503, title: 'The SP holds its maximum of logins in progress and starts no new one until some finish or expire' },
  STORE_LOCK_TIMEOUT: { status: 503, title: 'Another instance held a lock on the shared store for too long' },
  HARNESS_STARTING: { status: 503, title: 'sso-harness is starting' },
  INTERNAL: { status: 500, title: 'Unexpected error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;
