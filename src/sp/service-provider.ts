// The RingCentral-like SP: accounts with SSO settings, user directories, sign-in, and its metadata.
import type { ControllableClock } from '../clock.js';
import type { SigningKey } from '../crypto/keys.js';
import type { PasswordHashCost } from '../crypto/passwords.js';
import { buildSpMetadata } from '../saml/metadata-build.js';
import { BINDING, NAMEID_FORMAT } from '../saml/urn.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import { SpAccounts } from './accounts.js';
import { SpDirectory } from './directory.js';
import { SpLogin, type SpEndpoints } from './login.js';
import { SpOAuth } from './oauth.js';

export interface ServiceProviderOptions {
  store: Store;
  baseUrl: string;
  entityId: string;
  key: SigningKey;
  clock: ControllableClock;
  trace: TraceLog;
  passwordHashCost: PasswordHashCost;
  fetch: typeof fetch;
  signAuthnRequests: boolean;
  requestLifetimeSec: number;
  sessionLifetimeSec: number;
  metadataFetchTimeoutMs: number;
  metadataMaxBytes: number;
}

export class ServiceProvider {
  readonly accounts: SpAccounts;
  readonly directory: SpDirectory;
  readonly login: SpLogin;
  /** OAuth 2.0 tokens for the IdP's provisioning client (SCIM bearer tokens). */
  readonly oauth: SpOAuth;
  readonly endpoints: SpEndpoints & { metadataUrl: string; loginUrl: string };
  /** The SP's own view of time; skew it to simulate an SP whose clock is off. */
  readonly clock: ControllableClock;
  readonly key: SigningKey;
  private readonly signAuthnRequests: boolean;

  constructor(opts: ServiceProviderOptions) {
    this.clock = opts.clock;
    this.key = opts.key;
    this.signAuthnRequests = opts.signAuthnRequests;
    const now = () => this.clock.now();
    this.endpoints = {
      entityId: opts.entityId,
      acsUrl: `${opts.baseUrl}/sp/acs`,
      homeUrl: `${opts.baseUrl}/sp/home`,
      metadataUrl: `${opts.baseUrl}/sp/metadata`,
      loginUrl: `${opts.baseUrl}/sp/login`,
    };
    this.accounts = new SpAccounts(opts.store, now, {
      fetch: opts.fetch,
      timeoutMs: opts.metadataFetchTimeoutMs,
      maxBytes: opts.metadataMaxBytes,
    });
    this.directory = new SpDirectory(opts.store, now, opts.passwordHashCost);
    this.oauth = new SpOAuth(opts.store, this.clock);
    this.login = new SpLogin(opts.store, this.accounts, this.directory, opts.key, this.endpoints, this.clock, opts.trace, {
      signAuthnRequests: opts.signAuthnRequests,
      requestLifetimeSec: opts.requestLifetimeSec,
      sessionLifetimeSec: opts.sessionLifetimeSec,
    });
  }

  /** "Download" in "Set up SSO by yourself". */
  metadata(): string {
    return buildSpMetadata({
      entityId: this.endpoints.entityId,
      acs: [{ location: this.endpoints.acsUrl, binding: BINDING.post, index: 0, isDefault: true }],
      signingCertificates: [this.key.certificateBase64],
      authnRequestsSigned: this.signAuthnRequests,
      wantAssertionsSigned: true,
      nameIdFormats: [NAMEID_FORMAT.emailAddress, NAMEID_FORMAT.unspecified],
    });
  }
}
