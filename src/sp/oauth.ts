// OAuth 2.0 for the IdP's provisioning client: the SP issues access and refresh tokens to a
// User Admin (or higher) who authorized a client; SCIM requests need a valid access token.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/types.js';

export interface AccessGrant {
  accountId: string;
  /** The SP user who authorized the client. */
  userId: string;
  clientId: string;
  scope: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSec: number;
  refreshExpiresInSec: number;
}

const ACCESS_TTL_SEC = 3600;
const REFRESH_TTL_SEC = 7 * 24 * 3600;

// Tokens are stored by their SHA-256: a leaked store does not leak usable tokens.
const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class SpOAuth {
  private readonly access;
  private readonly refresh;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.access = store.expiring<AccessGrant>('sp.oauth.access', { maxEntries: 100_000 });
    this.refresh = store.expiring<AccessGrant>('sp.oauth.refresh', { maxEntries: 100_000 });
  }

  /** Issues a fresh access/refresh token pair for a grant. */
  async issueTokens(grant: AccessGrant): Promise<IssuedTokens> {
    const now = this.clock.now();
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    await this.access.set(hashToken(accessToken), grant, now + ACCESS_TTL_SEC * 1000);
    await this.refresh.set(hashToken(refreshToken), grant, now + REFRESH_TTL_SEC * 1000);
    return { accessToken, refreshToken, expiresInSec: ACCESS_TTL_SEC, refreshExpiresInSec: REFRESH_TTL_SEC };
  }

  /** The grant behind a bearer token, or undefined when unknown or expired (harness clock). */
  async verifyAccessToken(token: string): Promise<AccessGrant | undefined> {
    return this.access.get(hashToken(token), this.clock.now());
  }

  /** Uses up a refresh token (rotation) and returns its grant. */
  async takeRefreshToken(token: string): Promise<AccessGrant | undefined> {
    return this.refresh.take(hashToken(token), this.clock.now());
  }
}
