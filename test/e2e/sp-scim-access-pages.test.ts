// The SP console's "SCIM provisioning access" page: the connection URLs, OAuth clients registered
// and deleted, SCIM tokens minted and revoked, each secret shown once; names escaped; forms need
// the admin session's CSRF token.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const unescapeHtml = (s: string): string => s.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)));

describe('SP admin: the SCIM provisioning access page', () => {
  let server: RunningHarness;
  let base: string;

  let session: ConsoleSession;

  before(async () => {
    server = await startTestServer();
    session = await signInToConsole(server, '/sp/admin');
    await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme <Corp>', id: 'acme' }).expect(201);
    base = '/sp/admin/accounts/acme/scim-access';
  });
  after(() => server.close());

  it('is linked from the accounts list and shows the connection URLs', async () => {
    assert.match(await session.page('/sp/admin'), /href="\/sp\/admin\/accounts\/acme\/scim-access"/);
    const text = await session.page(base);
    assert.match(text, new RegExp(`<code>${server.url}/scim/v2</code>`));
    assert.match(text, new RegExp(`<code>${server.url}/restapi/oauth/authorize</code>`));
    assert.match(text, new RegExp(`<code>${server.url}/restapi/oauth/token</code>`));
    assert.match(text, /Acme &#60;Corp&#62;/);
    assert.doesNotMatch(text, /Acme <Corp>/);
    assertAccessible(text, base);
  });

  it('registers an OAuth client, shows its secret once, escapes its name, and deletes it', async () => {
    await session.page(base);
    const res = await session.post(`${base}/oauth-clients`, { name: 'Okta <script>alert(1)</script>', redirectUris: 'https://okta.test/cb\r\nhttps://okta.test/cb2\r\n' }).expect(200);
    assert.doesNotMatch(res.text, /<script>alert/);
    assert.match(res.text, /Okta &#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    const clientId = /id="new-client-id">([^<]+)</.exec(res.text)?.[1];
    const secret = /id="new-client-secret">([^<]+)</.exec(res.text)?.[1];
    assert.ok(clientId && secret);
    assertAccessible(res.text, 'after registering');
    const [stored] = await server.app.harness.sp.oauth.accountClients.list('acme');
    assert.deepEqual(stored?.redirectUris, ['https://okta.test/cb', 'https://okta.test/cb2']);
    // The secret authenticates at the token endpoint (then the bogus refresh token is refused).
    const token = await request(server.server).post('/restapi/oauth/token').auth(unescapeHtml(clientId), unescapeHtml(secret)).type('form').send({ grant_type: 'refresh_token', refresh_token: 'x' });
    assert.equal(token.body.error, 'invalid_grant');

    const again = await session.page(base);
    assert.match(again, new RegExp(`<code>${clientId}</code>`));
    assert.doesNotMatch(again, new RegExp(secret), 'the secret is shown once');

    const deleted = await session.post(`${base}/oauth-clients/delete`, { clientId: unescapeHtml(clientId) }).expect(200);
    assert.match(deleted.text, /Deleted the OAuth client/);
    assert.deepEqual(await server.app.harness.sp.oauth.accountClients.list('acme'), []);
  });

  it('shows a refused registration on the page with its code', async () => {
    await session.page(base);
    const res = await session.post(`${base}/oauth-clients`, { name: 'Bad', redirectUris: 'http://okta.test/cb' }).expect(400);
    assert.match(res.text, /class="error" role="alert">[^<]*must be https, or http on localhost[^<]*INPUT_INVALID/);
  });

  it('mints a SCIM token that works once shown, lists it with its last use, and revokes it', async () => {
    await session.page(base);
    const res = await session.post(`${base}/tokens`, { name: 'Entra <ID>' }).expect(200);
    const token = /id="new-scim-token">([^<]+)</.exec(res.text)?.[1];
    assert.ok(token);
    assert.match(res.text, /Entra &#60;ID&#62;/);
    await request(server.server).get('/scim/v2/Users').set('authorization', `Bearer ${unescapeHtml(token)}`).expect(200);
    const listed = await session.page(base);
    assert.doesNotMatch(listed, new RegExp(token), 'the token is shown once');
    assert.doesNotMatch(listed, /<td>never<\/td>/, 'the use is recorded');
    const tokenId = /name="tokenId" value="([^"]+)"/.exec(listed)?.[1];
    assert.ok(tokenId);
    const revoked = await session.post(`${base}/tokens/revoke`, { tokenId }).expect(200);
    assert.match(revoked.text, /Revoked the SCIM token/);
    await request(server.server).get('/scim/v2/Users').set('authorization', `Bearer ${unescapeHtml(token)}`).expect(401);
  });

  it('refuses a form without the CSRF token, and a visitor without an admin session', async () => {
    const refused = await session.postWithoutCsrf(`${base}/tokens`, { name: 'sneaky' }).expect(403);
    assert.equal(refused.body.error, 'CSRF_TOKEN');
    assert.deepEqual(await server.app.harness.sp.scimTokens.list('acme'), []);
    await request(server.server).get(base).set('accept', 'text/html').expect(303);
    await request(server.server).post(`${base}/tokens`).type('form').send({ name: 'anonymous' }).expect(303);
    assert.deepEqual(await server.app.harness.sp.scimTokens.list('acme'), []);
  });
});
