// The Entra ID flavour set up the way an administrator would: an Entra application for the SP,
// its federation metadata imported at the SP by URL, the email mapped to Entra's emailaddress
// claim (listed from the metadata), and an SP-initiated login through the tenant's saml2 endpoint.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { CLAIM } from '../../src/saml/urn.js';
import { admin, autoPostFields, startTestServer } from '../support/harness.js';

const TENANT = '38d49456-54d4-455d-a8d6-c383c71e0a6d';

const pathOf = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe('Entra ID application signing in to the SP', () => {
  let server: RunningHarness;

  beforeEach(async () => {
    server = await startTestServer({ idp: { entraTenantId: TENANT } });
  });
  afterEach(() => server.close());

  it('imports the federation metadata by URL, maps the emailaddress claim and logs in SP-initiated', async () => {
    const user = await admin(server, 'post', '/idp/api/users')
      .send({ email: 'ann@contoso.test', firstName: 'Ann', lastName: 'Entra', number: '+16505550100', password: 'Ann-password-1' })
      .expect(201);
    const host = new URL(server.url).host;
    const app = await admin(server, 'post', '/idp/api/apps')
      .send({ template: 'ringcentral', flavor: 'entra', displayLabel: 'RingCentral', mydomain: host, users: [user.body.id] })
      .expect(201);
    assert.equal(app.body.idpEntityId, `https://sts.windows.net/${TENANT}/`);
    assert.match(app.body.metadataUrl, new RegExp(`^${server.url}/idp/entra/${TENANT}/federationmetadata/2007-06/federationmetadata\\.xml\\?appid=[0-9a-f-]{36}$`));
    assert.equal(app.body.ssoUrl, `${server.url}/idp/entra/${TENANT}/saml2`);

    const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Contoso' }).expect(201);
    const accountId: string = account.body.id;
    await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
      .send({ email: 'ann@contoso.test', firstName: 'Ann', lastName: 'Entra', password: 'sp-password-1' })
      .expect(201);
    const imported = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: app.body.metadataUrl }).expect(200);
    assert.equal(imported.body.parsed.entityId, `https://sts.windows.net/${TENANT}/`);
    // "Map Email Attribute to" lists what the metadata offers: Entra's claim URIs.
    assert.ok(imported.body.parsed.attributes.includes(CLAIM.emailAddress), imported.body.parsed.attributes.join(', '));
    await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ emailMapping: { kind: 'attribute', name: CLAIM.emailAddress } }).expect(200);
    const spMetadata = await request(server.server).get('/sp/metadata').expect(200);
    await admin(server, 'put', `/idp/api/apps/${app.body.id}/sp-metadata`).set('content-type', 'application/xml').send(spMetadata.text).expect(200);
    await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ enabled: true, loginMode: 'sso-only' }).expect(200);

    const agent = request.agent(server.server);
    const start = await agent.get('/sp/login?email=ann%40contoso.test').expect(302);
    assert.ok((start.headers.location as string).startsWith(`${server.url}/idp/entra/${TENANT}/saml2?SAMLRequest=`), start.headers.location);
    const sso = await agent.get(pathOf(start.headers.location as string)).expect(303);
    const pending = new URL(sso.headers.location as string, server.url).searchParams.get('pending');
    const login = await agent.post('/idp/login').type('form').send({ login: 'ann@contoso.test', password: 'Ann-password-1', pending }).expect(200);
    const form = autoPostFields(login.text);
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
    assert.match(xml, new RegExp(`<saml:Issuer>https://sts\\.windows\\.net/${TENANT}/</saml:Issuer>`));
    assert.match(xml, /<saml:Attribute Name="http:\/\/schemas\.xmlsoap\.org\/ws\/2005\/05\/identity\/claims\/emailaddress">/);
    const acs = await agent.post(pathOf(form.action)).type('form').send({ SAMLResponse: form.SAMLResponse, ...(form.RelayState && { RelayState: form.RelayState }) });
    assert.equal(acs.status, 303, acs.text.slice(0, 300));
    const home = await agent.get('/sp/home').expect(200);
    assert.match(home.text, /ann@contoso\.test/);
  });

  it('refuses an AuthnRequest at the tenant endpoint whose Issuer no Entra application has', async () => {
    const sp = 'urn:no-such-sp';
    const xml = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x1" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer>${sp}</saml:Issuer></samlp:AuthnRequest>`;
    const res = await request(server.server)
      .post(`/idp/entra/${TENANT}/saml2`)
      .set('accept', 'application/json')
      .type('form')
      .send({ SAMLRequest: Buffer.from(xml).toString('base64') })
      .expect(404);
    assert.equal(res.body.error, 'IDP_ENTRA_APP_UNKNOWN');
    assert.equal(res.body.received, sp);
  });
});
