// Every table and expiring map the harness keeps: its name and, for a map, its bounds, written here
// and nowhere else. What each holds is declared by the module that owns it, which makes its handle
// from the name here (`export const SP_USERS = table<SpUser>(TABLE.spUsers)`): storage names no
// type of the layers above it, and a call site still opens storage through a typed handle only, so
// it cannot name a table that does not exist, or read a row as another type.
import { mapRef, tableRef, type ExpiringMapOptions, type MapRef, type Row, type TableRef } from './types.js';

declare const registered: unique symbol;

/** A table's name, as this registry writes it: a string elsewhere is no table name. */
export type TableName = string & { readonly [registered]: 'table' };

/** An expiring map of the registry: its name and its bounds. */
export interface MapEntry {
  readonly name: string & { readonly [registered]: 'map' };
  readonly options: ExpiringMapOptions;
}

const tableNames = <K extends string>(names: Record<K, string>): Readonly<Record<K, TableName>> => Object.freeze(names as Record<K, TableName>);

const bounded = (name: string, options: ExpiringMapOptions): MapEntry => Object.freeze({ name: name as MapEntry['name'], options: Object.freeze({ ...options }) });

export const TABLE = tableNames({
  /** The harness's own marks, kept through a blank start (harness/context.ts). */
  harnessMeta: 'harness.meta',

  spAccounts: 'sp.accounts',
  spUsers: 'sp.users',
  spOutbox: 'sp.outbox',
  spScimTokens: 'sp.scim.tokens',
  spAccountOAuthClients: 'sp.oauth.accountClients',

  idpApps: 'idp.apps',
  idpAppKeys: 'idp.app-keys',
  idpUsers: 'idp.users',
  idpGroups: 'idp.groups',
  idpOutbox: 'idp.outbox',
  idpIdentityManagement: 'idp.idm',
  idpProvisioningLinks: 'idp.idm.links',
  idpProvisioningJobs: 'idp.idm.jobs',
  idpImportRuns: 'idp.idm.imports',
});

export const MAP = {
  adminSessions: bounded('admin.sessions', { maxEntries: 10_000 }),

  spSessions: bounded('sp.sessions', { maxEntries: 10_000 }),
  spSessionsByPrincipal: bounded('sp.sessions.by-principal', { maxEntries: 10_000 }),
  /**
   * Never drops a live request to make room: anyone can start logins without signing in, so
   * dropping the oldest would let a flood of starts break the logins of everyone else in progress.
   * Full of live requests, it refuses new starts (SP_LOGIN_BUSY) until some finish.
   */
  spRequests: (maxEntries: number) => bounded('sp.requests', { maxEntries, whenFull: 'refuse' }),
  /**
   * Never drops a live assertion ID to make room (that would reopen replay): full of live IDs, it
   * refuses the login (STORE_FULL). 1,000,000 covers 2,000 logins/s for the default 480 s (300 s
   * assertion + 180 s skew), at about 120 B each.
   */
  spAssertions: bounded('sp.assertions', { maxEntries: 1_000_000, whenFull: 'refuse' }),
  spLogoutRequests: bounded('sp.logout.requests', { maxEntries: 50_000 }),
  spActivation: bounded('sp.activation', { maxEntries: 100_000 }),
  spOAuthRequests: bounded('sp.oauth.requests', { maxEntries: 50_000, whenFull: 'refuse' }),
  spOAuthCodes: bounded('sp.oauth.codes', { maxEntries: 100_000 }),
  spOAuthCodesUsed: bounded('sp.oauth.codes.used', { maxEntries: 100_000 }),
  spOAuthAccess: bounded('sp.oauth.access', { maxEntries: 100_000 }),
  spOAuthRefresh: bounded('sp.oauth.refresh', { maxEntries: 100_000 }),
  spOAuthRevoked: bounded('sp.oauth.revoked', { maxEntries: 100_000 }),

  idpPending: bounded('idp.pending', { maxEntries: 50_000, whenFull: 'refuse' }),
  idpSessions: bounded('idp.sessions', { maxEntries: 50_000 }),
  idpLogoutChains: bounded('idp.logout.chains', { maxEntries: 10_000 }),
  idpNextResponse: bounded('idp.next-response', { maxEntries: 10_000 }),
  /** The request IDs one SP has had answered, each SP's on its own (a flood from one SP fills only its own). */
  idpServedRequests: (spEntityId: string, maxEntries: number) => bounded(`idp.served-requests:${spEntityId}`, { maxEntries, whenFull: 'refuse' }),
  idpProvisioningAuthorizations: bounded('idp.idm.authorizations', { maxEntries: 1000 }),
} as const;

/** The handle of one table of the registry, typed by its owner with the rows it holds. */
export function table<T extends Row>(name: TableName): TableRef<T> {
  return tableRef<T>(name);
}

/** The handle of one expiring map of the registry, typed by its owner with the values it holds. */
export function expiringMap<V>(entry: MapEntry): MapRef<V> {
  return mapRef<V>(entry.name, entry.options);
}
