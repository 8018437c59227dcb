// Each SP account's user directory. A contact email is unique across the whole SP (RingCentral
// requires it), which is also how the login page finds the account for an email. Every write
// bumps the user's version (the SCIM ETag).
import { randomUUID } from 'node:crypto';
import { hashPassword, type PasswordHashCost } from '../crypto/passwords.js';
import { HarnessError } from '../errors.js';
import type { Store, Table } from '../store/types.js';
import { parseInput } from '../validation.js';
import { activationInput, spUserInput, spUserPatch, type SpUserInput, type SpUserPatch } from './inputs.js';
import { releaseLicences } from './licences.js';
import { SP_ACCOUNTS, SP_USERS, type Account, type SpUser } from './model.js';

/** One transaction over an account and its directory (SCIM provisioning runs its rules inside one). */
export interface DirectoryWork {
  readonly account: Account;
  user(id: string): Promise<SpUser | undefined>;
  /** The user of any account holding this email, case-insensitively (emails are unique across the SP). */
  emailOwner(email: string): Promise<SpUser | undefined>;
  /** This account's users whose SCIM userName (the email when none is set) is this one, case-insensitively. */
  userNameOwners(userName: string): Promise<SpUser[]>;
  /** The lowest extension number from 101 up that no user of the account holds; it is then taken. */
  takeExtensionNumber(): Promise<string>;
  saveAccount(account: Account): Promise<void>;
  insert(user: SpUser): Promise<SpUser>;
  /** Writes a changed user with the next version and a new updatedAt. */
  update(user: SpUser): Promise<SpUser>;
  /** Deletes a user and gives its extension and DigitalLine back to the account. */
  remove(user: SpUser): Promise<void>;
}

async function userNameOwners(users: Table<SpUser>, accountId: string, userName: string): Promise<SpUser[]> {
  const named = await users.findBy('userName', userName, { caseInsensitive: true });
  const byEmail = (await users.findBy('email', userName, { caseInsensitive: true })).filter((u) => u.userName === undefined);
  return [...named, ...byEmail].filter((u) => u.accountId === accountId);
}

/** Extension numbers are handed out from 101 up, lowest free first. */
const FIRST_EXTENSION = 101;

export class SpDirectory {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    private readonly cost: PasswordHashCost,
  ) {}

  private users(s: Store = this.store): Table<SpUser> {
    return s.table(SP_USERS);
  }

  async list(accountId: string): Promise<SpUser[]> {
    return this.users().findBy('accountId', accountId);
  }

  async get(accountId: string, id: string): Promise<SpUser> {
    const user = await this.users().get(id);
    if (!user || user.accountId !== accountId) throw new HarnessError('NOT_FOUND', `no user ${id} in account ${accountId}`);
    return user;
  }

  async find(accountId: string, id: string): Promise<SpUser | undefined> {
    const user = await this.users().get(id);
    return user?.accountId === accountId ? user : undefined;
  }

  /** The activation link was used: a pending user becomes active, with a password when one is set. */
  async activate(accountId: string, id: string, password?: string): Promise<SpUser> {
    const data = password === undefined || password === '' ? {} : parseInput(activationInput, { password }, 'activation');
    const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password, this.cost);
    return this.transact(accountId, async (work) => {
      const user = await work.user(id);
      if (!user) throw new HarnessError('NOT_FOUND', `no user ${id} in account ${accountId}`);
      if (user.status !== 'pending') throw new HarnessError('CONFLICT', `${user.email} is ${user.status}, not pending activation`);
      return work.update({ ...user, status: 'active', ...(passwordHash !== undefined && { passwordHash }) });
    });
  }

  /** Any account's user with this email (case-insensitive). */
  async findByEmail(email: string): Promise<SpUser | undefined> {
    return (await this.users().findBy('email', email.trim(), { caseInsensitive: true }))[0];
  }

  async findInAccount(accountId: string, email: string): Promise<SpUser | undefined> {
    return (await this.users().findBy('email', email.trim(), { caseInsensitive: true })).find((u) => u.accountId === accountId);
  }

  /** The account's users holding this email, case-insensitively (at most one). */
  async findAllInAccount(accountId: string, email: string): Promise<SpUser[]> {
    return (await this.users().findBy('email', email.trim(), { caseInsensitive: true })).filter((u) => u.accountId === accountId);
  }

  /** The account's users whose SCIM userName (the email when none is set) is this one, case-insensitively. */
  async findByUserName(accountId: string, userName: string): Promise<SpUser[]> {
    return userNameOwners(this.users(), accountId, userName);
  }

  /** Runs `fn` in one transaction over the account and its users; nothing is written when it throws. */
  async transact<R>(accountId: string, fn: (work: DirectoryWork) => Promise<R>): Promise<R> {
    return this.store.transaction(async (tx) => {
      const accounts = tx.table(SP_ACCOUNTS);
      let account = await accounts.get(accountId);
      if (!account) throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${accountId}`);
      const users = this.users(tx);
      const now = (): string => new Date(this.nowMs()).toISOString();
      const work: DirectoryWork = {
        get account() {
          return account as Account;
        },
        user: async (id) => {
          const user = await users.get(id);
          return user?.accountId === accountId ? user : undefined;
        },
        emailOwner: async (email) => (await users.findBy('email', email.trim(), { caseInsensitive: true }))[0],
        userNameOwners: (userName) => userNameOwners(users, accountId, userName),
        takeExtensionNumber: async () => {
          // The cursor is the lowest number that may be free: numbers below it are all held.
          let n = (account as Account).extensionCursor ?? FIRST_EXTENSION;
          while ((await users.findBy('extension.number', String(n))).some((u) => u.accountId === accountId)) n += 1;
          account = await accounts.update({ ...(account as Account), extensionCursor: n + 1 });
          return String(n);
        },
        saveAccount: async (next) => {
          account = await accounts.update(next);
        },
        insert: (user) => users.insert(user),
        update: (user) => users.update({ ...user, version: user.version + 1, updatedAt: now() }),
        remove: async (user) => {
          await users.delete(user.id);
          const current = account as Account;
          const freed = Number(user.extension?.number);
          const cursor = Number.isInteger(freed) && freed >= FIRST_EXTENSION && freed < (current.extensionCursor ?? FIRST_EXTENSION) ? { extensionCursor: freed } : {};
          account = await accounts.update({ ...current, ...cursor, scim: releaseLicences(current.scim, user) });
        },
      };
      return fn(work);
    });
  }

  private async assertEmailFree(tx: Store, email: string, exceptId?: string): Promise<void> {
    const clash = (await this.users(tx).findBy('email', email, { caseInsensitive: true })).find((u) => u.id !== exceptId);
    if (clash) {
      throw new HarnessError('CONFLICT', `a user with email ${email} already exists`, { fields: { email: 'already taken' } });
    }
  }

  private async assertExtensionFree(tx: Store, accountId: string, extension: string, exceptId?: string): Promise<void> {
    const holder = (await this.users(tx).findBy('extension.number', extension)).find((u) => u.accountId === accountId && u.id !== exceptId);
    if (holder) {
      throw new HarnessError('CONFLICT', `extension ${extension} is already held by ${holder.email}`, { fields: { extension: 'already taken in this account' } });
    }
  }

  async create(accountId: string, input: SpUserInput, via: SpUser['createdVia'] = 'admin'): Promise<SpUser> {
    const data = parseInput(spUserInput, input, 'SP user');
    const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password, this.cost);
    return this.store.transaction(async (tx) => {
      if (!(await tx.table(SP_ACCOUNTS).get(accountId))) {
        throw new HarnessError('SP_ACCOUNT_NOT_FOUND', `no SP account ${accountId}`);
      }
      await this.assertEmailFree(tx, data.email);
      if (data.extension !== undefined) await this.assertExtensionFree(tx, accountId, data.extension);
      const { password: _password, extension, ...rest } = data;
      const user: SpUser = {
        ...rest,
        ...(extension !== undefined && { extension: { number: extension } }),
        id: randomUUID(),
        accountId,
        ...(passwordHash !== undefined && { passwordHash }),
        createdVia: via,
        createdAt: new Date(this.nowMs()).toISOString(),
        updatedAt: new Date(this.nowMs()).toISOString(),
        version: 1,
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
      if (data.extension !== undefined) await this.assertExtensionFree(tx, accountId, data.extension, id);
      const { password: _password, extension, ...rest } = data;
      return this.users(tx).update({
        ...current,
        ...rest,
        ...(extension !== undefined && { extension: { number: extension } }),
        ...(passwordHash !== undefined && { passwordHash }),
        version: current.version + 1,
        updatedAt: new Date(this.nowMs()).toISOString(),
      });
    });
  }

  /**
   * The administrator's delete. The seed: "Users created via SCIM integration should also be
   * deleted via SCIM integration. Otherwise, the administrator must disable the user prior to
   * deleting them" (rule scimCreatedDeletedViaScim).
   */
  async delete(accountId: string, id: string): Promise<void> {
    await this.transact(accountId, async (work) => {
      const user = await work.user(id);
      if (!user) throw new HarnessError('NOT_FOUND', `no user ${id} in account ${accountId}`);
      if (work.account.scim.rules.scimCreatedDeletedViaScim && user.createdVia === 'scim' && user.status !== 'inactive') {
        throw new HarnessError('SP_USER_SCIM_MANAGED', `${user.email} was created via SCIM: delete it via SCIM, or deactivate it before deleting it here`, {
          expected: 'a user created by an administrator, or a deactivated one',
          received: `a ${user.status} user created via SCIM`,
        });
      }
      await work.remove(user);
    });
  }
}
