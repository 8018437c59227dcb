// The IdP's SSO service: checks an incoming AuthnRequest (request-checks/, one check per file),
// holds it while the user signs in (bound to the browser that brought it), and answers with a
// signed Response for an authorized user.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { pinnedCertificate, type SigningKey } from '../crypto/keys.js';
import { randomToken } from '../crypto/random-token.js';
import { HarnessError } from '../errors.js';
import type { ParsedAuthnRequest } from '../saml/authn-request.js';
import { encodePostMessage } from '../saml/encoding.js';
import { newSamlId } from '../saml/ids.js';
import type { ResponseSpec } from '../saml/response-builder.js';
import { ATTRNAME_FORMAT, BINDING, NAMEID_FORMAT, STATUS, signatureAlgorithmFor } from '../saml/urn.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import type { IdpAppKeys } from './app-keys.js';
import type { IdpApplications } from './applications.js';
import type { ResponseScenarios } from './response-scenarios.js';
import { missingSettings } from './catalogue.js';
import type { IdpDirectory } from './directory.js';
import { isAssigned, userProperty, type IdpApp, type IdpUser } from './model.js';
import { statementValue } from './user-attributes.js';
import { checkAuthnRequest } from './request-checks/pipeline.js';
import type { IncomingRequest, RequestExpectations } from './request-checks/types.js';
import { ServedRequests } from './served-requests.js';
import type { ErrorAnswer, IdpSession, IssuedResponse, LoginFor, PendingLogin, ReceivedRequest, SloParticipant } from './sso-types.js';
import { buildStatusResponse } from './status-response.js';

export type { IncomingRequest } from './request-checks/types.js';

export interface IdpSsoSettings {
  assertionLifetimeSec: number;
  sessionLifetimeSec: number;
  /** The clock skew allowed when reading an AuthnRequest's IssueInstant, in seconds. */
  allowedClockSkewSec: number;
  /** How old an AuthnRequest may be when it arrives, in seconds. */
  requestMaxAgeSec: number;
}

const PENDING_TTL_MS = 10 * 60_000;

/** The stored form of a browser cookie: a digest, so the store never holds a usable cookie value. */
export function browserDigest(cookie: string): string {
  return createHash('sha256').update(cookie).digest('base64url');
}

function sameBrowser(pending: PendingLogin, cookie: string | undefined): boolean {
  if (pending.browser === undefined || cookie === undefined || cookie === '') return false;
  const a = Buffer.from(pending.browser);
  const b = Buffer.from(browserDigest(cookie));
  return a.length === b.length && timingSafeEqual(a, b);
}

export const IDP_PENDING = expiringMap<PendingLogin>(MAP.idpPending);
export const IDP_SESSIONS = expiringMap<IdpSession>(MAP.idpSessions);

export class IdpSso {
  private readonly pending;
  private readonly sessions;
  private readonly served: ServedRequests;

  constructor(
    store: Store,
    private readonly apps: IdpApplications,
    private readonly directory: IdpDirectory,
    /** The application's current signing key signs each response. */
    private readonly keys: Pick<IdpAppKeys, 'currentKey'>,
    private readonly clock: Clock,
    private readonly trace: TraceLog,
    private readonly settings: IdpSsoSettings,
    private readonly scenarios: ResponseScenarios,
    /**
     * The time AuthnRequests are checked against: the IdP's clock without the drift a test
     * simulates on it (that drift shifts the times the IdP writes, to test the SP; it must not
     * make the IdP refuse the SP's requests). The IdP's clock by default.
     */
    private readonly requestClock: Clock = clock,
  ) {
    // Anyone can send an AuthnRequest without signing in: full of parked logins, the map refuses
    // new ones (STORE_FULL) rather than drop the login of a user who is at the sign-in page.
    this.pending = store.expiring(IDP_PENDING);
    this.sessions = store.expiring(IDP_SESSIONS);
    this.served = new ServedRequests(store, requestClock);
  }

  private expectations(app: IdpApp): RequestExpectations {
    return {
      app,
      missingSettings: missingSettings(app),
      spCertificates: app.sp.certificates.map((c) => pinnedCertificate(c)),
      ssoUrls: this.apps.ssoUrls(app),
      nowMs: this.requestClock.now(),
      allowedClockSkewSec: this.settings.allowedClockSkewSec,
      maxAgeMs: this.settings.requestMaxAgeSec * 1000,
    };
  }

  /**
   * Checks an AuthnRequest for an application. The login it starts is answered at once when the
   * browser already has a session (`respond` with the returned login), or parked until the user
   * has signed in (`park`, then `respondToParked` with its key). A refused request throws, except a genuine
   * one asking for an unsupported binding: that one is answered with a SAML error Response.
   */
  async receiveRequest(appId: string, message: IncomingRequest): Promise<ReceivedRequest> {
    const app = await this.apps.get(appId);
    const result = await checkAuthnRequest(message, this.expectations(app), this.served);
    const { ctx, checks } = result;
    const where = {
      side: 'idp' as const,
      kind: 'AuthnRequest' as const,
      direction: 'received' as const,
      binding: message.binding === 'redirect' ? BINDING.redirect : BINDING.post,
      endpoint: this.apps.endpoints(app).ssoUrl,
      xml: ctx.xml,
      relayState: ctx.relayState,
      checks,
    };
    if (!result.ok) {
      const { error } = result;
      this.trace.record({
        ...where,
        ...(ctx.request && { flow: ctx.request.id }),
        verdict: 'rejected',
        error: {
          code: error.code,
          message: error.message,
          ...(error.details.expected !== undefined && { expected: error.details.expected }),
          ...(error.details.received !== undefined && { received: error.details.received }),
        },
        summary: `AuthnRequest for ${app.displayLabel} refused (${error.code})`,
      });
      if (error.code === 'IDP_BINDING_UNSUPPORTED' && ctx.request) {
        return { kind: 'error-response', answer: await this.answerWithStatus(app, ctx.request, ctx.relayState, error) };
      }
      throw error;
    }
    const { request, acs } = result;
    const pending: PendingLogin = {
      key: randomToken(18, 'base64url'),
      appId: app.id,
      requestId: request.id,
      spEntityId: request.issuer,
      acsUrl: acs.url,
      ...(ctx.relayState !== undefined && { relayState: ctx.relayState }),
      binding: message.binding,
      forceAuthn: request.forceAuthn,
      ...(request.subjectNameId !== undefined && { loginHint: request.subjectNameId }),
    };
    this.trace.record({
      ...where,
      flow: request.id,
      verdict: 'ok',
      summary: `AuthnRequest ${request.id} from ${request.issuer} accepted for ${app.displayLabel}`,
    });
    return { kind: 'login', pending, app };
  }

  /** Answers a genuine request for an unsupported binding with Responder / UnsupportedBinding. */
  private async answerWithStatus(app: IdpApp, request: ParsedAuthnRequest, relayState: string | undefined, error: HarnessError): Promise<ErrorAnswer> {
    const { acsUrl, xml } = buildStatusResponse({
      app,
      request,
      key: await this.keys.currentKey(app.id),
      status: { code: STATUS.responder, subCode: STATUS.unsupportedBinding, message: error.message },
      nowMs: this.clock.now(),
    });
    this.trace.record({
      side: 'idp',
      kind: 'Response',
      direction: 'sent',
      flow: request.id,
      binding: BINDING.post,
      endpoint: acsUrl,
      xml,
      relayState,
      verdict: 'ok',
      summary: `error Response (Responder / UnsupportedBinding) to ${acsUrl}: ${error.message}`,
    });
    return { acsUrl, samlResponse: encodePostMessage(xml), ...(relayState !== undefined && { relayState }) };
  }

  /**
   * Keeps a received login until the user has signed in, bound to the browser that brought it
   * (its browser cookie): the sign-in page and the sign-in that answers it must come from there.
   */
  async park(pending: PendingLogin, browserCookie: string): Promise<void> {
    const bound: PendingLogin = { ...pending, browser: browserDigest(browserCookie) };
    const now = this.clock.now();
    await this.pending.add(pending.key, bound, now + PENDING_TTL_MS, now);
  }

  /** A parked login, for the browser that brought it only. */
  async getPending(key: string, browserCookie: string | undefined): Promise<PendingLogin> {
    const pending = await this.pending.get(key, this.clock.now());
    if (!pending) throw new HarnessError('IDP_LOGIN_EXPIRED', 'this sign-in is unknown or expired: start again from the application');
    if (!sameBrowser(pending, browserCookie)) {
      throw new HarnessError('IDP_LOGIN_OTHER_BROWSER', 'this sign-in was started in another browser: start again from the application in this browser', {
        expected: 'the browser that was sent here by the application (its IdP browser cookie)',
        received: browserCookie ? 'another browser' : 'no IdP browser cookie',
      });
    }
    return pending;
  }

  async startSession(user: IdpUser): Promise<IdpSession> {
    const now = this.clock.now();
    const session: IdpSession = {
      id: randomToken(24, 'base64url'),
      userId: user.id,
      authnInstantMs: now,
      sessionIndex: newSamlId(),
    };
    await this.sessions.set(session.id, session, now + this.settings.sessionLifetimeSec * 1000);
    return session;
  }

  async getSession(id: string | undefined): Promise<IdpSession | undefined> {
    return id ? this.sessions.get(id, this.clock.now()) : undefined;
  }

  async endSession(id: string): Promise<void> {
    await this.sessions.delete(id);
  }

  /** Remembers that the user signed in to this SP during the session, for Single Logout. */
  private async addParticipant(session: IdpSession, participant: SloParticipant): Promise<void> {
    const same = (s: IdpSession): boolean =>
      s.participants?.some((p) => p.appId === participant.appId && p.nameId === participant.nameId && p.nameIdFormat === participant.nameIdFormat) ?? false;
    // Every further login to the same SP in the session names the same participant: nothing to
    // read or write (participants are only ever added or replaced, never dropped, while it lives).
    if (same(session)) return;
    const current = (await this.sessions.get(session.id, this.clock.now())) ?? session;
    if (same(current)) return;
    await this.sessions.set(session.id, withParticipant(current, participant), current.authnInstantMs + this.settings.sessionLifetimeSec * 1000);
  }

  /** Answers a login just received and never parked, for a signed-in user (unauthorized users get no assertion). */
  async respond(login: LoginFor, session: IdpSession, opts: { scenario?: string } = {}): Promise<IssuedResponse> {
    const user = await this.authorizedUser(login, session);
    return this.issue(login, user, session, opts.scenario);
  }

  /** Answers a parked login by its key, in the browser that brought it; taken: each is answered once. */
  async respondToParked(key: string, session: IdpSession, opts: { scenario?: string; browser?: string } = {}): Promise<IssuedResponse> {
    const pending = await this.getPending(key, opts.browser);
    const login = { pending, app: await this.apps.get(pending.appId) };
    const user = await this.authorizedUser(login, session);
    await this.pending.delete(key);
    return this.issue(login, user, session, opts.scenario);
  }

  /**
   * An IdP-initiated login from the portal: an unsolicited Response (no InResponseTo) to the
   * application's default ACS, with its default RelayState, for an application set up for it.
   */
  async respondUnsolicited(appId: string, session: IdpSession): Promise<IssuedResponse> {
    const app = await this.apps.get(appId);
    if (!app.ssoActive) throw new HarnessError('IDP_SSO_INACTIVE', `SSO is deactivated for ${app.displayLabel}`);
    if (app.idpInitiated !== true) {
      throw new HarnessError('IDP_INITIATED_OFF', `${app.displayLabel} signs in SP-initiated only: start at its login URL`, {
        expected: 'IdP-initiated login turned on in the application\'s SSO tab',
        received: 'off',
      });
    }
    const missing = missingSettings(app);
    const acs = app.sp.acs.find((a) => a.isDefault) ?? app.sp.acs[0];
    if (missing.length > 0 || !acs) {
      throw new HarnessError('IDP_APP_INCOMPLETE', `${app.displayLabel} is not fully configured: ${missing.join(', ')}`, { received: missing.join(', ') });
    }
    const pending: PendingLogin = {
      key: '',
      appId: app.id,
      requestId: newSamlId(),
      spEntityId: app.sp.entityId,
      acsUrl: acs.url,
      ...(app.defaultRelayState && { relayState: app.defaultRelayState }),
      binding: 'post',
      forceAuthn: false,
      unsolicited: true,
    };
    const login = { pending, app };
    return this.issue(login, await this.authorizedUser(login, session), session, undefined);
  }

  /** The session's user, if the application may sign them in: active, and assigned directly or through a bound group. */
  private async authorizedUser({ pending, app }: LoginFor, session: IdpSession): Promise<IdpUser> {
    const user = await this.directory.getUser(session.userId);
    if (user.suspended || user.passwordExpired) {
      throw new HarnessError('IDP_USER_SUSPENDED', 'the account is suspended');
    }
    const groups = await this.directory.groupsOf(user.id);
    if (!isAssigned(app, user.id, groups)) {
      this.trace.record({
        side: 'idp',
        kind: 'Response',
        direction: 'sent',
        flow: pending.requestId,
        verdict: 'rejected',
        error: { code: 'IDP_NOT_AUTHORIZED', message: `${user.email} is neither assigned to ${app.displayLabel} nor in a group bound to it` },
        summary: `no assertion for ${user.email}: not authorized for ${app.displayLabel}`,
      });
      throw new HarnessError('IDP_NOT_AUTHORIZED', `${user.email} is not authorized for ${app.displayLabel}`, {
        expected: 'an assignment to the application, directly or through a bound user group',
        received: groups.length === 0 ? 'no groups' : `${groups.length} group(s), none bound`,
      });
    }
    return user;
  }

  /** Signs the response for an authorized user and remembers the SP for Single Logout. */
  private async issue({ pending, app }: LoginFor, user: IdpUser, session: IdpSession, scenario: string | undefined): Promise<IssuedResponse> {
    const issued = await this.buildFor(app, user, session, pending, scenario);
    await this.addParticipant(session, {
      appId: app.id,
      nameId: userProperty(user, app.nameId.property) ?? user.email,
      nameIdFormat: NAMEID_FORMAT[app.nameId.format],
    });
    this.trace.record({
      side: 'idp',
      kind: 'Response',
      direction: 'sent',
      flow: pending.requestId,
      binding: BINDING.post,
      endpoint: issued.acsUrl,
      xml: issued.xml,
      relayState: issued.relayState,
      verdict: 'ok',
      summary: `${issued.scenario === 'valid' ? 'signed Response' : `Response (scenario ${issued.scenario})`} for ${user.email} to ${pending.acsUrl}`,
    });
    return issued;
  }

  /** The genuine response for this login, as the application's settings say. */
  private genuineSpec(app: IdpApp, user: IdpUser, session: IdpSession, pending: PendingLogin, key: SigningKey): ResponseSpec {
    const nameFormat = app.attributeNameFormat === 'omitted' ? null : ATTRNAME_FORMAT[app.attributeNameFormat ?? 'basic'];
    const attributes = app.attributes.flatMap((a) => {
      const value = statementValue(user, a);
      return value === undefined || value === '' ? [] : [{ name: a.name, values: [value], nameFormat }];
    });
    const idStyle = app.idStyle ?? 'harness';
    return {
      issuer: app.idpEntityId,
      destination: pending.acsUrl,
      audience: app.sp.entityId,
      ...(!pending.unsolicited && { inResponseTo: pending.requestId }),
      nameId: userProperty(user, app.nameId.property) ?? user.email,
      nameIdFormat: NAMEID_FORMAT[app.nameId.format],
      attributes,
      sessionIndex: session.sessionIndex,
      nowMs: this.clock.now(),
      authnInstantMs: session.authnInstantMs,
      lifetimeSec: app.assertionValidity?.notOnOrAfterSec ?? this.settings.assertionLifetimeSec,
      ...(app.assertionValidity && { notBeforeSkewSec: app.assertionValidity.notBeforeSec }),
      idStyle,
      signing: {
        key,
        algorithm: signatureAlgorithmFor(app.signing.algorithm),
        assertion: app.signing.assertion,
        response: app.signing.response,
      },
    };
  }

  private async buildFor(app: IdpApp, user: IdpUser, session: IdpSession, pending: PendingLogin, picked?: string): Promise<IssuedResponse> {
    const scenario = await this.scenarios.choose(app, picked);
    const key = await this.keys.currentKey(app.id);
    const output = await this.scenarios.build(scenario, app, this.genuineSpec(app, user, session, pending, key), { userId: user.id, sessionId: session.id });
    const relayState = output.relayState ?? pending.relayState;
    return {
      acsUrl: pending.acsUrl,
      samlResponse: encodePostMessage(output.xml),
      ...(relayState !== undefined && { relayState }),
      scenario: scenario.id,
      xml: output.xml,
      user,
    };
  }
}

/** The session with one more participant (replacing an earlier entry for the same application). */
export function withParticipant(session: IdpSession, participant: SloParticipant): IdpSession {
  return { ...session, participants: [...(session.participants ?? []).filter((p) => p.appId !== participant.appId), participant] };
}
