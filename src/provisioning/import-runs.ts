// The record of each application's manual import: at most one runs at a time per application
// (a second one would race the first to create the same IdP users), and once done it keeps what
// became of each user, failures with their reason, for the console and the email.
import { HarnessError } from '../errors.js';
import type { ImportResult, ImportRun } from '../idp/identity-management.js';
import { TABLE, table } from '../store/tables.js';
import type { Store, Table } from '../store/types.js';

export const IDP_IMPORT_RUNS = table<ImportRun>(TABLE.idpImportRuns);

/**
 * A run still marked running after this long was cut short (the process stopped mid-import):
 * it no longer blocks the next one. 10,000 users take a few minutes at most.
 */
const ABANDONED_AFTER_MS = 30 * 60_000;

export class ImportRuns {
  constructor(
    private readonly store: Store,
    private readonly nowMs: () => number,
  ) {}

  private table(s: Store = this.store): Table<ImportRun> {
    return s.table(IDP_IMPORT_RUNS);
  }

  get(appId: string): Promise<ImportRun | undefined> {
    return this.table().get(appId);
  }

  /** Marks the application's import running, or refuses while another one is. */
  async start(appId: string, run: Pick<ImportRun, 'importId' | 'background' | 'requested' | 'notify' | 'trigger' | 'found'>): Promise<ImportRun> {
    return this.store.transaction(async (tx) => {
      const current = await this.table(tx).get(appId);
      if (current?.status === 'running' && this.nowMs() - Date.parse(current.startedAt) < ABANDONED_AFTER_MS) {
        throw new HarnessError('IDM_IMPORT_RUNNING', `an import of ${current.requested} users into the IdP from ${appId} is still running (started ${current.startedAt})`, {
          expected: 'no import of this application running',
          received: `import ${current.importId}, running`,
        });
      }
      const row: ImportRun = {
        id: appId,
        importId: run.importId,
        background: run.background,
        requested: run.requested,
        ...(run.notify !== undefined && { notify: run.notify }),
        ...(run.trigger !== undefined && { trigger: run.trigger }),
        ...(run.found !== undefined && { found: run.found }),
        status: 'running',
        startedAt: new Date(this.nowMs()).toISOString(),
        imported: 0,
        alreadyImported: 0,
        failures: [],
      };
      return current ? this.table(tx).update(row) : this.table(tx).insert(row);
    });
  }

  /** The application is deleted: its record goes with it. */
  async forget(appId: string): Promise<void> {
    await this.table().delete(appId);
  }

  /** Records each user's outcome and lets the next import start. */
  async finish(appId: string, importId: string, results: readonly ImportResult[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const current = await this.table(tx).get(appId);
      if (current?.importId !== importId) return;
      await this.table(tx).update({
        ...current,
        status: 'completed',
        finishedAt: new Date(this.nowMs()).toISOString(),
        imported: results.filter((r) => r.result === 'imported').length,
        alreadyImported: results.filter((r) => r.result === 'already-imported').length,
        failures: results.filter((r) => r.result === 'failed').map((r) => ({ scimId: r.scimId, email: r.email, error: r.error ?? 'failed' })),
      });
    });
  }
}
