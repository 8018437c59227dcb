// The provisioning engine: listens to the IdP's domain events, turns each into reconcile tasks
// (one per affected user and application with verified Identity Management) and runs them
// through one serial queue per application, so SCIM calls keep the order of the changes.
// Events are expanded in order on their own queue first, which keeps that order end to end.
import type { IdpEvent } from '../idp/events.js';
import type { IdmState } from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import type { IdpApp } from '../idp/model.js';
import { flavorSequence, USER_AGENTS, type FlavorSequence } from './flavors.js';
import type { ImportRuns } from './import-runs.js';
import type { JobLog } from './job-log.js';
import type { UserLinks } from './links.js';
import type { IdmAuthorization } from './oauth-client.js';
import { SerialQueues } from './queue.js';
import { isBound, reconcile, type ReconcileTask } from './reconcile.js';
import type { RetryPolicy } from './retry.js';
import { ScimClient } from './scim-client.js';
import { ScimHttp } from './scim-http.js';

export interface EngineOptions {
  idp: IdentityProvider;
  auth: IdmAuthorization;
  links: UserLinks;
  jobs: JobLog;
  importRuns: ImportRuns;
  fetch: typeof fetch;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  requestTimeoutMs: number;
  log: (line: string) => void;
}

const EVENTS_QUEUE = 'events';

export class ProvisioningEngine {
  readonly queues: SerialQueues;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: EngineOptions) {
    this.queues = new SerialQueues((err, key) => opts.log(`provisioning task on ${key} failed: ${(err as Error)?.stack ?? String(err)}`));
    this.unsubscribe = opts.idp.events.subscribe((event) => this.queues.enqueue(EVENTS_QUEUE, () => this.dispatch(event)));
  }

  /** Stops listening; queued work still finishes. */
  stop(): void {
    this.unsubscribe();
  }

  idle(): Promise<void> {
    return this.queues.idle();
  }

  /** A SCIM client for the application, in its flavour, with its tokens. */
  scimClient(appId: string, state: IdmState): ScimClient {
    const { idp, auth, fetch, retry, sleep, requestTimeoutMs } = this.opts;
    return new ScimClient(
      new ScimHttp({
        fetch,
        baseUrl: `${state.apiBaseUrl}/scim/v2`,
        userAgent: USER_AGENTS[state.flavor],
        tokens: auth.tokenSource(appId),
        retry,
        sleep,
        nowMs: () => idp.clock.now(),
        timeoutMs: requestTimeoutMs,
      }),
    );
  }

  private sequence(appId: string, state: IdmState): FlavorSequence {
    return flavorSequence(state.flavor, this.scimClient(appId, state));
  }

  /** Queues a reconcile of every user assigned to the application, directly or by a bound group (`force`: push even unchanged users). */
  async syncApp(appId: string, force: boolean): Promise<number> {
    const app = await this.opts.idp.apps.get(appId);
    const members = new Set<string>(app.users ?? []);
    for (const group of await this.opts.idp.directory.listGroups()) {
      if (app.groups.includes(group.id)) for (const m of group.members) members.add(m);
    }
    for (const userId of members) this.schedule({ appId, userId, force });
    return members.size;
  }

  private schedule(task: ReconcileTask): void {
    const { idp, links, jobs } = this.opts;
    this.queues.enqueue(task.appId, async () => {
      await reconcile({ idp, links, jobs, sequence: (appId, state) => this.sequence(appId, state) }, task);
    });
  }

  private async dispatch(event: IdpEvent): Promise<void> {
    for (const task of await this.expand(event)) this.schedule(task);
  }

  private async verifiedApps(): Promise<IdpApp[]> {
    const verified = new Set((await this.opts.idp.idm.list()).filter((s) => s.status === 'verified').map((s) => s.id));
    if (verified.size === 0) return [];
    return (await this.opts.idp.apps.list()).filter((a) => verified.has(a.id));
  }

  /** Applications where the user is bound, or (`linked`) already provisioned. */
  private async forUser(apps: IdpApp[], userId: string, linked: boolean): Promise<ReconcileTask[]> {
    const tasks: ReconcileTask[] = [];
    for (const app of apps) {
      if ((await isBound(this.opts.idp, app, userId)) || (linked && (await this.opts.links.get(app.id, userId)))) {
        tasks.push({ appId: app.id, userId });
      }
    }
    return tasks;
  }

  private async expand(event: IdpEvent): Promise<ReconcileTask[]> {
    if (event.type === 'app.deleted') {
      // Users stay as they are in the SP (seed: "previously bound users remain active").
      await this.forgetApp(event.app.id);
      return [];
    }
    const apps = await this.verifiedApps();
    if (apps.length === 0) return [];
    const members = (groupId: string) => this.opts.idp.directory.getGroup(groupId).then((g) => g.members, () => []);
    switch (event.type) {
      case 'user.created':
        return this.forUser(apps, event.user.id, false);
      case 'user.updated':
        return this.forUser(apps, event.after.id, true);
      case 'password.expired':
      case 'password.updated':
        return this.forUser(apps, event.user.id, true);
      case 'user.deleted': {
        const tasks: ReconcileTask[] = [];
        for (const app of apps) {
          if (await this.opts.links.get(app.id, event.user.id)) tasks.push({ appId: app.id, userId: event.user.id, snapshot: event.user });
        }
        return tasks;
      }
      case 'membership.changed':
        return apps.filter((a) => a.groups.includes(event.groupId)).map((a) => ({ appId: a.id, userId: event.userId }));
      case 'user.assigned':
      case 'user.unassigned':
        return apps.some((a) => a.id === event.appId) ? [{ appId: event.appId, userId: event.userId }] : [];
      case 'group.bound':
      case 'group.unbound': {
        if (!apps.some((a) => a.id === event.appId)) return [];
        return (await members(event.groupId)).map((userId) => ({ appId: event.appId, userId }));
      }
      case 'group.deleted':
        return apps
          .filter((a) => a.groups.includes(event.group.id))
          .flatMap((a) => event.group.members.map((userId) => ({ appId: a.id, userId })));
    }
  }

  private async forgetApp(appId: string): Promise<void> {
    await this.opts.links.forget(appId);
    await this.opts.jobs.forget(appId);
    await this.opts.importRuns.forget(appId);
    await this.opts.idp.idm.forget(appId);
  }
}
