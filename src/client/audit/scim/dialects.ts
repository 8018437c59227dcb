// Each client's call sequence, step by step, in the request shapes of the harness's own
// provisioning clients (src/provisioning/flavors.ts, scim-client.ts, scim-mapping.ts) and of
// Microsoft Entra ID. docs/scim-audit.md lists the steps and the vendor sources.
//   JumpCloud: SPC; filter by userName (404 is "none"); POST; PUT; path-less PATCH active
//     false/true; deprovision, reactivate, DELETE.
//   Okta: SPC, Schemas, ResourceTypes; filter with startIndex=1&count=100; POST (409 stops);
//     GET then PUT; path-less PATCH active; never DELETE.
//   Entra: filter by userName and externalId (200 with totalResults 0, never 404); POST with
//     active; PATCH with "Replace", `emails[type eq "work"].value`, "False"/"True"; disable, then
//     DELETE.
import { activePatch } from '../../../provisioning/scim-mapping.js';
import { newAuditUser, userResource, type AuditUser } from './audit-user.js';
import { create, deleteUser, discovery, listsUser, lookupAbsent, lookupPresent, paging, readBack, readUser, refused, serviceProviderConfig, throttling, writeAndRead } from './common-steps.js';
import { bodyOf, brief, quoted, said, type DialectRun } from './dialect-run.js';
import { entraActivePatch, entraCreateBody, entraFilterPath, entraPatch } from '../../../provisioning/entra-dialect.js';
import { attributeRules, pendingDeletable, pendingUser, type ActivateUser } from './ringcentral-steps.js';
import type { Throttle } from './session.js';

const userBody = (user: AuditUser): Record<string, unknown> => userResource(user) as unknown as Record<string, unknown>;

export interface DialectContext {
  domain: string;
  country: string;
  activate?: ActivateUser;
  /** The throttled answers since this dialect began. */
  throttles: () => readonly Throttle[];
}

const byUserName = (userName: string, okta: boolean): string =>
  `/Users?filter=${encodeURIComponent(`userName eq ${quoted(userName)}`)}${okta ? '&startIndex=1&count=100' : ''}`;

const DELETE_RULE = 'a deactivated user is deleted only after it is reactivated (reactivateBeforeDelete)';

async function ringcentralBeforeCreate(run: DialectRun, ctx: DialectContext, shape: (u: AuditUser) => Record<string, unknown>): Promise<void> {
  if (!run.ringcentral) return;
  await attributeRules(run, ctx.domain, ctx.country, shape);
  await pendingDeletable(run, ctx.domain, ctx.country, shape);
}

export async function jumpcloud(run: DialectRun, ctx: DialectContext): Promise<void> {
  const user = newAuditUser('jumpcloud', ctx.domain, ctx.country);
  const resource = userResource(user);
  await discovery(run, 'discovery', '/ServiceProviderConfig', 'patch.supported true', serviceProviderConfig);
  await lookupAbsent(run, { id: 'lookup-absent', title: 'looks the user up by userName', path: byUserName(user.email, false), notFoundIs404: true });
  await ringcentralBeforeCreate(run, ctx, userBody);
  await create(run, resource as unknown as Record<string, unknown>);
  const renamed = { ...resource, name: { ...resource.name, familyName: `${user.familyName} renamed` } };
  if (run.ringcentral) await pendingUser(run, { method: 'PUT', body: renamed }, ctx.activate, user.email);
  await readBack(run, 'read-back', 'reads the user back', { userName: user.email, familyName: user.familyName, workEmail: user.email, active: true });
  await lookupPresent(run, { id: 'lookup-present', title: 'finds the user by userName', path: byUserName(user.email, false) });
  await writeAndRead(run, { id: 'update', title: 'updates with PUT', method: 'PUT', body: { ...renamed, id: run.userId }, ok: [200], then: { familyName: renamed.name.familyName, active: true } });
  await writeAndRead(run, { id: 'deactivate', title: 'deactivates with a path-less PATCH', method: 'PATCH', body: activePatch(false), ok: [200, 204], then: { active: false } });
  if (run.ringcentral) await refused(run, 'rc-deactivated-not-deletable', 'refuses to delete a deactivated user', 'DELETE', run.userPath, undefined, 409, DELETE_RULE);
  await writeAndRead(run, { id: 'reactivate', title: 'reactivates with a path-less PATCH', method: 'PATCH', body: activePatch(true), ok: [200, 204], then: { active: true } });
  await deleteUser(run, 'delete', 'deletes the (reactivated) user');
  await paging(run, 1, 100);
  await throttling(run, ctx.throttles);
}

export async function okta(run: DialectRun, ctx: DialectContext): Promise<void> {
  const user = newAuditUser('okta', ctx.domain, ctx.country);
  const resource = userResource(user);
  await discovery(run, 'discovery', '/ServiceProviderConfig', 'patch.supported true', serviceProviderConfig);
  await discovery(run, 'discovery-schemas', '/Schemas', 'the User schema', listsUser('id'));
  await discovery(run, 'discovery-resource-types', '/ResourceTypes', 'the User resource type', listsUser('name'));
  await lookupAbsent(run, { id: 'lookup-absent', title: 'looks the user up by userName', path: byUserName(user.email, true), notFoundIs404: true });
  await ringcentralBeforeCreate(run, ctx, userBody);
  await create(run, resource as unknown as Record<string, unknown>);
  await run.step({ id: 'create-duplicate', title: 'creates the same user again', needsUser: true }, 'HTTP 409 (scimType uniqueness): Okta stops there', `POST /Users (the same userName)`, async () => {
    const again = await run.send('POST', '/Users', resource);
    return { observed: said(again), pass: again.status === 409 };
  });
  const familyName = `${user.familyName} renamed`;
  if (run.ringcentral) await pendingUser(run, { method: 'PUT', body: { ...resource, name: { ...resource.name, familyName } } }, ctx.activate, user.email);
  await readBack(run, 'read-back', 'reads the user back', { userName: user.email, familyName: user.familyName, workEmail: user.email, active: true });
  await lookupPresent(run, { id: 'lookup-present', title: 'finds the user by userName', path: byUserName(user.email, true) });
  await run.step({ id: 'update', title: 'updates with GET, then PUT', needsUser: true }, `HTTP 200 to the GET and the PUT, then GET shows name.familyName ${quoted(familyName)}`, 'GET /Users/{id}, then PUT /Users/{id} (what it read, with the change)', async () => {
    const current = await run.send('GET', run.userPath);
    if (current.status !== 200) return { observed: `GET ${said(current)}`, pass: false };
    const { meta: _meta, ...kept } = bodyOf(current);
    const put = await run.send('PUT', run.userPath, { ...kept, name: { ...(kept.name as object), familyName } });
    if (put.status !== 200) return { observed: `GET HTTP 200; PUT ${said(put)}`, pass: false };
    const read = await readUser(run, { familyName, active: true });
    return { observed: `GET HTTP 200; PUT HTTP 200; ${read.observed}`, pass: read.pass };
  });
  await writeAndRead(run, { id: 'deactivate', title: 'deactivates with a path-less PATCH', method: 'PATCH', body: activePatch(false), ok: [200, 204], then: { active: false } });
  if (run.ringcentral) await refused(run, 'rc-deactivated-not-deletable', 'refuses to delete a deactivated user', 'DELETE', run.userPath, undefined, 409, DELETE_RULE);
  await writeAndRead(run, { id: 'reactivate', title: 'reactivates with a path-less PATCH', method: 'PATCH', body: activePatch(true), ok: [200, 204], then: { active: true } });
  // Okta never deletes: unassigning a user deactivates it, and the user stays.
  await writeAndRead(run, { id: 'deprovision', title: 'deprovisions by deactivating (never DELETE)', method: 'PATCH', body: activePatch(false), ok: [200, 204], then: { userName: user.email, active: false } });
  await paging(run, 1, 100);
  await throttling(run, ctx.throttles);
}

export async function entra(run: DialectRun, ctx: DialectContext): Promise<void> {
  const user = newAuditUser('entra', ctx.domain, ctx.country);
  await lookupAbsent(run, { id: 'lookup-absent', title: 'looks the user up by userName', path: entraFilterPath('userName', user.email) });
  await lookupAbsent(run, { id: 'lookup-external-id-absent', title: 'looks the user up by externalId', path: entraFilterPath('externalId', user.externalId) });
  const entraBody = (u: AuditUser): Record<string, unknown> => entraCreateBody({ ...userResource(u), active: true });
  await ringcentralBeforeCreate(run, ctx, entraBody);
  await create(run, entraBody(user));
  const familyName = `${user.familyName} renamed`;
  const rename = entraPatch({ op: 'Replace', path: 'name.familyName', value: familyName });
  if (run.ringcentral) await pendingUser(run, { method: 'PATCH', body: rename }, ctx.activate, user.email);
  await readBack(run, 'read-back', 'reads the user back', { userName: user.email, familyName: user.familyName, workEmail: user.email, active: true });
  await lookupPresent(run, { id: 'lookup-external-id', title: 'finds the user by externalId', path: entraFilterPath('externalId', user.externalId) });
  await writeAndRead(run, { id: 'update-replace', title: 'updates with a capitalised "Replace"', method: 'PATCH', body: rename, ok: [200, 204], then: { familyName } });
  const moved = newAuditUser('entra', ctx.domain, ctx.country).email;
  await writeAndRead(run, {
    id: 'update-email-path',
    title: 'changes the email through emails[type eq "work"].value',
    method: 'PATCH',
    body: entraPatch({ op: 'Replace', path: 'userName', value: moved }, { op: 'Replace', path: 'emails[type eq "work"].value', value: moved }),
    ok: [200, 204],
    then: { userName: moved, workEmail: moved },
  });
  await writeAndRead(run, { id: 'disable', title: 'disables with active "False"', method: 'PATCH', body: entraActivePatch(false), ok: [200, 204], then: { active: false } });
  await writeAndRead(run, { id: 'enable', title: 'enables with active "True"', method: 'PATCH', body: entraActivePatch(true), ok: [200, 204], then: { active: true } });
  if (run.ringcentral) {
    // Entra's soft delete meets RingCentral's delete rule: the DELETE after the disable is refused.
    await run.step({ id: 'disable-then-delete', title: 'disables, then deletes', ringcentral: true, needsUser: true }, `HTTP 200 or 204, then DELETE answers 409: ${DELETE_RULE}`, `PATCH /Users/{id} ${brief(entraActivePatch(false))}, then DELETE /Users/{id}`, async () => {
      const disabled = await run.send('PATCH', run.userPath, entraActivePatch(false));
      if (disabled.status !== 200 && disabled.status !== 204) return { observed: `PATCH ${said(disabled)}`, pass: false };
      const deleted = await run.send('DELETE', run.userPath);
      return { observed: `PATCH HTTP ${disabled.status}; DELETE ${said(deleted)}`, pass: deleted.status === 409 };
    });
  } else {
    await deleteUser(run, 'disable-then-delete', 'disables, then deletes', { method: 'PATCH', body: entraActivePatch(false), ok: [200, 204] });
  }
  await paging(run, 1, 5);
  await throttling(run, ctx.throttles);
}

export const DIALECT_RUNS = { jumpcloud, okta, entra } as const;
