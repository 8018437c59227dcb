// The seed's Identity Management, JumpCloud flavour, end to end over HTTP against the harness's
// own SP: configure → SP sign-in → Authorize → verified; then provisioning, password expiry,
// import and the removal paths, checking the SP directory and the SSO outcome after each step.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_ACCOUNT, DEMO_APP_ID, DEMO_GROUP, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { activateFromOutbox, authorizeAtSp, heldSsoLogin, idle, spUser, spUsers, ssoLogin } from '../provisioning/idm-walk.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

const IDM = `/idp/api/apps/${DEMO_APP_ID}/idm`;
const ACCOUNT = `/sp/api/accounts/${DEMO_ACCOUNT.id}`;

describe('Identity Management (JumpCloud flavour), as the seed sets it up', () => {
  let server: RunningHarness;
  let groupId: string;
  let danaId: string;

  const idpUser = async (email: string) =>
    ((await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[]).find((u) => u.email === email);
  const jobsOf = async (email: string) =>
    (await admin(server, 'get', `${IDM}/jobs?user=${encodeURIComponent(email)}`).expect(200)).body as {
      action: string;
      status: string;
      note?: string;
      exchanges: { request: { method: string } }[];
    }[];

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    const groups = (await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[];
    groupId = groups.find((g) => g.name === DEMO_GROUP)?.id ?? '';
  });
  after(() => server.close());

  it('starts with Identity Management off', async () => {
    const res = await admin(server, 'get', IDM).expect(200);
    assert.equal(res.body.status, 'off');
    assert.equal(res.body.flavor, 'jumpcloud');
    assert.equal(res.body.apiBaseUrl, server.url);
  });

  it('fails with the SP\'s permission error when a plain SP user authorizes', async () => {
    await admin(server, 'post', `${ACCOUNT}/users`)
      .send({ email: 'pat@acme.test', firstName: 'Pat', lastName: 'Plain', role: 'user', password: 'pat-rc-password-1' })
      .expect(201);
    const { authorizeUrl } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
    const outcome = await authorizeAtSp(authorizeUrl, 'pat@acme.test', 'pat-rc-password-1');
    assert.equal(outcome.status, 403);
    assert.match(outcome.url, new RegExp(`/idp/apps/${DEMO_APP_ID}/idm/callback\\?error=access_denied`));
    assert.equal(outcome.error?.code, 'IDM_AUTHORIZATION_DENIED');
    assert.match(outcome.text, /User Admin or higher/);
    const view = (await admin(server, 'get', IDM).expect(200)).body;
    assert.equal(view.status, 'failed');
    assert.match(view.error.detail, /access_denied/);
  });

  it('verifies after the super-admin signs in at the SP and clicks Authorize', async () => {
    const configured = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body;
    assert.equal(configured.state.status, 'authorizing');
    const outcome = await authorizeAtSp(configured.authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
    assert.equal(outcome.status, 200);
    assert.match(outcome.text, /Identity Management integration successfully verified/);
    await idle(server);
    const view = (await admin(server, 'get', IDM).expect(200)).body;
    assert.equal(view.status, 'verified');
    assert.equal(view.authorized, true);
    assert.equal(JSON.stringify(view).includes('accessToken'), false);
    // The bound demo users already exist in the SP: they are matched by userName and managed from now on.
    assert.deepEqual((await jobsOf('bob@acme.test')).map((j) => [j.action, j.status]), [['update', 'succeeded']]);
  });

  it('creates a user who joins the bound group: pending with an activation email, then SSO works', async () => {
    danaId = (
      await admin(server, 'post', '/idp/api/users')
        .send({
          email: 'dana@acme.test', firstName: 'Dana', lastName: 'New', number: '+16505550104', department: 'Ops', password: 'dana-password-1',
          addresses: [{ type: 'work', locality: 'Belmont', region: 'CA', country: 'US' }],
        })
        .expect(201)
    ).body.id;
    await idle(server);
    assert.equal(await spUser(server, 'dana@acme.test'), undefined, 'not bound yet');
    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${danaId}`).expect(200);
    await idle(server);
    const created = await spUser(server, 'dana@acme.test');
    assert.equal(created?.status, 'pending');
    assert.equal(created?.createdVia, 'scim');
    assert.equal((await ssoLogin(server, 'dana@acme.test', 'dana-password-1')).error?.code, 'SP_USER_PENDING');
    assert.equal((await activateFromOutbox(server, 'dana@acme.test')).status, 'active');
    const login = await ssoLogin(server, 'dana@acme.test', 'dana-password-1');
    assert.equal(login.ok, true, JSON.stringify(login.error));
    assert.equal(login.session?.email, 'dana@acme.test');
  });

  it('pushes a name and department change to the SP record', async () => {
    await admin(server, 'patch', `/idp/api/users/${danaId}`).send({ lastName: 'Renamed', department: 'Finance' }).expect(200);
    await idle(server);
    const updated = await spUser(server, 'dana@acme.test');
    assert.deepEqual([updated?.lastName, updated?.department, updated?.status], ['Renamed', 'Finance', 'active']);
    assert.deepEqual((await jobsOf('dana@acme.test')).map((j) => j.action), ['create', 'update']);
    assert.equal((await ssoLogin(server, 'dana@acme.test', 'dana-password-1')).ok, true);
  });

  it('deactivates a user whose password expires (harness clock + sweep); the SP then refuses the assertion', async () => {
    const now = Date.parse((await admin(server, 'get', '/idp/api/clock').expect(200)).body.now);
    await admin(server, 'patch', `/idp/api/users/${danaId}`).send({ passwordExpiresAt: new Date(now + 60_000).toISOString() }).expect(200);
    const held = await heldSsoLogin(server, 'dana@acme.test', 'dana-password-1');
    server.config.clock.advance(2 * 60_000);
    await admin(server, 'post', '/idp/api/maintenance/sweep').expect(200);
    assert.equal((await admin(server, 'get', `/idp/api/users/${danaId}`).expect(200)).body.suspended, true);
    await idle(server);
    assert.equal((await spUser(server, 'dana@acme.test'))?.status, 'inactive');
    assert.deepEqual(await held.post(), { status: 403, code: 'SP_USER_INACTIVE' });
    assert.match((await ssoLogin(server, 'dana@acme.test', 'dana-password-1')).error?.message ?? '', /password expired/);
  });

  it('reactivates the user when the password is updated', async () => {
    await admin(server, 'patch', `/idp/api/users/${danaId}`).send({ password: 'dana-password-2' }).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'dana@acme.test'))?.status, 'active');
    assert.equal((await ssoLogin(server, 'dana@acme.test', 'dana-password-2')).ok, true);
    assert.deepEqual((await jobsOf('dana@acme.test')).map((j) => j.action).slice(-2), ['deactivate', 'reactivate']);
  });

  it('deactivates a user removed from the bound group', async () => {
    await admin(server, 'delete', `/idp/api/groups/${groupId}/members/${danaId}`).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'dana@acme.test'))?.status, 'inactive');
    assert.equal((await ssoLogin(server, 'dana@acme.test', 'dana-password-2')).error?.code, 'IDP_NOT_AUTHORIZED');
  });

  it('deletes the SP user when the IdP user is deleted (reactivating it first, as the SP requires)', async () => {
    await admin(server, 'delete', `/idp/api/users/${danaId}`).expect(204);
    await idle(server);
    assert.equal(await spUser(server, 'dana@acme.test'), undefined);
    const job = (await jobsOf('dana@acme.test')).at(-1);
    assert.equal(job?.action, 'delete');
    assert.equal(job?.status, 'succeeded');
    assert.deepEqual(job?.exchanges.map((x) => x.request.method), ['PATCH', 'DELETE']);
    assert.equal((await ssoLogin(server, 'dana@acme.test', 'dana-password-2')).ok, false);
  });

  it('lists SP-only users as New, imports them as Imported, and manages them only once in a bound group', async () => {
    await admin(server, 'post', `${ACCOUNT}/users`)
      .send({ email: 'sam@acme.test', firstName: 'Sam', lastName: 'Seller', department: 'Sales', role: 'user', addresses: [{ type: 'work', country: 'US' }] })
      .expect(201);
    const before = (await admin(server, 'get', `${IDM}/import`).expect(200)).body as { scimId: string; email: string; status: string }[];
    const sam = before.find((c) => c.email === 'sam@acme.test');
    assert.equal(sam?.status, 'New');
    assert.equal(before.find((c) => c.email === 'ann@acme.test')?.status, 'Imported');
    const imported = (await admin(server, 'post', `${IDM}/import`).send({ userIds: [sam?.scimId] }).expect(200)).body;
    assert.deepEqual(imported.results.map((r: { email: string; result: string }) => [r.email, r.result]), [['sam@acme.test', 'imported']]);
    const after = (await admin(server, 'get', `${IDM}/import`).expect(200)).body as { email: string; status: string }[];
    assert.equal(after.find((c) => c.email === 'sam@acme.test')?.status, 'Imported');

    const samId = (await idpUser('sam@acme.test'))?.id ?? '';
    // The IdP administrator completes the imported user: a password, and the `number` RingCentral's SSO needs.
    await admin(server, 'patch', `/idp/api/users/${samId}`)
      .send({ department: 'Marketing', number: '+16505550107', password: 'sam-password-1' })
      .expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'sam@acme.test'))?.department, 'Sales', 'not in a bound group: not managed');
    assert.deepEqual(await jobsOf('sam@acme.test'), []);
    assert.equal((await ssoLogin(server, 'sam@acme.test', 'sam-password-1')).error?.code, 'IDP_NOT_AUTHORIZED');

    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${samId}`).expect(200);
    await idle(server);
    assert.equal((await spUser(server, 'sam@acme.test'))?.department, 'Marketing');
    assert.match((await jobsOf('sam@acme.test'))[0]?.note ?? '', /existing SP user/);
    const samLogin = await ssoLogin(server, 'sam@acme.test', 'sam-password-1');
    assert.equal(samLogin.ok, true, JSON.stringify(samLogin.error));
  });

  it('imports over 100 users in the background and emails the IdP administrator when done', async () => {
    for (let i = 0; i < 101; i++) {
      await admin(server, 'post', `${ACCOUNT}/users`).send({ email: `bulk${i}@acme.test`, firstName: 'Bulk', lastName: `User ${i}` }).expect(201);
    }
    const started = await admin(server, 'post', `${IDM}/import`).send({ all: true }).expect(202);
    assert.equal(started.body.background, true);
    assert.equal(started.body.requested, 102, 'the 101 bulk users and pat');
    await idle(server);
    const outbox = (await admin(server, 'get', '/idp/api/outbox').expect(200)).body as { subject: string; text: string }[];
    assert.match(outbox.at(-1)?.subject ?? '', /import from RingCentral is complete/);
    assert.match(outbox.at(-1)?.text ?? '', /Imported: 102/);
    const list = (await admin(server, 'get', `${IDM}/import`).expect(200)).body as { status: string }[];
    assert.equal(list.filter((c) => c.status === 'New').length, 0);
  });

  it('stops updating after "Deactivate IdM connection", and SSO still works', async () => {
    const deactivated = (await admin(server, 'post', `${IDM}/deactivate`).expect(200)).body;
    assert.equal(deactivated.status, 'deactivated');
    const bob = await idpUser('bob@acme.test');
    await admin(server, 'patch', `/idp/api/users/${bob?.id}`).send({ lastName: 'Unseen' }).expect(200);
    await idle(server);
    const spBob = await spUser(server, 'bob@acme.test');
    assert.deepEqual([spBob?.lastName, spBob?.status], ['Builder', 'active']);
    assert.equal((await ssoLogin(server, 'bob@acme.test', 'bob-password-1')).ok, true);
    await admin(server, 'post', `${IDM}/sync`).expect(409);
  });

  it('leaves bound users active in the SP, with their pre-SSO password, when the application is deleted', async () => {
    await admin(server, 'delete', `/idp/api/apps/${DEMO_APP_ID}`).expect(204);
    await idle(server);
    const users = await spUsers(server);
    for (const email of ['ann@acme.test', 'bob@acme.test', 'sam@acme.test']) {
      assert.equal(users.find((u) => u.email === email)?.status, 'active', email);
    }
    const agent = request.agent(server.server);
    await agent.post('/sp/login/password').type('form').send({ email: 'ann@acme.test', password: 'ann-rc-password-1' }).expect(303);
    const home = await agent.get('/sp/home').set('accept', 'application/json').expect(200);
    assert.deepEqual([home.body.email, home.body.via], ['ann@acme.test', 'password']);
    await admin(server, 'get', IDM).expect(404);
  });
});
