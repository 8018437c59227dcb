// OAuth 2.0 for the IdP's provisioning client: the SP issues access and refresh tokens to a
// User Admin (or higher) who authorized a client; SCIM requests need a valid access token.
//
// Written to RFC 6749, RFC 7636 (S256) and RFC 7009 rather than on @node-oauth/oauth2-server: that
// library checks code and token expiry against the wall clock (`new Date()`), while the harness
// clock must be able to freeze and advance it, and it answers `token_type: "Bearer"` without
// RingCentral's extra fields. The pieces: oauth-clients (registry, redirect URIs, client
// authentication), oauth-authorize (sign-in, consent, role check), oauth-codes, oauth-tokens,
// oauth-token (the token and revocation endpoints).
import type { Clock } from '../clock.js';
import type { Store } from '../store/types.js';
import type { SpAccounts } from './accounts.js';
import type { SpDirectory } from './directory.js';
import { AuthorizationFlow } from './oauth-authorize.js';
import { OAuthClients, type OAuthClient } from './oauth-clients.js';
import { AuthorizationCodes } from './oauth-codes.js';
import { TokenEndpoint } from './oauth-token.js';
import { REFRESH_TTL_SEC, TokenStore, type AccessGrant, type IssuedTokens } from './oauth-tokens.js';

export type { AccessGrant, IssuedTokens } from './oauth-tokens.js';
export type { OAuthClient } from './oauth-clients.js';

export interface SpOAuthOptions {
  /** The registered clients (config `sp.oauthClients`). */
  clients: readonly OAuthClient[];
  accounts: SpAccounts;
  directory: SpDirectory;
}

export class SpOAuth {
  readonly clients: OAuthClients;
  /** GET /authorize and its sign-in, consent and role-check steps. */
  readonly authorization: AuthorizationFlow;
  /** POST /token and POST /revoke. */
  readonly tokenEndpoint: TokenEndpoint;
  private readonly tokens: TokenStore;

  constructor(store: Store, clock: Clock, options: SpOAuthOptions) {
    this.clients = new OAuthClients(options.clients);
    this.tokens = new TokenStore(store, clock);
    const codes = new AuthorizationCodes(store, clock, REFRESH_TTL_SEC);
    this.authorization = new AuthorizationFlow(store, clock, this.clients, codes, options.accounts, options.directory);
    this.tokenEndpoint = new TokenEndpoint(this.clients, codes, this.tokens, options.directory);
  }

  /** Issues a fresh access/refresh token pair for a grant. */
  async issueTokens(grant: AccessGrant): Promise<IssuedTokens> {
    return this.tokens.issue(grant);
  }

  /** The grant behind a bearer token, or undefined when unknown, expired (harness clock) or revoked. */
  async verifyAccessToken(token: string): Promise<AccessGrant | undefined> {
    return this.tokens.verifyAccess(token);
  }

  /** Uses up a refresh token (rotation) and returns its grant. */
  async takeRefreshToken(token: string): Promise<AccessGrant | undefined> {
    return this.tokens.takeRefresh(token);
  }
}
