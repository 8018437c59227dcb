// The SP's "Single Sign-on" admin page, used as the seed's "RingCentral 1" and "RingCentral 2"
// steps: Upload IdP Metadata by URL, Map Email Attribute to Custom "email", Save, Download, Enable
// SSO, Manage Your Login. Then a real SP-initiated login works; forms need the CSRF token and every
// page has one h1 and a label for each field.
import assert from 'node:assert/strict';
import request from 'supertest';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

describe('SP admin: the Single Sign-on page', () => {
  let server: RunningHarness;
  let accountId: string;
  let metadataUrl: string;
  let appId: string;

  let session: ConsoleSession;

  before(async () => {
    server = await startTestServer();
    session = await signInToConsole(server, '/sp/admin');
    // The IdP side as the seed's "JumpCloud 1" leaves it: the user, a group, the RingCentral app.
    const user = await admin(server, 'post', '/idp/api/users').send({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Test', number: '+16505550100', password: 'ann-password-1' }).expect(201);
    const group = await admin(server, 'post', '/idp/api/groups').send({ name: 'RingCentral Users', members: [user.body.id] }).expect(201);
    const app = await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', mydomain: new URL(server.url).host }).expect(201);
    await admin(server, 'put', `/idp/api/apps/${app.body.id}/groups/${group.body.id}`).expect(200);
    metadataUrl = app.body.metadataUrl;
    const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme <Corp>' }).expect(201);
    accountId = account.body.id;
    await admin(server, 'post', `/sp/api/accounts/${accountId}/users`).send({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Test' }).expect(201);
    // JumpCloud 2 (uploading the SP metadata the page offers) happens below, after Download.
    appId = app.body.id;
  });
  after(() => server.close());

  it('lists the accounts, escaping their names', async () => {
    const text = await session.page('/sp/admin');
    assert.match(text, /Acme &#60;Corp&#62;/);
    assert.doesNotMatch(text, /Acme <Corp>/);
    assertAccessible(text, '/sp/admin');
  });

  it('walks "Set up SSO by yourself" and "Enable SSO", then an SP-initiated login works', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    let text = await session.page(base);
    assertAccessible(text, base);
    assert.match(text, /No IdP metadata imported yet/);

    text = (await session.post(`${base}/idp-metadata`, { source: 'url', url: metadataUrl }).expect(200)).text;
    assert.match(text, /Imported the metadata of/);
    assert.match(text, /Attributes offered<\/th><td>email, number/);
    assert.match(text, /Primary: /);
    assertAccessible(text, 'after import');

    text = (await session.post(`${base}/mapping`, { mapping: 'custom', custom: 'email' }).expect(200)).text;
    assert.match(text, /Saved: the email comes from attribute email/);
    assert.deepEqual((await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.sso.emailMapping, { kind: 'custom', name: 'email' });

    // Download → JumpCloud 2: Upload Metadata on the application's SSO tab.
    const download = await request(server.server).get(`/sp/metadata?download&account=${accountId}`).expect(200);
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="?sp-metadata.xml"?$/);
    await admin(server, 'put', `/idp/api/apps/${appId}/sp-metadata`).set('content-type', 'application/xml').send(download.text).expect(200);

    text = (await session.post(`${base}/settings`, { enabled: 'on', loginMode: 'sso-only' }).expect(200)).text;
    assert.match(text, /id="sso-enabled" name="enabled" value="on" checked/);
    assert.match(text, /id="login-sso-only" name="loginMode" value="sso-only" checked/);
    const sso = (await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.sso;
    assert.deepEqual([sso.enabled, sso.loginMode, sso.singleLogout], [true, 'sso-only', false]);

    const login = await headlessLogin({ spBaseUrl: server.url, email: 'ann@acme.test', password: 'ann-password-1' });
    assert.equal(login.ok, true, JSON.stringify(login.error ?? login.hops));
  });

  it('shows a refused change on the page with its code, and changes nothing', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    await session.page(base);
    const res = await session.post(`${base}/idp-metadata`, { source: 'xml', xml: '<not-metadata/>' }).expect(422);
    assert.match(res.text, /class="error" role="alert">[^<]*METADATA_INVALID/);
    assert.match(res.text, /Imported the metadata of|Primary: /, 'the earlier import is still shown');
  });

  it('lists the directory with statuses', async () => {
    const text = await session.page(`/sp/admin/accounts/${accountId}/users`);
    assert.match(text, /<td>ann@acme.test<\/td><td>Ann Test<\/td><td class="ok">active<\/td>/);
    assertAccessible(text, 'users');
  });

  it('refuses a form without the CSRF token, and a visitor without an admin session', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    const refused = await session.postWithoutCsrf(`${base}/settings`, { enabled: 'on' }).expect(403);
    assert.equal(refused.body.error, 'CSRF_TOKEN');
    await request(server.server).get(base).set('accept', 'text/html').expect(303);
  });
});
