// The part of the error-code catalogue (src/error-codes.ts) that provisioning clients receive in
// their own wire formats: the SP's OAuth endpoints (RFC 6749 bodies) and its SCIM API (RFC 7644
// bodies). The catalogue lists them in place, in this order.
import type { ErrorSpec } from './error-spec.js';

export const SP_OAUTH_ERROR_CODES = {
  // SP OAuth token and revocation endpoints: answered as RFC 6749 §5.2 bodies (src/sp/oauth/errors.ts names each)
  OAUTH_INVALID_REQUEST: { status: 400, title: 'The token request is malformed: a parameter is missing or repeated, or the body is not form-encoded' },
  OAUTH_INVALID_CLIENT: {
    status: 401,
    title: 'Client authentication failed: none, an unknown client or a wrong secret',
    headers: { 'WWW-Authenticate': 'Basic realm="RingCentral"' },
  },
  OAUTH_INVALID_GRANT: { status: 400, title: 'The authorization code or refresh token is not valid for this client' },
  OAUTH_UNAUTHORIZED_CLIENT: { status: 400, title: 'The client may not use this grant type' },
  OAUTH_UNSUPPORTED_GRANT_TYPE: { status: 400, title: 'The grant type is not supported (authorization_code, refresh_token)' },
  OAUTH_INVALID_SCOPE: { status: 400, title: 'The requested scope exceeds the granted scope' },
  OAUTH_METHOD_NOT_ALLOWED: { status: 405, title: 'The token and revocation endpoints take POST only', headers: { Allow: 'POST' } },
  // SP OAuth authorization (the IdP's provisioning client)
  OAUTH_CLIENT_UNKNOWN: {
    status: 400,
    title: 'client_id is missing or not a registered OAuth client',
    side: 'harness',
    setting: 'sp.oauthClients',
  },
  OAUTH_REDIRECT_URI: {
    status: 400,
    title: 'redirect_uri is missing or not registered for this client (the browser is not sent there)',
    side: 'harness',
    setting: 'sp.oauthClients[].redirectUris',
  },
  OAUTH_REQUEST_EXPIRED: {
    status: 400,
    title: 'The authorization request is unknown, expired or already finished; start again from the IdP',
  },
  OAUTH_CSRF: { status: 403, title: 'The form\'s CSRF token or the browser cookie does not match the authorization request' },
  OAUTH_EXTENSION_REQUIRED: { status: 400, title: 'Several users share this phone number: enter the extension' },
  OAUTH_CLIENT_ACCOUNT: {
    status: 403,
    title: 'The client was registered for another SP account than the one of the user who signed in',
    side: 'sp',
    setting: 'sign in as a User Admin of the account the client was registered for',
  },
  OAUTH_NOT_ADMIN: {
    status: 403,
    title: 'Only a User Admin or higher may authorize the provisioning client',
    side: 'sp',
    setting: 'the user\'s role (User Admin or Super Admin)',
  },
} as const satisfies Record<string, ErrorSpec>;

export const SCIM_ERROR_CODES = {
  // SCIM API (/scim/v2): answered as RFC 7644 §3.12 bodies (src/scim/errors.ts gives each its scimType)
  SCIM_INVALID_SYNTAX: { status: 400, title: 'The SCIM request body is not a well-formed request of its kind' },
  SCIM_INVALID_FILTER: { status: 400, title: 'The SCIM filter is not valid or too complex' },
  SCIM_TOO_MANY: { status: 400, title: 'The SCIM filter has more comparisons than this server evaluates' },
  SCIM_INVALID_VALUE: { status: 400, title: 'A SCIM value is missing, mistyped or refused by a RingCentral rule' },
  SCIM_INVALID_PATH: { status: 400, title: 'A SCIM PATCH path is malformed or names no attribute this API stores' },
  SCIM_NO_TARGET: { status: 400, title: 'A SCIM PATCH operation has no target' },
  SCIM_MUTABILITY: { status: 400, title: 'A SCIM PATCH operation changes a read-only attribute' },
  SCIM_UNAUTHORIZED: { status: 401, title: 'The SCIM request has no valid bearer token' },
  SCIM_DIRECTORY_PROVIDER: { status: 403, title: 'Microsoft Entra ID provisions an account only once its Directory Provider is SCIM' },
  SCIM_NOT_FOUND: { status: 404, title: 'No such SCIM resource or endpoint' },
  SCIM_UNIQUENESS: { status: 409, title: 'The SCIM user\'s email or userName is taken' },
  SCIM_STATE_CONFLICT: { status: 409, title: 'A RingCentral rule refuses the request in the user\'s or account\'s current state' },
  SCIM_PRECONDITION_FAILED: { status: 412, title: 'If-Match does not match the user\'s current version' },
  SCIM_MEDIA_TYPE: { status: 415, title: 'The SCIM request body is not UTF-8 JSON in application/scim+json or application/json' },
  SCIM_RATE_LIMITED: { status: 429, title: 'The account sent more SCIM requests than its rate limit allows' },
  SCIM_NOT_IMPLEMENTED: { status: 501, title: 'The SCIM endpoint is not implemented by this service provider' },
} as const satisfies Record<string, ErrorSpec>;
