// The OAuth clients registered with the SP (from config `sp.oauthClients`): who may ask for an
// authorization, where the browser may be sent back to, and client authentication.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Shown on the consent page. */
  readonly name: string;
  /** Exact URIs, or patterns where `*` stands for one whole path segment. */
  readonly redirectUris: readonly string[];
}

/** What a `*` may match: one path segment of unreserved characters, never `.` or `..`. */
const SEGMENT = '[A-Za-z0-9_~-][A-Za-z0-9._~-]*';

function patternToRegExp(pattern: string): RegExp {
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join(SEGMENT)}$`);
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export class OAuthClients {
  private readonly byId: ReadonlyMap<string, { client: OAuthClient; patterns: RegExp[] }>;

  constructor(clients: readonly OAuthClient[]) {
    this.byId = new Map(
      clients.map((client) => [
        client.clientId,
        { client, patterns: client.redirectUris.filter((u) => u.includes('*')).map(patternToRegExp) },
      ]),
    );
  }

  list(): OAuthClient[] {
    return [...this.byId.values()].map((e) => e.client);
  }

  find(clientId: string | undefined): OAuthClient | undefined {
    return clientId === undefined ? undefined : this.byId.get(clientId)?.client;
  }

  /** The client when the secret is right; compared in constant time (over digests, so lengths leak nothing). */
  authenticate(clientId: string, clientSecret: string): OAuthClient | undefined {
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
