// A default JumpCloud application publishes metadata with only an HTTP-POST SingleSignOnService,
// as real JumpCloud does until "Declare Redirect Endpoint" is checked: the SP then posts its
// AuthnRequest (signed in the message) from a page that posts itself, and the login goes
// SP → auto-post → IdP → ACS → /sp/home with the IdP verifying the enveloped signature.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { decodePostMessage, encodePostMessage } from '../../src/saml/encoding.js';
import { BINDING, NS } from '../../src/saml/urn.js';
import { parseXml } from '../../src/saml/parse.js';
import type { TraceEntry } from '../../src/trace/trace-log.js';
import { signInToConsole } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, autoPostFields, startTestServer } from '../support/harness.js';
import { startSpLogin } from '../support/sp-login.js';

const requestIdOf = (samlRequest: string): string => /\bID="([^"]+)"/.exec(decodePostMessage(samlRequest))?.[1] ?? '';

describe('SP-initiated login to an IdP that lists only HTTP-POST', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  it("publishes only the HTTP-POST SingleSignOnService for a new JumpCloud application", async () => {
    const app = await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200);
    assert.equal(app.body.flavor, 'jumpcloud');
    const metadata = await request(server.server).get(`/idp/apps/${DEMO_APP_ID}/metadata`).expect(200);
    const services = Array.from(parseXml(metadata.text).getElementsByTagNameNS(NS.metadata, 'SingleSignOnService'));
    assert.deepEqual(
      services.map((s) => s.getAttribute('Binding')),
      [BINDING.post],
    );
  });

  it('posts the signed AuthnRequest from a page that posts itself, with a Continue button without JavaScript and the CSP nonce', async () => {
    const started = await startSpLogin(request.agent(server.server), '/sp/login?email=bob%40acme.test');
    assert.equal(started.binding, 'post');
    assert.equal(started.ssoUrl, `${server.url}/idp/apps/${DEMO_APP_ID}/sso`);
    const page = started.sp.text;
    assert.match(page, /<noscript>[^]*<button type="submit">Continue<\/button>[^]*<\/noscript>/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(started.sp.headers['content-security-policy']))?.[1];
    assert.ok(nonce);
    assert.ok(page.includes(`<script nonce="${nonce}">`), 'the auto-post script carries the nonce the CSP allows');
    const xml = decodePostMessage(started.fields.SAMLRequest ?? '');
    const root = parseXml(xml).documentElement;
    assert.equal(root?.localName, 'AuthnRequest');
    assert.equal(root?.getAttribute('Destination'), started.ssoUrl);
    const signature = Array.from(root?.getElementsByTagNameNS(NS.dsig, 'Signature') ?? []).find((e) => e.parentNode === root);
    assert.ok(signature, 'the request carries an enveloped ds:Signature (HTTP-POST has no query signature)');
    assert.equal(started.fields.SigAlg, undefined);
    assert.equal(started.idp.status, 303);
    assert.match(String(started.idp.headers.location), /^\/idp\/login\?pending=/);
  });

  it('signs the user in: SP → auto-post → IdP → ACS → /sp/home, with the request signature verified at the IdP', async () => {
    const agent = request.agent(server.server);
    const started = await startSpLogin(agent, '/sp/login?email=bob%40acme.test');
    const pending = new URL(String(started.idp.headers.location), server.url).searchParams.get('pending');
    const signedIn = await agent.post('/idp/login').type('form').send({ login: 'bob@acme.test', password: 'bob-password-1', pending }).expect(200);
    const response = autoPostFields(signedIn.text);
    assert.equal(response.action, `${server.url}/sp/acs`);
    const acs = await agent.post('/sp/acs').type('form').send({ SAMLResponse: response.SAMLResponse, ...(response.RelayState !== undefined && { RelayState: response.RelayState }) }).expect(303);
    assert.equal(acs.headers.location, '/sp/home');
    const home = await agent.get('/sp/home').set('accept', 'application/json').expect(200);
    assert.equal(home.body.email, 'bob@acme.test');
    assert.equal(home.body.via, 'sso');

    const flow = requestIdOf(started.fields.SAMLRequest ?? '');
    const traces = await admin(server, 'get', `/debug/api/traces?flow=${encodeURIComponent(flow)}`).expect(200);
    const entries = traces.body as TraceEntry[];
    const sent = entries.find((e) => e.side === 'sp' && e.kind === 'AuthnRequest');
    const received = entries.find((e) => e.side === 'idp' && e.kind === 'AuthnRequest');
    assert.equal(sent?.binding, BINDING.post);
    assert.equal(received?.binding, BINDING.post);
    assert.equal(received?.verdict, 'ok');
    const check = received?.checks.find((c) => c.check === 'signature');
    assert.equal(check?.verdict, 'pass');
    assert.match(check?.detail ?? '', /enveloped signature verified/);
    assert.equal(entries.find((e) => e.side === 'sp' && e.kind === 'Response')?.verdict, 'ok');

    const console_ = await signInToConsole(server, '/debug');
    const diagram = await console_.page(`/debug/flows/${encodeURIComponent(flow)}`);
    assert.match(diagram, /auto-post AuthnRequest \(HTTP-POST\)/);
    assert.match(diagram, new RegExp(`AuthnRequest \\(HTTP-POST\\) /idp/apps/${DEMO_APP_ID}/sso`));
  });

  it('refuses a posted request altered after it was signed', async () => {
    const agent = request.agent(server.server);
    const sp = await agent.get('/sp/login?email=bob%40acme.test').expect(200);
    const form = /name="SAMLRequest" value="([^"]+)"/.exec(sp.text)?.[1] ?? '';
    const altered = decodePostMessage(form).replace('<samlp:AuthnRequest ', '<samlp:AuthnRequest ForceAuthn="true" ');
    assert.notEqual(altered, decodePostMessage(form));
    const res = await agent
      .post(`/idp/apps/${DEMO_APP_ID}/sso`)
      .set('accept', 'application/json')
      .type('form')
      .send({ SAMLRequest: encodePostMessage(altered) });
    assert.equal(res.body.error, 'IDP_REQUEST_SIGNATURE');
  });

  it('keeps the HTTP-Redirect binding for an application that declares it', async () => {
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ declareRedirectEndpoint: true }).expect(200);
    const account = DEMO_ACCOUNT;
    try {
      await admin(server, 'post', `/sp/api/accounts/${account.id}/sso/idp-metadata`).send({ url: `${server.url}/idp/apps/${DEMO_APP_ID}/metadata` }).expect(200);
      const started = await startSpLogin(request.agent(server.server), '/sp/login?email=bob%40acme.test');
      assert.equal(started.binding, 'redirect');
      assert.ok(started.fields.Signature, 'a Redirect request is signed in its query');
      assert.equal(started.idp.status, 303);
    } finally {
      await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ declareRedirectEndpoint: false }).expect(200);
      await admin(server, 'post', `/sp/api/accounts/${account.id}/sso/idp-metadata`).send({ url: `${server.url}/idp/apps/${DEMO_APP_ID}/metadata` }).expect(200);
    }
  });
});
