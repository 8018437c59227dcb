// IdP users and groups. Email and username are unique (case-insensitive), passwords hashed.
// Every change is announced on `events` once stored (Identity Management listens).
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword, type PasswordHashCost } from '../crypto/passwords.js';
import { HarnessError } from '../errors.js';
import type { Store, Table } from '../store/types.js';
import { parseInput } from '../validation.js';
import type { IdpEvents } from './events.js';
import { groupInput, userInput, userPatch, type GroupInput, type UserInput, type UserPatch } from './inputs.js';
import { IDP_GROUPS, IDP_USERS, type IdpGroup, type IdpUser } from './model.js';
import { directNumber, mergePhones, phoneNumbersOf } from './user-attributes.js';

/** The phone list as the input leaves it, with `number` (the work one, else the first) kept in step. */
function withPhones(user: IdpUser, input: Parameters<typeof mergePhones>[1]): IdpUser {
  const { number: _number, ...rest } = user;
  const phoneNumbers = mergePhones(phoneNumbersOf(user), input);
  const number = directNumber(phoneNumbers);
  return { ...rest, phoneNumbers, ...(number !== undefined && { number }) };
}

export class IdpDirectory {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    private readonly cost: PasswordHashCost,
    private readonly events: IdpEvents,
  ) {}

  private users(s: Store = this.store): Table<IdpUser> {
    return s.table(IDP_USERS);
  }

  private groups(s: Store = this.store): Table<IdpGroup> {
    return s.table(IDP_GROUPS);
  }

  async listUsers(): Promise<IdpUser[]> {
    return this.users().list();
  }

  /** The custom attribute names some user has, each once (the first spelling seen), sorted. */
  async customAttributeNames(): Promise<string[]> {
    const names = new Map<string, string>();
    for (const user of await this.listUsers()) {
      for (const a of user.customAttributes ?? []) if (!names.has(a.name.toLowerCase())) names.set(a.name.toLowerCase(), a.name);
    }
    return [...names.values()].sort((a, b) => a.localeCompare(b));
  }

  async getUser(id: string): Promise<IdpUser> {
    const user = await this.users().get(id);
    if (!user) throw new HarnessError('NOT_FOUND', `no IdP user with id ${id}`);
    return user;
  }

  /** Finds a user by email or username (case-insensitive), as the login form accepts either. */
  async findByLogin(login: string): Promise<IdpUser | undefined> {
    const needle = login.trim();
    const [byEmail] = await this.users().findBy('email', needle, { caseInsensitive: true });
    if (byEmail) return byEmail;
    const [byUsername] = await this.users().findBy('username', needle, { caseInsensitive: true });
    return byUsername;
  }

  private async assertUnique(tx: Store, user: Pick<IdpUser, 'id' | 'email' | 'username'>): Promise<void> {
    for (const field of ['email', 'username'] as const) {
      const clash = (await this.users(tx).findBy(field, user[field], { caseInsensitive: true })).find((u) => u.id !== user.id);
      if (clash) {
        throw new HarnessError('CONFLICT', `another IdP user already has ${field} ${user[field]}`, {
          fields: { [field]: 'already taken' },
        });
      }
    }
  }

  async createUser(input: UserInput): Promise<IdpUser> {
    const data = parseInput(userInput, input, 'IdP user');
    const passwordHash = await hashPassword(data.password, this.cost);
    const created = await this.store.transaction(async (tx) => {
      const { password: _password, passwordExpiresAt, number, phoneNumbers, ...rest } = data;
      const user: IdpUser = withPhones({
        ...rest,
        id: randomUUID(),
        username: data.username ?? data.email.split('@')[0] ?? data.email,
        passwordHash,
        ...(passwordExpiresAt !== undefined && { passwordExpiresAt: new Date(passwordExpiresAt).toISOString() }),
        createdAt: new Date(this.nowMs()).toISOString(),
      }, { ...(number !== undefined && { number }), ...(phoneNumbers !== undefined && { phoneNumbers }) });
      await this.assertUnique(tx, user);
      return this.users(tx).insert(user);
    });
    this.events.emit({ type: 'user.created', user: created });
    return created;
  }

  async updateUser(id: string, patch: UserPatch): Promise<IdpUser> {
    const data = parseInput(userPatch, patch, 'IdP user update');
    const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password, this.cost);
    const [before, after] = await this.store.transaction(async (tx) => {
      const current = await this.users(tx).get(id);
      if (!current) throw new HarnessError('NOT_FOUND', `no IdP user with id ${id}`);
      const { password: _password, passwordExpiresAt, number, phoneNumbers, ...rest } = data;
      const next: IdpUser =
        number === undefined && phoneNumbers === undefined
          ? { ...current, ...rest }
          : withPhones({ ...current, ...rest }, { ...(number !== undefined && { number }), ...(phoneNumbers !== undefined && { phoneNumbers }) });
      if (passwordExpiresAt === null) delete next.passwordExpiresAt;
      else if (passwordExpiresAt !== undefined) next.passwordExpiresAt = new Date(passwordExpiresAt).toISOString();
      if (passwordHash) {
        // A new password lifts an expiry and the suspension it caused (JumpCloud reactivates).
        next.passwordHash = passwordHash;
        next.passwordExpired = false;
        if (current.passwordExpired && data.suspended === undefined) next.suspended = false;
        if (passwordExpiresAt === undefined && this.isPast(next.passwordExpiresAt)) delete next.passwordExpiresAt;
      }
      await this.assertUnique(tx, next);
      return [current, await this.users(tx).update(next)] as const;
    });
    this.events.emit({ type: 'user.updated', before, after });
    if (!before.passwordExpired && after.passwordExpired) this.events.emit({ type: 'password.expired', user: after });
    if (passwordHash) this.events.emit({ type: 'password.updated', user: after });
    return after;
  }

  async deleteUser(id: string): Promise<void> {
    const [user, groups] = await this.store.transaction(async (tx) => {
      const existing = await this.users(tx).get(id);
      if (!existing || !(await this.users(tx).delete(id))) throw new HarnessError('NOT_FOUND', `no IdP user with id ${id}`);
      const memberOf: string[] = [];
      for (const group of await this.groups(tx).list()) {
        if (!group.members.includes(id)) continue;
        memberOf.push(group.id);
        await this.groups(tx).update({ ...group, members: group.members.filter((m) => m !== id) });
      }
      return [existing, memberOf] as const;
    });
    this.events.emit({ type: 'user.deleted', user, groups });
  }

  private isPast(iso: string | undefined): boolean {
    return iso !== undefined && Date.parse(iso) <= this.nowMs();
  }

  /**
   * Suspends every user whose password expired by now (harness clock), as JumpCloud does;
   * run from an interval by the server and on demand (`POST /idp/api/maintenance/sweep`).
   */
  async sweepExpiredPasswords(): Promise<IdpUser[]> {
    const expired = await this.store.transaction(async (tx) => {
      const out: IdpUser[] = [];
      for (const user of await this.users(tx).list()) {
        if (user.passwordExpired || !this.isPast(user.passwordExpiresAt)) continue;
        out.push(await this.users(tx).update({ ...user, passwordExpired: true, suspended: true }));
      }
      return out;
    });
    for (const user of expired) this.events.emit({ type: 'password.expired', user });
    return expired;
  }

  /** Checks a login (email or username) and password. */
  async authenticate(login: string, password: string): Promise<IdpUser> {
    const user = await this.findByLogin(login);
    // Hash even for an unknown login, so timing does not tell which logins exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new HarnessError('IDP_BAD_CREDENTIALS', 'wrong email/username or password');
    if (user.suspended || user.passwordExpired) {
      throw new HarnessError(
        'IDP_USER_SUSPENDED',
        user.passwordExpired ? 'the password expired, so the account is suspended' : 'the account is suspended',
      );
    }
    return user;
  }

  async listGroups(): Promise<IdpGroup[]> {
    return this.groups().list();
  }

  async getGroup(id: string): Promise<IdpGroup> {
    const group = await this.groups().get(id);
    if (!group) throw new HarnessError('NOT_FOUND', `no IdP group with id ${id}`);
    return group;
  }

  async createGroup(input: GroupInput): Promise<IdpGroup> {
    const data = parseInput(groupInput, input, 'IdP group');
    const group = await this.store.transaction(async (tx) => {
      if ((await this.groups(tx).findBy('name', data.name, { caseInsensitive: true })).length > 0) {
        throw new HarnessError('CONFLICT', `a group named ${data.name} already exists`, { fields: { name: 'already taken' } });
      }
      for (const member of data.members) {
        if (!(await this.users(tx).get(member))) throw new HarnessError('NOT_FOUND', `no IdP user with id ${member}`);
      }
      return this.groups(tx).insert({ id: randomUUID(), name: data.name, members: [...new Set(data.members)] });
    });
    for (const userId of group.members) this.events.emit({ type: 'membership.changed', groupId: group.id, userId, member: true });
    return group;
  }

  async setMembership(groupId: string, userId: string, member: boolean): Promise<IdpGroup> {
    const [changed, group] = await this.store.transaction(async (tx) => {
      const current = await this.groups(tx).get(groupId);
      if (!current) throw new HarnessError('NOT_FOUND', `no IdP group with id ${groupId}`);
      if (!(await this.users(tx).get(userId))) throw new HarnessError('NOT_FOUND', `no IdP user with id ${userId}`);
      const members = current.members.filter((m) => m !== userId);
      if (member) members.push(userId);
      return [current.members.includes(userId) !== member, await this.groups(tx).update({ ...current, members })] as const;
    });
    if (changed) this.events.emit({ type: 'membership.changed', groupId, userId, member });
    return group;
  }

  async deleteGroup(id: string): Promise<void> {
    const group = await this.store.transaction(async (tx) => {
      const existing = await this.groups(tx).get(id);
      if (!existing || !(await this.groups(tx).delete(id))) throw new HarnessError('NOT_FOUND', `no IdP group with id ${id}`);
      return existing;
    });
    this.events.emit({ type: 'group.deleted', group });
  }

  /** Group ids the user belongs to. */
  async groupsOf(userId: string): Promise<string[]> {
    return (await this.groups().list()).filter((g) => g.members.includes(userId)).map((g) => g.id);
  }
}

// A real scrypt hash of a random password, used to spend the same time on unknown logins.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
