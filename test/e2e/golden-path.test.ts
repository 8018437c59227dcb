import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { decodePostMessage } from '../../src/saml/encoding.js';
import { admin, autoPostFields, startTestServer } from '../support/harness.js';
import { startSpLogin } from '../support/sp-login.js';

const pathOf = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};

interface Wired {
  appId: string;
  accountId: string;
  groupId: string;
  users: Record<string, string>;
}

/** The seed's setup sequence, step by step, through the admin APIs. */
async function wireSeedSequence(server: RunningHarness): Promise<Wired> {
  const users: Record<string, string> = {};
  for (const [email, first] of [
    ['ann@acme.test', 'Ann'],
    ['bob@acme.test', 'Bob'],
    ['carol@acme.test', 'Carol'],
  ] as const) {
    const res = await admin(server, 'post', '/idp/api/users')
      .send({ email, firstName: first, lastName: 'Test', number: '+16505550100', password: `${first}-password-1` })
      .expect(201);
    users[email] = res.body.id;
  }
  const group = await admin(server, 'post', '/idp/api/groups').send({ name: 'RingCentral Users' }).expect(201);
  await admin(server, 'put', `/idp/api/groups/${group.body.id}/members/${users['ann@acme.test']}`).expect(200);
  await admin(server, 'put', `/idp/api/groups/${group.body.id}/members/${users['bob@acme.test']}`).expect(200);

  // JumpCloud 1: add RingCentral from the catalogue; the template brings <mydomain> and the attributes.
  const created = await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', displayLabel: 'RingCentral' }).expect(201);
  assert.deepEqual(created.body.missing, ['SP Entity ID (replace <mydomain>)', 'ACS URL (replace <mydomain>)']);
  assert.deepEqual(
    created.body.attributes.map((a: { name: string }) => a.name),
    ['email', 'number'],
  );
  const host = new URL(server.url).host;
  const app = await admin(server, 'patch', `/idp/api/apps/${created.body.id}`).send({ mydomain: host }).expect(200);
  assert.deepEqual(app.body.missing, []);
  assert.equal(app.body.sp.acs[0].url, `http://${host}/sp/acs`);
  const metadataUrl: string = app.body.metadataUrl;

  // RingCentral 1: Upload IdP Metadata by URL → Import; Map Email Attribute to Custom `email`; Save; Download.
  const account = await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme Corp' }).expect(201);
  const accountId: string = account.body.id;
  for (const email of Object.keys(users)) {
    await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
      .send({ email, firstName: 'X', lastName: 'Test', password: 'sp-password-1' })
      .expect(201);
  }
  const imported = await admin(server, 'post', `/sp/api/accounts/${accountId}/sso/idp-metadata`).send({ url: metadataUrl }).expect(200);
  assert.equal(imported.body.parsed.entityId, app.body.idpEntityId);
  assert.deepEqual(imported.body.parsed.attributes, ['email', 'number']);
  assert.equal(imported.body.parsed.certificates[0].keyBits, 2048);
  await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ emailMapping: { kind: 'custom', name: 'email' } }).expect(200);
  const spMetadata = await request(server.server).get('/sp/metadata?download').expect(200);
  assert.match(spMetadata.headers['content-disposition'] ?? '', /attachment/);

  // JumpCloud 2: Upload Metadata on the SSO tab.
  const uploaded = await admin(server, 'put', `/idp/api/apps/${app.body.id}/sp-metadata`)
    .set('content-type', 'application/xml')
    .send(spMetadata.text)
    .expect(200);
  assert.equal(uploaded.body.sp.authnRequestsSigned, true);

  // RingCentral 2: Enable SSO; Manage Your Login.
  await admin(server, 'patch', `/sp/api/accounts/${accountId}/sso`).send({ enabled: true, loginMode: 'sso-or-password' }).expect(200);

  // Authorize user access: bind the group.
  await admin(server, 'put', `/idp/api/apps/${app.body.id}/groups/${group.body.id}`).expect(200);
  return { appId: app.body.id, accountId, groupId: group.body.id, users };
}

/** A browser: SP login → IdP → login form → auto-post → ACS. Returns the ACS response. */
async function browserLogin(server: RunningHarness, email: string, password: string, opts: { post?: boolean; account?: string } = {}) {
  const agent = request.agent(server.server);
  const started = await startSpLogin(agent, opts.account ? `/sp/login?account=${opts.account}` : `/sp/login?email=${encodeURIComponent(email)}`);
  // JumpCloud's metadata lists only HTTP-POST: the SP posts its request, signed in the message.
  assert.equal(started.binding, 'post');
  assert.match(started.ssoUrl, /\/idp\/apps\/[^/]+\/sso$/);
  assert.match(decodePostMessage(started.fields.SAMLRequest ?? ''), /SignatureValue>/, 'signed in the message');
  const sso = started.idp;
  assert.equal(sso.status, 303);
  const pending = new URL(sso.headers.location as string, server.url).searchParams.get('pending');
  const login = await agent.post('/idp/login').type('form').send({ login: email, password, pending });
  if (login.status !== 200 || !login.text.includes('SAMLResponse')) return { agent, idp: login, acs: undefined };
  const form = autoPostFields(login.text);
  if (opts.post === false) return { agent, idp: login, acs: undefined, form };
  const acs = await agent
    .post(pathOf(form.action))
    .type('form')
    .send({ SAMLResponse: form.SAMLResponse, ...(form.RelayState && { RelayState: form.RelayState }) });
  return { agent, idp: login, acs, form };
}

describe('SP-initiated SSO, configured as the seed describes', () => {
  let server: RunningHarness;
  let wired: Wired;

  beforeEach(async () => {
    server = await startTestServer();
    wired = await wireSeedSequence(server);
  });
  afterEach(() => server.close());

  it('signs a bound user in and lands on /sp/home with the email and NameID', async () => {
    const { agent, acs } = await browserLogin(server, 'ann@acme.test', 'Ann-password-1');
    assert.equal(acs?.status, 303);
    assert.equal(acs?.headers.location, '/sp/home');
    const home = await agent.get('/sp/home').expect(200);
    assert.match(home.text, /id="email">ann@acme\.test</);
    assert.match(home.text, /id="nameid">ann@acme\.test</);
    const json = await agent.get('/sp/home').set('accept', 'application/json').expect(200);
    assert.equal(json.body.via, 'sso');
    assert.deepEqual(json.body.attributes.number, ['+16505550100']);
  });

  it('denies a user whose group is not bound, without issuing an assertion', async () => {
    const { idp, acs } = await browserLogin(server, 'carol@acme.test', 'Carol-password-1');
    assert.equal(acs, undefined);
    assert.equal(idp.status, 403);
    assert.match(idp.text, /not authorized for this application/i);
    assert.doesNotMatch(idp.text, /SAMLResponse/);
    const traces = await admin(server, 'get', '/debug/api/traces').expect(200);
    const sent = traces.body.filter((t: { side: string; kind: string }) => t.side === 'idp' && t.kind === 'Response');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].error.code, 'IDP_NOT_AUTHORIZED');
    assert.equal(sent[0].xml, undefined);
  });

  it('explains a wrong email mapping and names the setting to change', async () => {
    await admin(server, 'patch', `/sp/api/accounts/${wired.accountId}/sso`).send({ emailMapping: { kind: 'custom', name: 'mail' } }).expect(200);
    const { acs } = await browserLogin(server, 'ann@acme.test', 'Ann-password-1');
    assert.equal(acs?.status, 401);
    assert.match(acs?.text ?? '', /SAML_ATTRIBUTE_EMAIL/);
    assert.match(acs?.text ?? '', /Map Email Attribute to/);
    assert.match(acs?.text ?? '', /email, number/);
  });

  it('refuses a response that arrives after SSO was disabled, and sends users to the password form', async () => {
    const { agent, form } = await browserLogin(server, 'ann@acme.test', 'Ann-password-1', { post: false });
    await admin(server, 'patch', `/sp/api/accounts/${wired.accountId}/sso`).send({ enabled: false }).expect(200);
    const late = await agent
      .post('/sp/acs')
      .set('accept', 'application/json')
      .type('form')
      .send({ SAMLResponse: form?.SAMLResponse });
    assert.equal(late.status, 403);
    assert.equal(late.body.error, 'SP_SSO_DISABLED');
    assert.equal(late.body.fix.setting, 'Enable SSO');
    const page = await request(server.server).get('/sp/login?email=ann%40acme.test').expect(200);
    assert.match(page.text, /Sign in with your password/);
  });

  it('refuses SP-initiated login once SSO is disabled, with the setting to change', async () => {
    await admin(server, 'patch', `/sp/api/accounts/${wired.accountId}/sso`).send({ enabled: false }).expect(200);
    const res = await request(server.server).get(`/sp/login?account=${wired.accountId}`).expect(200);
    assert.match(res.text, /Sign in with your password/);
    const started = await request(server.server).get('/sp/home').set('accept', 'application/json').expect(401);
    assert.equal(started.body.error, 'SP_NOT_SIGNED_IN');
  });

  it('allows password login in "SSO or password" mode', async () => {
    const agent = request.agent(server.server);
    await agent.post('/sp/login/password').type('form').send({ email: 'bob@acme.test', password: 'sp-password-1' }).expect(303);
    const home = await agent.get('/sp/home').set('accept', 'application/json').expect(200);
    assert.equal(home.body.via, 'password');
  });

  it('refuses password login in "SSO only" mode and names the setting', async () => {
    await admin(server, 'patch', `/sp/api/accounts/${wired.accountId}/sso`).send({ loginMode: 'sso-only' }).expect(200);
    const res = await request(server.server)
      .post('/sp/login/password')
      .set('accept', 'application/json')
      .type('form')
      .send({ email: 'bob@acme.test', password: 'sp-password-1' })
      .expect(403);
    assert.equal(res.body.error, 'SP_PASSWORD_LOGIN_DISABLED');
    assert.equal(res.body.fix.setting, 'Manage Your Login');
  });

  it('refuses a wrong SP password', async () => {
    const res = await request(server.server)
      .post('/sp/login/password')
      .set('accept', 'application/json')
      .type('form')
      .send({ email: 'bob@acme.test', password: 'nope-nope-nope' })
      .expect(401);
    assert.equal(res.body.error, 'SP_BAD_CREDENTIALS');
  });

  it('shows the login form again after a wrong IdP password', async () => {
    const agent = request.agent(server.server);
    const { idp: sso } = await startSpLogin(agent, '/sp/login?email=ann%40acme.test');
    assert.equal(sso.status, 303);
    const pending = new URL(sso.headers.location as string, server.url).searchParams.get('pending');
    const res = await agent.post('/idp/login').type('form').send({ login: 'ann@acme.test', password: 'wrong-password', pending }).expect(401);
    assert.match(res.text, /wrong email\/username or password/);
    assert.match(res.text, /name="pending"/);
  });

  it('reuses the IdP session for a second login without asking for the password again', async () => {
    const { agent } = await browserLogin(server, 'ann@acme.test', 'Ann-password-1');
    const { idp: sso } = await startSpLogin(agent, '/sp/login?email=ann%40acme.test');
    assert.equal(sso.status, 200);
    const form = autoPostFields(sso.text);
    await agent.post(pathOf(form.action)).type('form').send({ SAMLResponse: form.SAMLResponse }).expect(303);
  });
  for (const [status, code] of [
    ['pending', 'SP_USER_PENDING'],
    ['inactive', 'SP_USER_INACTIVE'],
  ] as const) {
    it(`refuses SSO for a ${status} directory user with ${code}`, async () => {
      const users = await admin(server, 'get', `/sp/api/accounts/${wired.accountId}/users`).expect(200);
      const bob = users.body.find((u: { email: string }) => u.email === 'bob@acme.test');
      await admin(server, 'patch', `/sp/api/accounts/${wired.accountId}/users/${bob.id}`).send({ status }).expect(200);
      const { acs } = await browserLogin(server, 'bob@acme.test', 'Bob-password-1');
      assert.equal(acs?.status, 403);
      assert.match(acs?.text ?? '', new RegExp(code));
    });
  }

  it('refuses SSO for a user deleted from the SP directory with SP_USER_NOT_FOUND', async () => {
    const users = await admin(server, 'get', `/sp/api/accounts/${wired.accountId}/users`).expect(200);
    const bob = users.body.find((u: { email: string }) => u.email === 'bob@acme.test');
    await admin(server, 'delete', `/sp/api/accounts/${wired.accountId}/users/${bob.id}`).expect(204);
    const { acs } = await browserLogin(server, 'bob@acme.test', 'Bob-password-1', { account: wired.accountId });
    assert.equal(acs?.status, 403);
    assert.match(acs?.text ?? '', /SP_USER_NOT_FOUND/);
    assert.match(acs?.text ?? '', /never provisioned, or deleted\): provision the user from the IdP/);
    assert.match(acs?.text ?? '', new RegExp(`/sp/admin/accounts/${wired.accountId}/users`), 'the way forward names the Users page');
    const trace = /<a href="(\/debug\/flows\/[^"]+)">See the trace of this login<\/a>/.exec(acs?.text ?? '')?.[1];
    assert.ok(trace, 'the error page links to the trace of this login');
    const flow = await admin(server, 'get', `/debug/api/traces?flow=${trace.slice('/debug/flows/'.length)}`).expect(200);
    assert.match(JSON.stringify(flow.body), /SP_USER_NOT_FOUND/);
  });
});
