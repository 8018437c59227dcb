// Static bearer tokens for one SP account's SCIM API: what a client configured with a fixed
// secret sends (Entra's "Secret Token", Okta's "HTTP Header" authentication). Minted with a name,
// shown once, listed with their creation and last use, revoked by deleting them.
import { createHash, randomBytes } from 'node:crypto';
import { HarnessError } from '../errors.js';
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';
import { parseInput } from '../validation.js';
import { scimTokenInput, type ScimTokenInput } from './inputs.js';
import type { AccountLookup } from './model.js';
import { assertPlanIncludes } from './plans.js';

export interface ScimTokenRow {
  /** The token's public id (for listing and revoking), not the token. */
  id: string;
  accountId: string;
  name: string;
  /**
   * SHA-256 of the token (base64url). The token is 256 random bits, so a fast unsalted hash
   * cannot be reversed or guessed, and the store can find a token by its hash in one indexed
   * lookup (a salted slow hash would need the row first).
   */
  tokenSha256: string;
  createdAt: string;
  lastUsedAt?: string;
}

export const SP_SCIM_TOKENS = table<ScimTokenRow>(TABLE.spScimTokens);

export type ScimTokenView = Omit<ScimTokenRow, 'tokenSha256'>;

/** The answer to minting: the one time the token is shown. */
export type MintedScimToken = ScimTokenView & { token: string };

/** Who a static token lets in: one account's SCIM tenant. */
export interface ScimTokenGrant {
  accountId: string;
  tokenId: string;
}

/** Every static token starts so: the SCIM API tells them from OAuth access tokens, and secret scanners can spot one. */
export const SCIM_TOKEN_PREFIX = 'rcscim_';
export const MAX_TOKENS_PER_ACCOUNT = 50;
/** Last use is written at most this often per token, not on every request. */
export const LAST_USE_RESOLUTION_MS = 60_000;

const sha256 = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64url');
const view = ({ tokenSha256: _hash, ...rest }: ScimTokenRow): ScimTokenView => rest;

export class ScimTokens {
  constructor(
    private readonly store: Store,
    private readonly accounts: AccountLookup,
    private readonly nowMs: () => number,
  ) {}

  private table(s: Store = this.store): Table<ScimTokenRow> {
    return s.table(SP_SCIM_TOKENS);
  }

  async mint(accountId: string, input: ScimTokenInput): Promise<MintedScimToken> {
    const data = parseInput(scimTokenInput, input, 'SCIM token');
    assertPlanIncludes(await this.accounts.get(accountId), 'identity-management');
    const token = `${SCIM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: ScimTokenRow = {
      id: `tok-${randomBytes(9).toString('base64url')}`,
      accountId,
      name: data.name,
      tokenSha256: sha256(token),
      createdAt: new Date(this.nowMs()).toISOString(),
    };
    await this.store.transaction(async (tx) => {
      const count = (await this.table(tx).findBy('accountId', accountId)).length;
      if (count >= MAX_TOKENS_PER_ACCOUNT) {
        throw new HarnessError('SP_CREDENTIAL_LIMIT', `account ${accountId} has ${count} SCIM tokens, the most it may have`, {
          expected: `fewer than ${MAX_TOKENS_PER_ACCOUNT} SCIM tokens: revoke one first`,
          received: `${count} tokens`,
        });
      }
      await this.table(tx).insert(row);
    });
    return { ...view(row), token };
  }

  async list(accountId: string): Promise<ScimTokenView[]> {
    await this.accounts.get(accountId);
    const rows = await this.table().findBy('accountId', accountId);
    return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(view);
  }

  async revoke(accountId: string, tokenId: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.table(tx).get(tokenId);
      if (!row || row.accountId !== accountId) {
        throw new HarnessError('SP_SCIM_TOKEN_NOT_FOUND', `account ${accountId} has no SCIM token ${tokenId}`, {
          expected: `a token id listed by GET /sp/api/accounts/${accountId}/scim-tokens (the id, not the token)`,
          received: tokenId,
        });
      }
      await this.table(tx).delete(tokenId);
    });
  }

  /** The account a live token grants, or undefined for an unknown or revoked one. */
  async verify(token: string): Promise<ScimTokenGrant | undefined> {
    if (!token.startsWith(SCIM_TOKEN_PREFIX)) return undefined;
    const row = (await this.table().findBy('tokenSha256', sha256(token)))[0];
    if (!row) return undefined;
    const now = this.nowMs();
    const last = row.lastUsedAt === undefined ? undefined : Date.parse(row.lastUsedAt);
    if (last === undefined || now - last >= LAST_USE_RESOLUTION_MS || now < last) {
      try {
        await this.table().update({ ...row, lastUsedAt: new Date(now).toISOString() });
      } catch (err) {
        // Revoked between the read and the write: the token is no longer good.
        if (err instanceof HarnessError && err.code === 'NOT_FOUND') return undefined;
        throw err;
      }
    }
    return { accountId: row.accountId, tokenId: row.id };
  }
}
