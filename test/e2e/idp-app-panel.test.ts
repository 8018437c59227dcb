// The IdP application panel in the console: the SSO tab's settings (NameID, what is signed and
// how, encryption, the default scenario, IdP-initiated login, RingCentral's URL-encoded
// administrator email), a Custom SAML App's SP values typed by hand, "Upload Metadata" as a file,
// and the document's removal procedures (Deactivate IdM connection, Deactivate SSO then save,
// delete with the count typed). The portal's tiles start the flow each application supports.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { admin, autoPostFields, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const APP = '/idp/admin/apps/ringcentral';
const decode = (samlResponse: string): string => Buffer.from(samlResponse, 'base64').toString('utf8');
const pathOf = (url: string): string => new URL(url).pathname;

describe('IdP application panel', () => {
  let server: RunningHarness;
  let session: ConsoleSession;
  let accountId: string;
  let csrf = '';

  const page = async (path: string): Promise<string> => {
    const text = await session.page(path);
    assertAccessible(text, path);
    csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
    return text;
  };
  const post = (path: string, form: Record<string, string | string[]>) => session.post(path, form);
  const upload = (path: string, file: Buffer | undefined, opts: { csrf?: boolean } = {}) => {
    const req = request(server.server).post(path).set('cookie', session.cookie);
    if (opts.csrf !== false) req.field('_csrf', csrf);
    return file ? req.attach('metadata', file, 'sp-metadata.xml') : req.field('note', 'no file');
  };
  /** The SAML settings form as the page shows it, with some fields changed. */
  const ssoForm = (changes: Record<string, string>) => ({
    nameIdProperty: 'email',
    nameIdFormat: 'emailAddress',
    signed: 'assertion',
    signatureAlgorithm: 'rsa-sha256',
    dataAlgorithm: 'aes256-gcm',
    keyTransport: 'rsa-oaep',
    responseScenario: 'valid',
    defaultRelayState: '',
    ...changes,
  });
  const portalAgent = async () => {
    const agent = request.agent(server.server);
    await agent.post('/idp/login').type('form').send({ login: 'ann@acme.test', password: 'Ann-password-1' }).expect(303);
    return agent;
  };

  before(async () => {
    server = await startTestServer();
    const host = new URL(server.url).host;
    const ann = await admin(server, 'post', '/idp/api/users').send({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Test', number: '+16505550100', password: 'Ann-password-1' }).expect(201);
    const group = await admin(server, 'post', '/idp/api/groups').send({ name: 'RingCentral Users', members: [ann.body.id] }).expect(201);
    await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', mydomain: host, groups: [group.body.id] }).expect(201);
    const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme Corp' }).expect(201);
    accountId = account.body.id;
    await admin(server, 'post', `/sp/api/accounts/${accountId}/users`).send({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Test', password: 'sp-password-1' }).expect(201);
    await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: `${server.url}/idp/apps/ringcentral/metadata` }).expect(200);
    await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ emailMapping: { kind: 'custom', name: 'email' } }).expect(200);
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());

  describe('Upload Metadata', () => {
    it('takes the SP metadata as a chosen file', async () => {
      await page(APP);
      assert.match(await page(APP), /<form method="post" action="\/idp\/admin\/apps\/ringcentral\/sp-metadata-file" enctype="multipart\/form-data">/);
      const xml = await (await fetch(`${server.url}/sp/metadata`)).text();
      const res = await upload(`${APP}/sp-metadata-file`, Buffer.from(xml)).expect(200);
      assert.match(res.text, /Uploaded the SP metadata of http:\/\/[^ ]+\/sp from sp-metadata\.xml/);
      const app = (await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body;
      assert.equal(app.sp.authnRequestsSigned, true);
      assert.ok(app.sp.metadataUploadedAt);
      await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ enabled: true, loginMode: 'sso-or-password' }).expect(200);
    });

    it('refuses a file that is not metadata, no file, and an upload past the size limit, on the page', async () => {
      await page(APP);
      let res = await upload(`${APP}/sp-metadata-file`, Buffer.from('<html>not metadata</html>'));
      assert.equal(res.status, 422);
      assert.match(res.text, /class="error" role="alert">[^<]*\(METADATA_INVALID\)/);
      assertAccessible(res.text, 'refused upload');
      res = await upload(`${APP}/sp-metadata-file`, undefined).expect(400);
      assert.match(res.text, /no SP metadata file was chosen[^<]*\(INPUT_INVALID\)/);
      res = await upload(`${APP}/sp-metadata-file`, Buffer.alloc(1024 * 1024 + 1, 'a')).set('accept', 'application/json');
      assert.equal(res.status, 413);
      assert.equal(res.body.error, 'BODY_TOO_LARGE');
    });

    it('refuses a file upload without the CSRF token', async () => {
      const res = await upload(`${APP}/sp-metadata-file`, Buffer.from('<x/>'), { csrf: false }).set('accept', 'application/json').expect(403);
      assert.equal(res.body.error, 'CSRF_TOKEN');
    });
  });

  describe('SSO tab settings', () => {
    it('saves NameID, what is signed, the algorithm, encryption and the default scenario, and shows them', async () => {
      await page(APP);
      const res = await post(
        `${APP}/sso`,
        ssoForm({ nameIdProperty: 'username', nameIdFormat: 'persistent', signed: 'both', signatureAlgorithm: 'rsa-sha512', encryptAssertion: 'on', dataAlgorithm: 'aes128-gcm', responseScenario: 'wrong-audience' }),
      ).expect(200);
      assert.match(res.text, /Saved the SSO settings of RingCentral/);
      const app = (await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body;
      assert.deepEqual(app.nameId, { property: 'username', format: 'persistent' });
      assert.deepEqual(app.signing, { assertion: true, response: true, algorithm: 'rsa-sha512' });
      assert.equal(app.encryption.enabled, true);
      assert.equal(app.encryption.dataAlgorithm, 'aes128-gcm');
      assert.equal(app.responseScenario, 'wrong-audience');
      const shown = await page(APP);
      assert.match(shown, /<option value="persistent" selected>/);
      assert.match(shown, /id="signed-both" name="signed" value="both" checked/);
      assert.match(shown, /<option value="rsa-sha512" selected>/);
      assert.match(shown, /id="encrypt-assertion" name="encryptAssertion" value="on" checked/);
      assert.match(shown, /<option value="wrong-audience" selected>/);
      await post(`${APP}/sso`, ssoForm({})).expect(200);
      const back = (await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body;
      assert.deepEqual(back.signing, { assertion: true, response: false, algorithm: 'rsa-sha256' });
      assert.equal(back.encryption.enabled, false);
      assert.equal(back.responseScenario, 'valid');
    });

    it('refuses an unknown scenario or no signature choice on the page, changing nothing', async () => {
      await page(APP);
      let res = await post(`${APP}/sso`, ssoForm({ responseScenario: 'no-such-scenario', nameIdProperty: 'username' }));
      assert.ok(res.status >= 400 && res.status < 500);
      assert.match(res.text, /class="error" role="alert">[^<]*no-such-scenario/);
      res = await post(`${APP}/sso`, ssoForm({ signed: '' })).expect(400);
      assert.match(res.text, /choose what is signed: the assertion, the response, or both \(INPUT_INVALID\)/);
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.nameId.property, 'email');
    });

    it('takes the administrator email URL-encoded, stores it decoded and shows what was decoded', async () => {
      await page(APP);
      const res = await post(`${APP}/sso`, ssoForm({ adminEmail: 'admin%40acme.test' })).expect(200);
      assert.match(res.text, /Administrator email decoded: admin@acme\.test/);
      assert.match(res.text, /Decoded: <strong>admin@acme\.test<\/strong>/);
      assert.match(res.text, /id="admin-email" name="adminEmail" value="admin%40acme\.test"/);
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.adminEmail, 'admin@acme.test');
    });

    it('refuses an administrator email that does not decode to an email, saying what it decoded to', async () => {
      await page(APP);
      let res = await post(`${APP}/sso`, ssoForm({ adminEmail: 'admin%40' })).expect(400);
      assert.match(res.text, /admin%40 decodes to admin@, which is not an email address: type the administrator&#39;s email URL-encoded, e\.g\. admin%40acme\.test/);
      res = await post(`${APP}/sso`, ssoForm({ adminEmail: 'admin%4' })).expect(400);
      assert.match(res.text, /admin%4 is not valid URL encoding/);
      const api = await admin(server, 'patch', '/idp/api/apps/ringcentral').send({ adminEmail: 'bob%40' }).expect(400);
      assert.equal(api.body.error, 'INPUT_INVALID');
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.adminEmail, 'admin@acme.test');
    });

    it("edits a Custom SAML App's SP entity ID and ACS URLs by hand", async () => {
      await page('/idp/admin');
      const created = await post('/idp/admin/apps', { template: 'custom-saml', displayLabel: 'Wiki' }).expect(303);
      const path = String(created.headers.location);
      let text = await page(path);
      assert.match(text, /Not ready for logins: SP Entity ID, ACS URL/);
      let res = await post(`${path}/sp-values`, { spEntityId: 'https://wiki.acme.test/saml', acsUrls: 'https://wiki.acme.test/acs\r\nhttps://wiki.acme.test/acs2' }).expect(200);
      assert.match(res.text, /Saved the SP values of Wiki/);
      assert.doesNotMatch(res.text, /Not ready for logins/);
      const app = (await admin(server, 'get', `/idp/api/apps/${path.split('/').pop()}`).expect(200)).body;
      assert.equal(app.sp.entityId, 'https://wiki.acme.test/saml');
      assert.deepEqual(
        app.sp.acs.map((a: { url: string; isDefault: boolean }) => [a.url, a.isDefault]),
        [
          ['https://wiki.acme.test/acs', true],
          ['https://wiki.acme.test/acs2', false],
        ],
      );
      res = await post(`${path}/sp-values`, { spEntityId: 'x', acsUrls: 'not a url' }).expect(400);
      assert.match(res.text, /class="error" role="alert">invalid application settings: acsUrls\.0\.url/);
      text = await page(APP);
      assert.doesNotMatch(text, /id="sp-entity-id"/, 'a catalogue application takes its SP values from the template and the metadata');
    });
  });

  describe('IdP portal', () => {
    it('sends RingCentral SP-initiated: its tile opens the SP login URL', async () => {
      const agent = await portalAgent();
      const portal = await agent.get('/idp/portal').expect(200);
      assertAccessible(portal.text, '/idp/portal');
      assert.match(portal.text, /<a href="http:\/\/[^"]+\/sp\/login">RingCentral<\/a>/);
      assert.doesNotMatch(portal.text, /\/launch"/);
      const res = await agent.post('/idp/portal/apps/ringcentral/launch').set('accept', 'application/json').expect(403);
      assert.equal(res.body.error, 'IDP_INITIATED_OFF');
    });

    it('starts IdP-initiated with the default RelayState; the SP refuses it unless it accepts IdP-initiated logins', async () => {
      await page(APP);
      await post(`${APP}/sso`, ssoForm({ idpInitiated: 'on', defaultRelayState: '/sp/home' })).expect(200);
      const agent = await portalAgent();
      const portal = await agent.get('/idp/portal').expect(200);
      assert.match(portal.text, /<form class="inline" method="post" action="\/idp\/portal\/apps\/ringcentral\/launch"><button type="submit">RingCentral<\/button><\/form>/);

      const launch = async () => {
        const form = autoPostFields((await agent.post('/idp/portal/apps/ringcentral/launch').expect(200)).text);
        return { form, acs: await agent.post(pathOf(form.action)).type('form').send({ SAMLResponse: form.SAMLResponse, RelayState: form.RelayState }) };
      };
      let { form, acs } = await launch();
      assert.equal(form.RelayState, '/sp/home');
      assert.doesNotMatch(decode(form.SAMLResponse), /InResponseTo=/);
      assert.equal(acs.status, 401);
      assert.match(acs.text, /SAML_UNSOLICITED/);
      assert.doesNotMatch((await agent.get('/sp/home')).text, /id="email">ann@acme\.test</, 'no SP session from a refused response');

      await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ allowUnsolicited: true }).expect(200);
      ({ acs } = await launch());
      assert.equal(acs.status, 303);
      assert.equal(acs.headers.location, '/sp/home');
      const home = await agent.get('/sp/home').expect(200);
      assert.match(home.text, /id="email">ann@acme\.test</);
    });
  });

  describe('Removing the integration', () => {
    it('Deactivate SSO waits for save, then the application refuses logins', async () => {
      let text = await page(APP);
      assert.match(text, /<a id="deactivate-sso" href="\/idp\/admin\/apps\/ringcentral\/sso\/deactivate">Deactivate SSO<\/a>/);
      text = await page(`${APP}/sso/deactivate`);
      assert.match(text, /SSO will be deactivated[^<]*Click save to confirm/);
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.ssoActive, true, 'nothing changes before save');
      const res = await post(`${APP}/sso/deactivate`, {}).expect(200);
      assert.match(res.text, /role="status">SSO deactivated for RingCentral/);
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.ssoActive, false);
      const agent = await portalAgent();
      assert.doesNotMatch((await agent.get('/idp/portal').expect(200)).text, /RingCentral/);
      await page(`${APP}/sso/activate`);
      await post(`${APP}/sso/activate`, {}).expect(200);
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200)).body.ssoActive, true);
    });

    it('Deactivate IdM connection under the application name asks to confirm, then reports success', async () => {
      assert.doesNotMatch(await page(APP), /id="deactivate-idm"/, 'no link without a connection');
      await admin(server, 'post', '/idp/api/apps/ringcentral/idm/configure').send({}).expect(200);
      assert.match(await page(APP), /<aside class="app-panel"[^>]*><p><strong>RingCentral<\/strong>[^]*<a id="deactivate-idm" href="\/idp\/admin\/apps\/ringcentral\/idm\/deactivate">Deactivate IdM connection<\/a>/);
      const confirm = await page(`${APP}/idm/deactivate`);
      assert.match(confirm, /<button type="submit">confirm<\/button>/);
      assert.notEqual((await admin(server, 'get', '/idp/api/apps/ringcentral/idm').expect(200)).body.status, 'deactivated');
      const res = await post(`${APP}/idm/deactivate`, {}).expect(200);
      assert.match(res.text, /role="status">Identity Management deactivated/);
      assert.equal((await admin(server, 'get', '/idp/api/apps/ringcentral/idm').expect(200)).body.status, 'deactivated');
      assert.doesNotMatch(res.text, /id="deactivate-idm"/);
    });

    it('deletes the ticked application once its number is typed; SP users stay active with their password', async () => {
      const list = await page('/idp/admin');
      assert.match(list, /<input type="checkbox" id="select-ringcentral" name="app" value="ringcentral"><label for="select-ringcentral">/);
      let res = await post('/idp/admin/apps/delete', {}).expect(400);
      assert.match(res.text, /no application is selected/);
      res = await post('/idp/admin/apps/delete', { app: ['ringcentral'] }).expect(200);
      assertAccessible(res.text, 'delete confirmation');
      assert.match(res.text, /<label for="delete-count">Enter the number of the applications you are deleting<\/label>/);
      res = await post('/idp/admin/apps/delete/confirm', { app: ['ringcentral'], count: '2' }).expect(400);
      assert.match(res.text, /you entered &#34;2&#34;, but 1 application is being deleted: enter 1 to delete it \(INPUT_INVALID\)/);
      assertAccessible(res.text, 'refused deletion');
      await admin(server, 'get', '/idp/api/apps/ringcentral').expect(200);

      res = await post('/idp/admin/apps/delete/confirm', { app: ['ringcentral'], count: '1' }).expect(200);
      assert.match(res.text, /role="status">Deleted 1 application: RingCentral\./);
      await admin(server, 'get', '/idp/api/apps/ringcentral').expect(404);
      const users = (await admin(server, 'get', `/sp/api/accounts/${accountId}/users`).expect(200)).body;
      const ann = users.find((u: { email: string }) => u.email === 'ann@acme.test');
      assert.equal(ann?.status, 'active');
      const login = await request(server.server).post('/sp/login/password').type('form').send({ email: 'ann@acme.test', password: 'sp-password-1' });
      assert.equal(login.status, 303);
    });
  });
});
