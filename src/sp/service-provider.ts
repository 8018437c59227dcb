// The RingCentral-like SP: accounts with SSO settings, user directories, sign-in, and its metadata.
import type { ControllableClock } from '../clock.js';
import type { SigningKey } from '../crypto/keys.js';
import type { PasswordHashCost } from '../crypto/passwords.js';
import { buildSpMetadata } from '../saml/metadata-build.js';
import { BINDING, NAMEID_FORMAT } from '../saml/urn.js';
import type { Store } from '../store/types.js';
import type { TraceLog } from '../trace/trace-log.js';
import { SpAccounts } from './accounts.js';
import { SpActivation } from './activation.js';
import { SpDirectory } from './directory.js';
import { SpLogin, type SpEndpoints } from './login.js';
import { SpOAuth, type ConfiguredOAuthClient } from './oauth/sp-oauth.js';
import { SpLogout } from './logout.js';
import type { Account } from './model.js';
import { SpOutbox } from './outbox.js';
import { ScimTokens } from './scim-tokens.js';

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
  /** Most logins in progress at once (config `sp.maxOutstandingRequests`); default 100,000. */
  maxOutstandingRequests?: number;
  sessionLifetimeSec: number;
  metadataFetchTimeoutMs: number;
  metadataMaxBytes: number;
  /** OAuth clients that may authorize at /restapi/oauth (config `sp.oauthClients`); none when absent. */
  oauthClients?: readonly ConfiguredOAuthClient[];
  /** The encryption key pair (config `sp.encryptionKey`): published in the metadata, used by accounts that decrypt. */
  encryptionKey?: SigningKey;
}

export class ServiceProvider {
  readonly accounts: SpAccounts;
  readonly directory: SpDirectory;
  readonly login: SpLogin;
  /** OAuth 2.0 tokens for provisioning clients (SCIM bearer tokens), and the clients registered per account. */
  readonly oauth: SpOAuth;
  /** Static SCIM bearer tokens per account (Entra's "Secret Token", Okta's "HTTP Header"). */
  readonly scimTokens: ScimTokens;
  /** Mail the SP would send (activation emails), kept for tests and the outbox page. */
  readonly outbox: SpOutbox;
  /** Activation links for users provisioned as pending. */
  readonly activation: SpActivation;
  readonly endpoints: SpEndpoints & {
    metadataUrl: string;
    loginUrl: string;
    scimUrl: string;
    activateUrl: string;
    sloUrl: string;
    /** The OAuth authorization and token endpoints a provisioning client is given. */
    oauthAuthorizeUrl: string;
    oauthTokenUrl: string;
  };
  /** Single Logout, for accounts that turn it on. */
  readonly logout: SpLogout;
  /** The SP's own view of time; skew it to simulate an SP whose clock is off. */
  readonly clock: ControllableClock;
  readonly key: SigningKey;
  /** The encryption key pair; none by default, as RingCentral publishes none. */
  readonly encryptionKey: SigningKey | undefined;
  private readonly signAuthnRequests: boolean;

  constructor(opts: ServiceProviderOptions) {
    this.clock = opts.clock;
    this.key = opts.key;
    this.encryptionKey = opts.encryptionKey;
    this.signAuthnRequests = opts.signAuthnRequests;
    const now = () => this.clock.now();
    this.endpoints = {
      entityId: opts.entityId,
      acsUrl: `${opts.baseUrl}/sp/acs`,
      homeUrl: `${opts.baseUrl}/sp/home`,
      metadataUrl: `${opts.baseUrl}/sp/metadata`,
      loginUrl: `${opts.baseUrl}/sp/login`,
      scimUrl: `${opts.baseUrl}/scim/v2`,
      activateUrl: `${opts.baseUrl}/sp/activate`,
      sloUrl: `${opts.baseUrl}/sp/slo`,
      oauthAuthorizeUrl: `${opts.baseUrl}/restapi/oauth/authorize`,
      oauthTokenUrl: `${opts.baseUrl}/restapi/oauth/token`,
    };
    this.accounts = new SpAccounts(opts.store, now, {
      fetch: opts.fetch,
      timeoutMs: opts.metadataFetchTimeoutMs,
      maxBytes: opts.metadataMaxBytes,
    }, opts.encryptionKey !== undefined);
    this.directory = new SpDirectory(opts.store, now, opts.passwordHashCost);
    this.oauth = new SpOAuth(opts.store, this.clock, { clients: opts.oauthClients ?? [], accounts: this.accounts, directory: this.directory });
    this.scimTokens = new ScimTokens(opts.store, this.accounts, now);
    this.outbox = new SpOutbox(opts.store, now);
    this.activation = new SpActivation(opts.store, this.directory, this.outbox, this.clock, this.endpoints.activateUrl);
    this.login = new SpLogin(opts.store, this.accounts, this.directory, opts.key, this.endpoints, this.clock, opts.trace, {
      signAuthnRequests: opts.signAuthnRequests,
      requestLifetimeSec: opts.requestLifetimeSec,
      maxOutstandingRequests: opts.maxOutstandingRequests ?? 100_000,
      sessionLifetimeSec: opts.sessionLifetimeSec,
      ...(opts.encryptionKey && { encryptionKey: opts.encryptionKey }),
    });
    this.logout = new SpLogout(opts.store, this.accounts, this.login, opts.key, this.endpoints, this.clock, opts.trace);
  }

  /**
   * "Download" in "Set up SSO by yourself". For an account with Single Logout on, the document
   * also lists the SP's SingleLogoutService (RingCentral's own metadata has none).
   */
  metadata(account?: Account): string {
    return buildSpMetadata({
      entityId: this.endpoints.entityId,
      acs: [{ location: this.endpoints.acsUrl, binding: BINDING.post, index: 0, isDefault: true }],
      signingCertificates: [this.key.certificateBase64],
      ...(this.encryptionKey && { encryptionCertificates: [this.encryptionKey.certificateBase64] }),
      ...(account?.sso.singleLogout && {
        sloServices: [
          { binding: BINDING.redirect, location: this.endpoints.sloUrl },
          { binding: BINDING.post, location: this.endpoints.sloUrl },
        ],
      }),
      authnRequestsSigned: this.signAuthnRequests,
      wantAssertionsSigned: true,
      nameIdFormats: [NAMEID_FORMAT.emailAddress, NAMEID_FORMAT.unspecified],
    });
  }
}
