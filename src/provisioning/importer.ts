// "manual import": lists the SP's users with their import status (New: no IdP user matches by
// To Okta's rule, the email by default; Imported: one does) and creates IdP users for the chosen
// New ones; To Okta's scheduled import runs the same code. Over 100 users run in
// the background and the IdP emails the administrator when done. Imported users are not bound
// to anything, so the engine leaves them alone until they join a bound group (seed: "Imported
// users must be members of a user group bound to an application for JumpCloud to manage").
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isHarnessError } from '../errors.js';
import type { ImportCandidate, ImportFindings, ImportOutcome, ImportResult, ScheduledImportReport } from '../idp/identity-management.js';
import type { IdentityProvider } from '../idp/identity-provider.js';
import type { IdpUser } from '../idp/model.js';
import type { MatchRule } from '../idp/provisioning-settings.js';
import { parseInput } from '../validation.js';
import type { ImportRuns } from './import-runs.js';
import type { SerialQueues } from './queue.js';
import type { ScimClient } from './scim-client.js';
import type { ExchangeRecorder } from './scim-http.js';
import { fromScimUser, type ImportedScimUser } from './scim-mapping.js';

export const BACKGROUND_IMPORT_OVER = 100;
const PAGE_SIZE = 100;
export const MAX_LISTED = 10_000;
/** The email names this many failed users; the import page keeps them all. */
const MAILED_FAILURES = 50;
export const DEFAULT_IMPORT_NOTIFY = 'admin@idp.sso-harness.test';

export const importInput = z
  .object({
    /** SCIM ids from the import list. */
    userIds: z.array(z.string().min(1)).max(MAX_LISTED).optional().describe('SCIM ids from the import list (`GET …/idm/import`).'),
    /** Every user listed as New. */
    all: z.boolean().optional().describe('Every user listed as New.'),
    /** Who gets the "import complete" email of a background import. */
    notify: z.string().email().optional().describe('Who gets the "import complete" email of a background import.'),
  })
  .strict()
  .refine((v) => v.all === true || (v.userIds?.length ?? 0) > 0, { message: 'send "userIds": [...] or "all": true', path: ['userIds'] });

const ignore: ExchangeRecorder = { record: () => undefined };
/** A scheduled import's record names this many New users; the manual import page lists them all. */
const LISTED_NEW_USERS = 50;

type Candidate = ImportCandidate & { source: ImportedScimUser; matchBy: MatchRule };
const PHONE = /^\+?[0-9 ()-]{3,30}$/;

export class UserImporter {
  constructor(
    private readonly idp: IdentityProvider,
    private readonly queues: SerialQueues,
    private readonly runs: ImportRuns,
  ) {}

  /** Every SP user, paged as RingCentral pages (startIndex from 1, count 100). */
  private async spUsers(scim: ScimClient): Promise<ImportedScimUser[]> {
    const out: ImportedScimUser[] = [];
    for (let startIndex = 1; out.length < MAX_LISTED; ) {
      const page = await scim.list(startIndex, PAGE_SIZE, ignore);
      for (const resource of page.resources) {
        const user = fromScimUser(resource);
        if (user) out.push(user);
      }
      startIndex += page.resources.length;
      if (page.resources.length === 0 || startIndex > page.totalResults) break;
    }
    return out;
  }

  /** The IdP user an SP user matches by To Okta's rule: the same email, or a username equal to its userName. */
  private async matcher(matchBy: MatchRule): Promise<(u: ImportedScimUser) => Promise<IdpUser | undefined>> {
    if (matchBy === 'email') {
      return async (u) => {
        const existing = await this.idp.directory.findByLogin(u.email);
        return existing !== undefined && existing.email.toLowerCase() === u.email.toLowerCase() ? existing : undefined;
      };
    }
    // One read of the directory, not one per SP user: a listing can hold 10,000 users.
    const byUsername = new Map((await this.idp.directory.listUsers()).map((user) => [user.username.toLowerCase(), user]));
    return async (u) => byUsername.get(u.userName.toLowerCase());
  }

  async candidates(scim: ScimClient, matchBy: MatchRule = 'email'): Promise<Candidate[]> {
    const spUsers = await this.spUsers(scim);
    const match = await this.matcher(matchBy);
    const out: Candidate[] = [];
    for (const u of spUsers) {
      const existing = await match(u);
      const imported = existing !== undefined;
      out.push({
        scimId: u.scimId,
        userName: u.userName,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        active: u.active,
        status: imported ? 'Imported' : 'New',
        ...(imported && { idpUserId: existing.id }),
        source: u,
        matchBy,
      });
    }
    // The "New users-only" view: New first.
    return out.sort((a, b) => (a.status === b.status ? 0 : a.status === 'New' ? -1 : 1));
  }

  async importUsers(appId: string, scim: ScimClient, input: unknown, matchBy: MatchRule = 'email'): Promise<ImportOutcome> {
    const request = parseInput(importInput, input ?? {}, 'import');
    const candidates = await this.candidates(scim, matchBy);
    const wanted = request.all ? candidates.filter((c) => c.status === 'New').map((c) => c.scimId) : [...new Set(request.userIds)];
    return this.execute(appId, candidates, wanted, { notify: request.notify ?? DEFAULT_IMPORT_NOTIFY });
  }

  /**
   * To Okta's scheduled import: lists the SP's users and, with "Confirm new users automatically",
   * imports the New ones exactly as the manual import does; otherwise records what it found.
   */
  async scheduledImport(appId: string, scim: ScimClient, opts: { matchBy: MatchRule; confirm: boolean }): Promise<ScheduledImportReport> {
    const candidates = await this.candidates(scim, opts.matchBy);
    const fresh = candidates.filter((c) => c.status === 'New');
    const found: ImportFindings = {
      new: fresh.length,
      imported: candidates.length - fresh.length,
      newUsers: fresh.slice(0, LISTED_NEW_USERS).map((c) => c.email),
      confirmed: opts.confirm,
    };
    const outcome = await this.execute(appId, candidates, opts.confirm ? fresh.map((c) => c.scimId) : [], { notify: DEFAULT_IMPORT_NOTIFY, trigger: 'scheduled', found });
    const imported = outcome.results?.filter((r) => r.result === 'imported').length;
    return { appId, found, ...(imported !== undefined && opts.confirm && { imported }) };
  }

  private async execute(appId: string, candidates: Candidate[], wanted: string[], run: { notify: string; trigger?: 'scheduled'; found?: ImportFindings }): Promise<ImportOutcome> {
    const byId = new Map(candidates.map((c) => [c.scimId, c]));
    const importId = randomUUID();
    const background = wanted.length > BACKGROUND_IMPORT_OVER;
    const { notify } = run;
    await this.runs.start(appId, { importId, background, requested: wanted.length, ...(background && { notify }), ...(run.trigger && { trigger: run.trigger }), ...(run.found && { found: run.found }) });
    // Each user's outcome is kept even when the run stops early, and the run always ends, so a
    // failure never leaves the application unable to import again.
    const work = async (results: ImportResult[]): Promise<void> => {
      try {
        for (const id of wanted) results.push(await this.importOne(id, byId.get(id)));
      } finally {
        await this.runs.finish(appId, importId, results);
      }
    };
    if (!background) {
      const results: ImportResult[] = [];
      await work(results);
      return { importId, requested: wanted.length, background, results };
    }
    this.queues.enqueue(`import:${appId}`, async () => {
      const results: ImportResult[] = [];
      await work(results);
      await this.notify(appId, notify, results);
    });
    return { importId, requested: wanted.length, background };
  }

  private async importOne(scimId: string, candidate: Candidate | undefined): Promise<ImportResult> {
    if (!candidate) return { scimId, email: '', result: 'failed', error: 'no such user in the SP' };
    const { email, source } = candidate;
    if (candidate.status === 'Imported') return { scimId, email, result: 'already-imported', ...(candidate.idpUserId && { idpUserId: candidate.idpUserId }) };
    try {
      const local = email.split('@')[0] ?? email;
      const usernameTaken = /^[A-Za-z0-9._@-]+$/.test(local) ? (await this.idp.directory.findByLogin(local)) !== undefined : true;
      // Matched by username, the new user's username is the SP userName, so the next import finds it Imported.
      const username = candidate.matchBy === 'username' ? source.userName : usernameTaken ? email : local;
      const user = await this.idp.directory.createUser({
        email,
        username,
        firstName: source.firstName,
        lastName: source.lastName,
        ...(source.number && PHONE.test(source.number) && { number: source.number }),
        ...(source.department && { department: source.department }),
        addresses: source.addresses,
        // The user sets a password through the IdP later; nobody knows this one.
        password: randomBytes(24).toString('base64url'),
      });
      return { scimId, email, result: 'imported', idpUserId: user.id };
    } catch (err) {
      return { scimId, email, result: 'failed', error: isHarnessError(err) ? err.message : String(err) };
    }
  }

  private async notify(appId: string, to: string, results: ImportResult[]): Promise<void> {
    const app = await this.idp.apps.get(appId).catch(() => undefined);
    const count = (r: ImportResult['result']) => results.filter((x) => x.result === r).length;
    const failed = results.filter((r) => r.result === 'failed');
    await this.idp.outbox.send({
      to,
      subject: `Your import from ${app?.displayLabel ?? appId} is complete`,
      text: [
        `Imported: ${count('imported')}`,
        `Already imported: ${count('already-imported')}`,
        `Failed: ${failed.length}`,
        ...failed.slice(0, MAILED_FAILURES).map((f) => `  ${f.email || f.scimId}: ${f.error ?? 'failed'}`),
        ...(failed.length > MAILED_FAILURES ? [`  and ${failed.length - MAILED_FAILURES} more: the application's manual import page lists every one.`] : []),
        'Imported users are managed only once they are members of a user group bound to the application.',
      ].join('\n'),
    });
  }
}
