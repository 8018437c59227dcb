import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import request from 'supertest';
import { seedDemo } from '../../src/harness/demo.js';
import { POST_MAX_ENCODED_BYTES } from '../../src/saml/encoding.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

/** A local peer that misbehaves in the ways metadata URLs do. */
async function startBadPeer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/slow') return; // never answers
    if (req.url === '/trickle') {
      // Headers at once, then the document a byte at a time, never finishing within the timeout.
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<md:EntityDescriptor ');
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
      return;
    }
    if (req.url === '/garbage') {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Sign in to continue</body></html>');
      return;
    }
    if (req.url === '/huge') {
      res.setHeader('content-type', 'application/xml');
      res.end(`<md:EntityDescriptor>${'x'.repeat(200_000)}</md:EntityDescriptor>`);
      return;
    }
    res.statusCode = 404;
    res.end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('bad input', () => {
  let server: RunningHarness;
  let peer: { url: string; server: Server };

  before(async () => {
    server = await startTestServer({ sp: { metadataFetchTimeoutMs: 300, metadataMaxBytes: 64 * 1024 }, maxBodyBytes: 32 * 1024 });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    peer = await startBadPeer();
  });
  after(async () => {
    peer.server.closeAllConnections();
    peer.server.close();
    await server.close();
  });
  afterEach(async () => {
    await request(server.server).get('/healthz').expect(200); // the server is still standing
  });

  const acs = (fields: Record<string, string>) =>
    request(server.server).post('/sp/acs').set('accept', 'application/json').type('form').send(fields);

  it('answers a POST without SAMLResponse with SAML_MESSAGE_MISSING', async () => {
    const res = await acs({ RelayState: '/x' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'SAML_MESSAGE_MISSING');
  });

  it('answers malformed base64 at the ACS with SAML_MESSAGE_ENCODING', async () => {
    const res = await acs({ SAMLResponse: '%%%not base64%%%' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'SAML_MESSAGE_ENCODING');
  });

  it('refuses a response with a DOCTYPE before looking at it', async () => {
    const xml = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>';
    const res = await acs({ SAMLResponse: Buffer.from(xml).toString('base64') });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'SAML_XML_FORBIDDEN');
  });

  it('shows an explanation page to a browser', async () => {
    const res = await request(server.server).post('/sp/acs').type('form').send({ SAMLResponse: 'bm90IHhtbA==' });
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.text, /Single sign-on failed/);
    assert.match(res.text, /SAML_XML_MALFORMED/);
  });

  it('refuses a deflate bomb at the IdP SSO endpoint', async () => {
    // 4 MiB of XML in a few kilobytes of query string: past the 64 KiB inflate cap of the Redirect binding.
    const bomb = deflateRawSync(Buffer.alloc(4 * 1024 * 1024, 'a')).toString('base64');
    assert.ok(bomb.length < 8000);
    const res = await request(server.server)
      .get(`/idp/apps/ringcentral/sso?SAMLRequest=${encodeURIComponent(bomb)}`)
      .set('accept', 'application/json');
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'SAML_MESSAGE_TOO_LARGE');
  });

  it('refuses a Redirect request that is not DEFLATE data', async () => {
    const res = await request(server.server)
      .get(`/idp/apps/ringcentral/sso?SAMLRequest=${encodeURIComponent(Buffer.from('<x/>').toString('base64'))}`)
      .set('accept', 'application/json');
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'SAML_MESSAGE_ENCODING');
  });

  it('answers an unknown application with IDP_APP_NOT_FOUND', async () => {
    const res = await request(server.server).get('/idp/apps/nope/metadata').set('accept', 'application/json');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'IDP_APP_NOT_FOUND');
  });

  it('answers an unknown account with SP_ACCOUNT_NOT_FOUND', async () => {
    const res = await admin(server, 'patch', '/sp/api/accounts/nope/sso').send({ enabled: true });
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'SP_ACCOUNT_NOT_FOUND');
  });

  describe('IdP metadata import', () => {
    let accountId: string;
    before(async () => {
      accountId = (await admin(server, 'post', '/sp/api/accounts').send({ name: 'Bad Input Corp' }).expect(201)).body.id;
    });
    afterEach(async () => {
      const account = await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200);
      assert.equal(account.body.sso.idp, undefined, 'nothing half-configured is saved');
    });

    it('gives up on a URL that does not answer in time', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: `${peer.url}/slow` });
      assert.equal(res.status, 502);
      assert.equal(res.body.error, 'METADATA_FETCH');
      assert.match(res.body.message, /did not answer within 300 ms/);
    });

    it('gives up on a URL whose document trickles in, with METADATA_FETCH rather than a 500', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: `${peer.url}/trickle` });
      assert.equal(res.status, 502);
      assert.equal(res.body.error, 'METADATA_FETCH');
      assert.match(res.body.message, /did not send the whole document within 300 ms/);
    });

    it('refuses a page that is not metadata', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: `${peer.url}/garbage` });
      assert.equal(res.status, 422);
      assert.equal(res.body.error, 'METADATA_INVALID');
    });

    it('stops reading a document past the size cap', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: `${peer.url}/huge` });
      assert.equal(res.status, 502);
      assert.match(res.body.message, /more than 65536 bytes/);
    });

    it('reports an HTTP error status', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: `${peer.url}/missing` });
      assert.equal(res.status, 502);
      assert.equal(res.body.received, 'HTTP 404');
    });

    it('refuses metadata with a DOCTYPE', async () => {
      const res = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`)
        .set('content-type', 'application/xml')
        .send('<!DOCTYPE x><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>');
      assert.equal(res.status, 422);
      assert.equal(res.body.error, 'METADATA_INVALID');
    });

    it('refuses to enable SSO before metadata is imported', async () => {
      const res = await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ enabled: true });
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'SP_SSO_NOT_CONFIGURED');
      const account = await admin(server, 'get', `/sp/api/accounts/${accountId}`).expect(200);
      assert.equal(account.body.sso.enabled, false);
    });
  });

  it('refuses an IdP entity ID another account already uses', async () => {
    const other = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Copycat Inc' }).expect(201);
    const metadata = await request(server.server).get('/idp/apps/ringcentral/metadata').expect(200);
    const res = await admin(server, 'post', `/sp/api/accounts/${other.body.id}/sso/idp-metadata`).send({ xml: metadata.text });
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'SP_IDP_ENTITY_TAKEN');
  });

  it('refuses the admin API without the token, and with a wrong one', async () => {
    const none = await request(server.server).get('/idp/api/users');
    assert.equal(none.status, 401);
    assert.equal(none.body.error, 'ADMIN_TOKEN');
    assert.match(none.headers['www-authenticate'] ?? '', /Bearer/);
    const wrong = await request(server.server).get('/sp/api/accounts').set('authorization', 'Bearer wrong-token');
    assert.equal(wrong.status, 401);
  });

  it('names each invalid field of a request body', async () => {
    const res = await admin(server, 'post', '/idp/api/users').send({ email: 'not-an-email', firstName: '', password: 'short' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'INPUT_INVALID');
    assert.ok(res.body.fields.email && res.body.fields.firstName && res.body.fields.lastName && res.body.fields.password);
  });

  it('refuses a duplicate IdP user email with CONFLICT', async () => {
    const res = await admin(server, 'post', '/idp/api/users').send({ email: 'ANN@acme.test', firstName: 'A', lastName: 'B', password: 'password-123' });
    assert.equal(res.status, 409);
  });

  it('answers malformed JSON with INPUT_INVALID', async () => {
    const res = await admin(server, 'post', '/idp/api/users').set('content-type', 'application/json').send('{"email":');
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'INPUT_INVALID');
  });

  for (const path of ['/sp/acs', '/sp/slo', '/idp/apps/ringcentral/sso', '/idp/apps/ringcentral/slo']) {
    it(`refuses at POST ${path} a form larger than the largest SAML message needs, with BODY_TOO_LARGE`, async () => {
      const value = 'A'.repeat(POST_MAX_ENCODED_BYTES + 1024);
      const res = await request(server.server).post(path).set('accept', 'application/json').type('form').send({ SAMLResponse: value, SAMLRequest: value });
      assert.equal(res.status, 413);
      assert.equal(res.body.error, 'BODY_TOO_LARGE');
    });
  }

  it('refuses at POST /sp/acs a message past the base64 cap that fits the form, with SAML_MESSAGE_TOO_LARGE', async () => {
    const res = await request(server.server)
      .post('/sp/acs')
      .set('accept', 'application/json')
      .type('form')
      .send({ SAMLResponse: 'A'.repeat(POST_MAX_ENCODED_BYTES + 4) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'SAML_MESSAGE_TOO_LARGE');
  });

  it('answers an oversized body with BODY_TOO_LARGE', async () => {
    const res = await admin(server, 'post', '/idp/api/users').send({ email: 'x@y.test', firstName: 'x'.repeat(40_000) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'BODY_TOO_LARGE');
  });

  it('refuses sign-in to an application whose <mydomain> placeholders were never replaced', async () => {
    const app = await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', id: 'unfinished' }).expect(201);
    assert.equal(app.body.ssoUrl.endsWith('/idp/apps/unfinished/sso'), true);
    const xml = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>x</saml:Issuer></samlp:AuthnRequest>`;
    const res = await request(server.server)
      .get(`/idp/apps/unfinished/sso?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`)
      .set('accept', 'application/json');
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'IDP_APP_INCOMPLETE');
    assert.match(res.body.message, /replace <mydomain>/);
  });

  it('escapes what it echoes into pages', async () => {
    const res = await request(server.server).get(`/sp/login?email=${encodeURIComponent('"><script>alert(1)</script>@x.test')}`);
    assert.doesNotMatch(res.text, /<script>alert/);
    assert.match(res.text, /&#34;&#62;&#60;script&#62;/);
    assert.match(res.headers['content-security-policy'] ?? '', /script-src 'nonce-/);
  });

  it('answers an unknown path with NOT_FOUND', async () => {
    const res = await request(server.server).get('/nowhere').set('accept', 'application/json');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'NOT_FOUND');
  });
});
