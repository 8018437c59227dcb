// The Identity Management tab of each application, as the admin API and the callback page use
// it: configure (OAuth authorization with PKCE), the callback (code exchange + verification
// call), deactivate, the job log, manual import and sync. Implements the IdP's port.
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import {
  publicIdmState,
  type IdentityManagementPort,
  type IdmState,
  type IdmView,
  type ImportCandidate,
  type ImportOutcome,
  type ImportRun,
  type ProvisioningJob,
  type PublicIdmState,
  type ScheduledImportReport,
} from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { applySettings, provisioningSettingsInput, settingsOf, type ProvisioningSettings } from '../idp/provisioning-settings.js';
import type { Store } from '../store/types.js';
import { parseInput } from '../validation.js';
import { ProvisioningEngine } from './engine.js';
import { ImportRuns } from './import-runs.js';
import { ImportScheduler, rescheduled } from './import-schedule.js';
import { UserImporter } from './importer.js';
import { JobLog } from './job-log.js';
import { UserLinks } from './links.js';
import { IdmAuthorization, type OAuthClientCredentials } from './oauth-client.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import type { ExchangeRecorder } from './scim-http.js';
import { errorMessage } from '../caught-error.js';
import { IDP_FLAVORS } from '../idp/model.js';

export interface ProvisioningOptions {
  idp: IdentityProvider;
  store: Store;
  /** The IdP's own OAuth client at the SP (JumpCloud and Okta hold theirs). */
  client: OAuthClientCredentials;
  fetch: typeof fetch;
  retry?: RetryPolicy;
  /** Waits between retries (default: a timer); tests pass one that records instead. */
  sleep?: (ms: number) => Promise<void>;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export const configureInput = z
  .object({
    flavor: z.enum(IDP_FLAVORS).optional().describe('The provisioning client\'s call sequence; naming one sets the application\'s `flavor`. Default: the application\'s flavour.'),
    apiBaseUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional()
      .describe('The SP base URL whose /restapi/oauth and /scim/v2 the client uses. Default: the current one, else the harness SP.'),
  })
  .strict();

const RECENT_JOBS = 10;
const ignore: ExchangeRecorder = { record: () => undefined };
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function requireVerified(state: IdmState): void {
  if (state.status !== 'verified') {
    throw new HarnessError('IDM_NOT_VERIFIED', `Identity Management of ${state.id} is ${state.status}, not verified`, {
      expected: 'a verified Identity Management integration',
      received: state.status,
    });
  }
}

export class IdentityManagementService implements IdentityManagementPort {
  readonly engine: ProvisioningEngine;
  readonly jobLog: JobLog;
  readonly links: UserLinks;
  private readonly auth: IdmAuthorization;
  private readonly importer: UserImporter;
  private readonly importRuns: ImportRuns;
  private readonly scheduler: ImportScheduler;
  private readonly idp: IdentityProvider;

  constructor(opts: ProvisioningOptions) {
    this.idp = opts.idp;
    const now = () => opts.idp.clock.now();
    const timeout = opts.requestTimeoutMs ?? 10_000;
    this.jobLog = new JobLog(opts.store, now);
    this.links = new UserLinks(opts.store);
    this.importRuns = new ImportRuns(opts.store, now);
    this.auth = new IdmAuthorization(opts.idp, opts.store, opts.client, opts.fetch, timeout);
    this.engine = new ProvisioningEngine({
      idp: opts.idp,
      auth: this.auth,
      links: this.links,
      jobs: this.jobLog,
      importRuns: this.importRuns,
      fetch: opts.fetch,
      retry: opts.retry ?? DEFAULT_RETRY_POLICY,
      sleep: opts.sleep ?? realSleep,
      requestTimeoutMs: timeout,
      log: opts.log ?? (() => undefined),
    });
    this.importer = new UserImporter(opts.idp, this.engine.queues, this.importRuns);
    this.scheduler = new ImportScheduler(opts.idp, this.importer, (appId, state) => this.engine.scimClient(appId, state), opts.log ?? (() => undefined));
  }

  /** The application's state, in the application's own flavour (IDP_APP_NOT_FOUND for an unknown application). */
  private async state(appId: string): Promise<IdmState> {
    const app = await this.idp.apps.get(appId);
    return { ...(await this.idp.idm.get(appId)), flavor: this.idp.flavorOf(app) };
  }

  async view(appId: string): Promise<IdmView> {
    const state = await this.state(appId);
    const jobs = await this.jobLog.list(appId);
    const count = (status: ProvisioningJob['status']) => jobs.filter((j) => j.status === status).length;
    return {
      ...publicIdmState(state),
      jobs: { total: jobs.length, pending: this.engine.queues.size(appId), running: count('running'), succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped') },
      recentJobs: jobs.slice(-RECENT_JOBS).map(({ exchanges: _x, ...job }) => job),
    };
  }

  async configure(appId: string, input: unknown): Promise<{ authorizeUrl: string; state: PublicIdmState }> {
    const current = await this.state(appId);
    const body = parseInput(configureInput, input ?? {}, 'Identity Management configuration');
    // A flavour named here is the application's from now on: the engine follows the application.
    if (body.flavor !== undefined && body.flavor !== current.flavor) await this.idp.apps.update(appId, { flavor: body.flavor });
    const { authorizeUrl, state } = await this.auth.start(appId, {
      flavor: body.flavor ?? current.flavor,
      apiBaseUrl: body.apiBaseUrl ?? current.apiBaseUrl,
    });
    return { authorizeUrl, state: publicIdmState(state) };
  }

  async completeAuthorization(appId: string, params: Record<string, string | undefined>): Promise<PublicIdmState> {
    const { flavor } = await this.state(appId);
    const authorized = await this.auth.complete(appId, params);
    const scim = this.engine.scimClient(appId, { ...authorized, flavor });
    try {
      await scim.serviceProviderConfig(ignore);
    } catch (err) {
      return this.auth.fail(appId, 'IDM_VERIFICATION_FAILED', 'the verification call to the SP\'s SCIM API failed', errorMessage(err));
    }
    const verified = await this.idp.idm.update(appId, ({ error: _e, ...current }) => ({
      ...current,
      status: 'verified',
      verifiedAt: new Date(this.idp.clock.now()).toISOString(),
    }));
    // From now on the bound users are managed: push them once (existing SP users are matched by userName).
    await this.engine.syncApp(appId, false);
    return publicIdmState({ ...verified, flavor });
  }

  async deactivate(appId: string): Promise<PublicIdmState> {
    const { flavor } = await this.state(appId);
    // Users stay as they are in the SP; no further updates (seed: "Deactivate IdM connection").
    const state = await this.idp.idm.update(appId, ({ tokens: _t, error: _e, ...current }) => ({ ...current, status: 'deactivated' }));
    return publicIdmState({ ...state, flavor });
  }

  async jobs(appId: string, filter: { userId?: string } = {}): Promise<ProvisioningJob[]> {
    await this.state(appId);
    const wanted = filter.userId;
    if (!wanted) return this.jobLog.list(appId);
    const user = await this.idp.directory.findByLogin(wanted);
    if (user) return this.jobLog.list(appId, user.id);
    // A deleted user: their jobs are still there, under the id or the email they had.
    return (await this.jobLog.list(appId)).filter((j) => j.userId === wanted || j.userEmail.toLowerCase() === wanted.toLowerCase());
  }

  async importCandidates(appId: string): Promise<ImportCandidate[]> {
    const state = await this.state(appId);
    requireVerified(state);
    const { matchBy } = settingsOf(state.settings).toOkta;
    return (await this.importer.candidates(this.engine.scimClient(appId, state), matchBy)).map(({ source: _s, matchBy: _m, ...c }) => c);
  }

  async importUsers(appId: string, input: unknown): Promise<ImportOutcome> {
    const state = await this.state(appId);
    requireVerified(state);
    return this.importer.importUsers(appId, this.engine.scimClient(appId, state), input, settingsOf(state.settings).toOkta.matchBy);
  }

  runDueImports(): Promise<ScheduledImportReport[]> {
    return this.scheduler.runDue();
  }


  async lastImport(appId: string): Promise<ImportRun | undefined> {
    await this.state(appId);
    return this.importRuns.get(appId);
  }

  async sync(appId: string): Promise<{ queued: number }> {
    requireVerified(await this.state(appId));
    return { queued: await this.engine.syncApp(appId, true) };
  }

  idle(): Promise<void> {
    return this.engine.idle();
  }

  async settings(appId: string): Promise<ProvisioningSettings> {
    return settingsOf((await this.state(appId)).settings);
  }

  async updateSettings(appId: string, input: unknown): Promise<ProvisioningSettings> {
    await this.state(appId);
    const body = parseInput(provisioningSettingsInput, input ?? {}, 'provisioning settings');
    const now = this.idp.clock.now();
    const next = await this.idp.idm.update(appId, (current) => {
      const before = settingsOf(current.settings);
      const settings = applySettings(before, body);
      const { scheduledImport: _previous, ...rest } = current;
      // Choosing a schedule starts it: the first run comes one interval after the save.
      const scheduledImport = rescheduled(current, before.toOkta.importSchedule, settings.toOkta.importSchedule, now);
      return { ...rest, settings, ...(scheduledImport && { scheduledImport }) };
    });
    return settingsOf(next.settings);
  }

  stop(): void {
    this.engine.stop();
  }
}
