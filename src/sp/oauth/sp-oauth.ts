// OAuth 2.0 for provisioning clients (the harness's own IdP, and outside clients registered for
// one SP account): the SP issues access and refresh tokens to a User Admin (or higher) who
// authorized a client; SCIM requests need a valid access token (or an account's static token).
//
// Written to RFC 6749, RFC 7636 (S256) and RFC 7009 rather than on @node-oauth/oauth2-server: that
// library checks code and token expiry against the wall clock (`new Date()`), while the harness
// clock must be able to freeze and advance it, and it answers `token_type: "Bearer"` without
// RingCentral's extra fields. The pieces, in this folder: clients (configured clients, redirect URIs,
// client authentication), account-clients (clients of one account, in the store),
// client-registry (both as one lookup), authorize (sign-in, consent, role check), codes,
// token-store (issued tokens), token-endpoint (the token and revocation endpoints).
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/types.js';
import type { SpAccounts } from '../accounts.js';
import type { SpDirectory } from '../directory.js';
import { AuthorizationFlow } from './authorize.js';
import { AccountOAuthClients } from './account-clients.js';
import { OAuthClientRegistry } from './client-registry.js';
import { OAuthClients, type ConfiguredOAuthClient } from './clients.js';
import { AuthorizationCodes } from './codes.js';
import { TokenEndpoint } from './token-endpoint.js';
import { REFRESH_TTL_SEC, TokenStore, type AccessGrant, type IssuedTokens } from './token-store.js';

export type { AccessGrant, IssuedTokens } from './token-store.js';
export type { ConfiguredOAuthClient, OAuthClient } from './clients.js';

export interface SpOAuthOptions {
  /** The configured clients (config `sp.oauthClients`). */
  clients: readonly ConfiguredOAuthClient[];
  accounts: SpAccounts;
  directory: SpDirectory;
}

export class SpOAuth {
  /** The configured clients and those registered for an SP account. */
  readonly clients: OAuthClientRegistry;
  /** Clients registered for one SP account (admin API, console, config file). */
  readonly accountClients: AccountOAuthClients;
  /** GET /authorize and its sign-in, consent and role-check steps. */
  readonly authorization: AuthorizationFlow;
  /** POST /token and POST /revoke. */
  readonly tokenEndpoint: TokenEndpoint;
  private readonly tokens: TokenStore;

  constructor(store: Store, clock: Clock, options: SpOAuthOptions) {
    const configured = new OAuthClients(options.clients);
    this.accountClients = new AccountOAuthClients(store, options.accounts, () => clock.now(), new Set(options.clients.map((c) => c.clientId)));
    this.clients = new OAuthClientRegistry(configured, this.accountClients);
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
    const grant = await this.tokens.verifyAccess(token);
    // An account's client can be deleted at any time: its tokens end with it. (Configured
    // clients live as long as the process.)
    if (grant?.clientRegistration !== undefined && !(await this.clients.stillRegistered(grant.clientId, grant.clientRegistration))) return undefined;
    return grant;
  }

  /** Uses up a refresh token (rotation) and returns its grant. */
  async takeRefreshToken(token: string): Promise<AccessGrant | undefined> {
    return this.tokens.takeRefresh(token);
  }
}
