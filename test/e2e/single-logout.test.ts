// Single Logout end to end over HTTP, between our IdP and our SP with Single Logout turned on:
// SP-initiated (sign out at the SP → LogoutRequest to the IdP → LogoutResponse back) and
// IdP-initiated (sign out at the portal → LogoutRequest to the SP → LogoutResponse back); then the
// refusals: unsigned and tampered messages, a NameID of someone else, an SP with Single Logout off.
import assert from 'node:assert/strict';
import { BrowserSession } from '../../src/client/browser/browser-session.js';
import { readPageError } from '../../src/client/browser/flow-pages.js';
import { walkFlow, type WalkEnd } from '../../src/client/browser/sp-initiated-walk.js';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { encodePostMessage } from '../../src/saml/encoding.js';
import { buildLogoutRequest, parseLogoutResponse, signLogoutMessage } from '../../src/saml/logout.js';
import { buildRedirectUrl, readRedirectQuery } from '../../src/saml/redirect-binding.js';
import { ALGORITHM, NAMEID_FORMAT, STATUS } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { SP_SESSIONS_BY_PRINCIPAL } from '../../src/sp/sessions.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { fixtureKey } from '../support/keys.js';

const ANN = { login: 'ann@acme.test', password: 'ann-password-1' };

describe('Single Logout between our IdP and our SP', function () {
  this.timeout(30_000);
  let server: RunningHarness;

  const signedIn = async (): Promise<BrowserSession> => {
    const browser = new BrowserSession(fetch);
    const start = `${server.url}/sp/login?email=${encodeURIComponent(ANN.login)}`;
    const end = await walkFlow(browser, await browser.send('GET', start), start, { credentials: ANN, maxHops: 12 });
    assert.equal(end.kind === 'page' ? new URL(end.url).pathname : end.kind, '/sp/home', JSON.stringify(end).slice(0, 300));
    return browser;
  };
  const pathOf = (end: WalkEnd): string => (end.kind === 'page' || end.kind === 'reached' ? new URL(end.url).pathname : end.kind);
  const spHome = async (browser: BrowserSession) => (await browser.send('GET', `${server.url}/sp/home`)).status;
  const idpPortal = async (browser: BrowserSession) => (await browser.send('GET', `${server.url}/idp/portal`)).status;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    await admin(server, 'patch', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`).send({ singleLogout: true }).expect(200);
    // The account's SP metadata now lists its SingleLogoutService: the IdP application takes it.
    const metadata = await (await fetch(`${server.url}/sp/metadata?account=${DEMO_ACCOUNT.id}`)).text();
    assert.match(metadata, /<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="[^"]+\/sp\/slo"\/>/);
    await admin(server, 'put', `/idp/api/apps/${DEMO_APP_ID}/sp-metadata`).set('content-type', 'application/xml').send(metadata).expect(200);
  });
  after(() => server.close());

  it('publishes SingleLogoutService in the IdP metadata, and not in the SP\'s default (RingCentral) metadata', async () => {
    const idpMetadata = await (await fetch(`${server.url}/idp/apps/${DEMO_APP_ID}/metadata`)).text();
    assert.match(idpMetadata, /<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="[^"]+\/idp\/apps\/ringcentral\/slo"\/>/);
    assert.ok(idpMetadata.indexOf('SingleLogoutService') < idpMetadata.indexOf('NameIDFormat'), 'schema order: SingleLogoutService before NameIDFormat');
    assert.doesNotMatch(await (await fetch(`${server.url}/sp/metadata`)).text(), /SingleLogoutService/);
  });

  it('SP-initiated: signing out at the SP ends both sessions through the IdP', async () => {
    const browser = await signedIn();
    assert.equal(await idpPortal(browser), 200);
    const start = `${server.url}/sp/logout`;
    const end = await walkFlow(browser, await browser.send('POST', start), start, { credentials: ANN, maxHops: 8 });
    assert.equal(pathOf(end), '/sp/slo');
    assert.match(end.kind === 'page' ? end.text : '', /signed out of Acme Corp and of the IdP/);
    const hops = browser.hops.slice(-3).map((h) => `${h.method} ${new URL(h.url).pathname} ${h.status}`);
    assert.deepEqual(hops, ['POST /sp/logout 302', `GET /idp/apps/${DEMO_APP_ID}/slo 302`, 'GET /sp/slo 200']);
    assert.equal(await spHome(browser), 401);
    assert.equal(await idpPortal(browser), 303, 'the IdP session ended: the portal sends the user to sign in');
    const traces = (await admin(server, 'get', '/debug/api/traces').expect(200)).body as { kind: string; side: string; verdict: string }[];
    for (const [side, kind] of [['sp', 'LogoutRequest'], ['idp', 'LogoutRequest'], ['idp', 'LogoutResponse'], ['sp', 'LogoutResponse']]) {
      assert.ok(traces.some((t) => t.side === side && t.kind === kind && t.verdict === 'ok'), `${side} ${kind} in the trace`);
    }
  });

  it('IdP-initiated: signing out at the portal asks the SP, which ends its session, and reports its answer', async () => {
    const browser = await signedIn();
    const start = `${server.url}/idp/logout`;
    const end = await walkFlow(browser, await browser.send('POST', start), start, { credentials: ANN, maxHops: 8 });
    assert.equal(pathOf(end), `/idp/apps/${DEMO_APP_ID}/slo`);
    const text = end.kind === 'page' ? end.text : '';
    assert.match(text, /You are signed out/);
    assert.match(text, /<td>RingCentral<\/td><td class="ok">signed out<\/td>/);
    assert.equal(await spHome(browser), 401);
    assert.equal(await idpPortal(browser), 303);
  });

  it('takes a LogoutRequest in the HTTP-POST binding (enveloped signature) and answers the SP', async () => {
    const browser = await signedIn();
    const sloUrl = `${server.url}/idp/apps/${DEMO_APP_ID}/slo`;
    const spEntityId = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.sp.entityId as string;
    const request = buildLogoutRequest({ issuer: spEntityId, destination: sloUrl, nameId: ANN.login, nameIdFormat: NAMEID_FORMAT.emailAddress, nowMs: Date.now() });
    const signed = signLogoutMessage(request.xml, request.id, fixtureKey('sp'), ALGORITHM.rsaSha256);
    const res = await browser.send('POST', sloUrl, { SAMLRequest: encodePostMessage(signed), RelayState: 'post-binding' });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location') ?? '');
    assert.equal(back.pathname, '/sp/slo');
    assert.equal(back.searchParams.get('RelayState'), 'post-binding');
    const answer = parseLogoutResponse(readRedirectQuery(back.search).xml);
    assert.deepEqual([answer.inResponseTo, answer.status], [request.id, STATUS.success]);
    assert.equal(await idpPortal(browser), 303, 'the IdP session ended');
  });

  it('refuses an unsigned or tampered LogoutRequest at the IdP, and one naming another user', async () => {
    const browser = await signedIn();
    const sloUrl = `${server.url}/idp/apps/${DEMO_APP_ID}/slo`;
    const spEntityId = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body.sp.entityId as string;
    const request = (nameId: string) => buildLogoutRequest({ issuer: spEntityId, destination: sloUrl, nameId, nameIdFormat: NAMEID_FORMAT.emailAddress, nowMs: Date.now() });
    const send = async (url: string) => {
      const res = await browser.send('GET', url, undefined, 'application/json');
      return { status: res.status, code: readPageError(await res.text()).code };
    };
    const signing = { key: fixtureKey('sp'), algorithm: ALGORITHM.rsaSha256 };
    assert.deepEqual(await send(buildRedirectUrl(sloUrl, 'SAMLRequest', request(ANN.login).xml, {})), { status: 401, code: 'SLO_REQUEST_INVALID' });
    const signed = buildRedirectUrl(sloUrl, 'SAMLRequest', request(ANN.login).xml, { relayState: 'a', signing });
    assert.deepEqual(await send(signed.replace('RelayState=a', 'RelayState=b')), { status: 401, code: 'SLO_REQUEST_INVALID' });
    assert.deepEqual(await send(buildRedirectUrl(sloUrl, 'SAMLRequest', request(ANN.login).xml, { signing: { key: fixtureKey('attacker'), algorithm: ALGORITHM.rsaSha256 } })), { status: 401, code: 'SLO_REQUEST_INVALID' });
    assert.deepEqual(await send(buildRedirectUrl(sloUrl, 'SAMLRequest', request('bob@acme.test').xml, { signing })), { status: 401, code: 'SLO_REQUEST_INVALID' });
    assert.equal(await idpPortal(browser), 200, 'none of them ended the IdP session');
  });

  it('refuses the IdP\'s LogoutRequest at an SP account with Single Logout off (RingCentral\'s default)', async () => {
    await admin(server, 'patch', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`).send({ singleLogout: false }).expect(200);
    try {
      const browser = await signedIn();
      const start = `${server.url}/idp/logout`;
      const end = await walkFlow(browser, await browser.send('POST', start), start, { credentials: ANN, maxHops: 8 });
      assert.equal(end.kind === 'page' ? end.status : 0, 403);
      assert.equal(readPageError(end.kind === 'page' ? end.text : '').code ?? (end.kind === 'page' && /SLO_NOT_ENABLED/.test(end.text) ? 'SLO_NOT_ENABLED' : undefined), 'SLO_NOT_ENABLED');
      assert.equal(await spHome(browser), 200, 'the SP session goes on');
    } finally {
      await admin(server, 'patch', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`).send({ singleLogout: true }).expect(200);
    }
  });

  it('keeps the Single Logout index of one user bounded, however many times the user signs in', async function () {
    this.timeout(60_000);
    for (let i = 0; i < 55; i++) await signedIn();
    const index = server.app.harness.store.expiring(SP_SESSIONS_BY_PRINCIPAL);
    const entry = await index.get(`${DEMO_ACCOUNT.id}\n${ANN.login}`, server.app.harness.sp.clock.now());
    assert.ok(entry && entry.length === 50, `${entry?.length} sessions indexed`);
  });
});
