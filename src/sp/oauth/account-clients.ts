// OAuth clients registered for one SP account: an outside IdP's provisioning (Okta's "OAuth 2"
// SCIM connection, a customer's connector) gets a client id and a secret shown once, and its
// authorizations can only ever be for that account. The store keeps the secret's SHA-256 only.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HarnessError } from '../../errors.js';
import { TABLE, table } from '../../store/tables.js';
import type { Store, Table } from '../../store/types.js';
import { parseInput } from '../../validation.js';
import { accountOAuthClientInput, type AccountOAuthClientInput } from '../inputs.js';
import type { AccountLookup } from '../model.js';
import type { OAuthClient } from './clients.js';
import { assertPlanIncludes } from '../plans.js';

export interface AccountOAuthClientRow {
  /** The client id. */
  id: string;
  accountId: string;
  name: string;
  redirectUris: string[];
  /**
   * SHA-256 of the secret (base64url). A fast hash is enough for a secret of 256 random bits (or
   * one of at least 32 characters chosen in the config file): nothing can be guessed from it.
   */
  secretSha256: string;
  registration: string;
  createdAt: string;
}

export const SP_ACCOUNT_OAUTH_CLIENTS = table<AccountOAuthClientRow>(TABLE.spAccountOAuthClients);

/** A client as the admin API and the console list it: never its secret. */
export interface AccountOAuthClientView {
  clientId: string;
  accountId: string;
  name: string;
  redirectUris: string[];
  createdAt: string;
}

/** The answer to a registration: the one time the secret is shown. */
export type RegisteredAccountClient = AccountOAuthClientView & { clientSecret: string };

/** More clients than anyone connects to one account; a bound on what an admin token can fill. */
export const MAX_CLIENTS_PER_ACCOUNT = 20;

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const view = (row: AccountOAuthClientRow): AccountOAuthClientView => ({
  clientId: row.id,
  accountId: row.accountId,
  name: row.name,
  redirectUris: [...row.redirectUris],
  createdAt: row.createdAt,
});

const asClient = (row: AccountOAuthClientRow): OAuthClient => ({
  clientId: row.id,
  name: row.name,
  redirectUris: row.redirectUris,
  accountId: row.accountId,
  registration: row.registration,
});

function notFound(accountId: string, clientId: string): HarnessError {
  return new HarnessError('SP_OAUTH_CLIENT_NOT_FOUND', `account ${accountId} has no OAuth client ${clientId}`, {
    expected: `a client id listed by GET /sp/api/accounts/${accountId}/oauth-clients`,
    received: clientId,
  });
}

export class AccountOAuthClients {
  constructor(
    private readonly store: Store,
    private readonly accounts: AccountLookup,
    private readonly nowMs: () => number,
    /** Client ids of the configured clients (config `sp.oauthClients`), which no account client may take. */
    private readonly reservedIds: ReadonlySet<string>,
  ) {}

  private table(s: Store = this.store): Table<AccountOAuthClientRow> {
    return s.table(SP_ACCOUNT_OAUTH_CLIENTS);
  }

  async register(accountId: string, input: AccountOAuthClientInput): Promise<RegisteredAccountClient> {
    const data = parseInput(accountOAuthClientInput, input, 'OAuth client');
    assertPlanIncludes(await this.accounts.get(accountId), 'identity-management');
    const clientSecret = data.clientSecret ?? randomBytes(32).toString('base64url');
    const row: AccountOAuthClientRow = {
      id: data.clientId ?? `rc-${randomBytes(12).toString('base64url')}`,
      accountId,
      name: data.name,
      redirectUris: [...new Set(data.redirectUris)],
      secretSha256: sha256(clientSecret).toString('base64url'),
      registration: randomBytes(16).toString('base64url'),
      createdAt: new Date(this.nowMs()).toISOString(),
    };
    await this.store.transaction(async (tx) => {
      if (this.reservedIds.has(row.id) || (await this.table(tx).get(row.id))) {
        throw new HarnessError('CONFLICT', `the OAuth client id ${row.id} is taken`, {
          expected: 'a client id no other client uses (or none: one is generated)',
          received: row.id,
        });
      }
      const count = (await this.table(tx).findBy('accountId', accountId)).length;
      if (count >= MAX_CLIENTS_PER_ACCOUNT) {
        throw new HarnessError('SP_CREDENTIAL_LIMIT', `account ${accountId} has ${count} OAuth clients, the most it may have`, {
          expected: `fewer than ${MAX_CLIENTS_PER_ACCOUNT} OAuth clients: delete one first`,
          received: `${count} clients`,
        });
      }
      await this.table(tx).insert(row);
    });
    return { ...view(row), clientSecret };
  }

  async list(accountId: string): Promise<AccountOAuthClientView[]> {
    await this.accounts.get(accountId);
    const rows = await this.table().findBy('accountId', accountId);
    return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(view);
  }

  /** Deletes the client: its tokens stop working at once, and its refresh tokens refresh nothing. */
  async delete(accountId: string, clientId: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.table(tx).get(clientId);
      if (!row || row.accountId !== accountId) throw notFound(accountId, clientId);
      await this.table(tx).delete(clientId);
    });
  }

  async find(clientId: string): Promise<OAuthClient | undefined> {
    const row = await this.table().get(clientId);
    return row && asClient(row);
  }

  /** The client when the secret is right, compared in constant time over digests. */
  async authenticate(clientId: string, clientSecret: string): Promise<OAuthClient | undefined> {
    const row = await this.table().get(clientId);
    const expected = row ? Buffer.from(row.secretSha256, 'base64url') : sha256('');
    const ok = expected.length === 32 && timingSafeEqual(expected, sha256(clientSecret));
    return row && ok ? asClient(row) : undefined;
  }
}
