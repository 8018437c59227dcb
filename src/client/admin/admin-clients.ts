// Typed clients for the two admin APIs (`/idp/api`, `/sp/api`) over fetch: what a test suite or
// a script calls instead of hand-written requests. Bodies are the domain types the server sends.
import type { AppKeyView, NextKeyInput } from '../../idp/app-keys.js';
import type { AppEndpoints } from '../../idp/applications.js';
import type { IdmView } from '../../idp/identity-management.js';
import type { AppSettings, GroupInput, UserInput, UserPatch } from '../../idp/inputs.js';
import type { IdpApp, IdpGroup, PublicIdpUser } from '../../idp/model.js';
import type { IdpEmail } from '../../idp/outbox.js';
import type { ExpectedVerdict } from '../../saml/scenarios/types.js';
import type { SlotView } from '../../sp/idp-certificates.js';
import type { AccountOAuthClientView, RegisteredAccountClient } from '../../sp/oauth/account-clients.js';
import type {
  AccountInput,
  AccountOAuthClientInput,
  MetadataImportInput,
  ScimSettingsInput,
  ScimTokenInput,
  SpUserInput,
  SpUserPatch,
  SsoSettingsInput,
} from '../../sp/inputs.js';
import type { Account, PublicSpUser, ScimRuleName, ScimSettings } from '../../sp/model.js';
import type { OutboxMessage } from '../../sp/outbox.js';
import type { MintedScimToken, ScimTokenView } from '../../sp/scim-tokens.js';
import type { IdpFlavor } from '../../idp/model.js';

/** An admin API call that did not answer 2xx: the status and the error body (code, message…). */
export class AdminApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const b = body as { error?: unknown; message?: unknown } | undefined;
    super(`${method} ${path} failed: HTTP ${status}${typeof b?.error === 'string' ? ` ${b.error}` : ''}${typeof b?.message === 'string' ? `: ${b.message}` : ''}`);
    this.name = 'AdminApiError';
  }

  /** The harness error code of the answer (`error` in its JSON body), when it has one. */
  get code(): string | undefined {
    const code = (this.body as { error?: unknown } | undefined)?.error;
    return typeof code === 'string' ? code : undefined;
  }
}

export interface AdminClientOptions {
  /** The harness origin (IdP or SP side), e.g. `http://127.0.0.1:8400`. */
  url: string;
  adminToken: string;
  fetch?: typeof fetch;
}

class AdminHttp {
  private readonly url: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: AdminClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.token = opts.adminToken;
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
  }

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.fetchImpl(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': contentType }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) throw new AdminApiError(method, path, res.status, parsed);
    return parsed as T;
  }

  async text(path: string): Promise<string> {
    const res = await this.fetchImpl(`${this.url}${path}`);
    if (!res.ok) throw new AdminApiError('GET', path, res.status, await res.text());
    return res.text();
  }
}

const seg = encodeURIComponent;

/** An IdP application as the admin API shows it: with its URLs and the settings still missing. */
export type IdpAppView = IdpApp & AppEndpoints & { missing: string[] };

/** One response scenario of the catalogue (`GET /idp/api/scenarios`). */
export interface ScenarioSummary {
  id: string;
  title: string;
  row?: number;
  kind: 'valid' | 'attack' | 'fault';
  /** Set when the verdict follows one SP's own rules (RingCentral's attribute requirements), not SAML's. */
  spProfile?: 'ringcentral';
  expect: ExpectedVerdict;
}

/** The IdP admin API (`/idp/api`). */
export class IdpAdminClient {
  private readonly http: AdminHttp;

  constructor(opts: AdminClientOptions) {
    this.http = new AdminHttp(opts);
  }

  listUsers(): Promise<PublicIdpUser[]> {
    return this.http.request('GET', '/idp/api/users');
  }
  getUser(id: string): Promise<PublicIdpUser> {
    return this.http.request('GET', `/idp/api/users/${seg(id)}`);
  }
  createUser(input: UserInput): Promise<PublicIdpUser> {
    return this.http.request('POST', '/idp/api/users', input);
  }
  updateUser(id: string, patch: UserPatch): Promise<PublicIdpUser> {
    return this.http.request('PATCH', `/idp/api/users/${seg(id)}`, patch);
  }
  async deleteUser(id: string): Promise<void> {
    await this.http.request('DELETE', `/idp/api/users/${seg(id)}`);
  }

  listGroups(): Promise<IdpGroup[]> {
    return this.http.request('GET', '/idp/api/groups');
  }
  /** `members` are user ids. */
  createGroup(input: GroupInput): Promise<IdpGroup> {
    return this.http.request('POST', '/idp/api/groups', input);
  }
  setMembership(groupId: string, userId: string, member: boolean): Promise<IdpGroup> {
    return this.http.request(member ? 'PUT' : 'DELETE', `/idp/api/groups/${seg(groupId)}/members/${seg(userId)}`);
  }

  listApps(): Promise<IdpAppView[]> {
    return this.http.request('GET', '/idp/api/apps');
  }
  getApp(id: string): Promise<IdpAppView> {
    return this.http.request('GET', `/idp/api/apps/${seg(id)}`);
  }
  /** Adds an application from the catalogue (`template`, default `custom-saml`). */
  createApp(input: { template?: string; id?: string } & AppSettings): Promise<IdpAppView> {
    return this.http.request('POST', '/idp/api/apps', input);
  }
  updateApp(id: string, settings: AppSettings): Promise<IdpAppView> {
    return this.http.request('PATCH', `/idp/api/apps/${seg(id)}`, settings);
  }
  async deleteApp(id: string): Promise<void> {
    await this.http.request('DELETE', `/idp/api/apps/${seg(id)}`);
  }
  /** "Upload Metadata" on the SSO tab: the SP's metadata XML. */
  uploadSpMetadata(appId: string, xml: string): Promise<IdpAppView> {
    return this.http.request('PUT', `/idp/api/apps/${seg(appId)}/sp-metadata`, xml, 'application/xml');
  }
  /** Authorizes (or, with `false`, removes) a group's access to the application. */
  bindGroup(appId: string, groupId: string, bound = true): Promise<IdpAppView> {
    return this.http.request(bound ? 'PUT' : 'DELETE', `/idp/api/apps/${seg(appId)}/groups/${seg(groupId)}`);
  }
  /** The application's signing keys: current and, during a rollover, next (certificates only). */
  appKeys(appId: string): Promise<AppKeyView[]> {
    return this.http.request('GET', `/idp/api/apps/${seg(appId)}/keys`);
  }
  /** Makes the next signing key (generated, or the uploaded PEM pair); the metadata lists it beside the current one. */
  makeNextKey(appId: string, input: NextKeyInput = {}): Promise<AppKeyView[]> {
    return this.http.request('POST', `/idp/api/apps/${seg(appId)}/keys/next`, input);
  }
  dropNextKey(appId: string): Promise<AppKeyView[]> {
    return this.http.request('DELETE', `/idp/api/apps/${seg(appId)}/keys/next`);
  }
  /** The next key becomes current (the old one is dropped). */
  rotateKeys(appId: string): Promise<AppKeyView[]> {
    return this.http.request('POST', `/idp/api/apps/${seg(appId)}/keys/rotate`);
  }
  /** The application's IdP metadata XML (what "Copy Metadata URL" points at). */
  appMetadata(appId: string): Promise<string> {
    return this.http.text(`/idp/apps/${seg(appId)}/metadata`);
  }

  scenarios(): Promise<ScenarioSummary[]> {
    return this.http.request('GET', '/idp/api/scenarios');
  }
  /** The next response (of `app`, or of any application) uses this scenario, once. */
  nextResponse(scenario: string, app?: string): Promise<{ scenario: string; app: string | null }> {
    return this.http.request('PUT', '/idp/api/next-response', { scenario, ...(app !== undefined && { app }) });
  }
  async clearNextResponse(app?: string): Promise<void> {
    await this.http.request('DELETE', `/idp/api/next-response${app !== undefined ? `?app=${seg(app)}` : ''}`);
  }

  /** The Identity Management tab of an application. */
  idmStatus(appId: string): Promise<IdmView> {
    return this.http.request('GET', `/idp/api/apps/${seg(appId)}/idm`);
  }
  /** Starts the Identity Management set-up; open `authorizeUrl` in a browser to sign in to the SP. */
  configureIdm(appId: string, input: { flavor?: IdpFlavor; apiBaseUrl?: string } = {}): Promise<{ authorizeUrl: string }> {
    return this.http.request('POST', `/idp/api/apps/${seg(appId)}/idm/configure`, input);
  }
  /** Waits until no provisioning event, job or background import is left. */
  async idle(): Promise<void> {
    await this.http.request('POST', '/idp/api/maintenance/idle');
  }
  outbox(): Promise<IdpEmail[]> {
    return this.http.request('GET', '/idp/api/outbox');
  }
  /** Sets the IdP clock's simulated offset, in ms (positive: ahead). */
  setClockOffset(offsetMs: number): Promise<{ now: string; offsetMs: number }> {
    return this.http.request('PUT', '/idp/api/clock', { offsetMs });
  }

  /** The older name of `setClockOffset` (kept for existing callers). */
  setClockSkew(skewMs: number): Promise<{ now: string; offsetMs: number; skewMs: number }> {
    return this.http.request('PUT', '/idp/api/clock', { skewMs });
  }
}

/** What an IdP metadata import parsed (`POST /sp/api/accounts/:id/sso/idp-metadata`). */
export interface MetadataImportView {
  account: Account;
  parsed: {
    entityId: string;
    ssoServices: { binding: string; location: string }[];
    certificates: ({ use?: string } & Record<string, unknown>)[];
    nameIdFormats: string[];
    attributes: string[];
    wantAuthnRequestsSigned: boolean | undefined;
    warnings: string[];
  };
}

export type ScimSettingsView = ScimSettings & { ruleDescriptions: Record<ScimRuleName, string> };

/** Where an outside SCIM client connects (the same for every account: the token picks it). */
export interface ScimConnection {
  scimBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
}

/** The SP admin API (`/sp/api`). */
export class SpAdminClient {
  private readonly http: AdminHttp;

  constructor(opts: AdminClientOptions) {
    this.http = new AdminHttp(opts);
  }

  listAccounts(): Promise<Account[]> {
    return this.http.request('GET', '/sp/api/accounts');
  }
  getAccount(id: string): Promise<Account> {
    return this.http.request('GET', `/sp/api/accounts/${seg(id)}`);
  }
  createAccount(input: AccountInput): Promise<Account> {
    return this.http.request('POST', '/sp/api/accounts', input);
  }
  async deleteAccount(id: string): Promise<void> {
    await this.http.request('DELETE', `/sp/api/accounts/${seg(id)}`);
  }

  /** "Upload IdP Metadata": by URL (`{ url }`) or the XML itself (`{ xml }`). */
  importIdpMetadata(accountId: string, input: MetadataImportInput): Promise<MetadataImportView> {
    return this.http.request('POST', `/sp/api/accounts/${seg(accountId)}/sso/idp-metadata`, input);
  }
  /** SSO settings: email mapping, enabled, login mode, unsolicited responses, clock skew… */
  updateSso(accountId: string, settings: SsoSettingsInput): Promise<Account> {
    return this.http.request('PATCH', `/sp/api/accounts/${seg(accountId)}/sso`, settings);
  }
  /** The Primary and Secondary IdP certificates the account trusts (set them with updateSso `idpCertificates`). */
  idpCertificates(accountId: string): Promise<SlotView[]> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/sso/idp-certificates`);
  }
  /** The SP metadata XML (what "Download" gives). */
  metadata(): Promise<string> {
    return this.http.text('/sp/metadata');
  }

  getScim(accountId: string): Promise<ScimSettingsView> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/scim`);
  }
  /** SCIM rules (merged), extension pools (replaced), DigitalLines, rate limits. */
  updateScim(accountId: string, input: ScimSettingsInput): Promise<ScimSettingsView> {
    return this.http.request('PATCH', `/sp/api/accounts/${seg(accountId)}/scim`, input);
  }

  listUsers(accountId: string): Promise<PublicSpUser[]> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/users`);
  }
  getUser(accountId: string, userId: string): Promise<PublicSpUser> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/users/${seg(userId)}`);
  }
  createUser(accountId: string, input: SpUserInput): Promise<PublicSpUser> {
    return this.http.request('POST', `/sp/api/accounts/${seg(accountId)}/users`, input);
  }
  updateUser(accountId: string, userId: string, patch: SpUserPatch): Promise<PublicSpUser> {
    return this.http.request('PATCH', `/sp/api/accounts/${seg(accountId)}/users/${seg(userId)}`, patch);
  }
  async deleteUser(accountId: string, userId: string): Promise<void> {
    await this.http.request('DELETE', `/sp/api/accounts/${seg(accountId)}/users/${seg(userId)}`);
  }

  /** Activation emails the SP sent the account's users. */
  outbox(accountId: string): Promise<OutboxMessage[]> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/outbox`);
  }

  /** The account's outside OAuth clients, without their secrets. */
  listOAuthClients(accountId: string): Promise<AccountOAuthClientView[]> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/oauth-clients`);
  }
  /** Registers an outside OAuth client; the answer holds its secret, shown this once. */
  registerOAuthClient(accountId: string, input: AccountOAuthClientInput): Promise<RegisteredAccountClient & ScimConnection> {
    return this.http.request('POST', `/sp/api/accounts/${seg(accountId)}/oauth-clients`, input);
  }
  /** Deletes the client; its access and refresh tokens stop working. */
  async deleteOAuthClient(accountId: string, clientId: string): Promise<void> {
    await this.http.request('DELETE', `/sp/api/accounts/${seg(accountId)}/oauth-clients/${seg(clientId)}`);
  }
  /** The account's static SCIM tokens: name, creation, last use; never the tokens. */
  listScimTokens(accountId: string): Promise<ScimTokenView[]> {
    return this.http.request('GET', `/sp/api/accounts/${seg(accountId)}/scim-tokens`);
  }
  /** Mints a static SCIM bearer token for the account; the answer holds the token, shown this once. */
  mintScimToken(accountId: string, input: ScimTokenInput): Promise<MintedScimToken & { scimBaseUrl: string }> {
    return this.http.request('POST', `/sp/api/accounts/${seg(accountId)}/scim-tokens`, input);
  }
  async revokeScimToken(accountId: string, tokenId: string): Promise<void> {
    await this.http.request('DELETE', `/sp/api/accounts/${seg(accountId)}/scim-tokens/${seg(tokenId)}`);
  }
}
