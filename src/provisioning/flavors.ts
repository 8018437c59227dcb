// The two provisioning clients' call sequences against the same SCIM API.
// JumpCloud: look up by userName, POST to create (a 409 means it exists: adopt it), PUT to
//   update, path-less PATCH for active false/true, DELETE when the IdP user is deleted
//   (reactivating first: the seed says deactivated users must be reactivated before deletion).
// Okta (okta-developer-docs, SCIM 2.0 reference): `GET /Users?filter=userName eq "x"&startIndex=1
//   &count=100`, POST (a 409 stops), GET then PUT to update, path-less PATCH `active:false` to
//   deactivate, never DELETE; `User-Agent: Okta SCIM Client 1.0.0`.
// Entra ID (entra-sequence.ts): filter GET by userName then externalId, POST, GET then PATCH of
//   what changed ("Replace"/"Add", string booleans), PATCH active "False" to disable, and the
//   DELETE after it when the user is deleted.
import { HarnessError } from '../errors.js';
import type { IdmFlavor } from '../idp/identity-management.js';
import { scimFailure, type ScimClient } from './scim-client.js';
import type { ExchangeRecorder } from './scim-http.js';
import { activePatch, type ScimUser } from './scim-mapping.js';
import { EntraSequence } from './entra-sequence.js';

export type RemoveOutcome = 'deleted' | 'deactivated' | 'unchanged';

export interface FlavorSequence {
  readonly flavor: IdmFlavor;
  /** Finds the SP user by userName, or creates it. `adopted`: it was there already. */
  provision(resource: ScimUser, rec: ExchangeRecorder): Promise<{ scimId: string; adopted: boolean }>;
  /** Pushes every attribute (the resource carries `active`). */
  update(scimId: string, resource: ScimUser, rec: ExchangeRecorder): Promise<void>;
  setActive(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<void>;
  /** The IdP user was deleted; `active` is what the client last set. */
  remove(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<RemoveOutcome>;
}

export const USER_AGENTS: Readonly<Record<IdmFlavor, string>> = {
  jumpcloud: 'JumpCloud-IdM-Connector/1.0 (sso-harness)',
  okta: 'Okta SCIM Client 1.0.0',
  // Microsoft does not publish its provisioning service's User-Agent: this one names the product
  // (the SP's Directory Provider check recognises it, see src/sp/directory-provider.ts).
  entra: 'Microsoft Entra ID provisioning (sso-harness)',
};

class JumpCloudSequence implements FlavorSequence {
  readonly flavor = 'jumpcloud' as const;
  constructor(private readonly scim: ScimClient) {}

  async provision(resource: ScimUser, rec: ExchangeRecorder): Promise<{ scimId: string; adopted: boolean }> {
    const existing = await this.scim.findByUserName(resource.userName, rec, false);
    if (existing) return { scimId: existing.id, adopted: true };
    const created = await this.scim.create(resource, rec);
    if (created.id) return { scimId: created.id, adopted: false };
    const raced = await this.scim.findByUserName(resource.userName, rec, false);
    if (!raced) throw scimFailure('POST', '/Users', created.answer, 'HTTP 201, or a 409 for a user the filter then finds');
    return { scimId: raced.id, adopted: true };
  }

  update(scimId: string, resource: ScimUser, rec: ExchangeRecorder): Promise<void> {
    return this.scim.replace(scimId, resource, rec);
  }

  setActive(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<void> {
    return this.scim.patch(scimId, activePatch(active), rec);
  }

  async remove(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<RemoveOutcome> {
    if (!active) await this.setActive(scimId, true, rec);
    await this.scim.delete(scimId, rec);
    return 'deleted';
  }
}

class OktaSequence implements FlavorSequence {
  readonly flavor = 'okta' as const;
  constructor(private readonly scim: ScimClient) {}

  async provision(resource: ScimUser, rec: ExchangeRecorder): Promise<{ scimId: string; adopted: boolean }> {
    const existing = await this.scim.findByUserName(resource.userName, rec, true);
    if (existing) return { scimId: existing.id, adopted: true };
    const created = await this.scim.create(resource, rec);
    if (!created.id) throw scimFailure('POST', '/Users', created.answer, 'HTTP 201 (Okta stops on a 409)');
    return { scimId: created.id, adopted: false };
  }

  async update(scimId: string, resource: ScimUser, rec: ExchangeRecorder): Promise<void> {
    const current = await this.scim.get(scimId, rec);
    const { meta: _meta, ...kept } = current as ScimUser & { meta?: unknown };
    await this.scim.replace(scimId, { ...kept, ...resource }, rec);
  }

  setActive(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<void> {
    return this.scim.patch(scimId, activePatch(active), rec);
  }

  async remove(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<RemoveOutcome> {
    if (!active) return 'unchanged';
    await this.setActive(scimId, false, rec);
    return 'deactivated';
  }
}

export function flavorSequence(flavor: IdmFlavor, scim: ScimClient): FlavorSequence {
  switch (flavor) {
    case 'jumpcloud':
      return new JumpCloudSequence(scim);
    case 'okta':
      return new OktaSequence(scim);
    case 'entra':
      return new EntraSequence(scim);
    default:
      throw new HarnessError('INPUT_INVALID', `unknown Identity Management flavour ${String(flavor)}`);
  }
}
