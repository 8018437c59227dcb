// The JumpCloud-like IdP: directory, applications and the SSO service over one store, the
// events they emit, and the Identity Management tab (its engine is plugged in from outside).
import type { ControllableClock } from '../clock.js';
import type { SigningKey } from '../crypto/keys.js';
import type { PasswordHashCost } from '../crypto/passwords.js';
import { HarnessError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import { IdpAppKeys } from './app-keys.js';
import { IdpApplications } from './applications.js';
import { IdpDirectory } from './directory.js';
import { IdpEvents } from './events.js';
import { IdmStates, type IdentityManagementPort } from './identity-management.js';
import type { IdpApp, IdpFlavor } from './model.js';
import { IdpOutbox } from './outbox.js';
import { ResponseScenarios } from './response-scenarios.js';
import { IdpSso } from './sso.js';
import { guidFrom, OKTA_ORG } from './flavor-traits.js';
import { SsoRateLimiter } from './sso-rate-limit.js';
import { IdpLogout } from './logout.js';

export interface IdentityProviderOptions {
  store: Store;
  baseUrl: string;
  key: SigningKey;
  clock: ControllableClock;
  trace: TraceLog;
  passwordHashCost: PasswordHashCost;
  assertionLifetimeSec: number;
  sessionLifetimeSec: number;
  /** The clock skew allowed when reading an AuthnRequest's IssueInstant, in seconds (default 180). */
  allowedClockSkewSec?: number;
  /** How old an AuthnRequest may be when it arrives, in seconds (default 300). */
  requestMaxAgeSec?: number;
  flavor: IdpFlavor;
  /** The Entra ID tenant the harness plays (a GUID): in the issuer and the URLs of `entra` applications. */
  entraTenantId?: string;
  /** Where Identity Management finds the SP's REST API unless an application says otherwise. */
  idmApiBaseUrl?: string;
  /** Where a failing event listener is reported. */
  log?: (line: string) => void;
}

export class IdentityProvider {
  readonly directory: IdpDirectory;
  readonly apps: IdpApplications;
  /** Each application's signing keys (current and next) and their rotation. */
  readonly keys: IdpAppKeys;
  readonly sso: IdpSso;
  /** Single Logout: SP-initiated at /idp/apps/:app/slo, and from the portal. */
  readonly logout: IdpLogout;
  readonly scenarios: ResponseScenarios;
  /** Okta's per-application SSO rate limit, for applications that turn it on. */
  readonly ssoRateLimit: SsoRateLimiter;
  /** Directory and application changes, for Identity Management. */
  readonly events: IdpEvents;
  /** Each application's Identity Management state (tokens stay server-side). */
  readonly idm: IdmStates;
  /** Notification emails the IdP sends its administrators. */
  readonly outbox: IdpOutbox;
  /**
   * The IdP's own view of time; set its offset to simulate an IdP whose clock is off (the times
   * in its responses move; AuthnRequests are still checked against the clock without that offset).
   */
  readonly clock: ControllableClock;
  readonly key: SigningKey;
  readonly flavor: IdpFlavor;
  readonly baseUrl: string;
  private engine: IdentityManagementPort | undefined;

  constructor(opts: IdentityProviderOptions) {
    this.clock = opts.clock;
    this.key = opts.key;
    this.flavor = opts.flavor;
    this.baseUrl = opts.baseUrl;
    const now = () => this.clock.now();
    const log = opts.log ?? (() => undefined);
    this.events = new IdpEvents((err, event) => log(`IdP event listener failed on ${event.type}: ${(err as Error)?.stack ?? String(err)}`));
    this.directory = new IdpDirectory(opts.store, now, opts.passwordHashCost, this.events);
    this.keys = new IdpAppKeys(opts.store, opts.key, now);
    this.apps = new IdpApplications(opts.store, opts.baseUrl, opts.key, now, this.events, this.keys, opts.flavor, {
      entraTenantId: (opts.entraTenantId ?? guidFrom(`entra-tenant ${opts.key.certificateBase64}`)).toLowerCase(),
      oktaOrg: OKTA_ORG,
    });
    this.ssoRateLimit = new SsoRateLimiter(this.clock);
    this.scenarios = new ResponseScenarios(opts.store, now);
    this.idm = new IdmStates(opts.store, now, { flavor: opts.flavor, apiBaseUrl: opts.idmApiBaseUrl ?? opts.baseUrl });
    this.outbox = new IdpOutbox(opts.store, now);
    this.sso = new IdpSso(
      opts.store,
      this.apps,
      this.directory,
      this.keys,
      this.clock,
      opts.trace,
      {
        assertionLifetimeSec: opts.assertionLifetimeSec,
        sessionLifetimeSec: opts.sessionLifetimeSec,
        allowedClockSkewSec: opts.allowedClockSkewSec ?? 180,
        requestMaxAgeSec: opts.requestMaxAgeSec ?? 300,
      },
      this.scenarios,
      // Requests are checked against the IdP's clock without its simulated offset (see IdpSso).
      { now: () => this.clock.now() - this.clock.offsetMs },
    );
    this.logout = new IdpLogout(opts.store, this.apps, this.keys, this.sso, this.clock, opts.trace);
  }

  /** Identity Management (the provisioning engine), plugged in by the harness context. */
  get provisioning(): IdentityManagementPort {
    if (!this.engine) throw new HarnessError('INTERNAL', 'Identity Management is not wired to a provisioning engine');
    return this.engine;
  }

  attachProvisioning(engine: IdentityManagementPort): void {
    this.engine = engine;
  }

  /** The application's own flavour; one made before flavours were per application follows the harness's. */
  flavorOf(app: IdpApp): IdpFlavor {
    return app.flavor ?? this.flavor;
  }

  /** The browser callback of an application's IdM authorization. */
  idmRedirectUri(appId: string): string {
    return `${this.baseUrl}/idp/apps/${encodeURIComponent(appId)}/idm/callback`;
  }

  /**
   * The next response (of one application, or of any) uses this scenario: an attack or fault
   * from `GET /idp/api/scenarios`. Later responses go back to the application's default.
   */
  nextResponse(scenarioId: string, appId?: string): Promise<void> {
    return this.scenarios.queueNext(scenarioId, appId);
  }
}
