import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { authorizeAtSp } from '../provisioning/idm-walk.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

const IDM = `/idp/api/apps/${DEMO_APP_ID}/idm`;

describe('Identity Management admin API and callback', () => {
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  it('needs the admin token', async () => {
    const res = await request(server.server).get(IDM).expect(401);
    assert.equal(res.body.error, 'ADMIN_TOKEN');
  });

  it('answers IDP_APP_NOT_FOUND for an unknown application', async () => {
    assert.equal((await admin(server, 'get', '/idp/api/apps/nope/idm').expect(404)).body.error, 'IDP_APP_NOT_FOUND');
    assert.equal((await admin(server, 'post', '/idp/api/apps/nope/idm/configure').send({}).expect(404)).body.error, 'IDP_APP_NOT_FOUND');
  });

  it('refuses import and sync before the integration is verified', async () => {
    for (const [method, path] of [
      ['get', `${IDM}/import`],
      ['post', `${IDM}/import`],
      ['post', `${IDM}/sync`],
    ] as const) {
      const res = await admin(server, method, path).send({ all: true }).expect(409);
      assert.equal(res.body.error, 'IDM_NOT_VERIFIED', path);
      assert.equal(res.body.fix.setting, 'Identity Management tab: configure');
    }
  });

  it('refuses a configuration with an unknown flavour or a non-http API URL', async () => {
    const res = await admin(server, 'post', `${IDM}/configure`).send({ flavor: 'onelogin', apiBaseUrl: 'ftp://x' }).expect(400);
    assert.equal(res.body.error, 'INPUT_INVALID');
    assert.deepEqual(Object.keys(res.body.fields).sort(), ['apiBaseUrl', 'flavor']);
  });

  it('shows the failure page for a callback whose state it never issued, leaving the integration as it was', async () => {
    await admin(server, 'post', `${IDM}/configure`).send({}).expect(200);
    const page = await request(server.server).get(`/idp/apps/${DEMO_APP_ID}/idm/callback?code=x&state=forged`).expect(400);
    assert.match(page.text, /Identity Management authorization failed/);
    assert.match(page.text, /IDM_STATE_INVALID/);
    assert.equal((await admin(server, 'get', IDM).expect(200)).body.status, 'authorizing');
  });

  it('lets one application use the Okta flavour on a JumpCloud harness', async () => {
    const { authorizeUrl, state } = (await admin(server, 'post', `${IDM}/configure`).send({ flavor: 'okta' }).expect(200)).body;
    assert.equal(state.flavor, 'okta');
    const outcome = await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
    assert.equal(outcome.status, 200);
    const view = (await admin(server, 'get', IDM).expect(200)).body;
    assert.deepEqual([view.status, view.flavor], ['verified', 'okta']);
    await admin(server, 'post', '/idp/api/maintenance/idle').expect(200);
    const jobs = (await admin(server, 'get', `${IDM}/jobs`).expect(200)).body as { exchanges: { request: { headers: Record<string, string> } }[] }[];
    assert.ok(jobs.length > 0);
    assert.ok(jobs.every((j) => j.exchanges.every((x) => x.request.headers['user-agent'] === 'Okta SCIM Client 1.0.0')));
  });

  it('runs the password-expiry sweep on demand, suspending each expired user once', async () => {
    const users = (await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[];
    const carol = users.find((u) => u.email === 'carol@acme.test');
    await admin(server, 'patch', `/idp/api/users/${carol?.id}`).send({ passwordExpiresAt: '2000-01-01T00:00:00Z' }).expect(200);
    // (The server's own once-a-minute sweep may have got there first: judge by the user, not by the list.)
    const swept = (await admin(server, 'post', '/idp/api/maintenance/sweep').expect(200)).body;
    assert.ok(Array.isArray(swept.expired));
    const after = (await admin(server, 'get', `/idp/api/users/${carol?.id}`).expect(200)).body;
    assert.deepEqual([after.suspended, after.passwordExpired], [true, true]);
    assert.deepEqual((await admin(server, 'post', '/idp/api/maintenance/sweep').expect(200)).body.expired, []);
  });

  it('sweeps on its own at the configured interval (idp.passwordSweepIntervalSec)', async function () {
    this.timeout(10_000);
    const quick = await startTestServer({ idp: { passwordSweepIntervalSec: 1 } });
    try {
      const created = await admin(quick, 'post', '/idp/api/users')
        .send({ email: 'sweep@acme.test', firstName: 'S', lastName: 'W', password: 'sweep-password-1', passwordExpiresAt: '2000-01-01T00:00:00Z' })
        .expect(201);
      let user = created.body;
      for (let i = 0; i < 40 && !user.suspended; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        user = (await admin(quick, 'get', `/idp/api/users/${created.body.id}`).expect(200)).body;
      }
      assert.deepEqual([user.suspended, user.passwordExpired], [true, true]);
    } finally {
      await quick.close();
    }
  });
});
