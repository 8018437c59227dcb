// The IdP's Single Logout (SAML profiles §4.4), front channel. Every SP the user got an assertion
// for during an IdP session is a participant. A logout — asked by one SP (LogoutRequest at
// /idp/apps/:app/slo) or by the user in the portal — walks the browser through each other
// participant's SingleLogoutService with a signed LogoutRequest, collects each answer, ends the
// IdP session, then answers the SP that asked (a signed LogoutResponse, PartialLogout when some
// participant did not confirm) or shows the portal user what each SP said.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { pinnedCertificate } from '../crypto/keys.js';
import { HarnessError, isHarnessError } from '../errors.js';
import { logoutTraceEntry } from '../trace/logout-entry.js';
import { decodeLogoutMessage, pickSloService, sendLogoutMessage, type IncomingLogoutMessage, type OutgoingMessage } from '../saml/logout-binding.js';
import { buildLogoutRequest, buildLogoutResponse, checkLogoutRequest, checkLogoutResponse, parseLogoutRequest, parseLogoutResponse } from '../saml/logout.js';
import { LOGOUT_REASON, signatureAlgorithmFor, STATUS } from '../saml/urn.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import type { IdpAppKeys } from './app-keys.js';
import type { IdpApplications } from './applications.js';
import type { IdpApp } from './model.js';
import type { IdpSso } from './sso.js';
import type { SloParticipant } from './sso-types.js';

export interface ParticipantResult {
  appId: string;
  label: string;
  outcome: 'logged-out' | 'failed' | 'no-endpoint';
  detail?: string;
}

/** The next step for the browser: on to a SingleLogoutService, or the portal's report. */
export type LogoutStep = { kind: 'send'; message: OutgoingMessage } | { kind: 'done'; results: ParticipantResult[] };

export interface LogoutChain {
  id: string;
  sessionId: string;
  sessionIndex: string;
  /** The SP whose LogoutRequest started it; absent when the user logged out at the portal. */
  initiator?: { appId: string; requestId: string; relayState?: string };
  queue: SloParticipant[];
  current?: { appId: string; requestId: string };
  results: ParticipantResult[];
}

export const IDP_LOGOUT_CHAINS = expiringMap<LogoutChain>(MAP.idpLogoutChains);

/** How long a participant may take to answer before the chain is forgotten. */
const CHAIN_LIFETIME_MS = 10 * 60_000;
const ALLOWED_CLOCK_SKEW_SEC = 180;

export class IdpLogout {
  private readonly chains;

  constructor(
    store: Store,
    private readonly apps: IdpApplications,
    private readonly keys: Pick<IdpAppKeys, 'currentKey'>,
    private readonly sso: Pick<IdpSso, 'getSession' | 'endSession'>,
    private readonly clock: Clock,
    private readonly trace: TraceLog,
  ) {
    this.chains = store.expiring(IDP_LOGOUT_CHAINS);
  }

  /** A LogoutRequest or LogoutResponse arriving at an application's SingleLogoutService. */
  async receive(appId: string, incoming: IncomingLogoutMessage, sessionId: string | undefined): Promise<LogoutStep> {
    const app = await this.apps.get(appId);
    const message = decodeLogoutMessage(incoming);
    if (message.param === 'SAMLRequest') return this.logoutRequested(app, message, sessionId);
    return this.participantAnswered(app, message);
  }

  /** The portal's "Log out": every participant is asked in turn, then the IdP session ends. */
  async logoutAtPortal(sessionId: string | undefined): Promise<LogoutStep> {
    const session = await this.sso.getSession(sessionId);
    if (!session) return { kind: 'done', results: [] };
    return this.advance({ id: newChainId(), sessionId: session.id, sessionIndex: session.sessionIndex, queue: [...(session.participants ?? [])], results: [] });
  }

  private certificates(app: IdpApp) {
    return app.sp.certificates.map((c) => pinnedCertificate(c));
  }

  private async logoutRequested(app: IdpApp, message: ReturnType<typeof decodeLogoutMessage>, sessionId: string | undefined): Promise<LogoutStep> {
    const sloUrl = this.apps.endpoints(app).sloUrl;
    let requestId: string | undefined;
    try {
      const request = parseLogoutRequest(message.verify(this.certificates(app), { what: 'LogoutRequest', signer: 'SP', code: 'SLO_REQUEST_INVALID' }));
      requestId = request.id;
      checkLogoutRequest(request, { issuer: app.sp.entityId, destination: sloUrl, nowMs: this.clock.now(), allowedClockSkewSec: ALLOWED_CLOCK_SKEW_SEC, code: 'SLO_REQUEST_INVALID' });
      const session = await this.sso.getSession(sessionId);
      const mine = session?.participants?.find((p) => p.appId === app.id);
      if (session && mine) {
        if (request.nameId !== mine.nameId) {
          throw new HarnessError('SLO_REQUEST_INVALID', 'the LogoutRequest names another user than this session\'s', { expected: mine.nameId, received: request.nameId });
        }
        if (request.sessionIndexes.length > 0 && !request.sessionIndexes.includes(session.sessionIndex)) {
          throw new HarnessError('SLO_REQUEST_INVALID', 'the LogoutRequest names another session (SessionIndex)', {
            expected: session.sessionIndex,
            received: request.sessionIndexes.join(', '),
          });
        }
      }
      this.record(app, 'LogoutRequest', 'received', message.binding, sloUrl, message.xml, request.id, undefined, `LogoutRequest from ${app.displayLabel} for ${request.nameId}`);
      const chain: LogoutChain = {
        id: newChainId(),
        sessionId: session?.id ?? '',
        sessionIndex: session?.sessionIndex ?? '',
        initiator: { appId: app.id, requestId: request.id, ...(message.relayState !== undefined && { relayState: message.relayState }) },
        queue: (session?.participants ?? []).filter((p) => p.appId !== app.id),
        results: [],
      };
      return await this.advance(chain);
    } catch (err) {
      if (isHarnessError(err)) this.record(app, 'LogoutRequest', 'received', message.binding, sloUrl, message.xml, requestId, err, `LogoutRequest from ${app.displayLabel} refused: ${err.code}`);
      throw err;
    }
  }

  private async participantAnswered(app: IdpApp, message: ReturnType<typeof decodeLogoutMessage>): Promise<LogoutStep> {
    const sloUrl = this.apps.endpoints(app).sloUrl;
    const chain = message.relayState === undefined ? undefined : await this.chains.take(message.relayState, this.clock.now());
    if (!chain?.current || chain.current.appId !== app.id) {
      const err = new HarnessError('SLO_RESPONSE_INVALID', 'this LogoutResponse answers no logout the IdP is running (unknown or expired RelayState)', {
        expected: 'the RelayState the IdP sent with its LogoutRequest',
        received: message.relayState ?? 'none',
      });
      this.record(app, 'LogoutResponse', 'received', message.binding, sloUrl, message.xml, undefined, err, `LogoutResponse from ${app.displayLabel} refused: ${err.code}`);
      throw err;
    }
    const label = app.displayLabel;
    try {
      const response = parseLogoutResponse(message.verify(this.certificates(app), { what: 'LogoutResponse', signer: 'SP', code: 'SLO_RESPONSE_INVALID' }));
      const verdict = checkLogoutResponse(response, { issuer: app.sp.entityId, destination: sloUrl, requestId: chain.current.requestId, code: 'SLO_RESPONSE_INVALID' });
      chain.results.push(
        verdict.success && !verdict.partial
          ? { appId: app.id, label, outcome: 'logged-out' }
          : { appId: app.id, label, outcome: 'failed', detail: `status ${[response.status, response.subStatus].filter(Boolean).join(' / ')}${response.message ? `: ${response.message}` : ''}` },
      );
      this.record(app, 'LogoutResponse', 'received', message.binding, sloUrl, message.xml, chain.current.requestId, undefined, `LogoutResponse from ${label}: ${response.status}`);
    } catch (err) {
      if (!isHarnessError(err)) throw err;
      // The user is logging out whatever this SP said: note the failure and go on.
      chain.results.push({ appId: app.id, label, outcome: 'failed', detail: `${err.code}: ${err.message}` });
      this.record(app, 'LogoutResponse', 'received', message.binding, sloUrl, message.xml, chain.current.requestId, err, `LogoutResponse from ${label} refused: ${err.code}`);
    }
    const { current: _done, ...rest } = chain;
    return this.advance(rest);
  }

  /** Sends the browser to the next participant, or finishes: IdP session ended, initiator answered. */
  private async advance(chain: LogoutChain): Promise<LogoutStep> {
    for (let next = chain.queue.shift(); next; next = chain.queue.shift()) {
      const app = await this.apps.get(next.appId).catch(() => undefined);
      if (!app) {
        chain.results.push({ appId: next.appId, label: next.appId, outcome: 'failed', detail: 'the application was deleted' });
        continue;
      }
      const to = pickSloService(app.sp.sloServices, 'SAMLRequest');
      if (!to) {
        chain.results.push({ appId: app.id, label: app.displayLabel, outcome: 'no-endpoint', detail: 'its SP metadata lists no SingleLogoutService' });
        continue;
      }
      const request = buildLogoutRequest({
        issuer: app.idpEntityId,
        destination: to.location,
        nameId: next.nameId,
        nameIdFormat: next.nameIdFormat,
        ...(chain.sessionIndex !== '' && { sessionIndexes: [chain.sessionIndex] }),
        reason: LOGOUT_REASON.user,
        nowMs: this.clock.now(),
      });
      const signing = { key: await this.keys.currentKey(app.id), algorithm: signatureAlgorithmFor(app.signing.algorithm) };
      await this.chains.set(chain.id, { ...chain, current: { appId: app.id, requestId: request.id } }, this.clock.now() + CHAIN_LIFETIME_MS);
      this.record(app, 'LogoutRequest', 'sent', to.binding, to.location, request.xml, request.id, undefined, `LogoutRequest to ${app.displayLabel} for ${next.nameId}`);
      return { kind: 'send', message: sendLogoutMessage(to, 'SAMLRequest', request, signing, chain.id) };
    }
    if (chain.sessionId !== '') await this.sso.endSession(chain.sessionId);
    if (!chain.initiator) return { kind: 'done', results: chain.results };
    return this.answerInitiator(chain.initiator, chain.results);
  }

  private async answerInitiator(initiator: NonNullable<LogoutChain['initiator']>, results: ParticipantResult[]): Promise<LogoutStep> {
    const app = await this.apps.get(initiator.appId);
    const to = pickSloService(app.sp.sloServices, 'SAMLResponse');
    if (!to) {
      throw new HarnessError('SLO_NO_ENDPOINT', `the IdP ended the session, but ${app.displayLabel}'s SP metadata lists no SingleLogoutService to answer`, {
        expected: 'a SingleLogoutService (HTTP-Redirect or HTTP-POST) in the SP metadata uploaded to the application',
        received: 'none',
      });
    }
    const partial = results.some((r) => r.outcome !== 'logged-out');
    const response = buildLogoutResponse({
      issuer: app.idpEntityId,
      destination: to.location,
      inResponseTo: initiator.requestId,
      status: STATUS.success,
      ...(partial && { subStatus: STATUS.partialLogout, message: results.filter((r) => r.outcome !== 'logged-out').map((r) => `${r.label}: ${r.outcome}`).join('; ') }),
      nowMs: this.clock.now(),
    });
    const signing = { key: await this.keys.currentKey(app.id), algorithm: signatureAlgorithmFor(app.signing.algorithm) };
    this.record(app, 'LogoutResponse', 'sent', to.binding, to.location, response.xml, initiator.requestId, undefined, `LogoutResponse to ${app.displayLabel}${partial ? ' (PartialLogout)' : ''}`);
    return { kind: 'send', message: sendLogoutMessage(to, 'SAMLResponse', response, signing, initiator.relayState) };
  }

  private record(
    app: IdpApp,
    kind: 'LogoutRequest' | 'LogoutResponse',
    direction: 'sent' | 'received',
    binding: 'redirect' | 'post',
    endpoint: string,
    xml: string,
    flow: string | undefined,
    error: HarnessError | undefined,
    summary: string,
  ): void {
    this.trace.record(logoutTraceEntry('idp', { kind, direction, binding, endpoint, xml, flow, error, summary: `${summary} (${app.id})` }));
  }

}

function newChainId(): string {
  return randomBytes(18).toString('base64url');
}
