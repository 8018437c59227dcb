// Outside SCIM clients of one SP account, driven with plain fetch as a real IdP would: an OAuth
// client registered through the admin API runs "Authenticate with RingCentral" (authorization code
// with PKCE, the account admin signing in) and provisions a user; a static SCIM token does the same.
// Deleted clients and revoked tokens stop working, no credential reaches another account, and the
// store keeps hashes only.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfigFile } from '../../src/harness/config-file.js';
import { applySeed } from '../../src/harness/seed.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';

const SCIM_JSON = 'application/scim+json';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const OKTA_CALLBACK = 'https://acme-admin.okta.test/admin/app/cpc/ringcentral/oauth/postAuthorize';

const A_ADMIN = { email: 'ada@alpha.test', password: 'ada-rc-password-1', role: 'user-admin' };
const B_ADMIN = { email: 'bob@beta.test', password: 'bob-rc-password-1', role: 'super-admin' };

function rcUser(email: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: email,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ value: email, type: 'work', primary: true }],
    addresses: [{ type: 'work', streetAddress: '20 Davis Dr', locality: 'Belmont', region: 'CA', postalCode: '94002', country: 'US' }],
  };
}

/** The admin API over fetch. */
async function adminCall(server: RunningHarness, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function scim(server: RunningHarness, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: SCIM_JSON, ...(body !== undefined && { 'content-type': SCIM_JSON }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function assertScim401(res: Response, detail: RegExp): Promise<void> {
  assert.equal(res.status, 401);
  assert.match(res.headers.get('content-type') ?? '', /application\/scim\+json/);
  const body = (await res.json()) as { schemas: string[]; status: string; detail: string };
  assert.deepEqual(body.schemas, [ERROR_SCHEMA]);
  assert.equal(body.status, '401');
  assert.match(body.detail, detail);
}

const formIds = (html: string): Record<string, string> => {
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!request || !csrf) throw new Error(`no authorization form in: ${html.slice(0, 300)}`);
  return { request, csrf_token: csrf };
};

/**
 * What Okta does for "Authenticate with RingCentral": open /authorize in the admin's browser (one
 * cookie, followed by hand), the admin signs in and presses Authorize; then the token request.
 */
async function authorizationCodeFlow(
  server: RunningHarness,
  client: { clientId: string; clientSecret: string },
  who: { email: string; password: string },
): Promise<{ ok: true; tokens: { access_token: string; refresh_token: string } } | { ok: false; status: number; page: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: OKTA_CALLBACK,
    state: 'okta-state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const start = await fetch(`${server.url}/restapi/oauth/authorize?${params}`, { redirect: 'manual' });
  assert.equal(start.status, 200, await start.clone().text());
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${server.url}/restapi/oauth/authorize/${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const consent = await post('sign-in', { ...formIds(await start.text()), login: who.email, password: who.password });
  const consentPage = await consent.text();
  if (consent.status !== 200 || !/name="decision"/.test(consentPage)) return { ok: false, status: consent.status, page: consentPage };
  const back = await post('consent', { ...formIds(consentPage), decision: 'authorize' });
  assert.equal(back.status, 303);
  const location = new URL(back.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, OKTA_CALLBACK);
  assert.equal(location.searchParams.get('state'), 'okta-state-1');
  const code = location.searchParams.get('code');
  assert.ok(code);
  const token = await fetch(`${server.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: OKTA_CALLBACK, code_verifier: verifier }).toString(),
  });
  assert.equal(token.status, 200, await token.clone().text());
  return { ok: true, tokens: (await token.json()) as { access_token: string; refresh_token: string } };
}

function tokenRequest(server: RunningHarness, client: { clientId: string; clientSecret: string }, form: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
}

describe('SCIM credentials for outside clients', () => {
  let server: RunningHarness;
  let alpha: string;
  let beta: string;
  let betaUserId: string;

  before(async () => {
    server = await startTestServer();
    alpha = (await adminCall(server, 'POST', '/sp/api/accounts', { name: 'Alpha Inc', id: 'alpha' })).body.id;
    beta = (await adminCall(server, 'POST', '/sp/api/accounts', { name: 'Beta Corp', id: 'beta' })).body.id;
    for (const [account, u] of [
      [alpha, A_ADMIN],
      [beta, B_ADMIN],
    ] as const) {
      const created = await adminCall(server, 'POST', `/sp/api/accounts/${account}/users`, { ...u, firstName: 'Test', lastName: 'Admin' });
      assert.equal(created.status, 201);
      if (account === beta) betaUserId = created.body.id;
    }
  });
  after(() => server.close());

  describe('an OAuth client registered for an account (authorization code flow)', () => {
    let client: { clientId: string; clientSecret: string };
    let accessToken: string;
    let refreshToken: string;

    it('registers with a secret shown once, and lists without it', async () => {
      const created = await adminCall(server, 'POST', `/sp/api/accounts/${alpha}/oauth-clients`, { name: 'Okta', redirectUris: [OKTA_CALLBACK] });
      assert.equal(created.status, 201);
      assert.match(created.body.clientSecret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(created.body.scimBaseUrl, `${server.url}/scim/v2`);
      assert.equal(created.body.authorizeUrl, `${server.url}/restapi/oauth/authorize`);
      assert.equal(created.body.tokenUrl, `${server.url}/restapi/oauth/token`);
      client = { clientId: created.body.clientId, clientSecret: created.body.clientSecret };
      const listed = await adminCall(server, 'GET', `/sp/api/accounts/${alpha}/oauth-clients`);
      assert.deepEqual(
        listed.body.map((c: Record<string, unknown>) => [c.clientId, c.name, c.redirectUris]),
        [[client.clientId, 'Okta', [OKTA_CALLBACK]]],
      );
      assert.doesNotMatch(JSON.stringify(listed.body), new RegExp(client.clientSecret));
      assert.deepEqual((await adminCall(server, 'GET', `/sp/api/accounts/${beta}/oauth-clients`)).body, []);
    });

    it('completes the flow as the account admin and provisions a user with the access token', async () => {
      const flow = await authorizationCodeFlow(server, client, A_ADMIN);
      assert.ok(flow.ok, flow.ok ? '' : flow.page.slice(0, 500));
      accessToken = flow.tokens.access_token;
      refreshToken = flow.tokens.refresh_token;
      const created = await scim(server, accessToken, 'POST', '/Users', rcUser('grace@alpha.test'));
      assert.equal(created.status, 201, await created.clone().text());
      const users = (await adminCall(server, 'GET', `/sp/api/accounts/${alpha}/users`)).body as { email: string; createdVia: string }[];
      assert.deepEqual(users.filter((u) => u.email === 'grace@alpha.test').map((u) => u.createdVia), ['scim']);
      assert.ok(!(await adminCall(server, 'GET', `/sp/api/accounts/${beta}/users`)).body.some((u: { email: string }) => u.email === 'grace@alpha.test'));
    });

    it('matches redirect URIs exactly: a near miss gets an error page, not a redirect', async () => {
      for (const near of [`${OKTA_CALLBACK}/`, `${OKTA_CALLBACK}?x=1`, OKTA_CALLBACK.replace('https:', 'http:')]) {
        const res = await fetch(`${server.url}/restapi/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: near })}`, { redirect: 'manual' });
        assert.equal(res.status, 400, near);
        assert.equal(res.headers.get('location'), null);
        assert.match(await res.text(), /OAUTH_REDIRECT_URI/);
      }
    });

    it("refuses another account's admin on the sign-in page", async () => {
      const flow = await authorizationCodeFlow(server, client, B_ADMIN);
      assert.equal(flow.ok, false);
      if (flow.ok) return;
      assert.equal(flow.status, 403);
      assert.match(flow.page, /OAUTH_CLIENT_ACCOUNT/);
      assert.match(flow.page, /registered for the account Alpha Inc/);
    });

    it("cannot reach another account's users", async () => {
      assert.equal((await scim(server, accessToken, 'GET', `/Users/${betaUserId}`)).status, 404);
      const list = (await (await scim(server, accessToken, 'GET', '/Users?count=100')).json()) as { Resources: { userName: string }[] };
      assert.ok(list.Resources.every((u) => !u.userName.endsWith('@beta.test')));
    });

    it("ends the client's access and refresh tokens when it is deleted, even if its id is registered again", async () => {
      assert.equal((await adminCall(server, 'DELETE', `/sp/api/accounts/${alpha}/oauth-clients/${client.clientId}`)).status, 204);
      await assertScim401(await scim(server, accessToken, 'GET', '/Users'), /unknown, expired or revoked/);
      const refresh = await tokenRequest(server, client, { grant_type: 'refresh_token', refresh_token: refreshToken });
      assert.equal(refresh.status, 401);
      assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_client');

      const again = await adminCall(server, 'POST', `/sp/api/accounts/${alpha}/oauth-clients`, {
        name: 'Okta',
        redirectUris: [OKTA_CALLBACK],
        clientId: client.clientId,
        clientSecret: client.clientSecret.padEnd(40, 'x'),
      });
      assert.equal(again.status, 201);
      await assertScim401(await scim(server, accessToken, 'GET', '/Users'), /unknown, expired or revoked/);
      const stale = await tokenRequest(server, { clientId: client.clientId, clientSecret: again.body.clientSecret }, { grant_type: 'refresh_token', refresh_token: refreshToken });
      assert.equal(stale.status, 400);
      assert.equal(((await stale.json()) as { error: string }).error, 'invalid_grant');
      assert.equal((await adminCall(server, 'DELETE', `/sp/api/accounts/${beta}/oauth-clients/${client.clientId}`)).body.error, 'SP_OAUTH_CLIENT_NOT_FOUND');
    });

    const badInputs: [string, Record<string, unknown>, RegExp][] = [
      ['an http redirect URI off loopback', { name: 'X', redirectUris: ['http://okta.test/cb'] }, /redirectUris\.0: must be https, or http on localhost/],
      ['a wildcard', { name: 'X', redirectUris: ['https://okta.test/*/cb'] }, /no `\*` patterns/],
      ['a fragment', { name: 'X', redirectUris: ['https://okta.test/cb#x'] }, /must not have a fragment/],
      ['no redirect URI', { name: 'X', redirectUris: [] }, /redirectUris/],
      ['a short chosen secret', { name: 'X', redirectUris: ['https://okta.test/cb'], clientSecret: 'short-secret' }, /clientSecret: at least 32 characters/],
      ['an unknown field', { name: 'X', redirectUris: ['https://okta.test/cb'], scope: 'all' }, /scope/],
    ];
    for (const [what, body, message] of badInputs) {
      it(`refuses ${what} with INPUT_INVALID naming the field`, async () => {
        const res = await adminCall(server, 'POST', `/sp/api/accounts/${alpha}/oauth-clients`, body);
        assert.equal(res.status, 400);
        assert.equal(res.body.error, 'INPUT_INVALID');
        assert.match(res.body.message, message);
      });
    }

    it('accepts http redirect URIs on loopback hosts', async () => {
      const res = await adminCall(server, 'POST', `/sp/api/accounts/${beta}/oauth-clients`, { name: 'Local connector', redirectUris: ['http://localhost:8080/cb', 'http://127.0.0.1:9/cb'] });
      assert.equal(res.status, 201);
    });

    it('refuses a client id a configured client uses', async () => {
      const res = await adminCall(server, 'POST', `/sp/api/accounts/${alpha}/oauth-clients`, { name: 'Impostor', redirectUris: [OKTA_CALLBACK], clientId: 'sso-harness-idp' });
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'CONFLICT');
    });
  });

  describe('a static SCIM token', () => {
    let token: string;
    let tokenId: string;

    it('is minted once, provisions a user with a plain bearer header, and lists its last use', async () => {
      const clock = server.app.harness.sp.clock;
      clock.freeze('2031-05-01T10:00:00Z');
      try {
        const minted = await adminCall(server, 'POST', `/sp/api/accounts/${alpha}/scim-tokens`, { name: 'Entra ID' });
        assert.equal(minted.status, 201);
        assert.match(minted.body.token, /^rcscim_[A-Za-z0-9_-]{43}$/);
        token = minted.body.token;
        tokenId = minted.body.id;
        const created = await scim(server, token, 'POST', '/Users', rcUser('linus@alpha.test'));
        assert.equal(created.status, 201, await created.clone().text());
        const listed = async () => (await adminCall(server, 'GET', `/sp/api/accounts/${alpha}/scim-tokens`)).body as Record<string, unknown>[];
        assert.deepEqual((await listed()).map((t) => [t.id, t.name, t.createdAt, t.lastUsedAt]), [[tokenId, 'Entra ID', '2031-05-01T10:00:00.000Z', '2031-05-01T10:00:00.000Z']]);
        assert.doesNotMatch(JSON.stringify(await listed()), new RegExp(token));
        // Within the minute the last use is not rewritten; past it, it is.
        clock.advance(30_000);
        assert.equal((await scim(server, token, 'GET', '/Users')).status, 200);
        assert.equal((await listed())[0]?.lastUsedAt, '2031-05-01T10:00:00.000Z');
        clock.advance(31_000);
        assert.equal((await scim(server, token, 'GET', '/Users')).status, 200);
        assert.equal((await listed())[0]?.lastUsedAt, '2031-05-01T10:01:01.000Z');
      } finally {
        clock.unfreeze();
      }
    });

    it("cannot read or change another account's users", async () => {
      assert.equal((await scim(server, token, 'GET', `/Users/${betaUserId}`)).status, 404);
      assert.equal((await scim(server, token, 'DELETE', `/Users/${betaUserId}`)).status, 404);
      const bob = (await adminCall(server, 'GET', `/sp/api/accounts/${beta}/users/${betaUserId}`)).body;
      assert.equal(bob.status, 'active');
    });

    it('is refused with the SCIM 401 body once revoked, as is an unknown token', async () => {
      assert.equal((await adminCall(server, 'DELETE', `/sp/api/accounts/${beta}/scim-tokens/${tokenId}`)).body.error, 'SP_SCIM_TOKEN_NOT_FOUND');
      assert.equal((await adminCall(server, 'DELETE', `/sp/api/accounts/${alpha}/scim-tokens/${tokenId}`)).status, 204);
      await assertScim401(await scim(server, token, 'GET', '/Users'), /SCIM token is unknown or revoked/);
      await assertScim401(await scim(server, `rcscim_${randomBytes(32).toString('base64url')}`, 'GET', '/Users'), /SCIM token is unknown or revoked/);
      assert.deepEqual((await adminCall(server, 'GET', `/sp/api/accounts/${alpha}/scim-tokens`)).body, []);
    });

    it('needs the admin token to mint, and a name', async () => {
      const anonymous = await fetch(`${server.url}/sp/api/accounts/${alpha}/scim-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
      assert.equal(anonymous.status, 401);
      const unnamed = await adminCall(server, 'POST', `/sp/api/accounts/${alpha}/scim-tokens`, {});
      assert.equal(unnamed.body.error, 'INPUT_INVALID');
      assert.equal((await adminCall(server, 'POST', '/sp/api/accounts/nobody/scim-tokens', { name: 'x' })).body.error, 'SP_ACCOUNT_NOT_FOUND');
    });
  });

  it('deleting an account takes its clients and tokens with it', async () => {
    const account = (await adminCall(server, 'POST', '/sp/api/accounts', { name: 'Gamma', id: 'gamma' })).body.id;
    const token = (await adminCall(server, 'POST', `/sp/api/accounts/${account}/scim-tokens`, { name: 't' })).body.token;
    await adminCall(server, 'POST', `/sp/api/accounts/${account}/oauth-clients`, { name: 'c', redirectUris: [OKTA_CALLBACK] });
    assert.equal((await adminCall(server, 'DELETE', `/sp/api/accounts/${account}`)).status, 204);
    await adminCall(server, 'POST', '/sp/api/accounts', { name: 'Gamma again', id: 'gamma' });
    await assertScim401(await scim(server, token, 'GET', '/Users'), /unknown or revoked/);
    assert.deepEqual((await adminCall(server, 'GET', `/sp/api/accounts/${account}/oauth-clients`)).body, []);
  });
});

describe('SCIM credentials at rest', () => {
  let server: RunningHarness;
  let dbPath: string;

  before(async () => {
    dbPath = join(mkdtempSync(join(tmpdir(), 'sso-harness-creds-')), 'harness.db');
    server = await startTestServer({ store: dbPath });
  });
  after(() => server.close());

  it('keeps only SHA-256 hashes of client secrets and SCIM tokens in the SQLite file', async () => {
    await adminCall(server, 'POST', '/sp/api/accounts', { name: 'Delta', id: 'delta' });
    const client = (await adminCall(server, 'POST', '/sp/api/accounts/delta/oauth-clients', { name: 'Okta', redirectUris: [OKTA_CALLBACK] })).body;
    const token = (await adminCall(server, 'POST', '/sp/api/accounts/delta/scim-tokens', { name: 'Entra' })).body.token as string;
    assert.equal((await scim(server, token, 'GET', '/Users')).status, 200);
    const onDisk = readdirSync(dirname(dbPath))
      .map((f) => readFileSync(join(dirname(dbPath), f)).toString('latin1'))
      .join('\n');
    const sha = (s: string) => createHash('sha256').update(s).digest('base64url');
    assert.ok(onDisk.includes(sha(client.clientSecret)), 'the secret hash is stored');
    assert.ok(onDisk.includes(sha(token)), 'the token hash is stored');
    assert.ok(!onDisk.includes(client.clientSecret), 'the client secret is not stored');
    assert.ok(!onDisk.includes(token.slice('rcscim_'.length)), 'the token is not stored');
  });
});

describe('OAuth clients in the config file', () => {
  it('refuses a client without its secret, naming the field and line', () => {
    const yaml = ['accounts:', '  - id: acme', '    name: Acme', '    oauthClients:', '      - { name: Okta, redirectUris: ["https://okta.test/cb"] }'].join('\n');
    assert.throws(() => parseConfigFile(yaml, 'harness.yaml'), (err: Error) => /harness\.yaml:5: accounts\.0\.oauthClients\.0\.clientSecret: /.test(err.message));
  });

  it('seeds a client whose configured credentials the token endpoint accepts', async () => {
    const secret = 'config-file-secret-0123456789-abcdef';
    const config = parseConfigFile(
      JSON.stringify({ accounts: [{ id: 'acme', name: 'Acme', oauthClients: [{ clientId: 'okta-acme-client', clientSecret: secret, name: 'Okta', redirectUris: [OKTA_CALLBACK] }] }] }),
      'harness.json',
    );
    const server = await startTestServer();
    try {
      await applySeed(config.seed, { idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
      const right = await tokenRequest(server, { clientId: 'okta-acme-client', clientSecret: secret }, { grant_type: 'refresh_token', refresh_token: 'nothing' });
      assert.equal(right.status, 400, 'authenticated, then refused for the bogus refresh token');
      assert.equal(((await right.json()) as { error: string }).error, 'invalid_grant');
      const wrong = await tokenRequest(server, { clientId: 'okta-acme-client', clientSecret: `${secret}x` }, { grant_type: 'refresh_token', refresh_token: 'nothing' });
      assert.equal(wrong.status, 401);
    } finally {
      await server.close();
    }
  });
});
