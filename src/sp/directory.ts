// Each SP account's user directory. A contact email is unique across the whole SP (RingCentral
// requires it), which is also how the login page finds the account for an email.
import { randomUUID } from 'node:crypto';
import { hashPassword, type PasswordHashCost } from '../crypto/passwords.js';
import { HarnessError } from '../errors.js';
import type { Store, Table } from '../store/types.js';
import { parseInput } from '../validation.js';
import { spUserInput, spUserPatch, type SpUserInput, type SpUserPatch } from './inputs.js';
import type { SpUser } from './model.js';

export class SpDirectory {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    private readonly cost: PasswordHashCost,
  ) {}

  private users(s: Store = this.store): Table<SpUser> {
    return s.table<SpUser>('sp.users');
  }

  async list(accountId: string): Promise<SpUser[]> {
    return this.users().findBy('accountId', accountId);
  }

  async get(accountId: string, id: string): Promise<SpUser> {
    const user = await this.users().get(id);
    if (!user || user.accountId !== accountId) throw new HarnessError('NOT_FOUND', `no user ${id} in account ${accountId}`);
    return user;
  }

  /** Any account's user with this email (case-insensitive). */
  async findByEmail(email: string): Promise<SpUser | undefined> {
    return (await this.users().findBy('email', email.trim(), { caseInsensitive: true }))[0];
  }

  async findInAccount(accountId: string, email: string): Promise<SpUser | undefined> {
    return (await this.users().findBy('email', email.trim(), { caseInsensitive: true })).find((u) => u.accountId === accountId);
  }

  private async assertEmailFree(tx: Store, email: string, exceptId?: string): Promise<void> {
    const clash = (await this.users(tx).findBy('email', email, { caseInsensitive: true })).find((u) => u.id !== exceptId);
    if (clash) {
      throw new HarnessError('CONFLICT', `a user with email ${email} already exists`, { fields: { email: 'already taken' } });
    }
  }

  async create(accountId: string, input: SpUserInput, via: SpUser['createdVia'] = 'admin'): Promise<SpUser> {
    const data = parseInput(spUserInput, input, 'SP user');
    const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password, this.cost);
    return this.store.transaction(async (tx) => {
      if (!(await tx.table('sp.accounts').get(accountId))) {
        throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${accountId}`);
      }
      await this.assertEmailFree(tx, data.email);
      const { password: _password, ...rest } = data;
      const user: SpUser = {
        ...rest,
        id: randomUUID(),
        accountId,
        ...(passwordHash !== undefined && { passwordHash }),
        createdVia: via,
        createdAt: new Date(this.nowMs()).toISOString(),
      };
      return this.users(tx).insert(user);
    });
  }

  async update(accountId: string, id: string, patch: SpUserPatch): Promise<SpUser> {
    const data = parseInput(spUserPatch, patch, 'SP user update');
    const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password, this.cost);
    return this.store.transaction(async (tx) => {
      const current = await this.users(tx).get(id);
      if (!current || current.accountId !== accountId) throw new HarnessError('NOT_FOUND', `no user ${id} in account ${accountId}`);
      if (data.email !== undefined) await this.assertEmailFree(tx, data.email, id);
      const { password: _password, ...rest } = data;
      return this.users(tx).update({ ...current, ...rest, ...(passwordHash !== undefined && { passwordHash }) });
    });
  }

  async delete(accountId: string, id: string): Promise<void> {
    await this.get(accountId, id);
    await this.users().delete(id);
  }
}
