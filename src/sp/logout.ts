// The SP's Single Logout, for accounts that turn it on (RingCentral has none, so it is off by
// default). Signing out of an SSO session sends a signed LogoutRequest to the IdP's
// SingleLogoutService and ends the local session; the IdP's LogoutResponse comes back to /sp/slo
// and must answer that request. A LogoutRequest from the IdP ends the sessions it names and is
// answered with a signed LogoutResponse.
import { pinnedCertificate, type SigningKey } from '../crypto/keys.js';
import { HarnessError, isHarnessError } from '../errors.js';
import type { Clock } from '../clock.js';
import { logoutTraceEntry } from '../trace/logout-entry.js';
import { decodeLogoutMessage, pickSloService, sendLogoutMessage, type IncomingLogoutMessage, type OutgoingMessage } from '../saml/logout-binding.js';
import { buildLogoutRequest, buildLogoutResponse, checkLogoutRequest, checkLogoutResponse, parseLogoutRequest, parseLogoutResponse } from '../saml/logout.js';
import { ALGORITHM, LOGOUT_REASON, STATUS } from '../saml/urn.js';
import { MAP, expiringMap } from '../store/tables.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import type { SpAccounts } from './accounts.js';
import { trustedIdpCertificates } from './idp-certificates.js';
import type { SpLogin } from './login.js';
import type { Account } from './model.js';

/** Where the browser goes next: on to the IdP, or the SP's "signed out" page with what happened. */
export type SpLogoutStep = { kind: 'send'; message: OutgoingMessage } | { kind: 'done'; detail: string };

const REQUEST_LIFETIME_MS = 10 * 60_000;

export const SP_LOGOUT_REQUESTS = expiringMap<{ accountId: string }>(MAP.spLogoutRequests);

export class SpLogout {
  private readonly pending;

  constructor(
    store: Store,
    private readonly accounts: SpAccounts,
    private readonly login: Pick<SpLogin, 'session' | 'endSession' | 'endSessionsOf'>,
    private readonly key: SigningKey,
    private readonly endpoints: { entityId: string; sloUrl: string },
    private readonly clock: Clock,
    private readonly trace: TraceLog,
  ) {
    this.pending = store.expiring(SP_LOGOUT_REQUESTS);
  }

  /** "Sign out": the local session ends; with Single Logout on, the IdP is asked to end its session too. */
  async signOut(sessionId: string | undefined): Promise<SpLogoutStep> {
    const session = await this.login.session(sessionId);
    if (!session || sessionId === undefined) return { kind: 'done', detail: 'You were not signed in.' };
    await this.login.endSession(sessionId);
    const account = await this.accounts.get(session.accountId);
    const idp = account.sso.idp;
    if (session.via !== 'sso' || !account.sso.singleLogout || !idp || session.nameId === undefined) {
      return { kind: 'done', detail: `You are signed out of ${account.name}.` };
    }
    const to = pickSloService(idp.sloServices, 'SAMLRequest');
    if (!to) return { kind: 'done', detail: `You are signed out of ${account.name}; the IdP metadata lists no Single Logout endpoint, so your IdP session goes on.` };
    const request = buildLogoutRequest({
      issuer: this.endpoints.entityId,
      destination: to.location,
      nameId: session.nameId,
      ...(session.nameIdFormat !== undefined && { nameIdFormat: session.nameIdFormat }),
      ...(session.sessionIndex !== undefined && { sessionIndexes: [session.sessionIndex] }),
      reason: LOGOUT_REASON.user,
      nowMs: this.clock.now(),
    });
    await this.pending.set(request.id, { accountId: account.id }, this.clock.now() + REQUEST_LIFETIME_MS);
    this.record('LogoutRequest', 'sent', to.binding, to.location, request.xml, request.id, undefined, `LogoutRequest to ${idp.entityId} for ${session.email}`);
    return { kind: 'send', message: sendLogoutMessage(to, 'SAMLRequest', request, this.signing()) };
  }

  /** A LogoutRequest from the IdP, or its LogoutResponse to ours, at /sp/slo. */
  async receive(incoming: IncomingLogoutMessage): Promise<SpLogoutStep> {
    const message = decodeLogoutMessage(incoming);
    return message.param === 'SAMLRequest' ? this.idpAsks(message) : this.idpAnswers(message);
  }

  private signing() {
    return { key: this.key, algorithm: ALGORITHM.rsaSha256 };
  }

  private certificates(account: Account) {
    return account.sso.idp ? trustedIdpCertificates(account.sso.idp).map((c) => pinnedCertificate(c)) : [];
  }

  /** The account whose IdP sent the message (read from the unverified Issuer, only to pick the certificates). */
  private async accountOf(issuer: string, code: 'SLO_REQUEST_INVALID' | 'SLO_RESPONSE_INVALID'): Promise<Account> {
    const account = await this.accounts.findByIdpEntityId(issuer);
    if (!account) throw new HarnessError(code, `no account trusts the IdP ${issuer}`, { expected: 'the entity ID of an IdP whose metadata an account imported', received: issuer });
    if (!account.sso.singleLogout) {
      throw new HarnessError('SLO_NOT_ENABLED', `Single Logout is off for ${account.name}`, {
        expected: 'Single Logout on ({"singleLogout": true} in PATCH /sp/api/accounts/:id/sso)',
        received: 'off (RingCentral has no Single Logout)',
      });
    }
    return account;
  }

  private async idpAsks(message: ReturnType<typeof decodeLogoutMessage>): Promise<SpLogoutStep> {
    let flow: string | undefined;
    try {
      const account = await this.accountOf(parseLogoutRequest(message.xml).issuer, 'SLO_REQUEST_INVALID');
      const idp = account.sso.idp as NonNullable<Account['sso']['idp']>;
      const request = parseLogoutRequest(message.verify(this.certificates(account), { what: 'LogoutRequest', signer: 'IdP', code: 'SLO_REQUEST_INVALID' }));
      flow = request.id;
      checkLogoutRequest(request, { issuer: idp.entityId, destination: this.endpoints.sloUrl, nowMs: this.clock.now(), allowedClockSkewSec: account.sso.clockSkewSec, code: 'SLO_REQUEST_INVALID' });
      const ended = await this.login.endSessionsOf(account.id, request.nameId, request.sessionIndexes);
      this.record('LogoutRequest', 'received', message.binding, this.endpoints.sloUrl, message.xml, flow, undefined, `LogoutRequest from ${idp.entityId} for ${request.nameId}: ${ended} session(s) ended`);
      const to = pickSloService(idp.sloServices, 'SAMLResponse');
      if (!to) {
        throw new HarnessError('SLO_NO_ENDPOINT', `the sessions ended, but the IdP metadata of ${account.name} lists no SingleLogoutService to answer`, {
          expected: 'a SingleLogoutService in the imported IdP metadata (import it again)',
          received: 'none',
        });
      }
      const response = buildLogoutResponse({
        issuer: this.endpoints.entityId,
        destination: to.location,
        inResponseTo: request.id,
        ...(ended === 0 ? { status: STATUS.requester, subStatus: STATUS.unknownPrincipal, message: `no session of ${request.nameId}` } : { status: STATUS.success }),
        nowMs: this.clock.now(),
      });
      this.record('LogoutResponse', 'sent', to.binding, to.location, response.xml, flow, undefined, `LogoutResponse to ${idp.entityId}: ${ended === 0 ? 'UnknownPrincipal' : 'Success'}`);
      return { kind: 'send', message: sendLogoutMessage(to, 'SAMLResponse', response, this.signing(), message.relayState) };
    } catch (err) {
      if (isHarnessError(err)) this.record('LogoutRequest', 'received', message.binding, this.endpoints.sloUrl, message.xml, flow, err, `LogoutRequest refused: ${err.code}`);
      throw err;
    }
  }

  private async idpAnswers(message: ReturnType<typeof decodeLogoutMessage>): Promise<SpLogoutStep> {
    let flow: string | undefined;
    try {
      const unverified = parseLogoutResponse(message.xml);
      flow = unverified.inResponseTo;
      const asked = await this.pending.get(unverified.inResponseTo, this.clock.now());
      if (!asked) {
        throw new HarnessError('SLO_RESPONSE_INVALID', 'this LogoutResponse answers no LogoutRequest this SP sent (unknown, expired or already answered)', {
          expected: 'InResponseTo naming an outstanding LogoutRequest',
          received: unverified.inResponseTo,
        });
      }
      const account = await this.accountOf(unverified.issuer, 'SLO_RESPONSE_INVALID');
      if (account.id !== asked.accountId) throw new HarnessError('SLO_RESPONSE_INVALID', 'the LogoutResponse comes from another account\'s IdP', { expected: asked.accountId, received: account.id });
      const idp = account.sso.idp as NonNullable<Account['sso']['idp']>;
      const response = parseLogoutResponse(message.verify(this.certificates(account), { what: 'LogoutResponse', signer: 'IdP', code: 'SLO_RESPONSE_INVALID' }));
      const verdict = checkLogoutResponse(response, { issuer: idp.entityId, destination: this.endpoints.sloUrl, requestId: unverified.inResponseTo, code: 'SLO_RESPONSE_INVALID' });
      // Single use: a replayed LogoutResponse is refused.
      if (!(await this.pending.take(response.inResponseTo, this.clock.now()))) {
        throw new HarnessError('SLO_RESPONSE_INVALID', 'this LogoutResponse was already used', { expected: 'one answer per LogoutRequest', received: 'a second one' });
      }
      this.record('LogoutResponse', 'received', message.binding, this.endpoints.sloUrl, message.xml, flow, undefined, `LogoutResponse from ${idp.entityId}: ${response.status}`);
      const detail = verdict.success
        ? `You are signed out of ${account.name} and of the IdP${verdict.partial ? ' (some other applications did not confirm)' : ''}.`
        : `You are signed out of ${account.name}; the IdP answered ${response.status}${response.message ? ` (${response.message})` : ''}.`;
      return { kind: 'done', detail };
    } catch (err) {
      if (isHarnessError(err)) this.record('LogoutResponse', 'received', message.binding, this.endpoints.sloUrl, message.xml, flow, err, `LogoutResponse refused: ${err.code}`);
      throw err;
    }
  }

  private record(
    kind: 'LogoutRequest' | 'LogoutResponse',
    direction: 'sent' | 'received',
    binding: 'redirect' | 'post',
    endpoint: string,
    xml: string,
    flow: string | undefined,
    error: HarnessError | undefined,
    summary: string,
  ): void {
    this.trace.record(logoutTraceEntry('sp', { kind, direction, binding, endpoint, xml, flow, error, summary }));
  }

}
