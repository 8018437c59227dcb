// Access and refresh tokens: random, stored by their SHA-256 in expiring maps read with the SP's
// clock. Every pair descends from one authorization (its endpoint id); revoking that ends them all.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { MAP, expiringMap } from '../../store/tables.js';
import type { Store } from '../../store/types.js';

export interface AccessGrant {
  accountId: string;
  /** The SP user who authorized the client. */
  userId: string;
  clientId: string;
  scope: string;
  /** The authorization these tokens descend from (RingCentral's endpoint_id); set by issueTokens when absent. */
  endpointId?: string;
  /** The registration of an account's client the tokens were granted to (see OAuthClient.registration). */
  clientRegistration?: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSec: number;
  refreshExpiresInSec: number;
  endpointId: string;
}

/** RingCentral's lifetimes: access tokens 1 hour, refresh tokens 7 days. */
export const ACCESS_TTL_SEC = 3600;
export const REFRESH_TTL_SEC = 7 * 24 * 3600;

// Tokens are stored by their SHA-256: a leaked store does not leak usable tokens.
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export const newEndpointId = (): string => randomBytes(16).toString('base64url');

export const SP_OAUTH_ACCESS = expiringMap<AccessGrant>(MAP.spOAuthAccess);
export const SP_OAUTH_REFRESH = expiringMap<AccessGrant>(MAP.spOAuthRefresh);
export const SP_OAUTH_REVOKED = expiringMap<true>(MAP.spOAuthRevoked);

export class TokenStore {
  private readonly access;
  private readonly refresh;
  /** Revoked authorizations, remembered as long as any token issued before the revocation can live. */
  private readonly revoked;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.access = store.expiring(SP_OAUTH_ACCESS);
    this.refresh = store.expiring(SP_OAUTH_REFRESH);
    this.revoked = store.expiring(SP_OAUTH_REVOKED);
  }

  async issue(grant: AccessGrant): Promise<IssuedTokens> {
    const now = this.clock.now();
    const endpointId = grant.endpointId ?? newEndpointId();
    const stored: AccessGrant = { ...grant, endpointId };
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    await this.access.set(hashToken(accessToken), stored, now + ACCESS_TTL_SEC * 1000);
    await this.refresh.set(hashToken(refreshToken), stored, now + REFRESH_TTL_SEC * 1000);
    return { accessToken, refreshToken, expiresInSec: ACCESS_TTL_SEC, refreshExpiresInSec: REFRESH_TTL_SEC, endpointId };
  }

  private async live(grant: AccessGrant | undefined, now: number): Promise<AccessGrant | undefined> {
    if (!grant) return undefined;
    if (grant.endpointId !== undefined && (await this.revoked.get(grant.endpointId, now))) return undefined;
    return grant;
  }

  async verifyAccess(token: string): Promise<AccessGrant | undefined> {
    const now = this.clock.now();
    return this.live(await this.access.get(hashToken(token), now), now);
  }

  /** The grant behind a live refresh token, without using it up. */
  async peekRefresh(token: string): Promise<AccessGrant | undefined> {
    const now = this.clock.now();
    return this.live(await this.refresh.get(hashToken(token), now), now);
  }

  /** Uses up a refresh token (rotation): it answers once. */
  async takeRefresh(token: string): Promise<AccessGrant | undefined> {
    const now = this.clock.now();
    return this.live(await this.refresh.take(hashToken(token), now), now);
  }

  /** Ends every token of one authorization. */
  async revokeGrant(endpointId: string): Promise<void> {
    await this.revoked.set(endpointId, true, this.clock.now() + REFRESH_TTL_SEC * 1000);
  }

  /**
   * RFC 7009: revokes a token of this client. An access token ends alone; a refresh token ends
   * its whole authorization. Unknown tokens and other clients' tokens are left alone silently.
   */
  async revoke(token: string, clientId: string): Promise<void> {
    const key = hashToken(token);
    const now = this.clock.now();
    const access = await this.access.get(key, now);
    if (access?.clientId === clientId) await this.access.delete(key);
    const refresh = await this.refresh.get(key, now);
    if (refresh?.clientId === clientId) {
      await this.refresh.delete(key);
      if (refresh.endpointId !== undefined) await this.revokeGrant(refresh.endpointId);
    }
  }
}
