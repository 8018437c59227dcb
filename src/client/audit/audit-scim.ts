// Audits anyone's SCIM 2.0 server as the provisioning clients of JumpCloud, Okta and Microsoft
// Entra ID would drive it: each dialect's real call sequence, in its request shapes, scored step
// by step. Every request goes through a rate limit and the provisioning clients' retrying HTTP;
// the whole audit has a time limit; the users it created, and only those, are deleted at the end.
import { errorMessage } from '../../caught-error.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../provisioning/retry.js';
import { USER_AGENTS } from '../../provisioning/flavors.js';
import { SCIM_MESSAGE } from '../../scim-protocol/urn.js';
import { AuditError } from './errors.js';
import { oauthTokens, staticToken, type ScimCredentials } from './scim/credentials.js';
import { DialectRun, SCIM_DIALECTS, type ScimAuditRow, type ScimDialect, type ScimProfile } from './scim/dialect-run.js';
import { DIALECT_RUNS } from './scim/dialects.js';
import { rateLimitedFetch, SYSTEM_CLOCK, type AuditClock } from './scim/rate-limit.js';
import type { ActivateUser } from './scim/ringcentral-steps.js';
import { AuditSession, DeadlineError } from './scim/session.js';

export { SCIM_DIALECTS, type ScimAuditRow, type ScimDialect, type ScimProfile } from './scim/dialect-run.js';
export { harnessActivation, type HarnessActivationOptions } from './scim/harness-activation.js';
export type { ActivateUser } from './scim/ringcentral-steps.js';
export type { OAuthCredentials, ScimCredentials } from './scim/credentials.js';
export type { AuditClock } from './scim/rate-limit.js';
export { AuditError } from './errors.js';

export const AUDIT_SCIM_DEFAULTS = Object.freeze({
  /** Requests per second, at most. */
  maxRate: 5,
  timeLimitMs: 10 * 60_000,
  requestTimeoutMs: 20_000,
  emailDomain: 'example.com',
  country: 'US',
});

/** Cleanup may run this long past the time limit. */
const CLEANUP_GRACE_MS = 60_000;
const USER_AGENT = 'sso-harness audit-scim';

export interface AuditScimOptions {
  /** The SCIM base URL, e.g. https://platform.ringcentral.com/scim/v2. */
  scimUrl: string;
  credentials: ScimCredentials;
  /** Default: all three. */
  dialects?: readonly ScimDialect[];
  /** `ringcentral` adds RingCentral's rules as expected behaviour; default `generic`. */
  profile?: ScimProfile;
  /** Activates a pending user (RingCentral profile); without it, the steps after activation are skipped. */
  activate?: ActivateUser;
  /** The domain of the users the audit creates (default example.com). */
  emailDomain?: string;
  /** Their address country, one with unassigned extensions at RingCentral (default US). */
  country?: string;
  /** Requests per second, at most (default 5). */
  maxRate?: number;
  /** The whole audit's limit in ms (default 10 minutes); cleanup gets a minute more. */
  timeLimitMs?: number;
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  fetch?: typeof fetch;
  /** Time and waiting (rate limit, Retry-After); tests inject one. */
  clock?: AuditClock;
  onRow?: (row: ScimAuditRow) => void;
}

export interface ScimAuditReport {
  scimUrl: string;
  profile: ScimProfile;
  dialects: ScimDialect[];
  rows: ScimAuditRow[];
  passed: number;
  failed: number;
  skipped: number;
  /** Per dialect, the steps that failed. */
  failures: Partial<Record<ScimDialect, string[]>>;
  /** Requests sent, retries included. */
  requests: number;
  /** What the audit did besides the steps (cleanup). */
  notes: string[];
  /** Users the audit created and could not delete (SCIM ids). */
  leftBehind: string[];
}

function resolve(options: AuditScimOptions): { scimUrl: string; dialects: ScimDialect[]; maxRate: number; timeLimitMs: number } {
  const bad = (message: string): never => {
    throw new AuditError('AUDIT_OPTIONS', message);
  };
  let url: URL | undefined;
  try {
    url = new URL(options.scimUrl);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') bad(`the SCIM URL must be an http(s) URL such as https://api.example.com/scim/v2, not ${JSON.stringify(options.scimUrl)}`);
  const creds = options.credentials as Partial<{ token: string; oauth: { tokenUrl?: string; clientId?: string; clientSecret?: string } }>;
  if ('token' in creds && !creds.token) bad('the SCIM bearer token is empty');
  if ('oauth' in creds && (!creds.oauth?.tokenUrl || !creds.oauth.clientId || !creds.oauth.clientSecret)) bad('OAuth needs a token URL, a client id and a client secret');
  const dialects = [...new Set(options.dialects ?? SCIM_DIALECTS)];
  const unknown = dialects.filter((d) => !SCIM_DIALECTS.includes(d));
  if (unknown.length > 0 || dialects.length === 0) bad(`dialects are ${SCIM_DIALECTS.join(', ')}, not ${unknown.join(', ') || 'none'}`);
  const maxRate = options.maxRate ?? AUDIT_SCIM_DEFAULTS.maxRate;
  if (!Number.isInteger(maxRate) || maxRate < 1 || maxRate > 1000) bad(`the rate must be a whole number of requests per second from 1 to 1000, not ${maxRate}`);
  const timeLimitMs = options.timeLimitMs ?? AUDIT_SCIM_DEFAULTS.timeLimitMs;
  if (!(timeLimitMs > 0 && timeLimitMs <= 24 * 3600_000)) bad(`the time limit must be more than 0 and at most a day, not ${timeLimitMs} ms`);
  if (options.profile !== undefined && options.profile !== 'generic' && options.profile !== 'ringcentral') bad(`the profile is generic or ringcentral, not ${String(options.profile)}`);
  return { scimUrl: options.scimUrl.replace(/\/+$/, ''), dialects, maxRate, timeLimitMs };
}

export async function auditScim(options: AuditScimOptions): Promise<ScimAuditReport> {
  const { scimUrl, dialects, maxRate, timeLimitMs } = resolve(options);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const profile = options.profile ?? 'generic';
  const limited = rateLimitedFetch(options.fetch ?? fetch, maxRate, clock);
  const tokens = 'token' in options.credentials ? staticToken(options.credentials.token) : oauthTokens(options.credentials.oauth, limited, () => clock.now());
  const session = new AuditSession({
    baseUrl: scimUrl,
    tokens,
    fetch: limited,
    clock,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    requestTimeoutMs: options.requestTimeoutMs ?? AUDIT_SCIM_DEFAULTS.requestTimeoutMs,
    timeLimitMs,
  });
  await preflight(session, scimUrl);

  const rows: ScimAuditRow[] = [];
  const notes: string[] = [];
  let leftBehind: string[] = [];
  try {
    for (const dialect of dialects) {
      const run = new DialectRun(dialect, profile, session.client(USER_AGENTS[dialect]), (row) => {
        rows.push(row);
        options.onRow?.(row);
      });
      const since = session.throttles.length;
      await DIALECT_RUNS[dialect](run, {
        domain: options.emailDomain ?? AUDIT_SCIM_DEFAULTS.emailDomain,
        country: options.country ?? AUDIT_SCIM_DEFAULTS.country,
        ...(options.activate && { activate: options.activate }),
        throttles: () => session.throttles.slice(since),
      });
    }
  } finally {
    leftBehind = await cleanUp(session, notes);
  }
  const count = (outcome: ScimAuditRow['outcome']): number => rows.filter((r) => r.outcome === outcome).length;
  const failures: Partial<Record<ScimDialect, string[]>> = {};
  for (const r of rows) if (r.outcome === 'fail') (failures[r.dialect] ??= []).push(r.step);
  return { scimUrl, profile, dialects, rows, passed: count('pass'), failed: count('fail'), skipped: count('skip'), failures, requests: session.requests, notes, leftBehind };
}

/** One GET before any step: a server that does not answer, or refuses the credentials, cannot be audited. */
async function preflight(session: AuditSession, scimUrl: string): Promise<void> {
  const send = session.client(USER_AGENT, 0, { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });
  let status: number;
  try {
    status = (await send('GET', '/ServiceProviderConfig')).status;
  } catch (err) {
    if (err instanceof AuditError) throw err;
    throw new AuditError('AUDIT_SCIM_UNREACHABLE', `${scimUrl} does not answer: ${errorMessage(err)}; check the URL and that the server is running`);
  }
  if (status === 401 || status === 403) {
    throw new AuditError('AUDIT_SCIM_AUTH', `${scimUrl}/ServiceProviderConfig answered HTTP ${status}: the server refuses these credentials; check the token (or the OAuth client)`);
  }
}

/**
 * Deletes the users this audit created, and nothing else: a DELETE, and when the server refuses
 * it (RingCentral deletes a deactivated user only once reactivated), a reactivation and a DELETE.
 */
async function cleanUp(session: AuditSession, notes: string[]): Promise<string[]> {
  if (session.created.size === 0) return [];
  const send = session.client(USER_AGENT, CLEANUP_GRACE_MS);
  const total = session.created.size;
  for (const id of [...session.created.keys()]) {
    const path = `/Users/${encodeURIComponent(id)}`;
    try {
      const first = await send('DELETE', path);
      if (first.status === 409 || first.status === 400) {
        await send('PATCH', path, { schemas: [SCIM_MESSAGE.patchOp], Operations: [{ op: 'replace', path: 'active', value: true }] });
        await send('DELETE', path);
      }
    } catch (err) {
      if (err instanceof DeadlineError) break;
      // kept in `created`: reported as left behind
    }
  }
  const left = [...session.created.keys()];
  notes.push(`deleted ${total - left.length} of the ${total} users the audit created${left.length > 0 ? `; left behind: ${left.join(', ')}` : ''}`);
  return left;
}
