// The JumpCloud-like IdP: directory, applications and the SSO service over one store.
import type { ControllableClock } from '../clock.js';
import type { SigningKey } from '../crypto/keys.js';
import type { PasswordHashCost } from '../crypto/passwords.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import { IdpApplications } from './applications.js';
import { IdpDirectory } from './directory.js';
import { ResponseScenarios } from './response-scenarios.js';
import { IdpSso } from './sso.js';

export interface IdentityProviderOptions {
  store: Store;
  baseUrl: string;
  key: SigningKey;
  clock: ControllableClock;
  trace: TraceLog;
  passwordHashCost: PasswordHashCost;
  assertionLifetimeSec: number;
  sessionLifetimeSec: number;
  flavor: 'jumpcloud' | 'okta';
}

export class IdentityProvider {
  readonly directory: IdpDirectory;
  readonly apps: IdpApplications;
  readonly sso: IdpSso;
  readonly scenarios: ResponseScenarios;
  /** The IdP's own view of time; skew it to simulate an IdP whose clock is off. */
  readonly clock: ControllableClock;
  readonly key: SigningKey;
  readonly flavor: 'jumpcloud' | 'okta';

  constructor(opts: IdentityProviderOptions) {
    this.clock = opts.clock;
    this.key = opts.key;
    this.flavor = opts.flavor;
    const now = () => this.clock.now();
    this.directory = new IdpDirectory(opts.store, now, opts.passwordHashCost);
    this.apps = new IdpApplications(opts.store, opts.baseUrl, opts.key, now);
    this.scenarios = new ResponseScenarios(opts.store, now);
    this.sso = new IdpSso(
      opts.store,
      this.apps,
      this.directory,
      opts.key,
      this.clock,
      opts.trace,
      { assertionLifetimeSec: opts.assertionLifetimeSec, sessionLifetimeSec: opts.sessionLifetimeSec },
      this.scenarios,
    );
  }

  /**
   * The next response (of one application, or of any) uses this scenario: an attack or fault
   * from `GET /idp/api/scenarios`. Later responses go back to the application's default.
   */
  nextResponse(scenarioId: string, appId?: string): Promise<void> {
    return this.scenarios.queueNext(scenarioId, appId);
  }
}
