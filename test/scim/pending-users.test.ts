// A pending user (activation email not used yet) under SCIM: a deactivation is carried out, never
// acknowledged and dropped; a clash with another user's userName is answered as a clash first;
// and the pending refusal says how the user becomes active and which rule to switch off.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, patchOp, rcUser, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe('SCIM on a pending user', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  let n = 0;
  const email = (): string => `pending${++n}@acme.test`;
  const stored = async (id: string) => (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/users/${id}`).expect(200)).body;
  const activationLink = async (to: string): Promise<string> => {
    const outbox = (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/outbox`).expect(200)).body as { to: string; link: string }[];
    const message = outbox.find((m) => m.to === to);
    assert.ok(message, `an activation email to ${to}`);
    return new URL(message.link).pathname;
  };
  const pendingUser = async (address = email()) => (await t.scim('post', '/Users').send(rcUser(address)).expect(201)).body;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    t = await scimTarget(server);
  });
  after(() => server.close());

  describe('with pendingOnlyDeletable off', () => {
    beforeEach(() => t.rules({ pendingOnlyDeletable: false }));

    it('PATCH active false deactivates the user, and its activation link then says why it no longer works', async () => {
      const user = await pendingUser();
      const link = await activationLink(user.userName);
      const res = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'active', value: false })).expect(200);
      assert.equal(res.body.active, false);
      assert.equal((await stored(user.id)).status, 'inactive');
      const refused = await request(server.server).post(link).set('accept', 'application/json').send({}).expect(404);
      assert.match(JSON.stringify(refused.body), /deactivated before the link was used.*reactivating the user/);
      assert.equal((await stored(user.id)).status, 'inactive');
    });

    it("reads Entra's string \"False\" with a capitalised op as a deactivation", async () => {
      const user = await pendingUser();
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
      assert.equal((await stored(user.id)).status, 'inactive');
    });

    it('PUT with active false deactivates the user', async () => {
      const user = await pendingUser();
      await t.scim('put', `/Users/${user.id}`).send(rcUser(user.userName, { active: false })).expect(200);
      assert.equal((await stored(user.id)).status, 'inactive');
    });

    it('a PATCH that leaves active alone keeps the user pending, and its link still activates it', async () => {
      const user = await pendingUser();
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'name.givenName', value: 'Amazing' })).expect(200);
      assert.equal((await stored(user.id)).status, 'pending');
      await request(server.server).post(await activationLink(user.userName)).type('form').send({}).expect(200);
      assert.equal((await stored(user.id)).status, 'active');
    });

    it('reactivating a user deactivated while pending makes it pending again, and the same link then activates it', async () => {
      const user = await pendingUser();
      const link = await activationLink(user.userName);
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'active', value: false })).expect(200);
      const back = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', value: { active: true } })).expect(200);
      assert.equal(back.body.active, false);
      assert.equal((await stored(user.id)).status, 'pending');
      await request(server.server).post(link).type('form').send({}).expect(200);
      assert.equal((await stored(user.id)).status, 'active');
    });
  });

  describe('with pendingOnlyDeletable on (the default)', () => {
    it('refuses PATCH active false with a 409 that names the activation link, the outbox and the rule', async () => {
      const user = await pendingUser();
      const res = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'active', value: false })).expect(409);
      assert.equal(res.body.status, '409');
      assert.equal(res.body.scimType, undefined);
      assert.match(res.body.detail, /becomes active when the link of its activation email is opened/);
      assert.ok(res.body.detail.includes(`GET /sp/api/accounts/${t.accountId}/outbox`));
      assert.match(res.body.detail, /switch off rule pendingOnlyDeletable/);
      assert.equal((await stored(user.id)).status, 'pending');
    });

    it("answers a PUT that takes another user's userName with 409 uniqueness, not the pending refusal", async () => {
      const taken = await pendingUser();
      const user = await pendingUser();
      const res = await t.scim('put', `/Users/${user.id}`).send(rcUser(taken.userName)).expect(409);
      assert.equal(res.body.scimType, 'uniqueness');
      assert.ok(res.body.detail.includes(taken.userName));
    });

    it("answers a PATCH that takes another user's userName with 409 uniqueness", async () => {
      const taken = await pendingUser();
      const user = await pendingUser();
      const res = await t.scim('patch', `/Users/${user.id}`)
        .send(patchOp({ op: 'replace', path: 'userName', value: taken.userName }, { op: 'replace', path: 'emails[type eq "work"].value', value: taken.userName }))
        .expect(409);
      assert.equal(res.body.scimType, 'uniqueness');
    });
  });
});
