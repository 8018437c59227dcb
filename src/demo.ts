// The pre-wired demo: the seed's whole setup sequence, done through the admin APIs over HTTP
// exactly as an administrator would click it (JumpCloud 1, RingCentral 1, JumpCloud 2,
// RingCentral 2, authorize a group).

export interface DemoUser {
  email: string;
  firstName: string;
  lastName: string;
  number: string;
  department: string;
  password: string;
  /** Bound to the RingCentral application at the IdP. */
  bound: boolean;
  /** Has a RingCentral credential (password) at the SP too. */
  spPassword?: string;
}

export const DEMO_ACCOUNT = { id: 'acme', name: 'Acme Corp' };
export const DEMO_APP_ID = 'ringcentral';
export const DEMO_GROUP = 'RingCentral Users';

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'ann@acme.test', firstName: 'Ann', lastName: 'Admin', number: '+16505550101', department: 'IT', password: 'ann-password-1', bound: true, spPassword: 'ann-rc-password-1' },
  { email: 'bob@acme.test', firstName: 'Bob', lastName: 'Builder', number: '+16505550102', department: 'Sales', password: 'bob-password-1', bound: true },
  { email: 'carol@acme.test', firstName: 'Carol', lastName: 'Contractor', number: '+16505550103', department: 'Support', password: 'carol-password-1', bound: false },
];

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

/** Seeds both sides; `idpBaseUrl`/`spBaseUrl` are the public origins the sides see each other at. */
export async function seedDemo(opts: { idpBaseUrl: string; spBaseUrl: string; adminToken: string; fetch?: typeof fetch }): Promise<void> {
  const idp = new AdminClient(opts.idpBaseUrl, opts.adminToken, opts.fetch);
  const sp = new AdminClient(opts.spBaseUrl, opts.adminToken, opts.fetch);

  const ids: string[] = [];
  for (const u of DEMO_USERS) {
    const created = await idp.call<{ id: string }>('POST', '/idp/api/users', {
      email: u.email, firstName: u.firstName, lastName: u.lastName, number: u.number, department: u.department, password: u.password,
      addresses: [{ type: 'work', locality: 'Belmont', region: 'CA', country: 'US' }],
    });
    if (u.bound) ids.push(created.id);
  }
  const group = await idp.call<{ id: string }>('POST', '/idp/api/groups', { name: DEMO_GROUP, members: ids });

  // JumpCloud 1: add RingCentral from the catalogue, replace <mydomain>, copy the Metadata URL.
  const app = await idp.call<{ metadataUrl: string }>('POST', '/idp/api/apps', {
    template: 'ringcentral', id: DEMO_APP_ID, displayLabel: 'RingCentral', mydomain: new URL(opts.spBaseUrl).host,
  });

  // RingCentral 1: import the IdP metadata by URL, map email to Custom `email`, save, download SP metadata.
  await sp.call('POST', '/sp/api/accounts', DEMO_ACCOUNT);
  for (const u of DEMO_USERS) {
    await sp.call('POST', `/sp/api/accounts/${DEMO_ACCOUNT.id}/users`, {
      email: u.email, firstName: u.firstName, lastName: u.lastName, number: u.number, department: u.department,
      role: u.email.startsWith('ann@') ? 'super-admin' : 'user', ...(u.spPassword && { password: u.spPassword }),
    });
  }
  await sp.call('POST', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso/idp-metadata`, { url: app.metadataUrl });
  await sp.call('PATCH', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`, { emailMapping: { kind: 'custom', name: 'email' } });
  const spMetadata = await (opts.fetch ?? fetch)(`${opts.spBaseUrl}/sp/metadata`).then((r) => r.text());

  // JumpCloud 2: upload the SP metadata on the SSO tab.
  await idp.call('PUT', `/idp/api/apps/${DEMO_APP_ID}/sp-metadata`, spMetadata, 'application/xml');

  // RingCentral 2: Enable SSO; Manage Your Login: SSO or password.
  await sp.call('PATCH', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`, { enabled: true, loginMode: 'sso-or-password' });

  // Authorize user access: bind the group to the application.
  await idp.call('PUT', `/idp/api/apps/${DEMO_APP_ID}/groups/${group.id}`);
}
