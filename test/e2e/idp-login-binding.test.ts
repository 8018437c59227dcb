// A login in progress at the IdP belongs to one browser and one user: the sign-in page of a
// parked AuthnRequest, its scenario picker and the sign-in that answers it work only in the
// browser the SP sent there, and the replay scenario only resends a user's own previous response
// of the same IdP session.
import assert from 'node:assert/strict';
import request from 'supertest';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, autoPostFields, startTestServer } from '../support/harness.js';
import { startSpLogin } from '../support/sp-login.js';

describe('IdP logins in progress', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  /** Starts an SP-initiated login in `agent` and returns the pending key the IdP parked it under. */
  const startLogin = async (agent: ReturnType<typeof request.agent>, email: string): Promise<string> => {
    const { idp: sso } = await startSpLogin(agent, `/sp/login?email=${encodeURIComponent(email)}`);
    assert.equal(sso.status, 303);
    return new URL(sso.headers.location as string, server.url).searchParams.get('pending') ?? '';
  };

  it('never hands one user the previous response of another (replay-previous)', async () => {
    // Ann (a super admin at the SP) signs in; her response is the latest the application issued.
    const ann = await headlessLogin({ spBaseUrl: server.url, email: 'ann@acme.test', password: 'ann-password-1' });
    assert.equal(ann.ok, true, JSON.stringify(ann.error));
    // Bob picks the replay scenario on his own sign-in page.
    const bob = request.agent(server.server);
    const pending = await startLogin(bob, 'bob@acme.test');
    const answer = await bob
      .post('/idp/login')
      .set('accept', 'application/json')
      .type('form')
      .send({ login: 'bob@acme.test', password: 'bob-password-1', pending, scenario: 'replay-previous' });
    assert.doesNotMatch(answer.text, /SAMLResponse/, 'Bob was handed a response to replay');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'INPUT_INVALID');
    assert.doesNotMatch(JSON.stringify(answer.body), /ann@acme\.test/);
  });

  it('replays only the previous response of the same user in the same IdP session', async () => {
    const bob = request.agent(server.server);
    const pending = await startLogin(bob, 'bob@acme.test');
    const first = await bob.post('/idp/login').type('form').send({ login: 'bob@acme.test', password: 'bob-password-1', pending }).expect(200);
    const genuine = autoPostFields(first.text).SAMLResponse;
    // Bob's IdP session now answers the next login at once, with the replay queued for it.
    await request(server.server).put('/idp/api/next-response').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ scenario: 'replay-previous', app: 'ringcentral' }).expect(200);
    const { idp: replayed } = await startSpLogin(bob, '/sp/login?email=bob%40acme.test');
    assert.equal(replayed.status, 200);
    assert.equal(autoPostFields(replayed.text).SAMLResponse, genuine);
  });

  it('refuses to show or complete a parked login in another browser', async () => {
    const ann = request.agent(server.server);
    const pending = await startLogin(ann, 'ann@acme.test');
    const other = request.agent(server.server);
    const page = await other.get(`/idp/login?pending=${encodeURIComponent(pending)}`).set('accept', 'application/json');
    assert.equal(page.status, 403);
    assert.equal(page.body.error, 'IDP_LOGIN_OTHER_BROWSER');
    const signIn = await other
      .post('/idp/login')
      .set('accept', 'application/json')
      .type('form')
      .send({ login: 'bob@acme.test', password: 'bob-password-1', pending, scenario: 'valid' });
    assert.equal(signIn.status, 403);
    assert.equal(signIn.body.error, 'IDP_LOGIN_OTHER_BROWSER');
    assert.doesNotMatch(signIn.text, /SAMLResponse/);
    // The browser that brought the request still completes it.
    const own = await ann.post('/idp/login').type('form').send({ login: 'ann@acme.test', password: 'ann-password-1', pending }).expect(200);
    assert.ok(autoPostFields(own.text).SAMLResponse);
  });

  it('refuses a parked login in a browser that sends a forged browser cookie', async () => {
    const ann = request.agent(server.server);
    const pending = await startLogin(ann, 'ann@acme.test');
    const res = await request(server.server)
      .post('/idp/login')
      .set('accept', 'application/json')
      .set('cookie', `sso_harness_idp_browser=${'A'.repeat(32)}`)
      .type('form')
      .send({ login: 'bob@acme.test', password: 'bob-password-1', pending });
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'IDP_LOGIN_OTHER_BROWSER');
  });
});
