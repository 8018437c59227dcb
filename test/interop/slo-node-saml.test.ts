// @node-saml/node-saml as an independent SP completes a Single Logout with our IdP: it signs in
// through our IdP, sends its signed LogoutRequest (HTTP-Redirect) to the SingleLogoutService our
// metadata publishes, and accepts the signed LogoutResponse our IdP sends back; the IdP session
// is then over. Its SP metadata (with its SingleLogoutService) is what the IdP application knows.
import assert from 'node:assert/strict';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { BrowserSession } from '../../src/client/browser/browser-session.js';
import { walkFlow } from '../../src/client/browser/sp-initiated-walk.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, startTestServer } from '../support/harness.js';
import { configurePeerApp, fetchIdpMetadata, PEER } from '../support/interop.js';
import { fixturePem } from '../support/keys.js';

const PEER_SLO = 'https://sp.interop.test/saml/logout';

describe('Single Logout with node-saml 5.1.0 as the SP', () => {
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer();
    await configurePeerApp(server, { signAssertion: true, signResponse: false });
  });
  after(() => server.close());

  it('completes a logout it starts: LogoutRequest verified by our IdP, our LogoutResponse accepted by node-saml', async () => {
    const idp = await fetchIdpMetadata(server);
    const sloUrl = `${server.url}/idp/apps/${PEER.appId}/slo`;
    const sp = new SAML({
      issuer: PEER.spEntityId,
      audience: PEER.spEntityId,
      callbackUrl: PEER.acsUrl,
      entryPoint: idp.ssoRedirectUrl,
      logoutUrl: sloUrl,
      logoutCallbackUrl: PEER_SLO,
      idpIssuer: idp.entityId,
      idpCert: idp.certificatePem,
      privateKey: fixturePem('sp').privateKeyPem,
      signatureAlgorithm: 'sha256',
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      // node-saml reads InResponseTo from a <Response> root only, so with `always` it would refuse any
      // LogoutResponse in the POST binding; `ifPresent` still checks the login response's.
      validateInResponseTo: ValidateInResponseTo.ifPresent,
    });
    const metadata = sp.generateServiceProviderMetadata(null, fixturePem('sp').certificatePem);
    assert.match(metadata, /SingleLogoutService/);
    const uploaded = await admin(server, 'put', `/idp/api/apps/${PEER.appId}/sp-metadata`).set('content-type', 'application/xml').send(metadata).expect(200);
    assert.equal(uploaded.body.sp.sloServices[0].location, PEER_SLO);

    // Sign in through our IdP, as node-saml's user would.
    const browser = new BrowserSession(fetch);
    const start = await sp.getAuthorizeUrlAsync('relay', undefined, {});
    const signedIn = await walkFlow(browser, await browser.send('GET', start), start, {
      credentials: { login: PEER.login, password: PEER.password },
      maxHops: 8,
      stopAtResponse: true,
    });
    assert.equal(signedIn.kind, 'saml-response');
    if (signedIn.kind !== 'saml-response') return;
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: signedIn.form.fields.SAMLResponse ?? '' });
    assert.ok(profile?.sessionIndex);
    assert.equal((await browser.send('GET', `${server.url}/idp/portal`)).status, 200);

    // node-saml logs out: its LogoutRequest to our IdP, our LogoutResponse back to its SLO URL.
    const logoutUrl = await sp.getLogoutUrlAsync(profile, 'bye', {});
    const end = await walkFlow(browser, await browser.send('GET', logoutUrl), logoutUrl, {
      credentials: { login: PEER.login, password: PEER.password },
      maxHops: 4,
      stopAtResponse: true,
      stopAt: (url) => url.startsWith(PEER_SLO),
    });
    // node-saml's metadata offers the binding our IdP answers with: a redirect, or an auto-post form.
    let result: { loggedOut: boolean };
    if (end.kind === 'reached') {
      const back = new URL(end.url);
      assert.equal(back.searchParams.get('RelayState'), 'bye');
      result = await sp.validateRedirectAsync(Object.fromEntries(back.searchParams), back.search.slice(1));
    } else {
      assert.equal(end.kind, 'saml-response', JSON.stringify(end).slice(0, 300));
      if (end.kind !== 'saml-response') return;
      assert.equal(end.form.action, PEER_SLO);
      assert.equal(end.form.fields.RelayState, 'bye');
      result = await sp.validatePostResponseAsync({ SAMLResponse: end.form.fields.SAMLResponse ?? '' });
    }
    assert.equal(result.loggedOut, true);
    assert.equal((await browser.send('GET', `${server.url}/idp/portal`)).status, 303, 'the IdP session is over');
  });
});
