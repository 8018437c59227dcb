// Every OAuth client the SP knows, as one lookup: the configured ones (config `sp.oauthClients`,
// the harness's own IdP among them) and the ones registered for an SP account in the store.
import type { AccountOAuthClients } from './account-clients.js';
import type { OAuthClient, OAuthClients } from './clients.js';

export class OAuthClientRegistry {
  constructor(
    readonly configured: OAuthClients,
    readonly accounts: AccountOAuthClients,
  ) {}

  async find(clientId: string | undefined): Promise<OAuthClient | undefined> {
    if (clientId === undefined) return undefined;
    return this.configured.find(clientId) ?? this.accounts.find(clientId);
  }

  async authenticate(clientId: string, clientSecret: string): Promise<OAuthClient | undefined> {
    if (this.configured.find(clientId)) return this.configured.authenticate(clientId, clientSecret);
    return this.accounts.authenticate(clientId, clientSecret);
  }

  /**
   * The redirect URI to use, or undefined when it is not registered. An account's client matches
   * by exact string comparison only (RFC 6749 §3.1.2.3; RFC 9700 §2.1); without redirect_uri, its
   * only URI when it has exactly one.
   */
  redirectUriFor(client: OAuthClient, requested: string | undefined): string | undefined {
    if (client.accountId === undefined) return this.configured.redirectUriFor(client, requested);
    if (requested === undefined) return client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
    return client.redirectUris.includes(requested) ? requested : undefined;
  }

  /**
   * Whether tokens granted to `clientId` under `registration` may still be used: the client still
   * exists, and is the same registration (not deleted and registered again under the same id).
   */
  async stillRegistered(clientId: string, registration: string | undefined): Promise<boolean> {
    const client = await this.find(clientId);
    return client !== undefined && client.registration === registration;
  }
}
