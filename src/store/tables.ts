// Every table and expiring map the harness keeps: its name, the type of what it holds and, for a
// map, its bounds. Callers open storage through these references only, so a call site cannot name
// a table that does not exist, or read a row as another type, and each map's bounds are stated once.
// The row types stay with the code that owns them and are imported as types only: erased at build,
// so storage still loads nothing above it.
import type { IdmState } from '../idp/identity-management.js';
import type { AppKeysRecord } from '../idp/app-keys.js';
import type { LogoutChain } from '../idp/logout.js';
import type { IdpApp, IdpGroup, IdpUser } from '../idp/model.js';
import type { IdpEmail } from '../idp/outbox.js';
import type { IdpSession, PendingLogin } from '../idp/sso.js';
import type { StoredJob } from '../provisioning/job-log.js';
import type { UserLink } from '../provisioning/links.js';
import type { PendingAuthorization } from '../provisioning/oauth-client.js';
import type { OutstandingRequest } from '../saml/validate/types.js';
import type { AccountOAuthClientRow } from '../sp/oauth/account-clients.js';
import type { PendingActivation } from '../sp/activation.js';
import type { Account, SpSession, SpUser } from '../sp/model.js';
import type { AuthorizationRequest } from '../sp/oauth/authorize.js';
import type { CodeGrant } from '../sp/oauth/codes.js';
import type { AccessGrant } from '../sp/oauth/token-store.js';
import type { OutboxMessage } from '../sp/outbox.js';
import type { ScimTokenRow } from '../sp/scim-tokens.js';
import type { PrincipalSession } from '../sp/sessions.js';
import { mapRef, tableRef } from './types.js';

/**
 * The harness's own marks, kept through a blank start: what seeded the state (`seed`), and each
 * OAuth client secret made at the first start (`oauth-client-secret:<client id>`).
 */
export type HarnessMark = { id: string; what: string; at: string; done: boolean } | { id: string; secret: string };

export const tables = {
  harnessMeta: tableRef<HarnessMark>('harness.meta'),

  spAccounts: tableRef<Account>('sp.accounts'),
  spUsers: tableRef<SpUser>('sp.users'),
  spOutbox: tableRef<OutboxMessage>('sp.outbox'),
  spScimTokens: tableRef<ScimTokenRow>('sp.scim.tokens'),
  spAccountOAuthClients: tableRef<AccountOAuthClientRow>('sp.oauth.accountClients'),

  idpApps: tableRef<IdpApp>('idp.apps'),
  idpAppKeys: tableRef<AppKeysRecord>('idp.app-keys'),
  idpUsers: tableRef<IdpUser>('idp.users'),
  idpGroups: tableRef<IdpGroup>('idp.groups'),
  idpOutbox: tableRef<IdpEmail>('idp.outbox'),
  idpIdentityManagement: tableRef<IdmState>('idp.idm'),
  idpProvisioningLinks: tableRef<UserLink>('idp.idm.links'),
  idpProvisioningJobs: tableRef<StoredJob>('idp.idm.jobs'),
} as const;

export const maps = {
  adminSessions: mapRef<{ csrf: string }>('admin.sessions', { maxEntries: 10_000 }),

  spSessions: mapRef<SpSession>('sp.sessions', { maxEntries: 10_000 }),
  spSessionsByPrincipal: mapRef<PrincipalSession[]>('sp.sessions.by-principal', { maxEntries: 10_000 }),
  /**
   * Never drops a live request to make room: anyone can start logins without signing in, so
   * dropping the oldest would let a flood of starts break the logins of everyone else in progress.
   * Full of live requests, it refuses new starts (SP_LOGIN_BUSY) until some finish.
   */
  spRequests: (maxEntries: number) => mapRef<OutstandingRequest & { target?: string }>('sp.requests', { maxEntries, whenFull: 'refuse' }),
  /**
   * Never drops a live assertion ID to make room (that would reopen replay): full of live IDs, it
   * refuses the login (STORE_FULL). 1,000,000 covers 2,000 logins/s for the default 480 s (300 s
   * assertion + 180 s skew), at about 120 B each.
   */
  spAssertions: mapRef<true>('sp.assertions', { maxEntries: 1_000_000, whenFull: 'refuse' }),
  spLogoutRequests: mapRef<{ accountId: string }>('sp.logout.requests', { maxEntries: 50_000 }),
  spActivation: mapRef<PendingActivation>('sp.activation', { maxEntries: 100_000 }),
  spOAuthRequests: mapRef<AuthorizationRequest>('sp.oauth.requests', { maxEntries: 50_000, whenFull: 'refuse' }),
  spOAuthCodes: mapRef<CodeGrant>('sp.oauth.codes', { maxEntries: 100_000 }),
  spOAuthCodesUsed: mapRef<string>('sp.oauth.codes.used', { maxEntries: 100_000 }),
  spOAuthAccess: mapRef<AccessGrant>('sp.oauth.access', { maxEntries: 100_000 }),
  spOAuthRefresh: mapRef<AccessGrant>('sp.oauth.refresh', { maxEntries: 100_000 }),
  spOAuthRevoked: mapRef<true>('sp.oauth.revoked', { maxEntries: 100_000 }),

  idpPending: mapRef<PendingLogin>('idp.pending', { maxEntries: 50_000, whenFull: 'refuse' }),
  idpSessions: mapRef<IdpSession>('idp.sessions', { maxEntries: 50_000 }),
  idpLogoutChains: mapRef<LogoutChain>('idp.logout.chains', { maxEntries: 10_000 }),
  idpNextResponse: mapRef<string>('idp.next-response', { maxEntries: 10_000 }),
  /** The request IDs one SP has had answered, each SP's on its own (a flood from one SP fills only its own). */
  idpServedRequests: (spEntityId: string, maxEntries: number) =>
    mapRef<true>(`idp.served-requests:${spEntityId}`, { maxEntries, whenFull: 'refuse' }),
  idpProvisioningAuthorizations: mapRef<PendingAuthorization>('idp.idm.authorizations', { maxEntries: 1000 }),
} as const;
