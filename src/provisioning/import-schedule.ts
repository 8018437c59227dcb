// To Okta's import schedule: every hour or every day by the harness clock, an application's
// scheduled import lists the SP's users and imports the New ones (with "Confirm new users
// automatically") or records what it found. The server's maintenance tick and
// `POST /idp/api/maintenance/imports` run the due check; one pass at a time in this process, and
// each due run is claimed in a store transaction, so instances sharing a store never run it twice.
import type { IdmState, ScheduledImportReport } from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import { settingsOf, type ImportSchedule } from '../idp/provisioning-settings.js';
import { errorMessage } from '../caught-error.js';
import type { UserImporter } from './importer.js';
import type { ScimClient } from './scim-client.js';

const INTERVAL_MS: Readonly<Record<Exclude<ImportSchedule, 'never'>, number>> = { hourly: 3_600_000, daily: 86_400_000 };

/** The schedule state after the settings changed: the first run one interval from now, or none. */
export function rescheduled(state: IdmState, before: ImportSchedule, after: ImportSchedule, nowMs: number): IdmState['scheduledImport'] {
  if (after === 'never') return undefined;
  if (after === before && state.scheduledImport) return state.scheduledImport;
  return { ...state.scheduledImport, nextAt: new Date(nowMs + INTERVAL_MS[after]).toISOString() };
}

export class ImportScheduler {
  private pass: Promise<ScheduledImportReport[]> | undefined;

  constructor(
    private readonly idp: IdentityProvider,
    private readonly importer: UserImporter,
    private readonly scimClient: (appId: string, state: IdmState) => ScimClient,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs every due scheduled import; a call during a pass gets that pass's outcome. */
  runDue(): Promise<ScheduledImportReport[]> {
    this.pass ??= this.runPass().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  private async runPass(): Promise<ScheduledImportReport[]> {
    const reports: ScheduledImportReport[] = [];
    for (const state of await this.idp.idm.list()) {
      if (!isDue(state, this.idp.clock.now())) continue;
      const claimed = await this.claim(state.id);
      if (claimed) reports.push(await this.runOne(claimed));
    }
    return reports;
  }

  /** Moves the application's next run on by one interval if it is still due; the state it claimed, else undefined. */
  private async claim(appId: string): Promise<IdmState | undefined> {
    let claimed = false;
    const now = this.idp.clock.now();
    const state = await this.idp.idm.update(appId, (current) => {
      if (!isDue(current, now)) return current;
      claimed = true;
      const schedule = settingsOf(current.settings).toOkta.importSchedule;
      if (schedule === 'never') return current;
      return { ...current, scheduledImport: { nextAt: new Date(now + INTERVAL_MS[schedule]).toISOString(), lastAt: new Date(now).toISOString() } };
    });
    return claimed ? state : undefined;
  }

  private async runOne(stored: IdmState): Promise<ScheduledImportReport> {
    const appId = stored.id;
    try {
      const app = await this.idp.apps.get(appId);
      const state: IdmState = { ...stored, flavor: this.idp.flavorOf(app) };
      const { toOkta } = settingsOf(state.settings);
      return await this.importer.scheduledImport(appId, this.scimClient(appId, state), { matchBy: toOkta.matchBy, confirm: toOkta.confirmNewUsers });
    } catch (err) {
      // The next run is due one interval later all the same; the report and the log say why this one stopped.
      this.log(`scheduled import of ${appId} failed: ${errorMessage(err)}`);
      await this.idp.idm
        .update(appId, (current) => (current.scheduledImport ? { ...current, scheduledImport: { ...current.scheduledImport, lastError: errorMessage(err) } } : current))
        .catch(() => undefined);
      return { appId, error: errorMessage(err) };
    }
  }
}

function isDue(state: IdmState, nowMs: number): boolean {
  if (state.status !== 'verified' || !state.scheduledImport) return false;
  if (settingsOf(state.settings).toOkta.importSchedule === 'never') return false;
  return Date.parse(state.scheduledImport.nextAt) <= nowMs;
}
