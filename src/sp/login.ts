// SP sign-in: the SP-initiated start (email → account → AuthnRequest), the assertion consumer
// (validate → map the email → find the directory user → session), and password login.
import type { Clock } from '../clock.js';
import { pinnedCertificate, type SigningKey } from '../crypto/keys.js';
import { verifyPassword } from '../crypto/passwords.js';
import { loginNonceHash, matchesLoginNonce } from '../crypto/login-binding.js';
import { randomToken } from '../crypto/random-token.js';
import { HarnessError } from '../errors.js';
import { buildAuthnRequest, signAuthnRequest } from '../saml/authn-request.js';
import { encodePostMessage } from '../saml/encoding.js';
import { buildRedirectUrl } from '../saml/redirect-binding.js';
import { BINDING, ALGORITHM, NAMEID_FORMAT } from '../saml/urn.js';
import { peekDocument, readResponse, validateRead } from '../saml/validate/pipeline.js';
import { isLocalPath } from '../saml/validate/relay-state.js';
import type { OutstandingRequest, ResponseExpectations, ValidationResult, ValidationState } from '../saml/validate/types.js';
import { MAP, expiringMap } from '../store/tables.js';
import { STORE_FULL_RETRY_SEC, type Store } from '../store/types.js';
import type { TraceEntry, TraceLog } from '../trace/trace-log.js';
import type { SpAccounts } from './accounts.js';
import { assertActive } from './active-user.js';
import type { SpDirectory } from './directory.js';
import { trustedIdpCertificates } from './idp-certificates.js';
import type { Account, SpSession, SpUser } from './model.js';
import { SpSessions } from './sessions.js';

export interface SpEndpoints {
  entityId: string;
  acsUrl: string;
  homeUrl: string;
}

export interface LoginSettings {
  signAuthnRequests: boolean;
  requestLifetimeSec: number;
  sessionLifetimeSec: number;
  /** Most logins in progress (outstanding AuthnRequests) kept at once; past that a start is refused. */
  maxOutstandingRequests: number;
  /** The SP's encryption key pair, when it has one: accounts with decryptAssertions decrypt with it. */
  encryptionKey?: SigningKey;
}

/** Where the browser goes: a redirect (HTTP-Redirect binding), or a form it posts (HTTP-POST, when the IdP lists only that). */
export type LoginStart =
  | { kind: 'redirect'; url: string; requestId: string }
  | { kind: 'post'; url: string; fields: { SAMLRequest: string; RelayState?: string }; requestId: string };

export interface AcsOutcome {
  session: SpSession;
  user: SpUser;
  /** A path on this SP to land on (never another origin). */
  target: string;
  result: ValidationResult & { ok: true };
}

const HOME = '/sp/home';

/**
 * A failure as the trace records it. The reason a decryption failed goes to the trace only (the
 * client sees one generic answer); an unexpected error (a store or driver failure) is recorded as
 * INTERNAL with its own name and message, which only the trace and the log show.
 */
function traceErrorOf(failure: unknown): NonNullable<TraceEntry['error']> {
  if (failure instanceof HarnessError) {
    return {
      code: failure.code,
      message: failure.message,
      ...(typeof failure.cause === 'string' && { detail: failure.cause }),
      ...(failure.details.expected !== undefined && { expected: failure.details.expected }),
      ...(failure.details.received !== undefined && { received: failure.details.received }),
    };
  }
  const detail = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
  return { code: 'INTERNAL', message: 'unexpected error while signing the user in; the harness log has the details', detail };
}

export const SP_REQUESTS = (maxEntries: number) => expiringMap<OutstandingRequest & { target?: string }>(MAP.spRequests(maxEntries));
export const SP_ASSERTIONS = expiringMap<true>(MAP.spAssertions);

export class SpLogin {
  private readonly requests;
  private readonly assertions;
  private readonly sessions: SpSessions;

  constructor(
    private readonly store: Store,
    private readonly accounts: SpAccounts,
    private readonly directory: SpDirectory,
    private readonly key: SigningKey,
    private readonly endpoints: SpEndpoints,
    private readonly clock: Clock,
    private readonly trace: TraceLog,
    private readonly settings: LoginSettings,
  ) {
    // Both refuse new entries when full of live ones, never dropping one (see the registry).
    this.requests = store.expiring(SP_REQUESTS(settings.maxOutstandingRequests));
    this.assertions = store.expiring(SP_ASSERTIONS);
    this.sessions = new SpSessions(store, clock, settings.sessionLifetimeSec);
  }

  /** Finds the account for an email typed on the SP login page. */
  async accountForEmail(email: string): Promise<{ account: Account; user: SpUser }> {
    const user = await this.directory.findByEmail(email);
    if (!user) {
      throw new HarnessError(
        'SP_LOGIN_EMAIL_UNKNOWN',
        `no user with email ${email}: provision the user from the IdP (Identity Management), or add it on its account's Users page in the SP console`,
        { expected: 'the email of a user in an SP account directory', received: email },
      );
    }
    return { account: await this.accounts.get(user.accountId), user };
  }

  /**
   * SP-initiated SSO: an AuthnRequest to the account's IdP (HTTP-Redirect, or HTTP-POST when its
   * metadata lists only that, as JumpCloud's does by default); its ID kept server-side,
   * bound to the browser that holds `browserNonce` (only that browser may post the response).
   * `typedEmail`: the address the user typed on the SP's login page, if they typed one.
   */
  async start(accountOrId: string | Account, browserNonce: string, target?: string, typedEmail?: string): Promise<LoginStart> {
    // A caller that has just read the account passes it, instead of reading it again.
    const account = typeof accountOrId === 'string' ? await this.accounts.get(accountOrId) : accountOrId;
    const idp = account.sso.idp;
    if (!idp) throw new HarnessError('SP_SSO_NOT_CONFIGURED', `account ${account.name} has no IdP metadata`);
    if (!account.sso.enabled) throw new HarnessError('SP_SSO_DISABLED', `SSO is not enabled for ${account.name}`);
    // HTTP-Redirect when the IdP lists it; HTTP-POST otherwise (JumpCloud lists only HTTP-POST
    // unless "Declare Redirect Endpoint" is checked).
    const sso = idp.ssoServices.find((s) => s.binding === BINDING.redirect) ?? idp.ssoServices.find((s) => s.binding === BINDING.post);
    if (!sso) {
      throw new HarnessError('SP_SSO_NOT_CONFIGURED', 'the IdP metadata has no HTTP-Redirect or HTTP-POST SingleSignOnService', {
        side: 'idp',
        setting: 'Declare Redirect Endpoint',
      });
    }
    const now = this.clock.now();
    const { id, xml } = buildAuthnRequest({
      issuer: this.endpoints.entityId,
      destination: sso.location,
      acsUrl: this.endpoints.acsUrl,
      // As SPs do with the address the user typed: the IdP's sign-in page starts with it filled in.
      ...(typedEmail !== undefined && { subjectNameId: { value: typedEmail, format: NAMEID_FORMAT.emailAddress } }),
      nowMs: now,
    });
    // RelayState is an opaque key; the target it stands for stays on the server.
    const safe = target !== undefined && target.length <= 200 && isLocalPath(target) ? target : undefined;
    const relayState = safe === undefined ? undefined : randomToken(12, 'base64url');
    const expiresAtMs = now + this.settings.requestLifetimeSec * 1000;
    const request = { id, scope: account.id, expiresAtMs, browserHash: loginNonceHash(browserNonce), ...(relayState && { relayState, target: safe }) };
    await this.keepRequest(request, now);
    const posted = sso.binding === BINDING.post;
    const sent = posted && this.settings.signAuthnRequests ? signAuthnRequest(xml, id, this.key, ALGORITHM.rsaSha256) : xml;
    const url = posted
      ? sso.location
      : buildRedirectUrl(sso.location, 'SAMLRequest', xml, {
          ...(relayState !== undefined && { relayState }),
          ...(this.settings.signAuthnRequests && { signing: { key: this.key, algorithm: ALGORITHM.rsaSha256 } }),
        });
    this.trace.record({
      side: 'sp',
      kind: 'AuthnRequest',
      direction: 'sent',
      flow: id,
      binding: sso.binding,
      endpoint: sso.location,
      xml: sent,
      relayState,
      verdict: 'ok',
      summary: `AuthnRequest ${id} for account ${account.name} to ${idp.entityId}${posted ? ' (HTTP-POST)' : ''}`,
    });
    if (posted) return { kind: 'post', url, fields: { SAMLRequest: encodePostMessage(sent), ...(relayState !== undefined && { RelayState: relayState }) }, requestId: id };
    return { kind: 'redirect', url, requestId: id };
  }

  /** Stores an outstanding request; a store full of live ones refuses the start instead of forgetting one. */
  private async keepRequest(request: OutstandingRequest & { target?: string }, now: number): Promise<void> {
    try {
      await this.requests.add(request.id, request, request.expiresAtMs, now);
    } catch (err) {
      if (!(err instanceof HarnessError) || err.code !== 'STORE_FULL') throw err;
      const max = this.settings.maxOutstandingRequests.toLocaleString('en-US');
      throw new HarnessError('SP_LOGIN_BUSY', `the SP has ${max} logins in progress and starts no more until some finish or expire`, {
        expected: `fewer than ${max} logins in progress (config sp.maxOutstandingRequests; each lasts up to sp.requestLifetimeSec)`,
        received: `${max} logins in progress`,
        // Requests leave as they are answered or expire: room comes back within a request lifetime.
        retryAfterSec: Math.min(err.details.retryAfterSec ?? STORE_FULL_RETRY_SEC, this.settings.requestLifetimeSec),
      });
    }
  }

  /**
   * `browserNonces`: what the posting browser sent. A request of another browser is handed to the
   * pipeline (whose browser-binding check refuses the response) but not used up, so a response
   * posted from the wrong browser cannot spend the login of the browser that started it.
   */
  private validationState(browserNonces: readonly string[]): ValidationState {
    return {
      takeRequest: async (id) => {
        const now = this.clock.now();
        const request = await this.requests.get(id, now);
        if (request?.browserHash !== undefined && !matchesLoginNonce(request.browserHash, browserNonces)) return request;
        return this.requests.take(id, now);
      },
      rememberAssertion: (id, expiresAtMs) => this.assertions.add(id, true, expiresAtMs, this.clock.now()),
    };
  }

  expectations(account: Account, relayState?: string, browserNonces?: readonly string[]): ResponseExpectations {
    const idp = account.sso.idp;
    if (!idp) throw new HarnessError('SP_SSO_NOT_CONFIGURED', `account ${account.name} has no IdP metadata`);
    const mapping = account.sso.emailMapping;
    return {
      idpEntityId: idp.entityId,
      idpCertificates: trustedIdpCertificates(idp).map((c) => pinnedCertificate(c)),
      spEntityId: this.endpoints.entityId,
      acsUrl: this.endpoints.acsUrl,
      allowedClockSkewSec: account.sso.clockSkewSec,
      nowMs: this.clock.now(),
      allowSha1: account.sso.allowSha1,
      allowExpiredCertificate: account.sso.allowExpiredCertificate ?? false,
      minKeyBits: 2048,
      allowUnsolicited: account.sso.allowUnsolicited,
      emailFrom: !mapping || mapping.kind === 'nameid' ? { kind: 'nameid' } : { kind: 'attribute', name: mapping.name },
      requireNumberAttribute: account.sso.requireNumberAttribute,
      requestScope: account.id,
      ...(relayState !== undefined && { relayState }),
      ...(browserNonces !== undefined && { browser: { nonces: browserNonces } }),
      ...(account.sso.decryptAssertions === true &&
        this.settings.encryptionKey && {
          decryption: {
            key: this.settings.encryptionKey.privateKey,
            allowRsa15: account.sso.allowRsa15 ?? false,
            allowCbc: account.sso.allowCbc ?? false,
          },
        }),
    };
  }

  /**
   * The assertion consumer: everything a strict SP checks, then the directory user and a session.
   * `browserNonces` are the login-binding values the posting browser sent (none: it sent none).
   */
  async consume(samlResponse: string | undefined, relayState: string | undefined, browserNonces: readonly string[]): Promise<AcsOutcome> {
    if (!samlResponse) throw new HarnessError('SAML_MESSAGE_MISSING', 'the POST has no SAMLResponse field').withChecks([]);
    // Decoded and parsed once: the issuer picks the account (unverified), then the rest of the
    // pipeline runs on the same document with that account's expectations.
    const read = await readResponse(samlResponse);
    let account: Account;
    try {
      if (read.error) throw read.error;
      if (!read.ctx.doc) throw new HarnessError('INTERNAL', 'the response was read but not parsed');
      account = await this.accountFor(peekDocument(read.ctx.doc).issuer);
    } catch (err) {
      const trace = this.recordResponse(undefined, read.ctx.xml, relayState, err, []);
      throw err instanceof HarnessError ? err.withChecks([]).withTrace(trace) : err;
    }
    const result = await validateRead(read, this.expectations(account, relayState, browserNonces), this.validationState(browserNonces));
    if (!result.ok) {
      const trace = this.recordResponse(undefined, result.xml, relayState, result.error, result.checks);
      throw result.error.withChecks(result.checks).withTrace(trace);
    }
    const a = result.assertion;
    const flow = a.inResponseTo;
    try {
      if (!account.sso.enabled) throw new HarnessError('SP_SSO_DISABLED', `SSO is not enabled for ${account.name}`);
      const user = await this.directory.findInAccount(account.id, a.email);
      if (!user) {
        throw new HarnessError('SP_USER_NOT_FOUND', `no user ${a.email} in account ${account.name} (never provisioned, or deleted): provision the user from the IdP (Identity Management), or add it on the account's Users page in the SP console (/sp/admin/accounts/${account.id}/users)`, {
          expected: 'an email of a user in the account directory',
          received: `${a.email} (from ${account.sso.emailMapping?.kind === 'nameid' ? 'the NameID' : `attribute ${account.sso.emailMapping?.name}`})`,
        });
      }
      assertActive(user);
      const session = await this.sessions.start(user, 'sso', {
        nameId: a.nameId,
        ...(a.nameIdFormat !== undefined && { nameIdFormat: a.nameIdFormat }),
        ...(a.sessionIndex !== undefined && { sessionIndex: a.sessionIndex }),
        attributes: a.attributes,
        idpEntityId: a.issuer,
      });
      const stored = a.request as (OutstandingRequest & { target?: string }) | undefined;
      const target = stored ? (stored.target ?? HOME) : (relayState ?? HOME);
      this.recordResponse(flow, result.xml, relayState, undefined, result.checks, `${user.email} signed in to ${account.name}`);
      return { session, user, target, result };
    } catch (err) {
      // Recorded as what it is: a store or driver failure is not a verdict on the response.
      const trace = this.recordResponse(flow, result.xml, relayState, err, result.checks);
      throw err instanceof HarnessError ? err.withChecks(result.checks).withTrace(trace) : err;
    }
  }

  private async accountFor(issuer: string | undefined): Promise<Account> {
    const account = issuer === undefined ? undefined : await this.accounts.findByIdpEntityId(issuer);
    if (!account) {
      throw new HarnessError('SAML_ISSUER', issuer === undefined ? 'the response has no Issuer' : `no account trusts the IdP ${issuer}`, {
        expected: 'the entity ID of an IdP whose metadata an account imported',
        received: issuer ?? '(none)',
        side: 'sp',
        setting: 'Upload IdP Metadata',
      });
    }
    return account;
  }

  private recordResponse(
    flow: string | undefined,
    xml: string | undefined,
    relayState: string | undefined,
    failure: unknown,
    checks: ValidationResult['checks'],
    summary?: string,
  ): string {
    const error = failure === undefined ? undefined : traceErrorOf(failure);
    const entry = this.trace.record({
      side: 'sp',
      kind: 'Response',
      direction: 'received',
      flow: flow ?? (xml ? /InResponseTo="([^"]{1,200})"/.exec(xml)?.[1] : undefined),
      binding: BINDING.post,
      endpoint: this.endpoints.acsUrl,
      xml,
      relayState,
      checks,
      verdict: error ? 'rejected' : 'ok',
      error,
      summary: summary ?? `response rejected: ${error?.code ?? 'unknown'}`,
    });
    // Where the trace viewer shows it: the whole login when the response names its request.
    return entry.flow !== undefined ? `/debug/flows/${encodeURIComponent(entry.flow)}` : `/debug/entries/${encodeURIComponent(entry.id)}`;
  }

  /** RingCentral credential login: only when SSO is off or the account allows "SSO or password". */
  async passwordLogin(email: string, password: string): Promise<SpSession> {
    const user = await this.directory.findByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash);
    if (!user || !ok) throw new HarnessError('SP_BAD_CREDENTIALS', 'wrong email or password');
    const account = await this.accounts.get(user.accountId);
    if (account.sso.enabled && account.sso.loginMode === 'sso-only') {
      throw new HarnessError('SP_PASSWORD_LOGIN_DISABLED', `${account.name} enforces SSO login only`, {
        expected: 'Manage Your Login: "SSO or password"',
        received: 'SSO only',
      });
    }
    assertActive(user);
    return this.sessions.start(user, 'password', {});
  }

  /**
   * Ends the account's sessions of this NameID (only those of the given SessionIndexes, when any
   * are given): what a LogoutRequest from the IdP asks. Returns how many were live.
   */
  endSessionsOf(accountId: string, nameId: string, sessionIndexes: readonly string[]): Promise<number> {
    return this.sessions.endAllOf(accountId, nameId, sessionIndexes);
  }

  session(id: string | undefined): Promise<SpSession | undefined> {
    return this.sessions.get(id);
  }

  endSession(id: string): Promise<void> {
    return this.sessions.end(id);
  }
}
