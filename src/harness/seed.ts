// Seeding a running harness: IdP users, groups and applications, SP accounts with their users,
// SSO and SCIM settings, and optionally the SSO wiring between an application and an account.
// Everything goes through the admin APIs over HTTP, as an administrator would click it; the demo
// (src/harness/demo.ts) and `start --config` both use this one code path.
import type { UserInput } from '../idp/inputs.js';
import type { AttributeStatement, SigningAlgorithmName } from '../idp/model.js';
import type { AccountOAuthClientInput, ScimSettingsInput, SpUserInput, SsoSettingsInput } from '../sp/inputs.js';

export interface SeedGroup {
  name: string;
  /** Members by email (IdP users of this seed or already there). */
  members?: string[];
}

export interface SeedApplication {
  /** Catalogue template (`ringcentral`, `custom-saml`, …). Default `custom-saml`. */
  template?: string;
  id?: string;
  displayLabel?: string;
  /** Replaces `<mydomain>` in the template's SP values. Default: the SP's host. */
  mydomain?: string;
  attributes?: AttributeStatement[];
  signing?: { assertion?: boolean; response?: boolean; algorithm?: SigningAlgorithmName };
  responseScenario?: string;
  /** Groups bound to the application, by name; bound last, once everything else is set up. */
  groups?: string[];
}

export interface SeedAccount {
  id?: string;
  name: string;
  users?: SpUserInput[];
  /** SSO settings; with wiring, `emailMapping` defaults to Custom `email` and `enabled` to true. */
  sso?: SsoSettingsInput;
  scim?: ScimSettingsInput;
  /** Outside OAuth clients registered for the account (give `clientSecret`: only its hash is kept). */
  oauthClients?: AccountOAuthClientInput[];
}

/** Wire an application to an account: import IdP metadata by URL, map email, upload SP metadata, enable SSO. */
export interface SeedWiring {
  app: string;
  account: string;
}

export interface Seed {
  users?: UserInput[];
  groups?: SeedGroup[];
  applications?: SeedApplication[];
  accounts?: SeedAccount[];
  wire?: SeedWiring[];
}

export interface SeedTarget {
  /** Public origins the two sides see each other at. */
  idpBaseUrl: string;
  spBaseUrl: string;
  adminToken: string;
  fetch?: typeof fetch;
}

/** What the seed created, by the names the seed used. */
export interface SeedResult {
  userIds: Map<string, string>;
  groupIds: Map<string, string>;
  appIds: string[];
  accountIds: string[];
}

export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': contentType }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} failed: HTTP ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export async function applySeed(seed: Seed, target: SeedTarget): Promise<SeedResult> {
  const idp = new AdminClient(target.idpBaseUrl, target.adminToken, target.fetch);
  const sp = new AdminClient(target.spBaseUrl, target.adminToken, target.fetch);
  const result: SeedResult = { userIds: new Map(), groupIds: new Map(), appIds: [], accountIds: [] };

  for (const u of seed.users ?? []) {
    const created = await idp.call<{ id: string }>('POST', '/idp/api/users', u);
    result.userIds.set(u.email.toLowerCase(), created.id);
  }
  if ((seed.groups ?? []).some((g) => (g.members ?? []).some((m) => !result.userIds.has(m.toLowerCase())))) {
    for (const u of await idp.call<{ id: string; email: string }[]>('GET', '/idp/api/users')) {
      if (!result.userIds.has(u.email.toLowerCase())) result.userIds.set(u.email.toLowerCase(), u.id);
    }
  }
  for (const g of seed.groups ?? []) {
    const members = (g.members ?? []).map((email) => {
      const id = result.userIds.get(email.toLowerCase());
      if (id === undefined) throw new Error(`group ${g.name}: no IdP user ${email}`);
      return id;
    });
    const group = await idp.call<{ id: string }>('POST', '/idp/api/groups', { name: g.name, members });
    result.groupIds.set(g.name, group.id);
  }

  // JumpCloud 1: add the application from the catalogue, replace <mydomain>, copy the Metadata URL.
  const metadataUrls = new Map<string, string>();
  for (const a of seed.applications ?? []) {
    const created = await idp.call<{ id: string; metadataUrl: string }>('POST', '/idp/api/apps', {
      template: a.template ?? 'custom-saml',
      ...(a.id !== undefined && { id: a.id }),
      ...(a.displayLabel !== undefined && { displayLabel: a.displayLabel }),
      mydomain: a.mydomain ?? new URL(target.spBaseUrl).host,
      ...(a.attributes !== undefined && { attributes: a.attributes }),
      ...(a.signing?.assertion !== undefined && { signAssertion: a.signing.assertion }),
      ...(a.signing?.response !== undefined && { signResponse: a.signing.response }),
      ...(a.signing?.algorithm !== undefined && { signatureAlgorithm: a.signing.algorithm }),
      ...(a.responseScenario !== undefined && { responseScenario: a.responseScenario }),
    });
    result.appIds.push(created.id);
    metadataUrls.set(created.id, created.metadataUrl);
  }

  const wiredAccounts = new Set((seed.wire ?? []).map((w) => w.account));
  for (const acc of seed.accounts ?? []) {
    const account = await sp.call<{ id: string }>('POST', '/sp/api/accounts', { name: acc.name, ...(acc.id !== undefined && { id: acc.id }) });
    result.accountIds.push(account.id);
    for (const u of acc.users ?? []) await sp.call('POST', `/sp/api/accounts/${account.id}/users`, u);
    if (acc.scim !== undefined) await sp.call('PATCH', `/sp/api/accounts/${account.id}/scim`, acc.scim);
    for (const client of acc.oauthClients ?? []) await sp.call('POST', `/sp/api/accounts/${account.id}/oauth-clients`, client);
    if (acc.sso !== undefined && !wiredAccounts.has(account.id)) await sp.call('PATCH', `/sp/api/accounts/${account.id}/sso`, acc.sso);
  }

  for (const w of seed.wire ?? []) {
    const metadataUrl = metadataUrls.get(w.app);
    if (metadataUrl === undefined) throw new Error(`wire: no application ${w.app} in this seed`);
    const { emailMapping, enabled, loginMode, ...sso } = seed.accounts?.find((a) => a.id === w.account)?.sso ?? {};
    // RingCentral 1: import the IdP metadata by URL, map email (Custom `email` by default), download SP metadata.
    await sp.call('POST', `/sp/api/accounts/${w.account}/sso/idp-metadata`, { url: metadataUrl });
    await sp.call('PATCH', `/sp/api/accounts/${w.account}/sso`, { emailMapping: emailMapping ?? { kind: 'custom', name: 'email' } });
    const spMetadata = await (target.fetch ?? fetch)(`${target.spBaseUrl}/sp/metadata`).then((r) => r.text());
    // JumpCloud 2: upload the SP metadata on the SSO tab.
    await idp.call('PUT', `/idp/api/apps/${w.app}/sp-metadata`, spMetadata, 'application/xml');
    // RingCentral 2: Enable SSO; Manage Your Login.
    await sp.call('PATCH', `/sp/api/accounts/${w.account}/sso`, { enabled: enabled ?? true, loginMode: loginMode ?? 'sso-or-password', ...sso });
  }

  // Authorize user access: bind the groups to the applications.
  for (const a of seed.applications ?? []) {
    const appId = result.appIds[(seed.applications ?? []).indexOf(a)];
    for (const name of a.groups ?? []) {
      const groupId = result.groupIds.get(name);
      if (groupId === undefined) throw new Error(`application ${appId}: no group ${name} in this seed`);
      await idp.call('PUT', `/idp/api/apps/${appId}/groups/${groupId}`);
    }
  }
  return result;
}

/** What a harness needs to seed itself once. */
export interface SeedMarks {
  seedMark(): Promise<{ what: string; at: string; done: boolean } | undefined>;
  markSeeded(what: string, done?: boolean): Promise<void>;
  /** Runs `fn` holding the store's seeding lock: one instance at a time among those sharing the store. */
  whileSeedLocked<R>(fn: () => Promise<R>): Promise<R>;
  /** Removes what a seeding that stopped half-way left (every row but the harness's own marks). */
  clearUnfinishedSeed(): Promise<void>;
}

/**
 * Runs `seed` unless the store was seeded before (a restart from a durable store keeps what the
 * first run set up, and everything done since), then marks the store. Returns the earlier mark
 * when it skipped. Under the store's seeding lock: of instances started together on one empty
 * PostgreSQL database, one seeds and the others wait, then find its mark and skip. A seeding that
 * stopped half-way (the process killed) is redone from a clean store by the next start.
 */
export async function seedOnce(
  harness: SeedMarks,
  what: string,
  seed: () => Promise<void>,
  log: (line: string) => void = () => undefined,
): Promise<{ what: string; at: string } | undefined> {
  return harness.whileSeedLocked(async () => {
    const earlier = await harness.seedMark();
    if (earlier?.done) return { what: earlier.what, at: earlier.at };
    if (earlier) {
      // Half a demo is no state to go on from, and nobody else can be seeding now (we hold the lock).
      log(`sso-harness: the first setup of this store (${earlier.what}, started ${earlier.at}) stopped before it finished; clearing what it left and seeding again`);
      await harness.clearUnfinishedSeed();
    }
    await harness.markSeeded(what, false);
    await seed();
    await harness.markSeeded(what, true);
    return undefined;
  });
}
