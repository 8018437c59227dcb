// The Okta flavour of Identity Management against the harness's SP: Okta's call sequence
// (filter GET with paging, POST, GET+PUT, path-less PATCH active:false, never DELETE, its
// User-Agent), walked through the same seed steps, checking the SP directory and SSO each time.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_ACCOUNT, DEMO_APP_ID, DEMO_GROUP, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { activateFromOutbox, authorizeAtSp, heldSsoLogin, idle, spUser, spUsers, ssoLogin } from '../provisioning/idm-walk.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

const IDM = `/idp/api/apps/${DEMO_APP_ID}/idm`;
const ACCOUNT = `/sp/api/accounts/${DEMO_ACCOUNT.id}`;

interface LoggedJob {
  action: string;
  status: string;
  exchanges: { request: { method: string; url: string; headers: Record<string, string> } }[];
}

describe('Identity Management (Okta flavour), as the seed sets it up', () => {
  let server: RunningHarness;
  let groupId: string;
  let olgaId: string;

  const jobsOf = async (user: string) => (await admin(server, 'get', `${IDM}/jobs?user=${encodeURIComponent(user)}`).expect(200)).body as LoggedJob[];
  const calls = (jobs: LoggedJob[]) => jobs.flatMap((j) => j.exchanges.map((x) => `${x.request.method} ${new URL(x.request.url).pathname.replace(/\/Users\/.+$/, '/Users/:id')}`));

  before(async () => {
    server = await startTestServer({ idpFlavor: 'okta' });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    const groups = (await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[];
    groupId = groups.find((g) => g.name === DEMO_GROUP)?.id ?? '';
  });
  after(() => server.close());

  it('fails with the SP\'s permission error when a plain SP user authenticates with RingCentral', async () => {
    await admin(server, 'post', `${ACCOUNT}/users`)
      .send({ email: 'pat@acme.test', firstName: 'Pat', lastName: 'Plain', role: 'user', password: 'pat-rc-password-1' })
      .expect(201);
    const { authorizeUrl } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
    const outcome = await authorizeAtSp(authorizeUrl, 'pat@acme.test', 'pat-rc-password-1');
    assert.equal(outcome.error?.code, 'IDM_AUTHORIZATION_DENIED');
    assert.equal((await admin(server, 'get', IDM).expect(200)).body.status, 'failed');
  });

  it('verifies after the super-admin authenticates, and matches the bound users with Okta\'s filter GET', async () => {
    const { authorizeUrl, state } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
    assert.equal(state.flavor, 'okta');
    const outcome = await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
    assert.match(outcome.text, /Identity Management integration successfully verified/);
    await idle(server);
    assert.equal((await admin(server, 'get', IDM).expect(200)).body.status, 'verified');
    const [job] = await jobsOf('ann@acme.test');
    assert.equal(job?.exchanges[0]?.request.url, `${server.url}/scim/v2/Users?filter=userName%20eq%20%22ann%40acme.test%22&startIndex=1&count=100`);
    assert.deepEqual(calls([job!]), ['GET /scim/v2/Users', 'GET /scim/v2/Users/:id', 'PUT /scim/v2/Users/:id']);
  });

  it('creates a user assigned through the bound group (pending until activated), then SSO works', async () => {
    olgaId = (
      await admin(server, 'post', '/idp/api/users')
        .send({
          email: 'olga@acme.test', firstName: 'Olga', lastName: 'Okta', number: '+16505550105', department: 'Ops', password: 'olga-password-1',
          addresses: [{ type: 'work', locality: 'London', country: 'GB' }],
        })
        .expect(201)
    ).body.id;
    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${olgaId}`).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'pending');
    assert.equal((await ssoLogin(server, 'olga@acme.test', 'olga-password-1')).error?.code, 'SP_USER_PENDING');
    await activateFromOutbox(server, 'olga@acme.test');
    assert.equal((await ssoLogin(server, 'olga@acme.test', 'olga-password-1')).ok, true);
    const jobs = await jobsOf(olgaId);
    assert.deepEqual(calls(jobs), ['GET /scim/v2/Users', 'POST /scim/v2/Users']);
    assert.ok(jobs[0]?.exchanges.every((x) => x.request.headers['user-agent'] === 'Okta SCIM Client 1.0.0'));
  });

  it('updates with GET then PUT', async () => {
    await admin(server, 'patch', `/idp/api/users/${olgaId}`).send({ firstName: 'Olga-Marie', department: 'Finance' }).expect(200);
    await idle(server);
    const sp = await spUser(server, 'olga@acme.test');
    assert.deepEqual([sp?.firstName, sp?.department], ['Olga-Marie', 'Finance']);
    assert.deepEqual(calls((await jobsOf(olgaId)).slice(-1)), ['GET /scim/v2/Users/:id', 'PUT /scim/v2/Users/:id']);
  });

  it('deactivates on password expiry with a path-less PATCH, and the SP refuses the assertion', async () => {
    const now = Date.parse((await admin(server, 'get', '/idp/api/clock').expect(200)).body.now);
    await admin(server, 'patch', `/idp/api/users/${olgaId}`).send({ passwordExpiresAt: new Date(now + 30_000).toISOString() }).expect(200);
    const held = await heldSsoLogin(server, 'olga@acme.test', 'olga-password-1');
    server.config.clock.advance(60_000);
    await admin(server, 'post', '/idp/api/maintenance/sweep').expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'inactive');
    assert.deepEqual(await held.post(), { status: 403, code: 'SP_USER_INACTIVE' });
    const [job] = (await jobsOf(olgaId)).slice(-1);
    assert.deepEqual([job?.action, calls([job!])], ['deactivate', ['PATCH /scim/v2/Users/:id']]);
  });

  it('reactivates when the password is updated', async () => {
    await admin(server, 'patch', `/idp/api/users/${olgaId}`).send({ password: 'olga-password-2' }).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'active');
    assert.equal((await ssoLogin(server, 'olga@acme.test', 'olga-password-2')).ok, true);
  });

  it('deactivates a user removed from the bound group', async () => {
    await admin(server, 'delete', `/idp/api/groups/${groupId}/members/${olgaId}`).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'inactive');
    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${olgaId}`).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'active');
  });

  it('only deactivates the SP user when the IdP user is deleted, and never sends DELETE', async () => {
    await admin(server, 'delete', `/idp/api/users/${olgaId}`).expect(204);
    await idle(server);
    assert.equal((await spUser(server, 'olga@acme.test'))?.status, 'inactive');
    const jobs = await jobsOf(olgaId);
    assert.equal(jobs.at(-1)?.action, 'deactivate');
    assert.deepEqual(calls(jobs).filter((c) => c.startsWith('DELETE')), []);
    const all = (await admin(server, 'get', `${IDM}/jobs`).expect(200)).body as LoggedJob[];
    assert.deepEqual(calls(all).filter((c) => c.startsWith('DELETE')), []);
  });

  it('imports an SP-only user and manages it once it is in a bound group', async () => {
    await admin(server, 'post', `${ACCOUNT}/users`)
      .send({ email: 'quinn@acme.test', firstName: 'Quinn', lastName: 'Quiet', department: 'Legal', addresses: [{ type: 'work', country: 'US' }] })
      .expect(201);
    const quinn = ((await admin(server, 'get', `${IDM}/import`).expect(200)).body as { scimId: string; email: string; status: string }[]).find((c) => c.email === 'quinn@acme.test');
    assert.equal(quinn?.status, 'New');
    const result = (await admin(server, 'post', `${IDM}/import`).send({ userIds: [quinn?.scimId] }).expect(200)).body;
    const quinnId: string = result.results[0].idpUserId;
    await admin(server, 'patch', `/idp/api/users/${quinnId}`).send({ department: 'Compliance', number: '+16505550108', password: 'quinn-password-1' }).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'quinn@acme.test'))?.department, 'Legal');
    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${quinnId}`).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'quinn@acme.test'))?.department, 'Compliance');
    assert.equal((await ssoLogin(server, 'quinn@acme.test', 'quinn-password-1')).ok, true);
  });

  it('stops updating after deactivating IdM, and SSO still works', async () => {
    await admin(server, 'post', `${IDM}/deactivate`).expect(200);
    const bob = ((await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[]).find((u) => u.email === 'bob@acme.test');
    await admin(server, 'patch', `/idp/api/users/${bob?.id}`).send({ department: 'Unseen' }).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'bob@acme.test'))?.department, 'Sales');
    assert.equal((await ssoLogin(server, 'bob@acme.test', 'bob-password-1')).ok, true);
  });

  it('leaves bound users active with their pre-SSO password when the application is deleted', async () => {
    await admin(server, 'delete', `/idp/api/apps/${DEMO_APP_ID}`).expect(204);
    await idle(server);
    const users = await spUsers(server);
    assert.deepEqual(['ann@acme.test', 'bob@acme.test', 'quinn@acme.test'].map((e) => users.find((u) => u.email === e)?.status), ['active', 'active', 'active']);
    await request(server.server).post('/sp/login/password').type('form').send({ email: 'ann@acme.test', password: 'ann-rc-password-1' }).expect(303);
  });
});
