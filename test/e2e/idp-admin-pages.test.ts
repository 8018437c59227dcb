// The IdP console, used for the seed's "JumpCloud 1" and "JumpCloud 2" steps: add RingCentral from
// the catalogue, users and a group, bind the group, upload the SP metadata; Identity Management
// starts the SP's authorization; users can be suspended and given a password expiry. Every page has
// one h1 and labelled fields, escapes what it shows, and its one script carries the CSP nonce.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

describe('IdP admin console', () => {
  let server: RunningHarness;
  let session: ConsoleSession;

  const get = async (path: string) => {
    const res = await session.get(path);
    assertAccessible(res.text, path);
    return res;
  };
  const post = (path: string, form: Record<string, string | string[]>) => session.post(path, form);

  before(async () => {
    server = await startTestServer();
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());

  it('adds RingCentral from the catalogue, users and a group, binds it, and takes the SP metadata', async () => {
    await get('/idp/admin');
    const created = await post('/idp/admin/apps', { template: 'ringcentral', displayLabel: 'RingCentral', mydomain: new URL(server.url).host }).expect(303);
    const appPath = String(created.headers.location);
    assert.match(appPath, /^\/idp\/admin\/apps\/ringcentral/);

    await get('/idp/admin/users');
    let res = await post('/idp/admin/users', { email: 'ann@acme.test', firstName: '<script>alert(1)</script>', lastName: 'Test', number: '+16505550100', password: 'ann-password-1' }).expect(200);
    assert.match(res.text, /Saved ann@acme.test/);
    assert.match(res.text, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.doesNotMatch(res.text, /<script>alert/);

    await get('/idp/admin/groups');
    res = await post('/idp/admin/groups', { name: 'RingCentral Users' }).expect(200);
    const groupId = /id="member-([^"]+)"/.exec(res.text)?.[1] ?? '';
    const annId = /<option value="([^"]+)">ann@acme.test<\/option>/.exec(res.text)?.[1] ?? '';
    res = await post(`/idp/admin/groups/${groupId}/members`, { user: annId }).expect(200);
    assert.match(res.text, /<td><a href="\/idp\/admin\/groups\/[^"]+">RingCentral Users<\/a><\/td><td>ann@acme.test<\/td>/);

    res = await get(appPath);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && res.text.includes(`<script nonce="${nonce}">`), 'the copy script runs under the page nonce');
    assert.match(res.text, /<label for="metadata-url">IdP Metadata URL<\/label>\s*<input id="metadata-url" readonly value="http:\/\/127\.0\.0\.1:\d+\/idp\/apps\/ringcentral\/metadata">/);
    res = await post(`${appPath}/groups`, { group: groupId }).expect(200);
    assert.deepEqual((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.groups, [groupId]);

    const spMetadata = await (await fetch(`${server.url}/sp/metadata`)).text();
    res = await post(`${appPath}/sp-metadata`, { xml: spMetadata }).expect(200);
    assert.match(res.text, /Uploaded the SP metadata of/);
    assert.doesNotMatch(res.text, /Not ready for logins/);
    res = await post(`${appPath}/sp-metadata`, { xml: '<nope/>' });
    assert.ok(res.status >= 400 && res.status < 500);
    assert.match(res.text, /class="error" role="alert">[^<]*\(METADATA_INVALID\)/);
  });

  it('starts Identity Management authorization at the SP', async () => {
    await get('/idp/admin/apps/ringcentral');
    const res = await post('/idp/admin/apps/ringcentral/idm/configure', {}).expect(303);
    assert.match(String(res.headers.location), /\/restapi\/oauth\/authorize\?/);
    assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral/idm').expect(200)).body.status, 'authorizing');
  });

  it('suspends a user and sets a password expiry', async () => {
    let res = await get('/idp/admin/users');
    const annId = /action="\/idp\/admin\/users\/([^/]+)\/suspend"/.exec(res.text)?.[1] ?? '';
    res = await post(`/idp/admin/users/${annId}/suspend`, { suspended: 'on' }).expect(200);
    assert.match(res.text, /ann@acme.test is suspended/);
    assert.equal((await admin(server, 'get', `/idp/api/users/${annId}`).expect(200)).body.suspended, true);
    res = await post(`/idp/admin/users/${annId}/password-expiry`, { passwordExpiresAt: '2030-01-02T03:04' }).expect(200);
    assert.match(res.text, /password expires at 2030-01-02T03:04:00.000Z/);
    res = await post(`/idp/admin/users/${annId}/suspend`, { suspended: 'off' }).expect(200);
    assert.match(res.text, /active again/);
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await session.postWithoutCsrf('/idp/admin/groups', { name: 'x' }).expect(403);
    assert.equal(res.body.error, 'CSRF_TOKEN');
  });
});
