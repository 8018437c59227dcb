import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { HARNESS_IDP_CLIENT_ID, resolveConfig } from '../src/harness/config.js';
import { HarnessError } from '../src/errors.js';
import type { RunningHarness } from '../src/harness/server.js';
import { SP_USERS, type SpUser } from '../src/sp/model.js';
import { admin, startTestServer } from './support/harness.js';

// The feature's config: the default client's shape with a fixed secret, plus a second client.
const IDP = 'http://idp.test';
const CALLBACK = `${IDP}/idp/apps/ringcentral/idm/callback`;
const IDP_CLIENT = {
  clientId: HARNESS_IDP_CLIENT_ID,
  clientSecret: 'idp-client-secret-0123456789',
  name: 'JumpCloud',
  redirectUris: [`${IDP}/idp/apps/*/idm/callback`],
};
const OTHER_CLIENT = { clientId: 'other-client', clientSecret: 'other-client-secret-0123', name: 'Other', redirectUris: ['https://other.test/cb'] };

const ADMIN = { email: 'admin@acme.test', number: '+1 (650) 555-0111', password: 'admin-password-1', role: 'user-admin' };
const SUPER = { email: 'super@acme.test', number: '+16505550112', password: 'super-password-1', role: 'super-admin' };
const PLAIN = { email: 'plain@acme.test', number: '+16505550113', password: 'plain-password-1', role: 'user' };
/** Two users behind one main number, told apart by their extensions (as SCIM would set them). */
const MAIN_101 = { email: 'ext101@acme.test', number: '+16505550199', password: 'ext101-password-1', role: 'user-admin' };
const MAIN_102 = { email: 'ext102@acme.test', number: '+16505550199', password: 'ext102-password-1', role: 'super-admin' };

type Agent = ReturnType<typeof request.agent>;
interface FormIds {
  request: string;
  csrf_token: string;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function formIds(html: string): FormIds {
  const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId || !csrf) throw new Error(`no authorization form in: ${html.slice(0, 400)}`);
  return { request: requestId, csrf_token: csrf };
}

const unescapeHtml = (s: string): string => s.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)));

describe('SP OAuth 2.0 authorization (/restapi/oauth)', () => {
  let server: RunningHarness;
  let accountId: string;
  const userIds: Record<string, string> = {};

  before(async () => {
    server = await startTestServer({ sp: { oauthClients: [IDP_CLIENT, OTHER_CLIENT] } });
    accountId = (await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme Corp' }).expect(201)).body.id;
    for (const u of [ADMIN, SUPER, PLAIN, MAIN_101, MAIN_102]) {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
        .send({ ...u, firstName: 'Test', lastName: 'User' })
        .expect(201);
      userIds[u.email] = res.body.id;
    }
    // The admin API does not assign extensions; SCIM does. Give the shared-number users theirs.
    const users = server.app.harness.store.table(SP_USERS);
    for (const [email, ext] of [
      [MAIN_101.email, '101'],
      [MAIN_102.email, '102'],
    ] as const) {
      const user = await users.get(userIds[email] as string);
      await users.update({ ...(user as SpUser), extension: { number: ext } } as SpUser);
    }
  });

  after(() => server.close());

  const clock = () => server.app.harness.sp.clock;
  const agent = (): Agent => request.agent(server.server);

  async function begin(a: Agent, params: Record<string, string> = {}): Promise<FormIds> {
    const res = await a
      .get('/restapi/oauth/authorize')
      .query({ response_type: 'code', client_id: IDP_CLIENT.clientId, redirect_uri: CALLBACK, state: 'st-1', ...params })
      .expect(200);
    assert.match(res.text, /Email or phone number/);
    return formIds(res.text);
  }

  function signIn(a: Agent, ids: FormIds, fields: Record<string, string>) {
    return a.post('/restapi/oauth/authorize/sign-in').type('form').send({ ...ids, ...fields });
  }

  /** Sign-in → consent → Authorize; returns the redirect back to the client. */
  async function authorize(
    a: Agent,
    login: string,
    password: string,
    opts: { params?: Record<string, string>; extension?: string } = {},
  ): Promise<URL> {
    const ids = await begin(a, opts.params);
    const consent = await signIn(a, ids, { login, password, ...(opts.extension && { extension: opts.extension }) }).expect(200);
    assert.match(unescapeHtml(consent.text), /JumpCloud wants to administer users of Acme Corp/);
    const res = await a
      .post('/restapi/oauth/authorize/consent')
      .type('form')
      .send({ ...formIds(consent.text), decision: 'authorize' })
      .expect(303);
    return new URL(res.headers.location as string);
  }

  async function codeFor(login: string, password: string, params: Record<string, string> = {}): Promise<string> {
    const back = await authorize(agent(), login, password, { params });
    const code = back.searchParams.get('code');
    assert.ok(code, `no code in ${back.href}`);
    return code;
  }

  function token(form: Record<string, string>, client: { clientId: string; clientSecret: string } = IDP_CLIENT) {
    return request(server.server).post('/restapi/oauth/token').auth(client.clientId, client.clientSecret).type('form').send(form);
  }

  function exchange(code: string, extra: Record<string, string> = {}) {
    return token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...extra });
  }

  describe('GET /restapi/oauth/authorize', () => {
    it('shows the sign-in page and binds the browser with an HttpOnly cookie', async () => {
      const res = await request(server.server)
        .get('/restapi/oauth/authorize')
        .query({ response_type: 'code', client_id: IDP_CLIENT.clientId, redirect_uri: CALLBACK })
        .expect(200);
      assert.match(res.text, /JumpCloud<\/strong> is asking to connect/);
      assert.match(String(res.headers['set-cookie']), /sso_harness_oauth=[^;]+; Path=\/restapi\/oauth; HttpOnly; SameSite=Lax/);
      assert.doesNotMatch(res.text, /<script/);
    });

    const refusals: [string, Record<string, string>, string][] = [
      ['an unknown client', { client_id: 'nobody', redirect_uri: CALLBACK }, 'OAUTH_CLIENT_UNKNOWN'],
      ['a missing client_id', { redirect_uri: CALLBACK }, 'OAUTH_CLIENT_UNKNOWN'],
      ['an unregistered redirect URI', { client_id: IDP_CLIENT.clientId, redirect_uri: 'https://evil.test/idp/apps/x/idm/callback' }, 'OAUTH_REDIRECT_URI'],
      ['a pattern segment holding a slash', { client_id: IDP_CLIENT.clientId, redirect_uri: `${IDP}/idp/apps/a/b/idm/callback` }, 'OAUTH_REDIRECT_URI'],
      ['a pattern segment of ..', { client_id: IDP_CLIENT.clientId, redirect_uri: `${IDP}/idp/apps/../idm/callback` }, 'OAUTH_REDIRECT_URI'],
      ['a pattern segment with an encoded slash', { client_id: IDP_CLIENT.clientId, redirect_uri: `${IDP}/idp/apps/a%2Fb/idm/callback` }, 'OAUTH_REDIRECT_URI'],
      ['a registered URI plus a query', { client_id: IDP_CLIENT.clientId, redirect_uri: `${CALLBACK}?next=https://evil.test` }, 'OAUTH_REDIRECT_URI'],
      ['another client\'s redirect URI', { client_id: IDP_CLIENT.clientId, redirect_uri: 'https://other.test/cb' }, 'OAUTH_REDIRECT_URI'],
      ['no redirect URI when only a pattern is registered', { client_id: IDP_CLIENT.clientId }, 'OAUTH_REDIRECT_URI'],
    ];
    for (const [name, params, code] of refusals) {
      it(`shows an error page and never redirects for ${name}`, async () => {
        const res = await request(server.server)
          .get('/restapi/oauth/authorize')
          .query({ response_type: 'code', state: 's', ...params })
          .expect(400);
        assert.equal(res.headers.location, undefined);
        assert.match(res.headers['content-type'] ?? '', /html/);
        assert.match(res.text, new RegExp(code));
      });
    }

    it('defaults to the only exact redirect URI of a client that has one', async () => {
      const res = await request(server.server)
        .get('/restapi/oauth/authorize')
        .query({ response_type: 'code', client_id: OTHER_CLIENT.clientId })
        .expect(200);
      assert.match(res.text, /Other<\/strong> is asking to connect/);
    });

    const redirected: [string, Record<string, string>, string][] = [
      ['an unsupported response type', { response_type: 'token' }, 'unsupported_response_type'],
      ['a plain PKCE method', { code_challenge: pkcePair().challenge, code_challenge_method: 'plain' }, 'invalid_request'],
      ['a challenge without a method', { code_challenge: pkcePair().challenge }, 'invalid_request'],
      ['a malformed challenge', { code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
    ];
    for (const [name, params, error] of redirected) {
      it(`redirects back with ${error} and the state for ${name}`, async () => {
        const res = await request(server.server)
          .get('/restapi/oauth/authorize')
          .query({ response_type: 'code', client_id: IDP_CLIENT.clientId, redirect_uri: CALLBACK, state: 'st-9', ...params })
          .expect(302);
        const back = new URL(res.headers.location as string);
        assert.equal(back.origin + back.pathname, CALLBACK);
        assert.equal(back.searchParams.get('error'), error);
        assert.equal(back.searchParams.get('state'), 'st-9');
        assert.equal(back.searchParams.get('code'), null);
      });
    }

    it('redirects back with invalid_request for a repeated parameter', async () => {
      const res = await request(server.server)
        .get(`/restapi/oauth/authorize?response_type=code&response_type=code&client_id=${IDP_CLIENT.clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}`)
        .expect(302);
      assert.equal(new URL(res.headers.location as string).searchParams.get('error'), 'invalid_request');
    });
  });

  describe('sign-in and consent', () => {
    it('asks for the password after the email, without an extension field', async () => {
      const a = agent();
      const res = await signIn(a, await begin(a), { login: ADMIN.email }).expect(200);
      assert.match(res.text, /name="password"/);
      assert.doesNotMatch(res.text, /name="extension"/);
    });

    it('offers the optional extension after a phone number', async () => {
      const a = agent();
      const res = await signIn(a, await begin(a), { login: ADMIN.number }).expect(200);
      assert.match(res.text, /name="extension"/);
      assert.match(res.text, /name="password"/);
    });

    it('re-shows the form after a wrong password, without a consent page', async () => {
      const a = agent();
      const ids = await begin(a);
      const res = await signIn(a, ids, { login: ADMIN.email, password: 'not-the-password' }).expect(401);
      assert.match(res.text, /SP_BAD_CREDENTIALS/);
      assert.match(res.text, /name="password"/);
      assert.doesNotMatch(res.text, /wants to administer/);
      // The same request still works with the right password.
      const ok = await signIn(a, formIds(res.text), { login: ADMIN.email, password: ADMIN.password }).expect(200);
      assert.match(unescapeHtml(ok.text), /wants to administer users of Acme Corp/);
    });

    it('closes the request after five wrong passwords', async () => {
      const a = agent();
      let ids = await begin(a);
      for (let i = 0; i < 4; i++) ids = formIds((await signIn(a, ids, { login: ADMIN.email, password: `wrong-${i}` }).expect(401)).text);
      const last = await signIn(a, ids, { login: ADMIN.email, password: 'wrong-4' }).expect(400);
      assert.match(last.text, /OAUTH_REQUEST_EXPIRED/);
      await signIn(a, ids, { login: ADMIN.email, password: ADMIN.password }).expect(400);
    });

    it('refuses a sign-in form without its CSRF token', async () => {
      const a = agent();
      const ids = await begin(a);
      const res = await a
        .post('/restapi/oauth/authorize/sign-in')
        .type('form')
        .send({ request: ids.request, login: ADMIN.email, password: ADMIN.password })
        .expect(403);
      assert.match(res.text, /OAUTH_CSRF/);
    });

    it('refuses a sign-in form with another request\'s CSRF token', async () => {
      const a = agent();
      const ids = await begin(a);
      const other = await begin(a);
      await signIn(a, { request: ids.request, csrf_token: other.csrf_token }, { login: ADMIN.email, password: ADMIN.password }).expect(403);
    });

    it('refuses a form posted from a browser that did not start the request', async () => {
      const ids = await begin(agent());
      const res = await signIn(agent(), ids, { login: ADMIN.email, password: ADMIN.password }).expect(403);
      assert.match(res.text, /OAUTH_CSRF/);
    });

    it('refuses a consent form that carries the token from before the sign-in', async () => {
      const a = agent();
      const ids = await begin(a);
      await signIn(a, ids, { login: ADMIN.email, password: ADMIN.password }).expect(200);
      await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...ids, decision: 'authorize' }).expect(403);
    });

    it('refuses consent before sign-in', async () => {
      const a = agent();
      const ids = await begin(a);
      const res = await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...ids, decision: 'authorize' }).expect(400);
      assert.match(res.text, /OAUTH_REQUEST_EXPIRED/);
    });

    it('forgets an authorization request after 10 minutes on the SP clock', async () => {
      const a = agent();
      const ids = await begin(a);
      clock().advance(601_000);
      const res = await signIn(a, ids, { login: ADMIN.email, password: ADMIN.password }).expect(400);
      assert.match(res.text, /OAUTH_REQUEST_EXPIRED/);
    });

    it('asks for the extension when several users share the phone number', async () => {
      const a = agent();
      const res = await signIn(a, await begin(a), { login: MAIN_101.number, password: MAIN_101.password }).expect(400);
      assert.match(res.text, /OAUTH_EXTENSION_REQUIRED/);
      assert.match(res.text, /name="extension"/);
    });

    it('signs in by phone number and extension, matching the extension the user has', async () => {
      const back = await authorize(agent(), '(650) 555-0199', MAIN_102.password, { extension: '102' });
      assert.ok(back.searchParams.get('code'));
      await assert.rejects(authorize(agent(), '(650) 555-0199', MAIN_102.password, { extension: '101' }));
    });

    it('sends the browser back with access_denied when the user cancels', async () => {
      const a = agent();
      const consent = await signIn(a, await begin(a), { login: ADMIN.email, password: ADMIN.password }).expect(200);
      const res = await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...formIds(consent.text), decision: 'cancel' }).expect(303);
      const back = new URL(res.headers.location as string);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('state'), 'st-1');
    });
  });

  describe('role check', () => {
    it('shows a plain user the administrator-permissions page, with no code and no redirect', async () => {
      const a = agent();
      const consent = await signIn(a, await begin(a), { login: PLAIN.email, password: PLAIN.password }).expect(200);
      const res = await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...formIds(consent.text), decision: 'authorize' }).expect(403);
      assert.equal(res.headers.location, undefined);
      assert.match(res.text, /You need administrator permissions/);
      assert.match(res.text, /Ask your RingCentral administrator/);
      assert.match(res.text, /OAUTH_NOT_ADMIN/);
      assert.doesNotMatch(res.text, /code=/);

      // Only the "Return" button sends the browser back, with access_denied.
      const back = await a.post('/restapi/oauth/authorize/return').type('form').send(formIds(res.text)).expect(303);
      const url = new URL(back.headers.location as string);
      assert.equal(url.origin + url.pathname, CALLBACK);
      assert.equal(url.searchParams.get('error'), 'access_denied');
      assert.equal(url.searchParams.get('state'), 'st-1');
      assert.equal(url.searchParams.get('code'), null);
    });

    it('lets an administrator sign in after a plain user was refused', async () => {
      const a = agent();
      const consent = await signIn(a, await begin(a), { login: PLAIN.email, password: PLAIN.password }).expect(200);
      const denied = await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...formIds(consent.text), decision: 'authorize' }).expect(403);
      const again = await signIn(a, formIds(denied.text), { login: SUPER.email, password: SUPER.password }).expect(200);
      const res = await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...formIds(again.text), decision: 'authorize' }).expect(303);
      assert.ok(new URL(res.headers.location as string).searchParams.get('code'));
    });
  });

  describe('POST /restapi/oauth/token', () => {
    it('exchanges a user admin\'s code (email sign-in) for RingCentral-shaped tokens', async () => {
      const back = await authorize(agent(), ADMIN.email, ADMIN.password);
      assert.equal(back.origin + back.pathname, CALLBACK);
      assert.equal(back.searchParams.get('state'), 'st-1');
      const res = await exchange(back.searchParams.get('code') as string).expect(200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(Object.keys(res.body).sort(), [
        'access_token',
        'endpoint_id',
        'expires_in',
        'owner_id',
        'refresh_token',
        'refresh_token_expires_in',
        'scope',
        'token_type',
      ]);
      assert.equal(res.body.token_type, 'bearer');
      assert.equal(res.body.expires_in, 3600);
      assert.equal(res.body.refresh_token_expires_in, 604800);
      assert.equal(res.body.scope, 'SCIM');
      assert.equal(res.body.owner_id, userIds[ADMIN.email]);
      const grant = await server.app.harness.sp.oauth.verifyAccessToken(res.body.access_token);
      assert.deepEqual(
        { ...grant },
        { accountId, userId: userIds[ADMIN.email], clientId: IDP_CLIENT.clientId, scope: 'SCIM', endpointId: res.body.endpoint_id },
      );
    });

    it('exchanges the code of a sign-in by phone number, the extension ignored for a user without one', async () => {
      const pkce = pkcePair();
      const back = await authorize(agent(), '650.555.0111', ADMIN.password, {
        extension: '7',
        params: { code_challenge: pkce.challenge, code_challenge_method: 'S256' },
      });
      const res = await exchange(back.searchParams.get('code') as string, { code_verifier: pkce.verifier }).expect(200);
      assert.equal((await server.app.harness.sp.oauth.verifyAccessToken(res.body.access_token))?.userId, userIds[ADMIN.email]);
    });

    it('accepts client_secret_post', async () => {
      const code = await codeFor(SUPER.email, SUPER.password);
      await request(server.server)
        .post('/restapi/oauth/token')
        .type('form')
        .send({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: IDP_CLIENT.clientId, client_secret: IDP_CLIENT.clientSecret })
        .expect(200);
    });

    it('refuses a used code and revokes the tokens the first use got', async () => {
      const code = await codeFor(ADMIN.email, ADMIN.password);
      const first = await exchange(code).expect(200);
      const again = await exchange(code).expect(400);
      assert.equal(again.body.error, 'invalid_grant');
      assert.equal(await server.app.harness.sp.oauth.verifyAccessToken(first.body.access_token), undefined);
      const refresh = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(400);
      assert.equal(refresh.body.error, 'invalid_grant');
    });

    it('refuses a code after 60 seconds on the SP clock', async () => {
      const code = await codeFor(ADMIN.email, ADMIN.password);
      clock().advance(61_000);
      assert.equal((await exchange(code).expect(400)).body.error, 'invalid_grant');
    });

    const pkceCases: [string, (p: { verifier: string; challenge: string }) => Record<string, string> | undefined, Record<string, string>][] = [
      ['a verifier that does not match', (p) => ({ code_challenge: p.challenge, code_challenge_method: 'S256' }), { code_verifier: pkcePair().verifier }],
      ['a missing verifier', (p) => ({ code_challenge: p.challenge, code_challenge_method: 'S256' }), {}],
      ['a verifier for a code issued without a challenge (downgrade)', () => undefined, { code_verifier: pkcePair().verifier }],
    ];
    for (const [name, authorizeParams, tokenParams] of pkceCases) {
      it(`answers invalid_grant for ${name}`, async () => {
        const pkce = pkcePair();
        const code = await codeFor(ADMIN.email, ADMIN.password, authorizeParams(pkce) ?? {});
        const res = await exchange(code, tokenParams).expect(400);
        assert.equal(res.body.error, 'invalid_grant');
      });
    }

    it('answers invalid_grant for a redirect_uri other than the authorization request\'s', async () => {
      const code = await codeFor(ADMIN.email, ADMIN.password);
      const res = await exchange(code, { redirect_uri: `${IDP}/idp/apps/other/idm/callback` }).expect(400);
      assert.equal(res.body.error, 'invalid_grant');
    });

    it('answers invalid_grant for a code issued to another client', async () => {
      const code = await codeFor(ADMIN.email, ADMIN.password);
      const res = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, OTHER_CLIENT).expect(400);
      assert.equal(res.body.error, 'invalid_grant');
    });

    const clientFailures: [string, () => request.Test][] = [
      ['a wrong secret (Basic)', () => request(server.server).post('/restapi/oauth/token').auth(IDP_CLIENT.clientId, 'wrong-secret-0123456789').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' })],
      ['a wrong secret (client_secret_post)', () => request(server.server).post('/restapi/oauth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x', client_id: IDP_CLIENT.clientId, client_secret: 'wrong' })],
      ['an unknown client', () => request(server.server).post('/restapi/oauth/token').auth('nobody', 'secret').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' })],
      ['no client authentication', () => request(server.server).post('/restapi/oauth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'x', client_id: IDP_CLIENT.clientId })],
    ];
    for (const [name, send] of clientFailures) {
      it(`answers 401 invalid_client with WWW-Authenticate for ${name}`, async () => {
        const res = await send().expect(401);
        assert.equal(res.body.error, 'invalid_client');
        assert.match(res.headers['www-authenticate'] ?? '', /^Basic /);
      });
    }

    const badRequests: [string, () => request.Test, string][] = [
      ['an unsupported grant type', () => token({ grant_type: 'password', username: ADMIN.email, password: ADMIN.password }), 'unsupported_grant_type'],
      ['a missing grant type', () => token({ code: 'x' }), 'invalid_request'],
      ['a missing code', () => token({ grant_type: 'authorization_code' }), 'invalid_request'],
      ['a JSON body', () => request(server.server).post('/restapi/oauth/token').auth(IDP_CLIENT.clientId, IDP_CLIENT.clientSecret).send({ grant_type: 'refresh_token', refresh_token: 'x' }), 'invalid_request'],
      ['two client authentication methods', () => token({ grant_type: 'refresh_token', refresh_token: 'x', client_secret: IDP_CLIENT.clientSecret }), 'invalid_request'],
      ['an unknown refresh token', () => token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' }), 'invalid_grant'],
    ];
    for (const [name, send, error] of badRequests) {
      it(`answers 400 ${error} for ${name}`, async () => {
        const res = await send().expect(400);
        assert.equal(res.body.error, error);
        assert.equal(typeof res.body.error_description, 'string');
      });
    }

    it('rotates refresh tokens: the old one is refused, the new one works', async () => {
      const first = await exchange(await codeFor(ADMIN.email, ADMIN.password)).expect(200);
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(200);
      assert.notEqual(second.body.refresh_token, first.body.refresh_token);
      assert.equal(second.body.endpoint_id, first.body.endpoint_id);
      assert.equal(second.body.owner_id, userIds[ADMIN.email]);
      assert.ok(await server.app.harness.sp.oauth.verifyAccessToken(second.body.access_token));
      const reused = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(400);
      assert.equal(reused.body.error, 'invalid_grant');
      await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }).expect(200);
    });

    it('refuses another client\'s refresh token', async () => {
      const first = await exchange(await codeFor(ADMIN.email, ADMIN.password)).expect(200);
      const res = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, OTHER_CLIENT).expect(400);
      assert.equal(res.body.error, 'invalid_grant');
      await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(200);
    });

    it('refuses a scope wider than the one granted', async () => {
      const first = await exchange(await codeFor(ADMIN.email, ADMIN.password)).expect(200);
      const res = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, scope: 'SCIM ReadAccounts' }).expect(400);
      assert.equal(res.body.error, 'invalid_scope');
    });

    it('expires access tokens after an hour and refresh tokens after 7 days on the SP clock', async () => {
      const first = await exchange(await codeFor(ADMIN.email, ADMIN.password)).expect(200);
      const oauth = server.app.harness.sp.oauth;
      clock().advance(3599_000);
      assert.ok(await oauth.verifyAccessToken(first.body.access_token));
      clock().advance(2_000);
      assert.equal(await oauth.verifyAccessToken(first.body.access_token), undefined);
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(200);
      assert.ok(await oauth.verifyAccessToken(second.body.access_token));
      clock().advance(7 * 24 * 3600_000 + 1000);
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }).expect(400)).body.error, 'invalid_grant');
    });

    it('stops refreshing once the authorizing user is no longer an administrator', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
        .send({ email: 'demoted@acme.test', firstName: 'D', lastName: 'User', role: 'user-admin', password: 'demoted-password-1' })
        .expect(201);
      const first = await exchange(await codeFor('demoted@acme.test', 'demoted-password-1')).expect(200);
      await admin(server, 'patch', `/sp/api/accounts/${accountId}/users/${res.body.id}`).send({ role: 'user' }).expect(200);
      const refused = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(400);
      assert.equal(refused.body.error, 'invalid_grant');
      assert.match(refused.body.error_description, /no longer a User Admin/);
    });
  });

  describe('POST /restapi/oauth/revoke', () => {
    it('revoking a refresh token ends the whole authorization', async () => {
      const first = await exchange(await codeFor(ADMIN.email, ADMIN.password)).expect(200);
      await request(server.server)
        .post('/restapi/oauth/revoke')
        .auth(IDP_CLIENT.clientId, IDP_CLIENT.clientSecret)
        .type('form')
        .send({ token: first.body.refresh_token })
        .expect(200);
      assert.equal(await server.app.harness.sp.oauth.verifyAccessToken(first.body.access_token), undefined);
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }).expect(400)).body.error, 'invalid_grant');
    });

    it('leaves another client\'s token alone', async () => {
      const first = await exchange(await codeFor(ADMIN.email, ADMIN.password)).expect(200);
      await request(server.server)
        .post('/restapi/oauth/revoke')
        .auth(OTHER_CLIENT.clientId, OTHER_CLIENT.clientSecret)
        .type('form')
        .send({ token: first.body.access_token })
        .expect(200);
      assert.ok(await server.app.harness.sp.oauth.verifyAccessToken(first.body.access_token));
    });
  });
});

describe('SP OAuth with the default client', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('authorizes the harness IdP at <idpBaseUrl>/idp/apps/<app>/idm/callback with the secret from the resolved config', async () => {
    const client = server.config.sp.oauthClients.find((c) => c.clientId === HARNESS_IDP_CLIENT_ID);
    assert.ok(client);
    const callback = `${server.config.idpBaseUrl}/idp/apps/ringcentral/idm/callback`;
    const accountId = (await admin(server, 'post', '/sp/api/accounts').send({ name: 'Globex' }).expect(201)).body.id;
    await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
      .send({ email: 'ann@globex.test', firstName: 'Ann', lastName: 'Admin', role: 'super-admin', password: 'ann-password-1' })
      .expect(201);
    const pkce = pkcePair();
    const a = request.agent(server.server);
    const start = await a
      .get('/restapi/oauth/authorize')
      .query({ response_type: 'code', client_id: client.clientId, redirect_uri: callback, state: 'xyz', code_challenge: pkce.challenge, code_challenge_method: 'S256' })
      .expect(200);
    const consent = await a.post('/restapi/oauth/authorize/sign-in').type('form').send({ ...formIds(start.text), login: 'ann@globex.test', password: 'ann-password-1' }).expect(200);
    assert.match(unescapeHtml(consent.text), /JumpCloud wants to administer users of Globex/);
    const done = await a.post('/restapi/oauth/authorize/consent').type('form').send({ ...formIds(consent.text), decision: 'authorize' }).expect(303);
    const back = new URL(done.headers.location as string);
    assert.equal(back.searchParams.get('state'), 'xyz');
    const res = await request(server.server)
      .post('/restapi/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string, redirect_uri: callback, code_verifier: pkce.verifier })
      .expect(200);
    assert.ok(await server.app.harness.sp.oauth.verifyAccessToken(res.body.access_token));
  });
});

describe('sp.oauthClients configuration', () => {
  it('defaults to one client for the harness IdP, named after the flavour, with a generated secret', () => {
    const jumpcloud = resolveConfig({ idpBaseUrl: 'http://idp.test:9000' }, {}).sp.oauthClients;
    assert.equal(jumpcloud.length, 1);
    assert.equal(jumpcloud[0]?.clientId, 'sso-harness-idp');
    assert.equal(jumpcloud[0]?.name, 'JumpCloud');
    assert.deepEqual(jumpcloud[0]?.redirectUris, ['http://idp.test:9000/idp/apps/*/idm/callback']);
    assert.ok((jumpcloud[0]?.clientSecret.length ?? 0) >= 32);
    assert.equal(resolveConfig({ idpFlavor: 'okta' }, {}).sp.oauthClients[0]?.name, 'Okta');
    assert.notEqual(resolveConfig({}, {}).sp.oauthClients[0]?.clientSecret, resolveConfig({}, {}).sp.oauthClients[0]?.clientSecret);
  });

  it('keeps a configured secret and fills in a missing one', () => {
    const clients = resolveConfig({ sp: { oauthClients: [IDP_CLIENT, { ...OTHER_CLIENT, clientSecret: undefined }] } }, {}).sp.oauthClients;
    assert.equal(clients[0]?.clientSecret, IDP_CLIENT.clientSecret);
    assert.ok((clients[1]?.clientSecret.length ?? 0) >= 32);
  });

  const invalid: [string, object, string][] = [
    ['a duplicate clientId', { oauthClients: [IDP_CLIENT, IDP_CLIENT] }, 'sp.oauthClients.1.clientId'],
    ['a `*` in the host', { oauthClients: [{ ...OTHER_CLIENT, redirectUris: ['https://*.other.test/cb'] }] }, 'sp.oauthClients.0.redirectUris.0'],
    ['a `*` inside a segment', { oauthClients: [{ ...OTHER_CLIENT, redirectUris: ['https://other.test/cb-*'] }] }, 'sp.oauthClients.0.redirectUris.0'],
    ['a fragment', { oauthClients: [{ ...OTHER_CLIENT, redirectUris: ['https://other.test/cb#x'] }] }, 'sp.oauthClients.0.redirectUris.0'],
    ['a short secret', { oauthClients: [{ ...OTHER_CLIENT, clientSecret: 'short' }] }, 'sp.oauthClients.0.clientSecret'],
  ];
  for (const [name, sp, fieldName] of invalid) {
    it(`fails at start-up naming the field for ${name}`, () => {
      assert.throws(
        () => resolveConfig({ sp } as never, {}),
        (err: unknown) => err instanceof HarnessError && err.code === 'CONFIG_INVALID' && fieldName in (err.details.fields ?? {}),
      );
    });
  }
});
