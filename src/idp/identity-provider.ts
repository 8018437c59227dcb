// The JumpCloud-like IdP: directory, applications and the SSO service over one store.
import type { ControllableClock } from '../clock.js';
import type { SigningKey } from '../crypto/keys.js';
import type { PasswordHashCost } from '../crypto/passwords.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import { IdpApplications } from './applications.js';
import { IdpDirectory } from './directory.js';
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
    this.sso = new IdpSso(opts.store, this.apps, this.directory, opts.key, this.clock, opts.trace, {
      assertionLifetimeSec: opts.assertionLifetimeSec,
      sessionLifetimeSec: opts.sessionLifetimeSec,
    });
  }
}
