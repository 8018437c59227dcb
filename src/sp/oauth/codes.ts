// Authorization codes: short-lived, single use, bound to the client, the redirect URI and the
// PKCE challenge, stored by their SHA-256. A used code is remembered so a second use can revoke
// the tokens the first one got (RFC 6749 §4.1.2: the code was probably stolen).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { MAP, expiringMap } from '../../store/tables.js';
import type { Store } from '../../store/types.js';
import { hashToken } from './token-store.js';

export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  /** redirect_uri was in the authorization request, so the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  codeChallenge?: string;
  accountId: string;
  userId: string;
  scope: string;
  /** The authorization the tokens will descend from (RingCentral's endpoint_id). */
  endpointId: string;
  /** The registration of an account's client the code was issued to. */
  clientRegistration?: string;
}

export type CodeLookup = { kind: 'live'; grant: CodeGrant } | { kind: 'used'; endpointId: string } | { kind: 'unknown' };

/** RingCentral's codes live 60 s. */
export const CODE_TTL_SEC = 60;

export const SP_OAUTH_CODES = expiringMap<CodeGrant>(MAP.spOAuthCodes);
export const SP_OAUTH_CODES_USED = expiringMap<string>(MAP.spOAuthCodesUsed);

export class AuthorizationCodes {
  private readonly codes;
  private readonly used;

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** How long a used code is remembered: as long as tokens descending from it can live. */
    private readonly usedMemorySec: number,
  ) {
    this.codes = store.expiring(SP_OAUTH_CODES);
    this.used = store.expiring(SP_OAUTH_CODES_USED);
  }

  async issue(grant: CodeGrant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.codes.set(hashToken(code), grant, this.clock.now() + CODE_TTL_SEC * 1000);
    return code;
  }

  async lookup(code: string): Promise<CodeLookup> {
    const key = hashToken(code);
    const now = this.clock.now();
    const grant = await this.codes.get(key, now);
    if (grant) return { kind: 'live', grant };
    const endpointId = await this.used.get(key, now);
    return endpointId === undefined ? { kind: 'unknown' } : { kind: 'used', endpointId };
  }

  /** Uses the code up; false when another request used it first. */
  async redeem(code: string): Promise<boolean> {
    const key = hashToken(code);
    const now = this.clock.now();
    const grant = await this.codes.take(key, now);
    if (!grant) return false;
    await this.used.set(key, grant.endpointId, now + this.usedMemorySec * 1000);
    return true;
  }
}
