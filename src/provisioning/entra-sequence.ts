// Microsoft Entra ID's provisioning client against a SCIM API (request shapes in entra-dialect.ts):
// - provision: look the user up by userName, then by externalId; POST when neither finds it
//   (a 409 then means it exists: look it up again and adopt it, as Entra matches existing users).
// - update: GET the user, then PATCH only what differs, with Entra's op and value shapes.
// - disable / enable: PATCH active "False" / "True".
// - remove: Entra's soft delete then hard delete. Entra disables a user who is unassigned or
//   soft-deleted in the directory, and sends DELETE when the user is deleted for good (30 days
//   later, or at once when an administrator deletes it permanently). The harness has no recycle
//   bin: an IdP user deleted is one deleted for good, so it is disabled (if it was active) and
//   then deleted in the same job; an unassigned user is only disabled.
import { scimFailure, type ScimClient } from './scim-client.js';
import type { ExchangeRecorder } from './scim-http.js';
import { ENTRA_FILTER_SPACES, entraActivePatch, entraCreateBody, entraUpdatePatch } from './entra-dialect.js';
import type { ScimUser } from './scim-mapping.js';

/** A FlavorSequence (flavors.ts, which picks this one by flavour). */
export class EntraSequence {
  readonly flavor = 'entra' as const;
  constructor(private readonly scim: ScimClient) {}

  private async lookup(resource: ScimUser, rec: ExchangeRecorder): Promise<string | undefined> {
    const byName = await this.scim.findByUserName(resource.userName, rec, false, ENTRA_FILTER_SPACES);
    if (byName) return byName.id;
    if (resource.externalId === undefined) return undefined;
    return (await this.scim.findByExternalId(resource.externalId, rec, ENTRA_FILTER_SPACES))?.id;
  }

  async provision(resource: ScimUser, rec: ExchangeRecorder): Promise<{ scimId: string; adopted: boolean }> {
    const existing = await this.lookup(resource, rec);
    if (existing) return { scimId: existing, adopted: true };
    const created = await this.scim.create(entraCreateBody(resource) as unknown as ScimUser, rec);
    if (created.id) return { scimId: created.id, adopted: false };
    const raced = await this.lookup(resource, rec);
    if (!raced) throw scimFailure('POST', '/Users', created.answer, 'HTTP 201, or a 409 for a user the userName or externalId filter then finds');
    return { scimId: raced, adopted: true };
  }

  async update(scimId: string, resource: ScimUser, rec: ExchangeRecorder): Promise<void> {
    const current = await this.scim.get(scimId, rec);
    const patch = entraUpdatePatch(current as unknown as Record<string, unknown>, resource);
    if (patch) await this.scim.patch(scimId, patch, rec);
  }

  setActive(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<void> {
    return this.scim.patch(scimId, entraActivePatch(active), rec);
  }

  async remove(scimId: string, active: boolean, rec: ExchangeRecorder): Promise<'deleted'> {
    if (active) await this.setActive(scimId, false, rec);
    await this.scim.delete(scimId, rec);
    return 'deleted';
  }
}
