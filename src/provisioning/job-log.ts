// The per-user, per-application job log: each job's action, status, attempts and the SCIM
// request/response pairs it made. Bounded three ways: exchanges per job, jobs per user and
// application, jobs per application (oldest dropped first).
import { randomUUID } from 'node:crypto';
import type { IdmFlavor, ProvisioningAction, ProvisioningJob, ScimExchange } from '../idp/identity-management.js';
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';
import type { ExchangeRecorder } from './scim-http.js';

export const JOB_LOG_LIMITS = Object.freeze({ exchangesPerJob: 20, jobsPerUser: 25, jobsPerApp: 1000 });

/** `seq` counts the application's jobs from 1; `slot` (`appId#seq`) finds the one that falls out of the log. */
export type StoredJob = ProvisioningJob & { key: string; seq: number; slot: string };

export const IDP_PROVISIONING_JOBS = table<StoredJob>(TABLE.idpProvisioningJobs);

/** Collects one job's exchanges as they happen. */
export class JobRecorder implements ExchangeRecorder {
  constructor(readonly job: ProvisioningJob) {}

  record(exchange: ScimExchange): void {
    this.job.attempts++;
    if (this.job.exchanges.length < JOB_LOG_LIMITS.exchangesPerJob) this.job.exchanges.push(exchange);
    else this.job.exchangesDropped++;
  }
}

export class JobLog {
  /** The last `seq` used per application, read from the log the first time it is needed. */
  private readonly lastSeq = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
  ) {}

  private table(s: Store = this.store): Table<StoredJob> {
    return s.table(IDP_PROVISIONING_JOBS);
  }

  /** A running job, already in the log (so a crash mid-job still shows it). */
  async start(input: { appId: string; userId: string; userEmail: string; flavor: IdmFlavor; action: ProvisioningAction }): Promise<JobRecorder> {
    const job: ProvisioningJob = {
      id: randomUUID(),
      ...input,
      status: 'running',
      attempts: 0,
      exchanges: [],
      exchangesDropped: 0,
      createdAt: new Date(this.nowMs()).toISOString(),
    };
    await this.store.transaction(async (tx) => {
      const table = this.table(tx);
      const seq = (await this.last(tx, input.appId)) + 1;
      await table.insert({ ...job, key: `${input.appId}/${input.userId}`, seq, slot: `${input.appId}#${seq}` });
      this.lastSeq.set(input.appId, seq);
      const mine = (await table.findBy('key', `${input.appId}/${input.userId}`)).sort((a, b) => a.seq - b.seq);
      for (const old of mine.slice(0, Math.max(0, mine.length - JOB_LOG_LIMITS.jobsPerUser))) await table.delete(old.id);
      for (const old of await table.findBy('slot', `${input.appId}#${seq - JOB_LOG_LIMITS.jobsPerApp}`)) await table.delete(old.id);
    });
    return new JobRecorder(job);
  }

  private async last(tx: Store, appId: string): Promise<number> {
    const known = this.lastSeq.get(appId);
    if (known !== undefined) return known;
    const rows = await this.table(tx).findBy('appId', appId);
    return rows.reduce((max, r) => Math.max(max, r.seq), 0);
  }

  async finish(recorder: JobRecorder, outcome: Pick<ProvisioningJob, 'status'> & Partial<Pick<ProvisioningJob, 'error' | 'note' | 'scimId'>>): Promise<ProvisioningJob> {
    const job: ProvisioningJob = { ...recorder.job, ...outcome, finishedAt: new Date(this.nowMs()).toISOString() };
    const stored = await this.table().get(job.id);
    if (stored) await this.table().update({ ...stored, ...job });
    return job;
  }

  /** Oldest first; one user's jobs when `userId` is given. */
  async list(appId: string, userId?: string): Promise<ProvisioningJob[]> {
    const rows = userId ? await this.table().findBy('key', `${appId}/${userId}`) : await this.table().findBy('appId', appId);
    return rows.sort((a, b) => a.seq - b.seq).map(({ key: _k, seq: _s, slot: _l, ...job }) => job);
  }

  async forget(appId: string): Promise<void> {
    for (const row of await this.table().findBy('appId', appId)) await this.table().delete(row.id);
    this.lastSeq.delete(appId);
  }
}
