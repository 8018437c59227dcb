import assert from 'node:assert/strict';
import request from 'supertest';
import { seedDemo } from '../../src/harness/demo.js';
import { buildAuthnRequest, signAuthnRequest } from '../../src/saml/authn-request.js';
import { encodePostMessage } from '../../src/saml/encoding.js';
import { buildRedirectUrl } from '../../src/saml/redirect-binding.js';
import { REQUEST_CHECKS } from '../../src/idp/request-checks/pipeline.js';
import { ALGORITHM, BINDING, STATUS } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, autoPostFields, startTestServer } from '../support/harness.js';
import { fixtureKey } from '../support/keys.js';

describe('IdP SSO service: AuthnRequest checks', () => {
  let server: RunningHarness;
  let ssoUrl: string;
  let spEntityId: string;
  let acsUrl: string;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    ssoUrl = `${server.url}/idp/apps/ringcentral/sso`;
    spEntityId = server.app.harness.sp.endpoints.entityId;
    acsUrl = server.app.harness.sp.endpoints.acsUrl;
  });
  after(() => server.close());

  const redirect = (xml: string, signed: boolean, key = fixtureKey('sp')) => {
    const url = buildRedirectUrl(ssoUrl, 'SAMLRequest', xml, {
      relayState: 'opaque-1',
      ...(signed && { signing: { key, algorithm: ALGORITHM.rsaSha256 } }),
    });
    const u = new URL(url);
    return request(server.server).get(u.pathname + u.search).set('accept', 'application/json');
  };
  /** `name=value` of a cookie the response sets. */
  const cookieOf = (res: request.Response, name: string): string =>
    ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith(`${name}=`)) ?? '';
  const newRequest = (over: Partial<Parameters<typeof buildAuthnRequest>[0]> = {}) =>
    buildAuthnRequest({ issuer: spEntityId, destination: ssoUrl, acsUrl, nowMs: Date.now(), ...over }).xml;

  it('accepts a signed Redirect request from the configured SP and asks the user to sign in', async () => {
    const res = await redirect(newRequest(), true);
    assert.equal(res.status, 303);
    assert.match(res.headers.location ?? '', /^\/idp\/login\?pending=/);
  });

  it('answers a parked login once: its key is spent by the sign-in that answers it', async () => {
    const res = await redirect(newRequest(), true);
    const pendingKey = new URL(res.headers.location ?? '', server.url).searchParams.get('pending') ?? '';
    const browser = cookieOf(res, 'sso_harness_idp_browser');
    const signIn = () =>
      request(server.server).post('/idp/login').set('cookie', browser).type('form').send({ login: 'ann@acme.test', password: 'ann-password-1', pending: pendingKey });
    const first = await signIn();
    assert.equal(first.status, 200);
    assert.ok(autoPostFields(first.text).SAMLResponse);
    const again = await signIn().set('accept', 'application/json');
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'IDP_LOGIN_EXPIRED');
  });

  it('answers a browser that already has a session at once', async () => {
    const signIn = await request(server.server).post('/idp/login').type('form').send({ login: 'ann@acme.test', password: 'ann-password-1' });
    const cookie = (signIn.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';
    const res = await redirect(newRequest(), true).set('cookie', cookie);
    assert.equal(res.status, 200);
    assert.ok(autoPostFields(res.text).SAMLResponse);
  });

  it('refuses an unsigned request when the SP metadata says requests are signed', async () => {
    const res = await redirect(newRequest(), false);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'IDP_REQUEST_SIGNATURE');
  });

  it('refuses a request signed by a key that is not in the SP metadata', async () => {
    const res = await redirect(newRequest(), true, fixtureKey('attacker'));
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'IDP_REQUEST_SIGNATURE');
  });

  it('refuses a request from another SP entity ID', async () => {
    const res = await redirect(newRequest({ issuer: 'https://other-sp.example' }), true);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'IDP_SP_UNKNOWN');
    assert.equal(res.body.received, 'https://other-sp.example');
  });

  it('refuses an ACS URL the SP metadata does not list', async () => {
    const res = await redirect(newRequest({ acsUrl: 'https://evil.example/acs' }), true);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'IDP_ACS_NOT_ALLOWED');
  });

  it('accepts a signed HTTP-POST request and answers with the RelayState it was given', async () => {
    const { id, xml } = buildAuthnRequest({ issuer: spEntityId, destination: ssoUrl, acsUrl, nowMs: Date.now() });
    const signed = signAuthnRequest(xml, id, fixtureKey('sp'), ALGORITHM.rsaSha256);
    const agent = request.agent(server.server);
    const res = await agent.post('/idp/apps/ringcentral/sso').type('form').send({ SAMLRequest: encodePostMessage(signed), RelayState: 'post-state' }).expect(303);
    const pending = new URL(res.headers.location as string, server.url).searchParams.get('pending');
    const login = await agent.post('/idp/login').type('form').send({ login: 'bob', password: 'bob-password-1', pending }).expect(200);
    const form = autoPostFields(login.text);
    assert.equal(form.action, acsUrl);
    assert.equal(form.RelayState, 'post-state');
    const xmlOut = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
    assert.match(xmlOut, new RegExp(`InResponseTo="${id}"`));
  });

  it('refuses an unsigned HTTP-POST request when requests must be signed', async () => {
    const res = await request(server.server)
      .post('/idp/apps/ringcentral/sso')
      .set('accept', 'application/json')
      .type('form')
      .send({ SAMLRequest: encodePostMessage(newRequest()) });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'IDP_REQUEST_SIGNATURE');
  });

  it('refuses login for an application whose SSO was deactivated', async () => {
    await request(server.server)
      .patch('/idp/api/apps/ringcentral')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ ssoActive: false })
      .expect(200);
    try {
      const res = await redirect(newRequest(), true);
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'IDP_SSO_INACTIVE');
    } finally {
      await request(server.server)
        .patch('/idp/api/apps/ringcentral')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ ssoActive: true })
        .expect(200);
    }
  });

  describe('where, when and how often', () => {
    const postSigned = (xml: string, id: string) =>
      request(server.server)
        .post('/idp/apps/ringcentral/sso')
        .set('accept', 'application/json')
        .type('form')
        .send({ SAMLRequest: encodePostMessage(signAuthnRequest(xml, id, fixtureKey('sp'), ALGORITHM.rsaSha256)) });
    const lastRequestEntry = () => server.app.harness.trace.list({ side: 'idp' }).filter((e) => e.kind === 'AuthnRequest').at(-1);

    it('refuses a signed Redirect request whose Destination is another IdP', async () => {
      const res = await redirect(newRequest({ destination: 'https://some-other-idp.example/sso' }), true);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'IDP_REQUEST_DESTINATION');
      assert.equal(res.body.received, 'https://some-other-idp.example/sso');
    });

    it('refuses a signed HTTP-POST request whose Destination is another IdP', async () => {
      const { id, xml } = buildAuthnRequest({ issuer: spEntityId, destination: 'https://some-other-idp.example/sso', acsUrl, nowMs: Date.now() });
      const res = await postSigned(xml, id);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'IDP_REQUEST_DESTINATION');
    });

    it('refuses a signed request without a Destination', async () => {
      const res = await redirect(newRequest().replace(/ Destination="[^"]*"/, ''), true);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'IDP_REQUEST_DESTINATION');
    });

    it('refuses a signed request issued in 2001', async () => {
      const res = await redirect(newRequest({ nowMs: Date.parse('2001-09-01T12:00:00Z') }), true);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'IDP_REQUEST_EXPIRED');
    });

    it('refuses a request issued beyond the clock skew in the future, and accepts one within it', async () => {
      const ahead = await redirect(newRequest({ nowMs: Date.now() + 10 * 60_000 }), true);
      assert.equal(ahead.status, 400);
      assert.equal(ahead.body.error, 'IDP_REQUEST_NOT_YET_VALID');
      const withinSkew = await redirect(newRequest({ nowMs: Date.now() + 60_000 }), true);
      assert.equal(withinSkew.status, 303);
    });

    it('serves a request ID once: the same signed request is refused the second time', async () => {
      const { id, xml } = buildAuthnRequest({ issuer: spEntityId, destination: ssoUrl, acsUrl, nowMs: Date.now() });
      const url = new URL(buildRedirectUrl(ssoUrl, 'SAMLRequest', xml, { signing: { key: fixtureKey('sp'), algorithm: ALGORITHM.rsaSha256 } }));
      const send = () => request(server.server).get(url.pathname + url.search).set('accept', 'application/json');
      assert.equal((await send()).status, 303);
      const again = await send();
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'IDP_REQUEST_REPLAY');
      assert.match(again.body.message, new RegExp(id));
    });

    for (const [name, binding] of [['HTTP-Artifact', BINDING.artifact], ['PAOS', BINDING.paos]] as const) {
      it(`answers a request for the ${name} binding with a SAML error Response posted to the ACS`, async () => {
        const { id, xml } = buildAuthnRequest({ issuer: spEntityId, destination: ssoUrl, acsUrl, protocolBinding: binding, nowMs: Date.now() });
        const res = await redirect(xml, true);
        assert.equal(res.status, 200);
        const form = autoPostFields(res.text);
        assert.equal(form.action, acsUrl);
        assert.equal(form.RelayState, 'opaque-1');
        const answer = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
        assert.match(answer, new RegExp(`InResponseTo="${id}"`));
        assert.match(answer, new RegExp(`<samlp:StatusCode Value="${STATUS.responder}"><samlp:StatusCode Value="${STATUS.unsupportedBinding}"/>`));
        assert.doesNotMatch(answer, /Assertion/);
        assert.equal(lastRequestEntry()?.error?.code, 'IDP_BINDING_UNSUPPORTED');
        // The SP reads the status and says so.
        const acs = await request(server.server).post('/sp/acs').set('accept', 'application/json').type('form').send({ SAMLResponse: form.SAMLResponse });
        assert.equal(acs.body.error, 'SAML_STATUS');
      });
    }

    it('records each request check in order with its verdict in the trace', async () => {
      const res = await redirect(newRequest({ destination: 'https://some-other-idp.example/sso' }), true);
      assert.equal(res.status, 400);
      const entry = lastRequestEntry();
      assert.deepEqual(entry?.checks.map((c) => c.check), REQUEST_CHECKS.map((c) => c.id));
      const verdicts = Object.fromEntries((entry?.checks ?? []).map((c) => [c.check, c.verdict]));
      assert.deepEqual(verdicts, {
        decode: 'pass',
        message: 'pass',
        'sso-active': 'pass',
        'app-configured': 'pass',
        signature: 'pass',
        issuer: 'pass',
        destination: 'fail',
        'time-window': 'skip',
        'relay-state': 'skip',
        'protocol-binding': 'skip',
        acs: 'skip',
        'request-id': 'skip',
      });
      assert.equal(entry?.checks.find((c) => c.check === 'destination')?.code, 'IDP_REQUEST_DESTINATION');
      const accepted = await redirect(newRequest(), true);
      assert.equal(accepted.status, 303);
      assert.deepEqual(lastRequestEntry()?.checks.map((c) => c.verdict), REQUEST_CHECKS.map(() => 'pass'));
    });
  });

  describe('with the IdP request tolerance configured', () => {
    let strict: RunningHarness;
    before(async () => {
      strict = await startTestServer({ idp: { clockSkewSec: 0, requestMaxAgeSec: 30 } });
      await seedDemo({ idpBaseUrl: strict.url, spBaseUrl: strict.url, adminToken: ADMIN_TOKEN });
    });
    after(() => strict.close());

    const send = (nowMs: number) => {
      const sso = `${strict.url}/idp/apps/ringcentral/sso`;
      const sp = strict.app.harness.sp.endpoints;
      const { xml } = buildAuthnRequest({ issuer: sp.entityId, destination: sso, acsUrl: sp.acsUrl, nowMs });
      const u = new URL(buildRedirectUrl(sso, 'SAMLRequest', xml, { signing: { key: fixtureKey('sp'), algorithm: ALGORITHM.rsaSha256 } }));
      return request(strict.server).get(u.pathname + u.search).set('accept', 'application/json');
    };

    it('refuses what the default tolerance would accept: a minute old, or a few seconds ahead', async () => {
      assert.equal((await send(Date.now() - 60_000)).body.error, 'IDP_REQUEST_EXPIRED');
      assert.equal((await send(Date.now() + 20_000)).body.error, 'IDP_REQUEST_NOT_YET_VALID');
      assert.equal((await send(Date.now() - 5_000)).status, 303);
    });
  });
});
