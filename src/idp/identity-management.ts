// The Identity Management tab of an application: its state (kept here, tokens server-side only)
// and the records the tab shows (job log, import list). The engine that fills them lives in
// src/provisioning and plugs into the IdP through `IdentityManagementPort`, so this layer never
// imports it.
import { TABLE, table } from '../store/tables.js';
import type { IdpFlavor } from './model.js';
import type { ProvisioningSettings } from './provisioning-settings.js';
import type { Store, Table } from '../store/types.js';

export type IdmStatus = 'off' | 'authorizing' | 'verified' | 'failed' | 'deactivated';
export type IdmFlavor = IdpFlavor;

export interface IdmTokens {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** Harness-clock milliseconds. */
  accessExpiresAt: number;
  refreshExpiresAt?: number;
}

export interface IdmError {
  code: string;
  message: string;
  /** The SP's own words (OAuth error_description, SCIM detail), when it gave any. */
  detail?: string;
}

export interface IdmState {
  /** The application id. */
  id: string;
  status: IdmStatus;
  flavor: IdmFlavor;
  /** Where the SP's REST API lives (`/restapi/oauth/*`, `/scim/v2/*`). */
  apiBaseUrl: string;
  tokens?: IdmTokens;
  verifiedAt?: string;
  error?: IdmError;
  /** The Provisioning tab's settings; absent: the defaults (read through `settingsOf`). */
  settings?: Partial<ProvisioningSettings>;
  /** To Okta's import schedule: when the next scheduled import is due (harness clock), when the last one ran, and why it stopped if it did. */
  scheduledImport?: { nextAt: string; lastAt?: string; lastError?: string };
  updatedAt: string;
}

export const IDP_IDENTITY_MANAGEMENT = table<IdmState>(TABLE.idpIdentityManagement);

/** What the admin API shows: never the tokens. */
export type PublicIdmState = Omit<IdmState, 'id' | 'tokens'> & { appId: string; authorized: boolean };

export function publicIdmState(state: IdmState): PublicIdmState {
  const { id, tokens, ...rest } = state;
  return { appId: id, ...rest, authorized: tokens !== undefined };
}

export type ProvisioningAction = 'create' | 'update' | 'deactivate' | 'reactivate' | 'delete';
/** `skipped`: the change was due but a To App setting holds it back; its note names the setting, and no SCIM call was made. */
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One HTTP request the client sent and what came back (bodies truncated, tokens redacted). */
export interface ScimExchange {
  at: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; headers: Record<string, string>; body?: unknown };
  /** A network failure instead of a response. */
  error?: string;
}

export interface ProvisioningJob {
  id: string;
  appId: string;
  userId: string;
  userEmail: string;
  flavor: IdmFlavor;
  action: ProvisioningAction;
  status: JobStatus;
  /** HTTP attempts made, retries included. */
  attempts: number;
  exchanges: ScimExchange[];
  /** Exchanges left out to keep the job bounded. */
  exchangesDropped: number;
  scimId?: string;
  note?: string;
  error?: { message: string; status?: number; scimType?: string; detail?: string };
  createdAt: string;
  finishedAt?: string;
}

export interface ImportCandidate {
  scimId: string;
  userName: string;
  email: string;
  firstName: string;
  lastName: string;
  active: boolean;
  /** New: not in the IdP yet; Imported: an IdP user matches (To Okta's rule: same email, or username equal to the userName). */
  status: 'New' | 'Imported';
  idpUserId?: string;
}

export interface ImportResult {
  scimId: string;
  email: string;
  result: 'imported' | 'already-imported' | 'failed';
  idpUserId?: string;
  error?: string;
}

export interface ImportOutcome {
  importId: string;
  requested: number;
  /** Over 100 users: runs in the background, and an email says when it is done. */
  background: boolean;
  results?: ImportResult[];
}

/** The last manual import of an application: running (one at a time), or what became of each user. */
export interface ImportRun {
  /** The application's id: one record per application. */
  id: string;
  importId: string;
  status: 'running' | 'completed';
  background: boolean;
  requested: number;
  startedAt: string;
  finishedAt?: string;
  imported: number;
  alreadyImported: number;
  /** Each user that could not be imported, and why. */
  failures: { scimId: string; email: string; error: string }[];
  /** Who gets the "import complete" email (background imports). */
  notify?: string;
  /** Who started it: an administrator (absent) or To Okta's import schedule. */
  trigger?: 'manual' | 'scheduled';
  /** What a scheduled import found in the SP: counts, and the first New users' emails. */
  found?: ImportFindings;
}

export interface ImportFindings {
  new: number;
  imported: number;
  /** Up to 50 of the New users' emails. */
  newUsers: string[];
  /** False: "Confirm new users automatically" is off, so the New users were only listed. */
  confirmed: boolean;
}

/** One scheduled import the due check ran (or could not run). */
export interface ScheduledImportReport {
  appId: string;
  found?: ImportFindings;
  imported?: number;
  /** Why the run stopped: the SP could not be listed, or a manual import was running. */
  error?: string;
}

export interface IdmView extends PublicIdmState {
  /** `pending`: reconcile tasks waiting in the application's queue. */
  jobs: { total: number; pending: number; running: number; succeeded: number; failed: number; skipped: number };
  recentJobs: Omit<ProvisioningJob, 'exchanges'>[];
}

/** What the admin API and the callback page need from the provisioning engine. */
export interface IdentityManagementPort {
  view(appId: string): Promise<IdmView>;
  /** "configure": starts the OAuth authorization; the browser goes to `authorizeUrl`. */
  configure(appId: string, input: unknown): Promise<{ authorizeUrl: string; state: PublicIdmState }>;
  /** The browser callback: exchanges the code, runs the verification call. */
  completeAuthorization(appId: string, params: Record<string, string | undefined>): Promise<PublicIdmState>;
  deactivate(appId: string): Promise<PublicIdmState>;
  jobs(appId: string, filter?: { userId?: string }): Promise<ProvisioningJob[]>;
  importCandidates(appId: string): Promise<ImportCandidate[]>;
  importUsers(appId: string, input: unknown): Promise<ImportOutcome>;
  /** The application's last manual import (running or completed), if any. */
  lastImport(appId: string): Promise<ImportRun | undefined>;
  /** Re-pushes every user of the application's bound groups. */
  sync(appId: string): Promise<{ queued: number }>;
  /** Resolves when no event, job or background import is left to process. */
  idle(): Promise<void>;
  /** Runs each application's scheduled import that is due by the harness clock (To Okta), one pass at a time. */
  runDueImports(): Promise<ScheduledImportReport[]>;
  /** The Provisioning tab's settings (API integration, To App, To Okta). */
  settings(appId: string): Promise<ProvisioningSettings>;
  /** Changes any part of them; what the input leaves out keeps its value. */
  updateSettings(appId: string, input: unknown): Promise<ProvisioningSettings>;
}

/** Each application's IdM state, one row per application. */
export class IdmStates {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
    private readonly defaults: { flavor: IdmFlavor; apiBaseUrl: string },
  ) {}

  private table(s: Store = this.store): Table<IdmState> {
    return s.table(IDP_IDENTITY_MANAGEMENT);
  }

  /** The state, or `off` with the harness defaults for an application never configured. */
  async get(appId: string): Promise<IdmState> {
    return (
      (await this.table().get(appId)) ?? {
        id: appId,
        status: 'off',
        flavor: this.defaults.flavor,
        apiBaseUrl: this.defaults.apiBaseUrl,
        updatedAt: new Date(this.nowMs()).toISOString(),
      }
    );
  }

  /** Applies `change` to the current state in one transaction. */
  async update(appId: string, change: (current: IdmState) => IdmState): Promise<IdmState> {
    return this.store.transaction(async (tx) => {
      const current = (await this.table(tx).get(appId)) ?? (await this.get(appId));
      const next = { ...change(current), id: appId, updatedAt: new Date(this.nowMs()).toISOString() };
      return (await this.table(tx).get(appId)) ? this.table(tx).update(next) : this.table(tx).insert(next);
    });
  }

  async list(): Promise<IdmState[]> {
    return this.table().list();
  }

  async forget(appId: string): Promise<void> {
    await this.table().delete(appId);
  }
}
