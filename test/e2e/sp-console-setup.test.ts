// The SP console does every SP step of the seeds by clicking: an account created with its plan,
// the administrator added on the Users page, IdP metadata uploaded from a file, the assertion
// checks set, a mapping the metadata does not offer saved with a warning, and SSO and Identity
// Management refused on a plan below Premium.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const csrfOf = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

describe('SP console: every SP step by clicking', () => {
  let server: RunningHarness;
  let session: ConsoleSession;
  let accountId: string;
  let metadataXml: string;

  before(async () => {
    server = await startTestServer();
    session = await signInToConsole(server, '/sp/admin');
    const app = await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', mydomain: new URL(server.url).host }).expect(201);
    metadataXml = (await request(server.server).get(new URL(app.body.metadataUrl).pathname).expect(200)).text;
  });
  after(() => server.close());

  const upload = (path: string, page: string, file: Buffer, name = 'idp-metadata.xml'): request.Test =>
    request(server.server).post(path).set('cookie', session.cookie).field('_csrf', csrfOf(page)).attach('file', file, name);

  it('creates an account with its plan from the accounts page', async () => {
    const page = await session.page('/sp/admin');
    assertAccessible(page, '/sp/admin');
    assert.match(page, /<label for="account-plan">Plan<\/label>/);
    const text = (await session.post('/sp/admin/accounts', { name: 'Acme <Standard>', plan: 'standard' }).expect(200)).text;
    assert.match(text, /Created account Acme &#60;Standard&#62; on the Standard plan/);
    assertAccessible(text, 'after creating an account');
    const accounts = (await admin(server, 'get', '/sp/api/accounts').expect(200)).body as { id: string; name: string; plan: string }[];
    const created = accounts.find((a) => a.name === 'Acme <Standard>');
    assert.equal(created?.plan, 'standard');
    accountId = created.id;
  });

  it('re-renders the accounts page with the reason when the name is missing', async () => {
    await session.page('/sp/admin');
    const res = await session.post('/sp/admin/accounts', { name: '', plan: 'premium' }).expect(400);
    assert.match(res.text, /class="error" role="alert">[^<]*INPUT_INVALID/);
    assert.match(res.text, /Create account/);
  });

  it('adds the RingCentral administrator on the Users page, and refuses a taken extension', async () => {
    const base = `/sp/admin/accounts/${accountId}/users`;
    const page = await session.page(base);
    assertAccessible(page, base);
    const text = (
      await session
        .post(base, { email: 'admin@acme.test', firstName: 'Ada', lastName: 'Admin', extension: '201', role: 'super-admin', password: 'admin-password-1' })
        .expect(200)
    ).text;
    assert.match(text, /Added admin@acme.test \(super-admin, extension 201\)/);
    assert.match(text, /<td>admin@acme.test<\/td><td>Ada Admin<\/td><td class="ok">active<\/td><td>super-admin<\/td><td>201<\/td>/);
    const users = (await admin(server, 'get', `/sp/api/accounts/${accountId}/users`).expect(200)).body as { email: string; hasPassword: boolean; extension?: { number: string } }[];
    assert.deepEqual(users.map((u) => [u.email, u.hasPassword, u.extension?.number]), [['admin@acme.test', true, '201']]);

    const refused = await session.post(base, { email: 'bob@acme.test', firstName: 'Bob', lastName: 'B', extension: '201', role: 'user' }).expect(409);
    assert.match(refused.text, /class="error" role="alert">extension 201 is already held by admin@acme.test \(CONFLICT\)/);
    assert.equal((await admin(server, 'get', `/sp/api/accounts/${accountId}/users`).expect(200)).body.length, 1);
  });

  it('uploads IdP metadata with a file chooser, and refuses a file past the limit on the page', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    let page = await session.page(base);
    assertAccessible(page, base);
    assert.match(page, /enctype="multipart\/form-data"/);
    assert.match(page, /<label for="metadata-file">/);
    assert.ok(page.includes(`placeholder="${server.url}/idp/apps/&#60;app id&#62;/metadata"`), 'the placeholder shows the harness IdP URL');

    const text = (await upload(`${base}/idp-metadata-file`, page, Buffer.from(metadataXml)).expect(200)).text;
    assert.match(text, /Imported the metadata of [^<]* from idp-metadata.xml/);
    assert.match(text, /Attributes offered<\/th><td>email, number/);
    const idp = (await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.sso.idp;
    assert.equal(idp.source.kind, 'file');

    page = await session.page(base);
    const tooLarge = await upload(`${base}/idp-metadata-file`, page, Buffer.alloc(1024 * 1024 + 10, 'a'), 'huge.xml').expect(413);
    assert.match(tooLarge.text, /class="error" role="alert">huge.xml is larger than the 1024 KiB the SP accepts \(BODY_TOO_LARGE\)/);
    const missing = await request(server.server).post(`${base}/idp-metadata-file`).set('cookie', session.cookie).field('_csrf', csrfOf(page)).expect(400);
    assert.match(missing.text, /choose the IdP metadata file to upload \(INPUT_INVALID\)/);
  });

  it('refuses a multipart form without the CSRF token', async () => {
    const res = await request(server.server)
      .post(`/sp/admin/accounts/${accountId}/sso/idp-metadata-file`)
      .set('cookie', session.cookie)
      .set('accept', 'application/json')
      .attach('file', Buffer.from(metadataXml), 'idp.xml')
      .expect(403);
    assert.equal(res.body.error, 'CSRF_TOKEN');
  });

  it('saves a mapping the metadata does not offer, shows the warning, and shows what is saved', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    let page = await session.page(base);
    assert.match(page, /<option value="" selected>Not mapped<\/option>/, 'no mapping saved: none shown as chosen');
    page = (await session.post(`${base}/mapping`, { mapping: 'custom', custom: 'mail' }).expect(200)).text;
    assert.match(page, /Saved: the email comes from attribute mail. Warning: the imported IdP metadata does not offer mail./);
    assert.match(page, /Warning: the imported IdP metadata does not offer the attribute <code>mail<\/code>/);
    assert.match(page, /<option value="custom" selected>Custom<\/option>/);
    assert.deepEqual((await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.sso.emailMapping, { kind: 'custom', name: 'mail' });
  });

  it('sets every assertion check from the page, and refuses a clock skew that is not a number', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    await session.page(base);
    const text = (await session.post(`${base}/checks`, { clockSkewSec: '30', allowSha1: 'on', allowExpiredCertificate: 'on', allowCbc: 'on' }).expect(200)).text;
    assert.match(text, /Saved the assertion checks/);
    assert.match(text, /id="check-allowSha1" name="allowSha1" value="on" checked/);
    const sso = (await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.sso;
    assert.deepEqual(
      [sso.clockSkewSec, sso.allowSha1, sso.allowExpiredCertificate, sso.allowCbc, sso.allowRsa15, sso.requireNumberAttribute, sso.decryptAssertions],
      [30, true, true, true, false, false, false],
    );
    const refused = await session.post(`${base}/checks`, { clockSkewSec: 'soon', allowSha1: 'on' }).expect(400);
    assert.match(refused.text, /the accepted clock skew must be a whole number of seconds from 0 to 3600 \(INPUT_INVALID\)/);
    const decrypt = await session.post(`${base}/checks`, { clockSkewSec: '30', decryptAssertions: 'on' }).expect(400);
    assert.match(decrypt.text, /the SP has no encryption key/);
    assert.equal((await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.sso.clockSkewSec, 30);
  });

  it('refuses SSO and Identity Management on the Standard plan, naming the plan, until the plan is switched', async () => {
    const base = `/sp/admin/accounts/${accountId}/sso`;
    await session.page(base);
    const refused = await session.post(`${base}/settings`, { enabled: 'on', loginMode: 'sso-or-password' }).expect(403);
    assert.match(refused.text, /Single Sign-on needs a Premium or Enterprise plan; account Acme &#60;Standard&#62; is on the Standard plan \(SP_PLAN_NOT_ALLOWED\)/);
    const token = await admin(server, 'post', `/sp/api/accounts/${accountId}/scim-tokens`).send({ name: 'okta' }).expect(403);
    assert.equal(token.body.error, 'SP_PLAN_NOT_ALLOWED');

    const switched = (await session.post(`/sp/admin/accounts/${accountId}/plan`, { plan: 'premium' }).expect(200)).text;
    assert.match(switched, /Saved: the account is on the Premium plan/);
    assert.match(switched, /<option value="premium" selected>Premium<\/option>/);
    assertAccessible(switched, 'after switching the plan');
    await session.post(`${base}/settings`, { enabled: 'on', loginMode: 'sso-or-password' }).expect(200);
    await admin(server, 'post', `/sp/api/accounts/${accountId}/scim-tokens`).send({ name: 'okta' }).expect(201);

    // Back down while SSO is on: refused, so logins do not stop without a word.
    const down = await admin(server, 'patch', `/sp/api/accounts/${accountId}`).send({ plan: 'essentials' }).expect(403);
    assert.equal(down.body.error, 'SP_PLAN_NOT_ALLOWED');
    assert.equal((await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200)).body.plan, 'premium');
  });

  it('answers SCIM requests of an account moved to a plan without Identity Management with 403', async () => {
    const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Downgraded' }).expect(201);
    assert.equal(account.body.plan, 'premium', 'accounts default to a plan with SSO and Identity Management');
    const minted = await admin(server, 'post', `/sp/api/accounts/${account.body.id}/scim-tokens`).send({ name: 'jc' }).expect(201);
    await admin(server, 'patch', `/sp/api/accounts/${account.body.id}`).send({ plan: 'standard' }).expect(200);
    const res = await request(server.server).get('/scim/v2/Users').set('authorization', `Bearer ${minted.body.token}`).expect(403);
    assert.match(String(res.body.detail), /Identity Management \(SCIM provisioning\) needs a Premium or Enterprise plan; account Downgraded is on the Standard plan/);
  });
});
