// The SP's OAuth 2.0 authorization server (src/http/oauth-routes.ts), described. Its parameters
// are read by hand, as RFC 6749 wants them answered (each error an OAuth error, never the
// harness's), so they are written out here.
import { GRANTED_SCOPE, MAX_STATE_LENGTH } from '../../sp/oauth/authorize.js';
import { ACCESS_TTL_SEC, REFRESH_TTL_SEC } from '../../sp/oauth/token-store.js';
import type { JsonSchema, NamedSchema, ReplyDoc, RouteGroup } from './route-doc.js';

const text = (description: string): JsonSchema => ({ type: 'string', description });

/** The hidden fields every authorization page posts back. */
const formProof = {
  request: text('The authorization request id the page carries.'),
  csrf_token: text("The page's CSRF token."),
};
const form = (name: string, props: Record<string, JsonSchema>, required: string[]): NamedSchema => ({
  name,
  schema: { type: 'object', properties: { ...formProof, ...props }, required: ['request', 'csrf_token', ...required] },
});

const page: ReplyDoc = { status: 200, description: 'The next page of the flow (sign-in, password, consent or "request administrator permissions").', mediaType: 'text/html', schema: { type: 'string' } };
const redirect: ReplyDoc = { status: 303, description: "Back to the client's redirect URI with `code` and `state`, or with `error` and `error_description`.", headers: { Location: 'The redirect URI.' } };

const tokenResponse: NamedSchema = {
  name: 'OAuthTokenResponse',
  schema: {
    type: 'object',
    description: "RingCentral's token answer.",
    properties: {
      access_token: { type: 'string' },
      token_type: { const: 'bearer' },
      expires_in: { type: 'integer', description: `Seconds (${ACCESS_TTL_SEC}).` },
      refresh_token: { type: 'string', description: 'Single use: each refresh answers a new one.' },
      refresh_token_expires_in: { type: 'integer', description: `Seconds (${REFRESH_TTL_SEC}).` },
      scope: { type: 'string' },
      owner_id: { type: 'string', description: 'The user who authorized.' },
      endpoint_id: { type: 'string' },
    },
    required: ['access_token', 'token_type', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'owner_id', 'endpoint_id'],
  },
};

const clientCredentials = {
  client_id: text('With client_secret: client_secret_post authentication (else HTTP Basic).'),
  client_secret: text('client_secret_post authentication; never together with HTTP Basic.'),
};

export const oauthDoc: RouteGroup = {
  prefix: '/restapi/oauth',
  tag: 'OAuth',
  description:
    'The SP OAuth 2.0 authorization server (authorization code with PKCE S256, refresh token rotation, RFC 7009 revocation) that issues the SCIM access tokens. Only a User Admin or higher may authorize.',
  security: [{ oauthClientBasic: [] }, {}],
  errors: 'oauth-token',
  mediaType: 'application/json',
  params: {},
  routes: [
    {
      method: 'get',
      path: '/authorize',
      summary: 'Start an authorization (browser)',
      description:
        'Shows the sign-in page. An unknown client_id or unregistered redirect_uri is an error page (`OAUTH_CLIENT_UNKNOWN`, `OAUTH_REDIRECT_URI`); any other problem goes back to the redirect URI as an OAuth error.',
      public: true,
      errorsAs: 'page',
      query: {
        type: 'object',
        properties: {
          client_id: text('A registered client.'),
          redirect_uri: text("One of the client's redirect URIs (optional when it has one)."),
          response_type: { const: 'code' },
          state: { type: 'string', maxLength: MAX_STATE_LENGTH },
          scope: text(`Ignored: the grant is always ${GRANTED_SCOPE}.`),
          code_challenge: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: 'PKCE: base64url SHA-256 of the verifier.' },
          code_challenge_method: { const: 'S256' },
        },
        required: ['client_id', 'response_type'],
      },
      replies: [page, { ...redirect, status: 302 }],
    },
    {
      method: 'post',
      path: '/authorize/sign-in',
      summary: 'Sign in (browser form)',
      public: true,
      errorsAs: 'page',
      body: {
        schema: form('OAuthSignInForm', { login: text('Email or phone number.'), extension: text('With a phone number shared by several users.'), password: text('The SP password.') }, []),
        form: true,
      },
      replies: [page],
    },
    {
      method: 'post',
      path: '/authorize/consent',
      summary: 'Authorize or cancel (browser form)',
      public: true,
      errorsAs: 'page',
      body: { schema: form('OAuthConsentForm', { decision: { enum: ['authorize', 'cancel'] } }, ['decision']), form: true },
      replies: [redirect],
    },
    {
      method: 'post',
      path: '/authorize/return',
      summary: 'Return to the client after a refusal (browser form)',
      description: 'From the "request administrator permissions" page: back to the client with `access_denied`.',
      public: true,
      errorsAs: 'page',
      body: { schema: form('OAuthReturnForm', {}, []), form: true },
      replies: [redirect],
    },
    {
      method: 'post',
      path: '/token',
      summary: 'Exchange a code or a refresh token',
      description: 'Client authentication by HTTP Basic or client_secret_post. Each parameter at most once.',
      body: {
        schema: {
          name: 'OAuthTokenRequest',
          schema: {
            type: 'object',
            properties: {
              grant_type: { enum: ['authorization_code', 'refresh_token'] },
              code: text('authorization_code: the code (single use).'),
              redirect_uri: text('authorization_code: as in the authorization request, when it had one.'),
              code_verifier: text('authorization_code: the PKCE verifier, when the request had a challenge.'),
              refresh_token: text('refresh_token: the refresh token (single use).'),
              scope: text('refresh_token: a narrower scope.'),
              ...clientCredentials,
            },
            required: ['grant_type'],
          },
        },
        form: true,
      },
      replies: [{ status: 200, description: 'The tokens.', schema: tokenResponse, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } }],
    },
    {
      method: 'post',
      path: '/revoke',
      summary: 'Revoke a token (RFC 7009)',
      description: 'An access token ends alone; a refresh token ends its whole authorization. 200 whether the token was known or not.',
      body: { schema: { name: 'OAuthRevokeRequest', schema: { type: 'object', properties: { token: text('An access or refresh token.'), ...clientCredentials }, required: ['token'] } }, form: true },
      replies: [{ status: 200, description: 'Revoked (or unknown).' }],
    },
  ],
  undescribed: [
    { method: 'all', path: '/token', why: '405 with Allow: POST for any other method' },
    { method: 'all', path: '/revoke', why: '405 with Allow: POST for any other method' },
  ],
};
