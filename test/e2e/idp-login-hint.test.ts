// The email typed at the SP travels in the AuthnRequest's Subject and fills in the IdP sign-in
// page's login field (escaped); a login started without a typed email fills in nothing, and a
// request naming two subjects is refused.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { buildAuthnRequest } from '../../src/saml/authn-request.js';
import { buildRedirectUrl } from '../../src/saml/redirect-binding.js';
import { ALGORITHM, NAMEID_FORMAT } from '../../src/saml/urn.js';
import { ADMIN_TOKEN, admin, autoPostFields, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';
import { fixtureKey } from '../support/keys.js';

describe('IdP sign-in page prefilled with the email typed at the SP', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    // These tests follow Redirect-binding requests: the application declares Redirect (JumpCloud's
    // "Declare Redirect Endpoint"), and the SP imports its metadata again.
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ declareRedirectEndpoint: true }).expect(200);
    await admin(server, 'post', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso/idp-metadata`).send({ url: `${server.url}/idp/apps/${DEMO_APP_ID}/metadata` }).expect(200);
  });
  after(() => server.close());

  /** Follows a redirect to the IdP's SSO service and on to its sign-in page, as a browser does. */
  const toSignInPage = async (idpUrl: string): Promise<{ page: string; browser: string; pending: string }> => {
    const u = new URL(idpUrl);
    const atIdp = await request(server.server).get(u.pathname + u.search).expect(303);
    const location = String(atIdp.headers.location);
    assert.match(location, /^\/idp\/login\?pending=/);
    const browser = ((atIdp.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map((c) => c.split(';')[0] ?? '').join('; ');
    const page = await request(server.server).get(location).set('cookie', browser).expect(200);
    return { page: page.text, browser, pending: new URL(location, server.url).searchParams.get('pending') ?? '' };
  };
  const loginValue = (page: string): string | undefined => /<input id="login" name="login"[^>]* value="([^"]*)"/.exec(page)?.[1];

  it('sends the typed email as the Subject NameID and prefills the login field, and the sign-in completes', async () => {
    const start = await request(server.server).post('/sp/login').type('form').send({ email: 'ann@acme.test' }).expect(302);
    const { page, browser, pending } = await toSignInPage(String(start.headers.location));
    assertAccessible(page, 'prefilled IdP sign-in page');
    assert.equal(loginValue(page), 'ann@acme.test');
    const trace = server.app.harness.trace.list().filter((e) => e.kind === 'AuthnRequest' && e.side === 'sp');
    assert.match(trace.at(-1)?.xml ?? '', /<saml:Subject><saml:NameID Format="[^"]*emailAddress">ann@acme\.test<\/saml:NameID><\/saml:Subject>/);
    const signedIn = await request(server.server).post('/idp/login').set('cookie', browser).type('form').send({ login: 'ann@acme.test', password: 'ann-password-1', pending }).expect(200);
    assert.ok(autoPostFields(signedIn.text).SAMLResponse, 'the IdP answers with a response');
  });

  it('prefills nothing and sends no Subject when no email was typed', async () => {
    const start = await request(server.server).get(`/sp/login?account=${DEMO_ACCOUNT.id}`).expect(302);
    const { page } = await toSignInPage(String(start.headers.location));
    assert.equal(loginValue(page), '');
    const sent = server.app.harness.trace.list().filter((e) => e.kind === 'AuthnRequest' && e.side === 'sp').at(-1);
    assert.doesNotMatch(sent?.xml ?? '', /Subject/);
  });

  const spRequest = (subject: string): string => {
    const spEntityId = server.app.harness.sp.endpoints.entityId;
    const ssoUrl = `${server.url}/idp/apps/ringcentral/sso`;
    const { xml } = buildAuthnRequest({ issuer: spEntityId, destination: ssoUrl, acsUrl: server.app.harness.sp.endpoints.acsUrl, nowMs: Date.now(), subjectNameId: { value: 'SUBJECT', format: NAMEID_FORMAT.emailAddress } });
    return buildRedirectUrl(ssoUrl, 'SAMLRequest', xml.replace(/<saml:Subject>.*<\/saml:Subject>/, subject), { signing: { key: fixtureKey('sp'), algorithm: ALGORITHM.rsaSha256 } });
  };

  it('escapes a hostile Subject in the login field', async () => {
    const { page } = await toSignInPage(spRequest('<saml:Subject><saml:NameID>"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</saml:NameID></saml:Subject>'));
    assertAccessible(page, 'sign-in page with a hostile hint');
    assert.doesNotMatch(page, /<script/i);
    assert.equal(loginValue(page), '&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('refuses a request naming two subjects, saying what was expected', async () => {
    const u = new URL(spRequest('<saml:Subject><saml:NameID>ann@acme.test</saml:NameID><saml:NameID>bob@acme.test</saml:NameID></saml:Subject>'));
    const res = await request(server.server).get(u.pathname + u.search).set('accept', 'application/json').expect(400);
    assert.equal(res.body.error, 'SAML_MESSAGE_UNEXPECTED');
    assert.match(JSON.stringify(res.body), /one saml:NameID in the Subject/);
  });
});
