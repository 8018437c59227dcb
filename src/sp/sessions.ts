// SP sessions and the Single Logout index beside them: session ids by account and NameID, so a
// LogoutRequest from the IdP finds the sessions it names. Both are bounded: the 10,000 newest
// sessions stay live (past that the oldest is signed out), and the index keeps the newest 50 of
// one user.
import type { Clock } from '../clock.js';
import { randomToken } from '../crypto/random-token.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { Store } from '../store/types.js';
import type { SpSession, SpUser } from './model.js';

const principalKey = (accountId: string, nameId: string): string => `${accountId}\n${nameId}`;

/** One SP session of a user, as the Single Logout index keeps it. */
export interface PrincipalSession {
  sessionId: string;
  sessionIndex?: string;
  expiresAtMs: number;
}

/**
 * How many sessions of one user the Single Logout index keeps (the newest): a load test logging one
 * user in thousands of times must not make each login copy a longer list.
 */
const PRINCIPAL_SESSIONS = 50;

export const SP_SESSIONS = expiringMap<SpSession>(MAP.spSessions);
export const SP_SESSIONS_BY_PRINCIPAL = expiringMap<PrincipalSession[]>(MAP.spSessionsByPrincipal);

export class SpSessions {
  private readonly sessions;
  private readonly principals;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly lifetimeSec: number,
  ) {
    this.sessions = store.expiring(SP_SESSIONS);
    this.principals = store.expiring(SP_SESSIONS_BY_PRINCIPAL);
  }

  async start(user: SpUser, via: SpSession['via'], extra: Partial<SpSession>): Promise<SpSession> {
    const now = this.clock.now();
    const session: SpSession = {
      ...extra,
      id: randomToken(24, 'base64url'),
      accountId: user.accountId,
      userId: user.id,
      email: user.email,
      via,
      startedAt: new Date(now).toISOString(),
    };
    const expiresAtMs = now + this.lifetimeSec * 1000;
    const { nameId } = session;
    if (nameId === undefined) {
      await this.sessions.set(session.id, session, expiresAtMs);
      return session;
    }
    // The session and its entry in the Single Logout index are written together (one commit).
    await this.store.transaction(async () => {
      await this.sessions.set(session.id, session, expiresAtMs);
      // Bounded: the live sessions of one user, newest last, at most PRINCIPAL_SESSIONS of them.
      const key = principalKey(session.accountId, nameId);
      const live = ((await this.principals.get(key, now)) ?? []).filter((s) => s.expiresAtMs > now);
      const entry: PrincipalSession = { sessionId: session.id, expiresAtMs, ...(session.sessionIndex !== undefined && { sessionIndex: session.sessionIndex }) };
      await this.principals.set(key, [...live, entry].slice(-PRINCIPAL_SESSIONS), expiresAtMs);
    });
    return session;
  }

  /** Ends the account's sessions of this NameID (of the given SessionIndexes, when any); returns how many were live. */
  async endAllOf(accountId: string, nameId: string, sessionIndexes: readonly string[]): Promise<number> {
    const now = this.clock.now();
    const key = principalKey(accountId, nameId);
    const known = (await this.principals.get(key, now)) ?? [];
    const named = (s: PrincipalSession) => sessionIndexes.length === 0 || (s.sessionIndex !== undefined && sessionIndexes.includes(s.sessionIndex));
    let ended = 0;
    for (const s of known.filter(named)) {
      if (await this.sessions.take(s.sessionId, now)) ended += 1;
    }
    const kept = known.filter((s) => !named(s) && s.expiresAtMs > now);
    if (kept.length > 0) await this.principals.set(key, kept, now + this.lifetimeSec * 1000);
    else await this.principals.delete(key);
    return ended;
  }

  async get(id: string | undefined): Promise<SpSession | undefined> {
    return id ? this.sessions.get(id, this.clock.now()) : undefined;
  }

  async end(id: string): Promise<void> {
    await this.sessions.delete(id);
  }
}
