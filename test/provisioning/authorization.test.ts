import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { APP, idmFixture, type IdmFixture } from './fixture.js';

describe('Identity Management authorization (OAuth client)', () => {
  let f: IdmFixture;
  beforeEach(async () => {
    f = await idmFixture();
  });

  it('builds the authorize URL with the client, the callback, a state and an S256 PKCE challenge', async () => {
    const { authorizeUrl, state } = await f.idm.configure(APP, {});
    const url = new URL(authorizeUrl);
    assert.equal(url.origin + url.pathname, `${f.sp.base}/restapi/oauth/authorize`);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('client_id'), 'sso-harness-idp');
    assert.equal(url.searchParams.get('redirect_uri'), `http://idp.test/idp/apps/${APP}/idm/callback`);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(url.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(state.status, 'authorizing');
  });

  it('exchanges the code with the verifier and client credentials, verifies, and keeps the tokens server-side', async () => {
    const state = await f.authorize();
    assert.deepEqual({ ...(state as object), updatedAt: undefined, verifiedAt: undefined }, {
      appId: APP,
      status: 'verified',
      flavor: 'jumpcloud',
      apiBaseUrl: f.sp.base,
      authorized: true,
      updatedAt: undefined,
      verifiedAt: undefined,
    });
    const token = f.sp.requests.find((r) => r.path === '/restapi/oauth/token');
    const form = token?.body as Record<string, string>;
    assert.equal(form.grant_type, 'authorization_code');
    assert.equal(form.redirect_uri, `http://idp.test/idp/apps/${APP}/idm/callback`);
    assert.match(token?.headers.authorization ?? '', /^Basic /);
    assert.ok(f.sp.requests.some((r) => r.path === '/scim/v2/ServiceProviderConfig' && /^Bearer /.test(r.headers.authorization ?? '')));
    const view = await f.idm.view(APP);
    assert.equal(JSON.stringify(view).includes((await f.idp.idm.get(APP)).tokens?.accessToken ?? 'none'), false);
  });

  it('refuses a callback whose state is unknown or already used, without touching the integration', async () => {
    const { authorizeUrl } = await f.idm.configure(APP, {});
    const { code, state } = f.sp.issueCode(authorizeUrl);
    await assert.rejects(f.idm.completeAuthorization(APP, { code, state: 'forged' }), { code: 'IDM_STATE_INVALID' });
    assert.equal((await f.idm.view(APP)).status, 'authorizing');
    await f.idm.completeAuthorization(APP, { code, state });
    await assert.rejects(f.idm.completeAuthorization(APP, { code, state }), { code: 'IDM_STATE_INVALID' });
  });

  it('refuses a state issued for another application', async () => {
    await f.idp.apps.create({ template: 'ringcentral', id: 'other', mydomain: 'sp.test' });
    const { authorizeUrl } = await f.idm.configure('other', {});
    const { code, state } = f.sp.issueCode(authorizeUrl);
    await assert.rejects(f.idm.completeAuthorization(APP, { code, state }), { code: 'IDM_STATE_INVALID' });
  });

  it('marks the integration failed with the SP\'s reason when it answers access_denied', async () => {
    const { authorizeUrl } = await f.idm.configure(APP, {});
    const { state } = f.sp.issueCode(authorizeUrl);
    await assert.rejects(
      f.idm.completeAuthorization(APP, { state, error: 'access_denied', error_description: 'User Admin or higher required' }),
      (err: { code: string; message: string }) => err.code === 'IDM_AUTHORIZATION_DENIED' && /User Admin or higher required/.test(err.message),
    );
    const view = await f.idm.view(APP);
    assert.equal(view.status, 'failed');
    assert.equal(view.error?.code, 'IDM_AUTHORIZATION_DENIED');
    assert.equal(view.authorized, false);
  });

  it('marks the integration failed, saying so, when the token answer times out half-way', async () => {
    const { authorizeUrl } = await f.idm.configure(APP, {});
    const { code, state } = f.sp.issueCode(authorizeUrl);
    f.sp.answerNext((r) => r.path === '/restapi/oauth/token', 200, { bodyTimesOut: true });
    await assert.rejects(f.idm.completeAuthorization(APP, { code, state }), (err: { code: string; message: string }) => {
      assert.equal(err.code, 'IDM_TOKEN_EXCHANGE');
      assert.match(err.message, /did not send a whole answer: the body did not arrive within \d+ ms/);
      return true;
    });
    assert.equal((await f.idm.view(APP)).error?.code, 'IDM_TOKEN_EXCHANGE');
  });

  it('marks the integration failed when the code does not match the PKCE challenge', async () => {
    const { authorizeUrl } = await f.idm.configure(APP, {});
    const { state } = f.sp.issueCode(authorizeUrl);
    const other = f.sp.issueCode(`http://x/?code_challenge=${createHash('sha256').update('another verifier').digest('base64url')}&state=x`);
    await assert.rejects(f.idm.completeAuthorization(APP, { code: other.code, state }), { code: 'IDM_TOKEN_EXCHANGE' });
    assert.equal((await f.idm.view(APP)).status, 'failed');
  });

  it('marks the integration failed when the verification call fails', async () => {
    f.sp.answerNext((r) => r.path === '/scim/v2/ServiceProviderConfig', 403, { body: { detail: 'insufficient permissions' } });
    await assert.rejects(f.authorize(), { code: 'IDM_VERIFICATION_FAILED' });
    assert.equal((await f.idm.view(APP)).status, 'failed');
  });

  it('refreshes an expired access token (harness clock) before the next SCIM call', async () => {
    await f.authorize();
    const before = f.sp.requests.filter((r) => r.path === '/restapi/oauth/token').length;
    f.clock.advance(2 * 3600_000);
    await f.user('new@acme.test').then((id) => f.idp.directory.setMembership(f.groupId, id, true));
    await f.idm.idle();
    const grants = f.sp.requests.filter((r) => r.path === '/restapi/oauth/token').slice(before).map((r) => (r.body as Record<string, string>).grant_type);
    assert.deepEqual(grants, ['refresh_token']);
    assert.equal((await f.idm.jobs(APP)).at(-1)?.status, 'succeeded');
  });

  it('refreshes and retries once when the SP refuses a token it considers expired', async () => {
    await f.authorize();
    f.sp.revokeAccessTokens();
    await f.user('new@acme.test').then((id) => f.idp.directory.setMembership(f.groupId, id, true));
    await f.idm.idle();
    const [job] = await f.idm.jobs(APP, { userId: 'new@acme.test' });
    assert.equal(job?.status, 'succeeded');
    assert.equal(job?.exchanges[0]?.response?.status, 401);
  });

  it('stops pushing after "Deactivate IdM connection" and forgets the tokens', async () => {
    await f.authorize();
    const state = await f.idm.deactivate(APP);
    assert.equal(state.status, 'deactivated');
    assert.equal(state.authorized, false);
    const calls = f.sp.scimCalls().length;
    await f.user('later@acme.test').then((id) => f.idp.directory.setMembership(f.groupId, id, true));
    await f.idm.idle();
    assert.equal(f.sp.scimCalls().length, calls);
  });
});
