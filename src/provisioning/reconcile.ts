// One provisioning job: bring one IdP user's SP account (one application) in line with the IdP
// as it is now. Desired state: active while the user is in a bound group and not suspended;
// inactive when unassigned or suspended (password expired); gone when the IdP user is deleted.
// The action (create, update, deactivate, reactivate, delete) follows from that and the link;
// the application's To App settings may hold it back (a skipped job then names the setting).
import { HarnessError, isHarnessError } from '../errors.js';
import type { IdmState, ProvisioningAction, ProvisioningJob } from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { isAssigned, type IdpApp, type IdpUser } from '../idp/model.js';
import type { FlavorSequence } from './flavors.js';
import type { JobLog, JobRecorder } from './job-log.js';
import type { UserLink, UserLinks } from './links.js';
import { settingsOf, type ToAppSettings } from '../idp/provisioning-settings.js';
import { scimDigest, toScimUser } from './scim-mapping.js';

/** A link's `pushed` when the client linked an SP user without pushing anything to it. */
const NOTHING_PUSHED = '';

export interface ReconcileTask {
  appId: string;
  userId: string;
  /** The user as last seen, for a user deleted before the job runs. */
  snapshot?: IdpUser;
  /** Push even when nothing changed since the last push (manual sync). */
  force?: boolean;
}

export interface ReconcileDeps {
  idp: IdentityProvider;
  links: UserLinks;
  jobs: JobLog;
  sequence(appId: string, state: IdmState): FlavorSequence;
}

type Desired = 'active' | 'inactive' | 'deleted';

async function findUser(idp: IdentityProvider, userId: string): Promise<IdpUser | undefined> {
  try {
    return await idp.directory.getUser(userId);
  } catch (err) {
    if (isHarnessError(err) && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/** Whether the user is assigned to the application, directly or through a bound group (JumpCloud: implicitly denied otherwise). */
export async function isBound(idp: IdentityProvider, app: IdpApp, userId: string): Promise<boolean> {
  return isAssigned(app, userId, await idp.directory.groupsOf(userId));
}

function plan(desired: Desired, link: UserLink | undefined, digest: string | undefined, task: ReconcileTask, flavor: IdmState['flavor']): ProvisioningAction | undefined {
  switch (desired) {
    case 'active':
      if (!link) return 'create';
      if (!link.active) return 'reactivate';
      return task.force || link.pushed !== digest ? 'update' : undefined;
    case 'inactive':
      return link?.active ? 'deactivate' : undefined;
    case 'deleted':
      if (!link) return undefined;
      if (flavor === 'okta') return link.active ? 'deactivate' : undefined;
      return 'delete';
  }
}

/**
 * The To App setting that holds `action` back, in the words the job note uses; undefined when it
 * may run. Okta's "Deactivate Users" covers deactivation and reactivation both; it holds back the
 * JumpCloud client's DELETE as well, the stronger form of the same deprovisioning.
 */
function heldBack(action: ProvisioningAction, toApp: ToAppSettings): string | undefined {
  switch (action) {
    case 'create':
      return toApp.createUsers ? undefined : 'Create Users is off (To App): no SP account is created';
    case 'update':
      return toApp.updateUserAttributes ? undefined : 'Update User Attributes is off (To App): the profile change is not pushed';
    case 'deactivate':
    case 'reactivate':
    case 'delete':
      return toApp.deactivateUsers ? undefined : `Deactivate Users is off (To App): the SP user is not ${action === 'reactivate' ? 'reactivated' : action === 'delete' ? 'deleted' : 'deactivated'}`;
  }
}

/** Runs the task; returns the job it logged, or undefined when nothing was due. Never throws for an SP failure. */
export async function reconcile(deps: ReconcileDeps, task: ReconcileTask): Promise<ProvisioningJob | undefined> {
  const { idp, links, jobs } = deps;
  const stored = await idp.idm.get(task.appId);
  if (stored.status !== 'verified') return undefined;
  const app = (await idp.apps.list()).find((a) => a.id === task.appId);
  if (!app) return undefined;
  // The application's flavour as it is now, not as it was when Identity Management was configured.
  const state: IdmState = { ...stored, flavor: idp.flavorOf(app) };
  const user = await findUser(idp, task.userId);
  const link = await links.get(task.appId, task.userId);
  let desired: Desired = 'deleted';
  if (user) desired = (await isBound(idp, app, user.id)) && !user.suspended && !user.passwordExpired ? 'active' : 'inactive';
  const { toApp } = settingsOf(stored.settings);
  const resource = user ? toScimUser(user, toApp.attributeMappings) : undefined;
  const digest = resource ? scimDigest(resource) : undefined;
  const action = plan(desired, link, digest, task, state.flavor);
  if (!action) return undefined;

  const recorder = await jobs.start({
    appId: task.appId,
    userId: task.userId,
    userEmail: user?.email ?? task.snapshot?.email ?? link?.userName ?? task.userId,
    flavor: state.flavor,
    action,
  });
  const held = heldBack(action, toApp);
  if (held) {
    // Logged, with no SCIM call, so the admin can tell why the change did not reach the SP. The
    // link keeps what was last pushed: turning the setting back on pushes the change at the next
    // event. A deleted IdP user can have no next event, so its link is let go.
    if (!user && link) await links.delete(task.appId, task.userId);
    return jobs.finish(recorder, { status: 'skipped', note: held, ...(link && { scimId: link.scimId }) });
  }
  try {
    const note = await run(deps.sequence(task.appId, state), recorder, { task, action, link, user, resource, digest, toApp, links, now: () => idp.clock.now() });
    return await jobs.finish(recorder, { status: 'succeeded', ...(note && { note }), ...(recorder.job.scimId && { scimId: recorder.job.scimId }) });
  } catch (err) {
    const fields = (isHarnessError(err) ? err.details.fields : undefined) ?? {};
    // The SP user was deleted behind the IdP's back: forget it, so the next change creates it again.
    if (fields.status === 404 && link && action !== 'create') await links.delete(task.appId, task.userId);
    return jobs.finish(recorder, {
      status: 'failed',
      error: {
        message: err instanceof Error ? err.message : String(err),
        ...(typeof fields.status === 'number' && { status: fields.status }),
        ...(typeof fields.scimType === 'string' && { scimType: fields.scimType }),
        ...(typeof fields.detail === 'string' && { detail: fields.detail }),
      },
    });
  }
}

interface RunContext {
  task: ReconcileTask;
  action: ProvisioningAction;
  link: UserLink | undefined;
  user: IdpUser | undefined;
  resource: ReturnType<typeof toScimUser> | undefined;
  digest: string | undefined;
  toApp: ToAppSettings;
  links: UserLinks;
  now: () => number;
}

/** The SCIM calls of one action; returns a note for the job log. */
async function run(seq: FlavorSequence, recorder: JobRecorder, c: RunContext): Promise<string | undefined> {
  const { task, link, user, resource, digest } = c;
  const save = (scimId: string, active: boolean, pushed: string): Promise<unknown> =>
    c.links.save({
      appId: task.appId,
      userId: task.userId,
      scimId,
      userName: resource?.userName ?? link?.userName ?? '',
      active,
      pushed,
      linkedAt: link?.linkedAt ?? new Date(c.now()).toISOString(),
    });
  const job = recorder.job;
  switch (c.action) {
    case 'create': {
      if (!user || !resource || !digest) throw new HarnessError('INTERNAL', 'create without a user');
      const { scimId, adopted } = await seq.provision({ ...resource, active: true }, recorder);
      job.scimId = scimId;
      if (adopted && !c.toApp.updateUserAttributes) {
        // Linked without an update: nothing of this user's was pushed, so the next event with
        // Update User Attributes on pushes the profile.
        await save(scimId, true, NOTHING_PUSHED);
        return `linked to the existing SP user ${scimId} (same userName); not updated: Update User Attributes is off (To App)`;
      }
      if (adopted) {
        // Already in the SP (created there, or imported): from now on the IdP manages it.
        job.action = 'update';
        await seq.update(scimId, { ...resource, active: true }, recorder);
      }
      await save(scimId, true, digest);
      return adopted ? `linked to the existing SP user ${scimId} (same userName) and updated it` : undefined;
    }
    case 'reactivate':
    case 'update': {
      if (!link || !resource || !digest) throw new HarnessError('INTERNAL', `${c.action} without a link`);
      job.scimId = link.scimId;
      if (c.action === 'reactivate') await seq.setActive(link.scimId, true, recorder);
      if (c.action === 'reactivate' && !c.toApp.updateUserAttributes) {
        await save(link.scimId, true, link.pushed);
        return link.pushed === digest ? undefined : 'reactivated only: Update User Attributes is off (To App)';
      }
      if (c.action === 'update' || link.pushed !== digest) await seq.update(link.scimId, { ...resource, active: true }, recorder);
      await save(link.scimId, true, digest);
      return undefined;
    }
    case 'deactivate': {
      if (!link) throw new HarnessError('INTERNAL', 'deactivate without a link');
      job.scimId = link.scimId;
      if (!user) {
        await seq.remove(link.scimId, link.active, recorder);
        await c.links.delete(task.appId, task.userId);
        return 'the IdP user was deleted; the Okta client deactivates and never deletes';
      }
      await seq.setActive(link.scimId, false, recorder);
      await save(link.scimId, false, link.pushed);
      return user.suspended || user.passwordExpired ? 'the IdP user is suspended (password expired)' : 'the IdP user is no longer in a bound group';
    }
    case 'delete': {
      if (!link) throw new HarnessError('INTERNAL', 'delete without a link');
      job.scimId = link.scimId;
      await seq.remove(link.scimId, link.active, recorder);
      await c.links.delete(task.appId, task.userId);
      if (seq.flavor === 'entra') return link.active ? "disabled (active \"False\"), then deleted: Entra ID's soft delete, then its hard delete" : undefined;
      return link.active ? undefined : 'reactivated first: the SP deletes only active users';
    }
  }
}
