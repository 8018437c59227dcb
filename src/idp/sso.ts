// The IdP's SSO service: checks an incoming AuthnRequest against the application's SP values,
// holds it while the user signs in, and answers with a signed Response for an authorized user.
import type { Clock } from '../clock.js';
import { pinnedCertificate, type SigningKey } from '../crypto/keys.js';
import { randomToken } from '../crypto/random-token.js';
import { HarnessError } from '../errors.js';
import { parseAuthnRequest, verifyEnvelopedRequestSignature, type ParsedAuthnRequest } from '../saml/authn-request.js';
import { decodePostMessage, encodePostMessage } from '../saml/encoding.js';
import { newSamlId } from '../saml/ids.js';
import { readRedirectQuery, verifyRedirectSignature } from '../saml/redirect-binding.js';
import type { ResponseSpec } from '../saml/response-builder.js';
import { BINDING, NAMEID_FORMAT, signatureAlgorithmFor } from '../saml/urn.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import type { IdpAppKeys } from './app-keys.js';
import type { IdpApplications } from './applications.js';
import type { ResponseScenarios } from './response-scenarios.js';
import { missingSettings } from './catalogue.js';
import type { IdpDirectory } from './directory.js';
import { userProperty, type AcsEndpoint, type IdpApp, type IdpUser } from './model.js';

/** An AuthnRequest that passed the checks, waiting for the user to sign in. */
export interface PendingLogin {
  key: string;
  appId: string;
  requestId: string;
  spEntityId: string;
  acsUrl: string;
  relayState?: string;
  binding: 'redirect' | 'post';
  forceAuthn: boolean;
}

/** One SP the user signed in to during the IdP session: what its LogoutRequest must name. */
export interface SloParticipant {
  appId: string;
  nameId: string;
  nameIdFormat: string;
}

export interface IdpSession {
  id: string;
  userId: string;
  authnInstantMs: number;
  sessionIndex: string;
  /** The SPs the user got an assertion for in this session (Single Logout asks each of them). */
  participants?: SloParticipant[];
}

export interface IssuedResponse {
  acsUrl: string;
  samlResponse: string;
  relayState?: string;
  /** The response scenario used (`valid` for the genuine response). */
  scenario: string;
  xml: string;
  user: IdpUser;
}

export type IncomingRequest =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; samlRequest: string; relayState?: string };

const PENDING_TTL_MS = 10 * 60_000;
const MAX_RELAY_STATE = 1024;

export class IdpSso {
  private readonly pending;
  /** The application each login was received for, while the request that received it answers it. */
  private readonly received = new WeakMap<PendingLogin, IdpApp>();
  private readonly sessions;

  constructor(
    store: Store,
    private readonly apps: IdpApplications,
    private readonly directory: IdpDirectory,
    /** The application's current signing key signs each response. */
    private readonly keys: Pick<IdpAppKeys, 'currentKey'>,
    private readonly clock: Clock,
    private readonly trace: TraceLog,
    private readonly settings: { assertionLifetimeSec: number; sessionLifetimeSec: number },
    private readonly scenarios: ResponseScenarios,
  ) {
    // Anyone can send an AuthnRequest without signing in: full of parked logins, the map refuses
    // new ones (STORE_FULL) rather than drop the login of a user who is at the sign-in page.
    this.pending = store.expiring<PendingLogin>('idp.pending', { maxEntries: 50_000, whenFull: 'refuse' });
    this.sessions = store.expiring<IdpSession>('idp.sessions', { maxEntries: 50_000 });
  }

  /**
   * Checks an AuthnRequest for an application. The login it starts is answered at once when the
   * browser already has a session (`respond` with the returned object), or parked until the user
   * has signed in (`park`, then `respond` with its key).
   */
  async receiveRequest(appId: string, message: IncomingRequest): Promise<PendingLogin> {
    const app = await this.apps.get(appId);
    let xml: string | undefined;
    let relayState: string | undefined;
    try {
      let request: ParsedAuthnRequest;
      if (message.binding === 'redirect') {
        const msg = readRedirectQuery(message.rawQuery);
        if (msg.param !== 'SAMLRequest') throw new HarnessError('SAML_MESSAGE_MISSING', 'the query has no SAMLRequest');
        xml = msg.xml;
        relayState = msg.relayState;
        request = parseAuthnRequest(xml);
        this.checkRequest(app, request);
        const verdict = verifyRedirectSignature(msg, this.spCertificates(app), { allowSha1: false });
        if (verdict === 'unsigned' && app.sp.authnRequestsSigned) {
          throw new HarnessError('IDP_REQUEST_SIGNATURE', 'the SP metadata says AuthnRequests are signed, but this one is not', {
            expected: 'Signature and SigAlg query parameters',
            received: 'none',
          });
        }
      } else {
        xml = decodePostMessage(message.samlRequest);
        relayState = message.relayState;
        request = parseAuthnRequest(xml);
        this.checkRequest(app, request);
        if (request.hasEnvelopedSignature) {
          // Read the request again from the signed bytes only, as the SP does with responses.
          request = parseAuthnRequest(verifyEnvelopedRequestSignature(xml, this.spCertificates(app), { allowSha1: false }));
          this.checkRequest(app, request);
        } else if (app.sp.authnRequestsSigned) {
          throw new HarnessError('IDP_REQUEST_SIGNATURE', 'the SP metadata says AuthnRequests are signed, but this one is not', {
            expected: 'an enveloped ds:Signature',
            received: 'none',
          });
        }
      }
      if (relayState !== undefined && relayState.length > MAX_RELAY_STATE) {
        throw new HarnessError('SAML_RELAY_STATE', `RelayState is ${relayState.length} bytes`, {
          expected: `at most ${MAX_RELAY_STATE} bytes (the binding says 80)`,
        });
      }
      const acs = this.pickAcs(app, request);
      const pending: PendingLogin = {
        key: randomToken(18, 'base64url'),
        appId: app.id,
        requestId: request.id,
        spEntityId: request.issuer,
        acsUrl: acs.url,
        ...(relayState !== undefined && { relayState }),
        binding: message.binding,
        forceAuthn: request.forceAuthn,
      };
      this.received.set(pending, app);
      this.trace.record({
        side: 'idp',
        kind: 'AuthnRequest',
        direction: 'received',
        flow: request.id,
        binding: message.binding === 'redirect' ? BINDING.redirect : BINDING.post,
        endpoint: this.apps.endpoints(app.id).ssoUrl,
        xml,
        relayState,
        verdict: 'ok',
        summary: `AuthnRequest ${request.id} from ${request.issuer} accepted for ${app.displayLabel}`,
      });
      return pending;
    } catch (err) {
      this.trace.record({
        side: 'idp',
        kind: 'AuthnRequest',
        direction: 'received',
        binding: message.binding === 'redirect' ? BINDING.redirect : BINDING.post,
        endpoint: this.apps.endpoints(app.id).ssoUrl,
        xml,
        relayState,
        verdict: 'rejected',
        error: err instanceof HarnessError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: 'unexpected error' },
        summary: `AuthnRequest for ${app.displayLabel} refused`,
      });
      throw err;
    }
  }

  private spCertificates(app: IdpApp) {
    return app.sp.certificates.map((c) => pinnedCertificate(c));
  }

  private checkRequest(app: IdpApp, request: ParsedAuthnRequest): void {
    if (!app.ssoActive) throw new HarnessError('IDP_SSO_INACTIVE', `SSO is deactivated for ${app.displayLabel}`);
    const missing = missingSettings(app);
    if (missing.length > 0) {
      throw new HarnessError('IDP_APP_INCOMPLETE', `${app.displayLabel} is not fully configured: ${missing.join(', ')}`, {
        expected: 'SP Entity ID and ACS URL without placeholders (or upload the SP metadata)',
        received: missing.join(', '),
      });
    }
    if (request.issuer !== app.sp.entityId) {
      throw new HarnessError('IDP_SP_UNKNOWN', `the AuthnRequest comes from ${request.issuer}, not from this application's SP`, {
        expected: app.sp.entityId,
        received: request.issuer,
      });
    }
  }

  /** SAML profiles §4.1.4.1: use the requested ACS when the metadata lists it; never an unlisted one. */
  private pickAcs(app: IdpApp, request: ParsedAuthnRequest): AcsEndpoint {
    const listed = app.sp.acs.filter((a) => a.binding === BINDING.post);
    if (request.acsUrl !== undefined) {
      const match = listed.find((a) => a.url === request.acsUrl);
      if (!match) {
        throw new HarnessError('IDP_ACS_NOT_ALLOWED', 'the requested AssertionConsumerServiceURL is not in the SP metadata', {
          expected: listed.map((a) => a.url).join(', ') || '(no HTTP-POST ACS configured)',
          received: request.acsUrl,
        });
      }
      return match;
    }
    if (request.acsIndex !== undefined) {
      const match = listed.find((a) => a.index === request.acsIndex);
      if (!match) {
        throw new HarnessError('IDP_ACS_NOT_ALLOWED', `no HTTP-POST ACS with index ${request.acsIndex}`, {
          expected: listed.map((a) => String(a.index)).join(', '),
          received: String(request.acsIndex),
        });
      }
      return match;
    }
    const chosen = listed.find((a) => a.isDefault) ?? listed[0];
    if (!chosen) throw new HarnessError('IDP_ACS_NOT_ALLOWED', 'the application has no HTTP-POST ACS URL');
    return chosen;
  }

  /** Keeps a received login until the user has signed in (the sign-in page carries its key). */
  async park(pending: PendingLogin): Promise<void> {
    const now = this.clock.now();
    await this.pending.add(pending.key, pending, now + PENDING_TTL_MS, now);
  }

  async getPending(key: string): Promise<PendingLogin> {
    const pending = await this.pending.get(key, this.clock.now());
    if (!pending) throw new HarnessError('IDP_LOGIN_EXPIRED', 'this sign-in is unknown or expired: start again from the application');
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

  /**
   * Answers a login for a signed-in user (unauthorized users get no assertion): a parked one by its
   * key (taken: each is answered once), or one just received and never parked.
   */
  async respond(login: string | PendingLogin, session: IdpSession, opts: { scenario?: string } = {}): Promise<IssuedResponse> {
    const pending = typeof login === 'string' ? await this.getPending(login) : login;
    const app = (typeof login === 'string' ? undefined : this.received.get(login)) ?? (await this.apps.get(pending.appId));
    const user = await this.directory.getUser(session.userId);
    if (user.suspended || user.passwordExpired) {
      throw new HarnessError('IDP_USER_SUSPENDED', 'the account is suspended');
    }
    const groups = await this.directory.groupsOf(user.id);
    if (!app.groups.some((g) => groups.includes(g))) {
      this.trace.record({
        side: 'idp',
        kind: 'Response',
        direction: 'sent',
        flow: pending.requestId,
        verdict: 'rejected',
        error: { code: 'IDP_NOT_AUTHORIZED', message: `${user.email} is not in a group bound to ${app.displayLabel}` },
        summary: `no assertion for ${user.email}: not authorized for ${app.displayLabel}`,
      });
      throw new HarnessError('IDP_NOT_AUTHORIZED', `${user.email} is not authorized for ${app.displayLabel}`, {
        expected: 'membership in a user group bound to the application',
        received: groups.length === 0 ? 'no groups' : `${groups.length} group(s), none bound`,
      });
    }
    if (typeof login === 'string') await this.pending.delete(login);
    const issued = await this.buildFor(app, user, session, pending, opts.scenario);
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
    const attributes = app.attributes.flatMap((a) => {
      const value = userProperty(user, a.property);
      return value === undefined || value === '' ? [] : [{ name: a.name, values: [value] }];
    });
    return {
      issuer: app.idpEntityId,
      destination: pending.acsUrl,
      audience: app.sp.entityId,
      inResponseTo: pending.requestId,
      nameId: userProperty(user, app.nameId.property) ?? user.email,
      nameIdFormat: NAMEID_FORMAT[app.nameId.format],
      attributes,
      sessionIndex: session.sessionIndex,
      nowMs: this.clock.now(),
      authnInstantMs: session.authnInstantMs,
      lifetimeSec: this.settings.assertionLifetimeSec,
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
    const output = await this.scenarios.build(scenario, app, this.genuineSpec(app, user, session, pending, key));
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
