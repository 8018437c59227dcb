// The token endpoint (RFC 6749 §4.1.3 and §6, RFC 7636 §4.6) and token revocation (RFC 7009),
// answered in RingCentral's shape. Clients authenticate with HTTP Basic or client_secret_post.
import { HarnessError } from '../../errors.js';
import type { SpDirectory } from '../directory.js';
import type { SpRole } from '../model.js';
import type { OAuthClientRegistry } from './client-registry.js';
import type { OAuthClient } from './clients.js';
import type { AuthorizationCodes } from './codes.js';
import { verifyCodeVerifier } from './pkce.js';
import type { AccessGrant, TokenStore } from './token-store.js';

export interface TokenRequest {
  /** The body was application/x-www-form-urlencoded, as RFC 6749 §4.1.3 requires. */
  formEncoded: boolean;
  body: unknown;
  /** The Authorization header, if any. */
  authorization: string | undefined;
}

/** RingCentral's token answer. */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  scope: string;
  /** The user who authorized. */
  owner_id: string;
  endpoint_id: string;
}

const ADMIN_ROLES: readonly SpRole[] = ['user-admin', 'super-admin'];

const invalidGrant = (description: string) => new HarnessError('OAUTH_INVALID_GRANT', description);

/** Form parameters, each at most once (RFC 6749 §3.2); empty values count as absent. */
function readParams(request: TokenRequest): Map<string, string> {
  if (!request.formEncoded || typeof request.body !== 'object' || request.body === null) {
    throw new HarnessError('OAUTH_INVALID_REQUEST', 'the body must be application/x-www-form-urlencoded');
  }
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(request.body)) {
    if (Array.isArray(value)) throw new HarnessError('OAUTH_INVALID_REQUEST', `${name} is given more than once`);
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  return params;
}

function required(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new HarnessError('OAUTH_INVALID_REQUEST', `${name} is missing`);
  return value;
}

/** `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1); undefined for no header. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) throw new HarnessError('OAUTH_INVALID_CLIENT', 'the Authorization header is not HTTP Basic client credentials');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new HarnessError('OAUTH_INVALID_CLIENT', 'the Basic credentials have no colon');
  try {
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
  } catch {
    throw new HarnessError('OAUTH_INVALID_CLIENT', 'the Basic credentials are not form-urlencoded');
  }
}

export class TokenEndpoint {
  constructor(
    private readonly clients: OAuthClientRegistry,
    private readonly codes: AuthorizationCodes,
    private readonly tokens: TokenStore,
    private readonly directory: Pick<SpDirectory, 'get'>,
  ) {}

  /** POST /token. Throws the OAUTH_ codes that the token endpoint answers as RFC 6749 §5.2 bodies. */
  async token(request: TokenRequest): Promise<TokenResponse> {
    const params = readParams(request);
    const client = await this.authenticate(request, params);
    const grantType = required(params, 'grant_type');
    if (grantType === 'authorization_code') return this.issue(await this.authorizationCode(client, params));
    if (grantType === 'refresh_token') return this.issue(await this.refreshToken(client, params));
    throw new HarnessError('OAUTH_UNSUPPORTED_GRANT_TYPE', `grant_type ${grantType} is not supported (authorization_code, refresh_token)`);
  }

  /** POST /revoke (RFC 7009): always 200 for an authenticated client, whether the token was known or not. */
  async revoke(request: TokenRequest): Promise<void> {
    const params = readParams(request);
    const client = await this.authenticate(request, params);
    await this.tokens.revoke(required(params, 'token'), client.clientId);
  }

  private async authenticate(request: TokenRequest, params: Map<string, string>): Promise<OAuthClient> {
    const basic = basicCredentials(request.authorization);
    const postedId = params.get('client_id');
    const postedSecret = params.get('client_secret');
    if (basic && postedSecret !== undefined) {
      throw new HarnessError('OAUTH_INVALID_REQUEST', 'use one client authentication method: HTTP Basic or client_secret in the body, not both');
    }
    let credentials = basic;
    if (basic && postedId !== undefined && postedId !== basic.clientId) {
      throw new HarnessError('OAUTH_INVALID_CLIENT', 'client_id differs from the authenticated client');
    }
    if (!basic && postedId !== undefined && postedSecret !== undefined) credentials = { clientId: postedId, clientSecret: postedSecret };
    if (!credentials) {
      throw new HarnessError('OAUTH_INVALID_CLIENT', 'client authentication is required (HTTP Basic, or client_id and client_secret in the body)');
    }
    const client = await this.clients.authenticate(credentials.clientId, credentials.clientSecret);
    if (!client) throw new HarnessError('OAUTH_INVALID_CLIENT', 'unknown client or wrong client secret');
    return client;
  }

  /** The grant a code stands for, once every binding of the code checks out and it is used up. */
  private async authorizationCode(client: OAuthClient, params: Map<string, string>): Promise<AccessGrant> {
    const code = required(params, 'code');
    const found = await this.codes.lookup(code);
    if (found.kind === 'used') {
      await this.tokens.revokeGrant(found.endpointId);
      throw invalidGrant('the authorization code was already used; the tokens issued for it are revoked');
    }
    if (found.kind === 'unknown') throw invalidGrant('unknown or expired authorization code');
    const grant = found.grant;
    if (grant.clientId !== client.clientId || grant.clientRegistration !== client.registration) {
      throw invalidGrant('the authorization code was issued to another client');
    }
    const redirectUri = params.get('redirect_uri');
    if ((grant.redirectUriGiven || redirectUri !== undefined) && redirectUri !== grant.redirectUri) {
      throw invalidGrant('redirect_uri differs from the one of the authorization request');
    }
    const verifier = params.get('code_verifier');
    if (grant.codeChallenge !== undefined) {
      if (verifier === undefined) throw invalidGrant('code_verifier is missing (the authorization request sent a code_challenge)');
      if (!verifyCodeVerifier(verifier, grant.codeChallenge)) throw invalidGrant('code_verifier does not match the code_challenge');
    } else if (verifier !== undefined) {
      // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a PKCE downgrade.
      throw invalidGrant('code_verifier sent, but the authorization request had no code_challenge');
    }
    if (!(await this.codes.redeem(code))) throw invalidGrant('the authorization code was already used');
    return {
      accountId: grant.accountId,
      userId: grant.userId,
      clientId: grant.clientId,
      scope: grant.scope,
      endpointId: grant.endpointId,
      ...(grant.clientRegistration !== undefined && { clientRegistration: grant.clientRegistration }),
    };
  }

  /** The grant behind a refresh token, which is used up (rotation: it answers once). */
  private async refreshToken(client: OAuthClient, params: Map<string, string>): Promise<AccessGrant> {
    const token = required(params, 'refresh_token');
    const grant = await this.tokens.peekRefresh(token);
    if (!grant) throw invalidGrant('unknown, expired, used or revoked refresh token');
    if (grant.clientId !== client.clientId || grant.clientRegistration !== client.registration) {
      throw invalidGrant('the refresh token was issued to another client');
    }
    const scope = this.narrowedScope(grant, params.get('scope'));
    await this.assertAuthorizerStillAdmin(grant);
    const taken = await this.tokens.takeRefresh(token);
    if (!taken) throw invalidGrant('the refresh token was already used');
    return { ...taken, scope };
  }

  /** RFC 6749 §6: a refresh may narrow the scope, never widen it. */
  private narrowedScope(grant: AccessGrant, requested: string | undefined): string {
    if (requested === undefined) return grant.scope;
    const granted = new Set(grant.scope.split(' '));
    const asked = requested.split(' ').filter(Boolean);
    if (asked.length === 0 || asked.some((s) => !granted.has(s))) {
      throw new HarnessError('OAUTH_INVALID_SCOPE', `scope ${requested} exceeds the granted scope ${grant.scope}`);
    }
    return asked.join(' ');
  }

  /** The tokens act for the admin who authorized: they stop refreshing once that user is gone, inactive or demoted. */
  private async assertAuthorizerStillAdmin(grant: AccessGrant): Promise<void> {
    let user;
    try {
      user = await this.directory.get(grant.accountId, grant.userId);
    } catch {
      throw invalidGrant('the user who authorized this client no longer exists');
    }
    if (user.status !== 'active') throw invalidGrant(`the user who authorized this client is ${user.status}`);
    if (!ADMIN_ROLES.includes(user.role)) throw invalidGrant('the user who authorized this client is no longer a User Admin or higher');
  }

  private async issue(grant: AccessGrant): Promise<TokenResponse> {
    const issued = await this.tokens.issue(grant);
    return {
      access_token: issued.accessToken,
      token_type: 'bearer',
      expires_in: issued.expiresInSec,
      refresh_token: issued.refreshToken,
      refresh_token_expires_in: issued.refreshExpiresInSec,
      scope: grant.scope,
      owner_id: grant.userId,
      endpoint_id: issued.endpointId,
    };
  }
}
