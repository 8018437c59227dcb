// Every entry point that parses XML from outside refuses a document past the XML limits with the
// limit's code, before the parser builds anything: both sides' SSO, ACS and SLO in both
// bindings, and metadata by body and by URL. The hostile shape is the one that made the parser
// take seconds: thousands of nested elements, each declaring a namespace prefix.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import request from 'supertest';
import { seedDemo } from '../../src/harness/demo.js';
import { buildRedirectUrl } from '../../src/saml/redirect-binding.js';
import { signatureAlgorithmFor } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { flatElements, nestedPrefixes } from '../support/hostile-xml.js';
import { fixtureKey } from '../support/keys.js';

const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
const deflated = (xml: string): string => encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));

/** Deep enough to be refused, small enough to fit the HTTP-Redirect inflate cap (64 KiB). */
const REDIRECT_DEPTH = 1_500;
/** A POST body of about 230 KB of base64. */
const POST_DEPTH = 5_000;

describe('XML complexity at the HTTP entry points', () => {
  let server: RunningHarness;
  let peer: Server;
  let peerUrl: string;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    peer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/samlmetadata+xml');
      res.end(nestedPrefixes('md:EntityDescriptor', POST_DEPTH));
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/metadata`;
  });
  after(async () => {
    peer.closeAllConnections();
    peer.close();
    await server.close();
  });
  afterEach(async () => {
    await request(server.server).get('/healthz').expect(200);
  });

  const get = (path: string) => request(server.server).get(path).set('accept', 'application/json');
  const post = (path: string, fields: Record<string, string>) => request(server.server).post(path).set('accept', 'application/json').type('form').send(fields);

  function refused(res: request.Response, code: string): void {
    assert.equal(res.body.error, code, `HTTP ${res.status} ${res.text.slice(0, 300)}`);
    assert.equal(res.status, 413);
  }

  it('checks that the Redirect-binding documents fit the inflate cap', () => {
    assert.ok(Buffer.byteLength(nestedPrefixes('samlp:LogoutRequest', REDIRECT_DEPTH)) < 64 * 1024);
  });

  describe('the SP', () => {
    it('refuses a deeply nested, prefix-declaring response at POST /sp/acs with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      refused(await post('/sp/acs', { SAMLResponse: base64(nestedPrefixes('samlp:Response', POST_DEPTH)) }), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses a response of 10,001 elements at POST /sp/acs with SAML_XML_TOO_MANY_ELEMENTS', async () => {
      refused(await post('/sp/acs', { SAMLResponse: base64(flatElements('samlp:Response', 10_000)) }), 'SAML_XML_TOO_MANY_ELEMENTS');
    });

    it('refuses a deeply nested, prefix-declaring LogoutRequest at GET /sp/slo with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      refused(await get(`/sp/slo?SAMLRequest=${deflated(nestedPrefixes('samlp:LogoutRequest', REDIRECT_DEPTH))}`), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses a deeply nested, prefix-declaring LogoutRequest at POST /sp/slo with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      refused(await post('/sp/slo', { SAMLRequest: base64(nestedPrefixes('samlp:LogoutRequest', POST_DEPTH)) }), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses a Redirect message that inflates past 64 KiB at GET /sp/slo with SAML_MESSAGE_TOO_LARGE', async () => {
      const res = await get(`/sp/slo?SAMLRequest=${deflated(nestedPrefixes('samlp:LogoutRequest', POST_DEPTH))}`);
      refused(res, 'SAML_MESSAGE_TOO_LARGE');
      assert.match(res.body.message, /inflates past the cap of 65536 bytes/);
    });

    it('refuses deeply nested IdP metadata imported by body with SAML_XML_TOO_DEEP', async () => {
      const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Nested Corp' }).expect(201);
      const res = await admin(server, 'post', `/sp/api/accounts/${account.body.id}/sso/idp-metadata`)
        .send({ xml: nestedPrefixes('md:EntityDescriptor', POST_DEPTH) });
      refused(res, 'SAML_XML_TOO_DEEP');
    });

    it('refuses deeply nested IdP metadata fetched from a URL with SAML_XML_TOO_DEEP', async () => {
      const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Nested URL Corp' }).expect(201);
      refused(await admin(server, 'post', `/sp/api/accounts/${account.body.id}/sso/idp-metadata`).send({ url: peerUrl }), 'SAML_XML_TOO_DEEP');
    });
  });

  describe('the IdP', () => {
    it('refuses a deeply nested, prefix-declaring AuthnRequest at GET /idp/apps/:app/sso with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      refused(await get(`/idp/apps/ringcentral/sso?SAMLRequest=${deflated(nestedPrefixes('samlp:AuthnRequest', REDIRECT_DEPTH))}`), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses a deeply nested, prefix-declaring AuthnRequest at POST /idp/apps/:app/sso with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      refused(await post('/idp/apps/ringcentral/sso', { SAMLRequest: base64(nestedPrefixes('samlp:AuthnRequest', POST_DEPTH)) }), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses a Redirect AuthnRequest that inflates past 64 KiB with SAML_MESSAGE_TOO_LARGE', async () => {
      refused(await get(`/idp/apps/ringcentral/sso?SAMLRequest=${deflated(nestedPrefixes('samlp:AuthnRequest', POST_DEPTH))}`), 'SAML_MESSAGE_TOO_LARGE');
    });

    it('refuses a deeply nested, prefix-declaring LogoutRequest at GET /idp/apps/:app/slo with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      // The IdP reads a Redirect LogoutRequest only once its query signature verifies: signed here
      // with the SP's own key, as a broken or compromised SP would send it.
      const url = buildRedirectUrl('/idp/apps/ringcentral/slo', 'SAMLRequest', nestedPrefixes('samlp:LogoutRequest', REDIRECT_DEPTH), {
        signing: { key: fixtureKey('sp'), algorithm: signatureAlgorithmFor('rsa-sha256') },
      });
      refused(await get(url), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses a deeply nested, prefix-declaring LogoutRequest at POST /idp/apps/:app/slo with SAML_XML_TOO_MANY_NAMESPACES', async () => {
      refused(await post('/idp/apps/ringcentral/slo', { SAMLRequest: base64(nestedPrefixes('samlp:LogoutRequest', POST_DEPTH)) }), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses deeply nested SP metadata uploaded to an application with SAML_XML_TOO_DEEP', async () => {
      const res = await admin(server, 'put', '/idp/api/apps/ringcentral/sp-metadata')
        .set('content-type', 'application/xml')
        .send(nestedPrefixes('md:EntityDescriptor', POST_DEPTH));
      refused(res, 'SAML_XML_TOO_DEEP');
    });
  });
});
