// The OAuth clients configured with the SP (config `sp.oauthClients`): who may ask for an
// authorization, where the browser may be sent back to, and client authentication. Clients
// registered for one SP account live in the store (account-oauth-clients.ts).
import { createHash, timingSafeEqual } from 'node:crypto';

/** A client as the authorization flow and the token endpoint see it. */
export interface OAuthClient {
  readonly clientId: string;
  /** Shown on the consent page. */
  readonly name: string;
  /** Exact URIs, or (configured clients only) patterns where `*` stands for one whole path segment. */
  readonly redirectUris: readonly string[];
  /** The one SP account a client registered for an account may be authorized for; none for configured clients. */
  readonly accountId?: string;
  /** Which registration of the client id this is (account clients): tokens name it, so a client registered again does not revive them. */
  readonly registration?: string;
}

/** A client from config `sp.oauthClients`: the harness holds its secret (the IdP's own client uses it). */
export interface ConfiguredOAuthClient extends OAuthClient {
  readonly clientSecret: string;
}

/** What a `*` may match: one path segment of unreserved characters, never `.` or `..`. */
const SEGMENT = '[A-Za-z0-9_~-][A-Za-z0-9._~-]*';

function patternToRegExp(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join(SEGMENT)}$`);
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export class OAuthClients {
  private readonly byId: ReadonlyMap<string, { client: ConfiguredOAuthClient; patterns: RegExp[] }>;

  constructor(clients: readonly ConfiguredOAuthClient[]) {
    this.byId = new Map(
      clients.map((client) => [
        client.clientId,
        { client, patterns: client.redirectUris.filter((u) => u.includes('*')).map(patternToRegExp) },
      ]),
    );
  }

  list(): ConfiguredOAuthClient[] {
    return [...this.byId.values()].map((e) => e.client);
  }

  find(clientId: string | undefined): ConfiguredOAuthClient | undefined {
    return clientId === undefined ? undefined : this.byId.get(clientId)?.client;
  }

  /** The client when the secret is right; compared in constant time (over digests, so lengths leak nothing). */
  authenticate(clientId: string, clientSecret: string): ConfiguredOAuthClient | undefined {
    const client = this.find(clientId);
    const expected = digest(client?.clientSecret ?? '');
    const ok = timingSafeEqual(expected, digest(clientSecret));
    return client && ok ? client : undefined;
  }

  /**
   * The redirect URI to use, or undefined when it is not registered. RFC 6749 §3.1.2.3: simple
   * string comparison against the registered URIs; a request without one gets the client's only
   * registered exact URI. A pattern segment cannot match `/`, `?`, `%` or `..`, so it cannot be
   * bent into an open redirect.
   */
  redirectUriFor(client: OAuthClient, requested: string | undefined): string | undefined {
    const entry = this.byId.get(client.clientId);
    if (!entry) return undefined;
    if (requested === undefined) {
      const exact = client.redirectUris.filter((u) => !u.includes('*'));
      return exact.length === 1 && entry.patterns.length === 0 ? exact[0] : undefined;
    }
    if (client.redirectUris.includes(requested) && !requested.includes('*')) return requested;
    return entry.patterns.some((p) => p.test(requested)) ? requested : undefined;
  }
}
