// Audits someone else's SP with the harness IdP: one genuine SP-initiated login to learn what
// acceptance looks like, then every response scenario, each in a fresh SP-initiated login (a
// fresh AuthnRequest), posted to the SP's ACS and scored against the verdict a strict SP reaches.
import { baselineAcceptance, explicitAcceptance, type AcceptRule, type Acceptance, type AcsObservation } from './acceptance.js';
import { AUDIT_GROUP, AuditAdmin, type ListedScenario } from './admin.js';
import { AuditError } from './errors.js';
import { FlowError, loginToAcs } from './login.js';
import { BrowserSession } from '../browser/browser-session.js';
import type { IdpCredentials } from '../browser/sp-initiated-walk.js';

export type { AcceptRule } from './acceptance.js';
export { AuditError, type AuditErrorCode } from './errors.js';

export interface AuditSpOptions {
  /** The harness whose IdP the audited SP trusts, e.g. `http://localhost:8400`. */
  harnessUrl: string;
  adminToken: string;
  /** The IdP application the audited SP trusts (its metadata is `<harness>/idp/apps/<app>/metadata`). */
  app: string;
  /** The SP's metadata (XML), uploaded to the application first; otherwise the application's SP values stand. */
  spMetadata?: string;
  /** Where an SP-initiated login starts; `{email}` is replaced by the URL-encoded email. */
  loginUrl: string;
  /** The IdP user to sign in as; created (random password, bound through a group) when missing. */
  email: string;
  /** The IdP user's password; required when the user exists. */
  password?: string;
  /** How to tell an accepted login; default: answered like the genuine login (status, redirect path). */
  accept?: AcceptRule;
  /** Scenario ids to run (default: every scenario the harness lists). */
  scenarios?: readonly string[];
  /**
   * The audited SP's rules: `ringcentral` (default) also runs the scenarios whose verdict follows
   * RingCentral's own attribute rules (email and number required); `generic` leaves them out.
   */
  profile?: 'ringcentral' | 'generic';
  fetch?: typeof fetch;
  onProgress?: (event: AuditProgress) => void;
  /** Stops the audit between requests; the queued scenario and a temporary user are still cleaned up. */
  signal?: AbortSignal;
}

export type AuditProgress = { kind: 'step'; message: string } | { kind: 'row'; index: number; total: number; row: AuditRow };

export interface AuditRow {
  scenario: string;
  title: string;
  /** The attack catalogue row, when the scenario comes from it. */
  row?: number;
  kind: 'valid' | 'attack' | 'fault';
  /** Set when the verdict follows RingCentral's own rules rather than SAML's. */
  spProfile?: 'ringcentral';
  expected: 'accept' | 'reject';
  observed: 'accept' | 'reject' | 'error';
  pass: boolean;
  /** What the ACS answered (status, redirect target, error code), or why the scenario could not run. */
  detail: string;
  /** The ACS answer, when the scenario reached it. */
  acs?: { status: number; location?: string; code?: string };
}

export interface AuditReport {
  app: string;
  acsUrl: string;
  /** How acceptance was judged. */
  acceptance: string;
  /** The ACS answer to the genuine login. */
  baseline: { status: number; location?: string };
  rows: AuditRow[];
  passed: number;
  failed: number;
  /** Scenarios a strict SP rejects that this SP accepted (SAML's rules, whatever the SP). */
  acceptedAttacks: string[];
  /** Scenarios RingCentral's own rules reject that this SP accepted (a generic SP may rightly accept them). */
  acceptedProfileFaults: string[];
  /** `ringcentral` or `generic`: whether RingCentral's own rules were audited. */
  profile: 'ringcentral' | 'generic';
  /** What the audit did besides logging in (users it created, metadata it uploaded). */
  notes: string[];
}

interface ResolvedAudit {
  harnessUrl: string;
  loginUrl: string;
  accept?: Acceptance;
}

function resolveOptions(options: AuditSpOptions): ResolvedAudit {
  const bad = (message: string): never => {
    throw new AuditError('AUDIT_OPTIONS', message);
  };
  const httpUrl = (name: string, value: string): string => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) bad(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`);
    return value;
  };
  if (!options.adminToken) bad('the admin token is missing');
  if (!options.app) bad('the IdP application id is missing');
  if (!options.email) bad('the email to sign in with is missing');
  if (!options.loginUrl) bad('the SP login URL is missing');
  const harnessUrl = httpUrl('the harness URL', options.harnessUrl).replace(/\/+$/, '');
  const loginUrl = httpUrl('the login URL', options.loginUrl.split('{email}').join(encodeURIComponent(options.email)));
  const rule = options.accept;
  if (rule?.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 100 && rule.status <= 599)) {
    bad(`the accepted status must be an HTTP status code, not ${rule.status}`);
  }
  const hasRule = rule !== undefined && (rule.status !== undefined || rule.location !== undefined || rule.body !== undefined);
  return { harnessUrl, loginUrl, ...(hasRule && { accept: explicitAcceptance(rule) }) };
}

/** The harness IdP's cookies (its session and its browser id) all start with this. */
const IDP_COOKIE_PREFIX = 'sso_harness_idp';

/** A replay scenario resends the user's previous response in the same IdP session: a genuine one must come right before it. */
const needsPreviousResponse = (s: ListedScenario): boolean => /replay|previous/i.test(s.id);

function shortUrl(url: string, base: string): string {
  const u = new URL(url);
  return u.origin === new URL(base).origin ? `${u.pathname}${u.search}` : url;
}

function describeAcs(o: AcsObservation): string {
  return [`HTTP ${o.status}`, o.location && `→ ${shortUrl(o.location, o.acsUrl)}`, o.code].filter(Boolean).join(' ');
}

export async function auditSp(options: AuditSpOptions): Promise<AuditReport> {
  const resolved = resolveOptions(options);
  const rawFetch = options.fetch ?? fetch;
  const { signal } = options;
  const fetchImpl: typeof fetch = signal ? (input, init) => rawFetch(input, { ...init, signal }) : rawFetch;
  const progress = (message: string): void => options.onProgress?.({ kind: 'step', message });
  const admin = new AuditAdmin(resolved.harnessUrl, options.adminToken, fetchImpl, options.app);
  // Cleanup must still get through after an abort.
  const cleanup = new AuditAdmin(resolved.harnessUrl, options.adminToken, rawFetch, options.app);
  const notes: string[] = [];

  const listed = await admin.scenarios();
  const hasValid = listed.some((s) => s.id === 'valid');
  const profile = options.profile ?? 'ringcentral';
  let selected = profile === 'generic' ? listed.filter((s) => s.spProfile === undefined) : listed;
  if (options.scenarios) {
    const unknown = options.scenarios.filter((id) => !listed.some((s) => s.id === id));
    if (unknown.length > 0) throw new AuditError('AUDIT_OPTIONS', `no scenario ${unknown.join(', ')} at this harness (GET /idp/api/scenarios lists ${listed.length})`);
    selected = selected.filter((s) => options.scenarios?.includes(s.id));
  }

  const app = options.spMetadata === undefined ? await admin.app() : await admin.uploadSpMetadata(options.spMetadata);
  if (options.spMetadata !== undefined) notes.push(`uploaded the SP metadata to the IdP application ${options.app}`);
  progress(`IdP application ${app.id}: SP ${app.sp.entityId || '(no entity ID)'}, ${selected.length} scenarios`);

  let credentials: IdpCredentials;
  let createdUserId: string | undefined;
  const existing = await admin.findUser(options.email);
  if (existing) {
    if (options.password === undefined) throw new AuditError('AUDIT_OPTIONS', `${options.email} exists at the IdP: give its password`);
    credentials = { login: options.email, password: options.password };
  } else {
    const created = await admin.createBoundUser(options.email);
    createdUserId = created.user.id;
    credentials = { login: options.email, password: created.password };
    const note = `created the IdP user ${options.email} with a random password, bound to ${options.app} through the group "${AUDIT_GROUP}"; deleted after the audit`;
    notes.push(note);
    progress(note);
  }

  const login = (readFinalPage: boolean, browser?: BrowserSession): Promise<AcsObservation> =>
    loginToAcs({ loginUrl: resolved.loginUrl, credentials, fetch: fetchImpl, readFinalPage, ...(browser && { browser }) });
  const genuineLogin = async (readFinalPage: boolean, browser?: BrowserSession): Promise<AcsObservation> => {
    if (hasValid) await admin.queueNext('valid');
    else await admin.clearNext();
    return login(readFinalPage, browser);
  };
  /**
   * The harness replays a user's previous response only within the same IdP session: the replay
   * login starts in a fresh browser (no SP session) that carries the primed login's IdP cookies.
   */
  let primed: BrowserSession | undefined;
  const replayBrowser = (): BrowserSession | undefined => {
    if (!primed) return undefined;
    const browser = new BrowserSession(fetchImpl);
    browser.adoptCookies(primed, (name) => name.startsWith(IDP_COOKIE_PREFIX));
    primed = undefined;
    return browser;
  };

  try {
    progress(`genuine login from ${resolved.loginUrl}`);
    let baseline: AcsObservation;
    try {
      baseline = await genuineLogin(resolved.accept?.needsFinalPage ?? false);
    } catch (err) {
      signal?.throwIfAborted();
      if (err instanceof FlowError) throw new AuditError('AUDIT_BASELINE', `the genuine login failed: ${err.message}`);
      throw err;
    }
    if (baseline.status >= 400) {
      throw new AuditError('AUDIT_BASELINE', `the SP refused the genuine login: ${describeAcs(baseline)}${baseline.message ? ` (${baseline.message})` : ''}`);
    }
    const acceptance = resolved.accept ?? baselineAcceptance(baseline);
    if (!acceptance.accepts(baseline)) {
      throw new AuditError('AUDIT_BASELINE', `the SP's answer to the genuine login (${describeAcs(baseline)}) does not meet the acceptance rule: ${acceptance.description}`);
    }
    progress(`baseline: ${describeAcs(baseline)} at ${baseline.acsUrl}; accepted means ${acceptance.description}`);

    const rows: AuditRow[] = [];
    for (const [index, scenario] of selected.entries()) {
      signal?.throwIfAborted();
      const row = await runScenario(scenario, {
        acceptance,
        prime: () => {
          primed = new BrowserSession(fetchImpl);
          return genuineLogin(acceptance.needsFinalPage, primed);
        },
        queue: () => admin.queueNext(scenario.id),
        login: () => login(acceptance.needsFinalPage, replayBrowser()),
      });
      signal?.throwIfAborted(); // an aborted scenario is not a result
      rows.push(row);
      options.onProgress?.({ kind: 'row', index: index + 1, total: selected.length, row });
    }

    const failed = rows.filter((r) => !r.pass).length;
    return {
      app: app.id,
      acsUrl: baseline.acsUrl,
      acceptance: acceptance.description,
      baseline: { status: baseline.status, ...(baseline.location && { location: baseline.location }) },
      rows,
      passed: rows.length - failed,
      failed,
      acceptedAttacks: rows.filter((r) => r.expected === 'reject' && r.observed === 'accept' && r.spProfile === undefined).map((r) => r.scenario),
      acceptedProfileFaults: rows.filter((r) => r.expected === 'reject' && r.observed === 'accept' && r.spProfile !== undefined).map((r) => r.scenario),
      profile,
      notes,
    };
  } finally {
    // Never leave a scenario queued, nor the temporary user behind, whatever happened above.
    await cleanup.clearNext().catch(() => undefined);
    if (createdUserId !== undefined) await cleanup.deleteUser(createdUserId).catch(() => undefined);
  }
}

interface ScenarioRun {
  acceptance: Acceptance;
  prime(): Promise<AcsObservation>;
  queue(): Promise<void>;
  login(): Promise<AcsObservation>;
}

async function runScenario(scenario: ListedScenario, run: ScenarioRun): Promise<AuditRow> {
  const expected = scenario.expect.verdict;
  const base = {
    scenario: scenario.id,
    title: scenario.title,
    ...(scenario.row !== undefined && { row: scenario.row }),
    kind: scenario.kind,
    ...(scenario.spProfile !== undefined && { spProfile: scenario.spProfile }),
    expected,
  };
  try {
    if (needsPreviousResponse(scenario)) {
      const primed = await run.prime();
      if (!run.acceptance.accepts(primed)) {
        return { ...base, observed: 'error', pass: false, detail: `the genuine login it replays was not accepted: ${describeAcs(primed)}` };
      }
    }
    await run.queue();
    const o = await run.login();
    const observed = run.acceptance.accepts(o) ? 'accept' : 'reject';
    return {
      ...base,
      observed,
      pass: observed === expected,
      detail: describeAcs(o),
      acs: { status: o.status, ...(o.location && { location: o.location }), ...(o.code && { code: o.code }) },
    };
  } catch (err) {
    // One scenario that cannot be driven is a failed row, never the end of the audit.
    return { ...base, observed: 'error', pass: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
