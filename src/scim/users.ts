// The SP's SCIM Users: RingCentral's provisioning API over its directory. Each write runs its
// rules and licence bookkeeping inside one directory transaction, so a refused request changes
// nothing.
import { randomUUID } from 'node:crypto';
import type { SpActivation } from '../sp/activation.js';
import type { DirectoryWork, SpDirectory } from '../sp/directory.js';
import { normalizeCountry } from '../sp/licences.js';
import type { SpUser } from '../sp/model.js';
import { HarnessError } from '../errors.js';
import { notFound } from './errors.js';
import { compileFilter, indexedEquality } from './filter.js';
import { page, type ListQuery, type ListResponse } from './list-query.js';
import { applyPatch, readPatchRequest } from './patch.js';
import { directNumberOf, etagOf, toScimUser, type ScimUser } from './resource.js';
import { assertDeletable, assertManageable, checkAttributes, claimLicences, moveExtension, type UserFields } from './ringcentral-rules.js';
import { readUser, type UserDraft } from './user-input.js';

export interface ScimUsersOptions {
  directory: SpDirectory;
  activation: SpActivation;
  /** The SCIM base URL, for meta.location. */
  scimUrl: string;
  nowMs: () => number;
}

/** An `If-Match` precondition (RFC 7644 §3.14); undefined when the request has none. */
export type IfMatch = string | undefined;

function checkIfMatch(user: SpUser, ifMatch: IfMatch): void {
  if (ifMatch === undefined) return;
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '');
  const current = strip(etagOf(user));
  const tags = ifMatch.split(',').map(strip);
  if (tags.includes('*') || tags.includes(current)) return;
  throw new HarnessError('SCIM_PRECONDITION_FAILED', `the user has changed: its version is ${etagOf(user)}, the request expected ${ifMatch.trim()}; GET it again and retry`);
}

/**
 * SCIM `active` moves a user between active and inactive. A pending user stays pending on
 * `active: true` (only the activation link activates it), and `active: false` deactivates it: an
 * IdP's deprovisioning is never acknowledged and dropped. A user deactivated while pending goes
 * back to pending when reactivated, as it never set up its account.
 */
function withStatus(user: SpUser, active: boolean | undefined): SpUser {
  const { deactivatedWhilePending, ...rest } = user;
  if (active === undefined) return user;
  if (user.status === 'pending') return active ? user : { ...rest, status: 'inactive', deactivatedWhilePending: true };
  if (user.status === 'inactive' && active) return { ...rest, status: deactivatedWhilePending ? 'pending' : 'active' };
  return active || user.status === 'inactive' ? user : { ...rest, status: 'inactive' };
}

/**
 * The stored user with the SCIM-writable fields replaced (PUT semantics: absent ones are cleared).
 * The direct `number` follows the SCIM work phone number.
 */
function withFields(user: SpUser, fields: UserFields): SpUser {
  const { userName: _u, externalId: _e, department: _d, phoneNumbers: _p, number: _n, ...kept } = user;
  const number = directNumberOf(fields.phoneNumbers);
  return { ...kept, ...fields, ...(number !== undefined && { number }) };
}

async function assertUnique(work: DirectoryWork, fields: UserFields, selfId?: string): Promise<void> {
  const owner = await work.emailOwner(fields.email);
  if (owner && owner.id !== selfId) {
    const where = owner.accountId === work.account.id ? `(id ${owner.id})` : 'in another account (emails are unique across the SP)';
    throw new HarnessError('SCIM_UNIQUENESS', `a user with email ${fields.email} already exists ${where}; use another email or update that user`);
  }
  const clash = (await work.userNameOwners(fields.userName ?? fields.email)).find((u) => u.id !== selfId);
  if (clash) throw new HarnessError('SCIM_UNIQUENESS', `userName ${fields.userName ?? fields.email} is already used by user ${clash.id}`);
}

export class ScimUsers {
  constructor(private readonly opts: ScimUsersOptions) {}

  private view(user: SpUser): ScimUser {
    return toScimUser(user, this.opts.scimUrl);
  }

  async list(accountId: string, query: ListQuery): Promise<ListResponse<ScimUser>> {
    const matches = query.filter === undefined ? () => true : compileFilter(query.filter);
    const lookup = query.filter === undefined ? undefined : indexedEquality(query.filter);
    const directory = this.opts.directory;
    const users =
      lookup === undefined
        ? await directory.list(accountId)
        : lookup.attribute === 'userName'
          ? await directory.findByUserName(accountId, lookup.value)
          : await directory.findAllInAccount(accountId, lookup.value);
    users.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return page(
      users.map((u) => this.view(u)).filter((r) => matches(r)),
      query,
    );
  }

  async get(accountId: string, id: string): Promise<ScimUser> {
    const user = await this.opts.directory.find(accountId, id);
    if (!user) throw notFound(`no user ${id} in this account`);
    return this.view(user);
  }

  async create(accountId: string, body: unknown): Promise<ScimUser> {
    const created = await this.opts.directory.transact(accountId, async (work) => {
      const settings = work.account.scim;
      const draft = readUser(body, settings.rules.ignoreExtraAttributes);
      const fields = checkAttributes(draft, settings, accountId);
      await assertUnique(work, fields);
      const claim = claimLicences(settings, fields.addresses, accountId);
      const now = new Date(this.opts.nowMs()).toISOString();
      const user: SpUser = {
        id: randomUUID(),
        accountId,
        ...fields,
        ...(directNumberOf(fields.phoneNumbers) !== undefined && { number: directNumberOf(fields.phoneNumbers) }),
        extension: { number: await work.takeExtensionNumber(), ...(claim.extensionCountry !== undefined && { country: normalizeCountry(claim.extensionCountry) }) },
        ...(claim.digitalLine && { digitalLine: true }),
        status: settings.rules.activationEmail ? 'pending' : draft.active === false ? 'inactive' : 'active',
        role: 'user',
        createdVia: 'scim',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await work.saveAccount({ ...work.account, scim: claim.settings });
      return { user: await work.insert(user), accountName: work.account.name };
    });
    if (created.user.status === 'pending') await this.opts.activation.invite(created.user, created.accountName);
    return this.view(created.user);
  }

  async replace(accountId: string, id: string, body: unknown, ifMatch: IfMatch): Promise<ScimUser> {
    return this.update(accountId, id, ifMatch, (_user, ignoreExtra) => readUser(body, ignoreExtra));
  }

  async patch(accountId: string, id: string, body: unknown, ifMatch: IfMatch): Promise<ScimUser> {
    const ops = readPatchRequest(body);
    return this.update(accountId, id, ifMatch, (user, ignoreExtra) => readUser(applyPatch(this.patchable(user), ops, { ignoreUnknown: ignoreExtra }), ignoreExtra));
  }

  /**
   * What a PATCH applies to. A pending user shows `active: false`; left in, it would read as a
   * deactivation on every PATCH, so `active` counts only when an operation sets it.
   */
  private patchable(user: SpUser): Record<string, unknown> {
    const { active, ...rest } = this.view(user);
    return user.status === 'pending' ? rest : { ...rest, active };
  }

  private async update(accountId: string, id: string, ifMatch: IfMatch, next: (user: SpUser, ignoreExtra: boolean) => UserDraft): Promise<ScimUser> {
    const user = await this.opts.directory.transact(accountId, async (work) => {
      const current = await work.user(id);
      if (!current) throw notFound(`no user ${id} in this account`);
      checkIfMatch(current, ifMatch);
      const settings = work.account.scim;
      const draft = next(current, settings.rules.ignoreExtraAttributes);
      const fields = checkAttributes(draft, settings, accountId);
      // A clash with another user is the real reason whatever the user's state: checked first.
      await assertUnique(work, fields, id);
      assertManageable(current, settings);
      const moved = moveExtension(settings, current, fields.addresses);
      if (moved.settings !== settings) await work.saveAccount({ ...work.account, scim: moved.settings });
      const updated: SpUser = withStatus(withFields(current, fields), draft.active);
      if (moved.extension) updated.extension = moved.extension;
      return work.update(updated);
    });
    return this.view(user);
  }

  async delete(accountId: string, id: string, ifMatch: IfMatch): Promise<void> {
    await this.opts.directory.transact(accountId, async (work) => {
      const user = await work.user(id);
      if (!user) throw notFound(`no user ${id} in this account`);
      checkIfMatch(user, ifMatch);
      assertDeletable(user, work.account.scim);
      await work.remove(user);
    });
  }
}
