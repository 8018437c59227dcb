// Each RingCentral provisioning rule (JumpCloud seed) with its switch on and off. Every test
// gets a fresh account with the default settings, then changes what it is about.
import assert from 'node:assert/strict';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, patchOp, rcUser, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe('RingCentral SCIM rules', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  let n = 0;
  const email = (): string => `rc${++n}@acme.test`;
  const settings = async () => (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/scim`).expect(200)).body;
  const stored = async (id: string) => (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/users/${id}`).expect(200)).body;
  const pool = async (country: string): Promise<number> => (await settings()).extensions.find((p: { country: string }) => p.country === country)?.available ?? 0;
  const activeUser = async (extra: Record<string, unknown> = {}) => (await t.scim('post', '/Users').send(rcUser(email(), extra)).expect(201)).body;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    t = await scimTarget(server);
    await t.rules({ activationEmail: false });
  });
  after(() => server.close());

  it('defaults every rule on, 50 US and 20 GB extensions, 50 DigitalLines, rate limits off', async () => {
    const fresh = await scimTarget(server);
    const body = (await admin(server, 'get', `/sp/api/accounts/${fresh.accountId}/scim`).expect(200)).body;
    assert.ok(Object.values(body.rules).every((on) => on === true));
    assert.equal(Object.keys(body.rules).length, 10);
    assert.deepEqual(body.extensions, [
      { country: 'US', available: 50 },
      { country: 'GB', available: 20 },
    ]);
    assert.equal(body.digitalLines, 50);
    assert.equal(body.rateLimits, false);
    assert.match(body.ruleDescriptions.userNameIsWorkEmail, /work email/);
  });

  describe('userNameIsWorkEmail', () => {
    it('on: refuses a userName that is not the work email', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(email(), { userName: 'grace' })).expect(400);
      assert.equal(res.body.scimType, 'invalidValue');
      assert.match(res.body.detail, /must be the work email.*switch off rule userNameIsWorkEmail/);
    });
    it('on: accepts a userName that differs from the work email only in case, and returns it as sent', async () => {
      const address = email();
      const res = await t.scim('post', '/Users').send(rcUser(address, { userName: address.toUpperCase() })).expect(201);
      assert.equal(res.body.userName, address.toUpperCase());
      assert.equal(res.body.emails[0].value, address);
    });
    it('off: keeps a userName apart from the email', async () => {
      await t.rules({ userNameIsWorkEmail: false });
      const address = email();
      const res = await t.scim('post', '/Users').send(rcUser(address, { userName: 'grace.h' })).expect(201);
      assert.equal(res.body.userName, 'grace.h');
      assert.equal(res.body.emails[0].value, address);
      assert.equal((await t.scim('get', `/Users?filter=${encodeURIComponent('userName eq "GRACE.H"')}`).expect(200)).body.totalResults, 1);
      assert.equal((await t.scim('get', `/Users?filter=${encodeURIComponent(`userName eq "${address}"`)}`).expect(200)).body.totalResults, 0);
      assert.equal((await t.scim('get', `/Users?filter=${encodeURIComponent(`emails eq "${address}"`)}`).expect(200)).body.totalResults, 1);
    });
  });

  describe('namesRequired', () => {
    it('on: refuses a user without familyName', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(email(), { name: { givenName: 'Grace' } })).expect(400);
      assert.match(res.body.detail, /name\.familyName is required.*namesRequired/);
    });
    it('off: creates a user without a name', async () => {
      await t.rules({ namesRequired: false });
      const res = await t.scim('post', '/Users').send(rcUser(email(), { name: undefined })).expect(201);
      assert.equal(res.body.name, undefined);
    });
  });

  describe('addressRequired', () => {
    it('on: refuses a user without an address', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(email(), { addresses: [] })).expect(400);
      assert.match(res.body.detail, /at least one address.*addressRequired/);
    });
    it('off: creates a user without an address, taking no extension from a pool', async () => {
      await t.rules({ addressRequired: false });
      await t.scim('post', '/Users').send(rcUser(email(), { addresses: undefined })).expect(201);
      assert.equal(await pool('US'), 50);
    });
  });

  describe('addressCountryNeedsExtension', () => {
    it('on: a user takes an extension of its country, and deleting it gives the extension back', async () => {
      const user = await activeUser();
      assert.equal(await pool('US'), 49);
      assert.deepEqual((await stored(user.id)).extension, { number: '101', country: 'US' });
      await t.scim('delete', `/Users/${user.id}`).expect(204);
      assert.equal(await pool('US'), 50);
    });
    it('numbers extensions from 101 up, lowest free first, and reuses a deleted user\'s number', async () => {
      const [a, b, c] = [await activeUser(), await activeUser(), await activeUser()];
      const numbers = async () => Promise.all([a, b, c].map(async (u) => (await stored(u.id)).extension?.number));
      assert.deepEqual(await numbers(), ['101', '102', '103']);
      await t.scim('delete', `/Users/${b.id}`).expect(204);
      const d = await activeUser();
      assert.equal((await stored(d.id)).extension?.number, '102');
      assert.equal((await stored((await activeUser()).id)).extension?.number, '104');
    });
    it('on: refuses a country without unassigned extensions, naming the ones there are', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(email(), { addresses: [{ type: 'work', country: 'FR' }] })).expect(400);
      assert.equal(res.body.scimType, 'invalidValue');
      assert.match(res.body.detail, /no unassigned extension for country FR: the account has US, GB;.*switch off rule addressCountryNeedsExtension/);
    });
    it('on: refuses an address without a country', async () => {
      const res = await t.scim('post', '/Users').send(rcUser(email(), { addresses: [{ type: 'work', locality: 'Paris' }] })).expect(400);
      assert.match(res.body.detail, /addresses\[0\]\.country is required/);
    });
    it('on: refuses a user once the pool is used up', async () => {
      await t.setScim({ extensions: [{ country: 'US', available: 1 }] });
      await activeUser();
      const res = await t.scim('post', '/Users').send(rcUser(email())).expect(400);
      assert.match(res.body.detail, /no unassigned extension for country US: the account has none left/);
    });
    it('on: moving a user to another country moves its extension between pools', async () => {
      const user = await activeUser();
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'addresses[type eq "work"].country', value: 'gb' })).expect(200);
      assert.deepEqual([await pool('US'), await pool('GB')], [50, 19]);
    });
    it('off: accepts any country and leaves the pools alone', async () => {
      await t.rules({ addressCountryNeedsExtension: false });
      await t.scim('post', '/Users').send(rcUser(email(), { addresses: [{ type: 'work', country: 'FR' }] })).expect(201);
      await t.scim('post', '/Users').send(rcUser(email(), { addresses: [{ type: 'home', locality: 'Lyon' }] })).expect(201);
      assert.deepEqual([await pool('US'), await pool('GB')], [50, 20]);
    });
  });

  describe('digitalLinesRequired', () => {
    it('on: a new user takes a DigitalLine; none left is a 409 saying what to do; delete gives it back', async () => {
      await t.setScim({ digitalLines: 1 });
      const user = await activeUser();
      assert.equal((await settings()).digitalLines, 0);
      const res = await t.scim('post', '/Users').send(rcUser(email())).expect(409);
      assert.match(res.body.detail, /no DigitalLines licence left.*"digitalLines".*switch off rule digitalLinesRequired/);
      assert.equal(await pool('US'), 49, 'a refused user takes no extension either');
      await t.scim('delete', `/Users/${user.id}`).expect(204);
      assert.equal((await settings()).digitalLines, 1);
    });
    it('off: creates users with no DigitalLines left', async () => {
      await t.setScim({ digitalLines: 0, rules: { digitalLinesRequired: false } });
      await activeUser();
      assert.equal((await settings()).digitalLines, 0);
    });
  });

  describe('ignoreExtraAttributes', () => {
    const extras = { displayName: 'Grace', title: 'Rear Admiral', 'urn:example:custom:1.0': { badge: 7 } };
    it('on: ignores attributes the API does not store, on POST and PATCH', async () => {
      const user = await activeUser(extras);
      assert.equal(user.displayName, undefined);
      const res = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'add', path: 'nickName', value: 'Amazing' })).expect(200);
      assert.equal(res.body.nickName, undefined);
    });
    it('off: refuses them with 400, naming them', async () => {
      await t.rules({ ignoreExtraAttributes: false });
      const res = await t.scim('post', '/Users').send(rcUser(email(), extras)).expect(400);
      assert.equal(res.body.scimType, 'invalidSyntax');
      assert.match(res.body.detail, /displayName, title, urn:example:custom:1\.0/);
      const user = await activeUser();
      const patched = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'add', path: 'nickName', value: 'A' })).expect(400);
      assert.equal(patched.body.scimType, 'invalidPath');
    });
  });

  describe('scimCreatedDeletedViaScim', () => {
    it('on: the admin API refuses to delete an active SCIM-created user, and deletes it once deactivated', async () => {
      const user = await activeUser();
      const res = await admin(server, 'delete', `/sp/api/accounts/${t.accountId}/users/${user.id}`).expect(409);
      assert.equal(res.body.error, 'SP_USER_SCIM_MANAGED');
      assert.match(res.body.message, /delete it via SCIM, or deactivate it/);
      await admin(server, 'patch', `/sp/api/accounts/${t.accountId}/users/${user.id}`).send({ status: 'inactive' }).expect(200);
      await admin(server, 'delete', `/sp/api/accounts/${t.accountId}/users/${user.id}`).expect(204);
      assert.equal(await pool('US'), 50);
    });
    it('off: the admin API deletes an active SCIM-created user', async () => {
      await t.rules({ scimCreatedDeletedViaScim: false });
      const user = await activeUser();
      await admin(server, 'delete', `/sp/api/accounts/${t.accountId}/users/${user.id}`).expect(204);
    });
  });

  describe('reactivateBeforeDelete', () => {
    it('on: refuses to delete a deactivated user until it is reactivated', async () => {
      const user = await activeUser();
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', value: { active: false } })).expect(200);
      const res = await t.scim('delete', `/Users/${user.id}`).expect(409);
      assert.match(res.body.detail, /reactivated.*switch off rule reactivateBeforeDelete/);
      await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'active', value: true })).expect(200);
      await t.scim('delete', `/Users/${user.id}`).expect(204);
    });
    it('off: deletes a deactivated user', async () => {
      await t.rules({ reactivateBeforeDelete: false });
      const user = await activeUser({ active: false });
      assert.equal(user.active, false);
      await t.scim('delete', `/Users/${user.id}`).expect(204);
    });
  });

  describe('pendingOnlyDeletable', () => {
    it('on: refuses PUT and PATCH on a pending user, and deletes it', async () => {
      await t.rules({ activationEmail: true });
      const user = (await t.scim('post', '/Users').send(rcUser(email())).expect(201)).body;
      const patched = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', path: 'name.givenName', value: 'X' })).expect(409);
      assert.match(patched.body.detail, /pending.*only be deleted.*switch off rule pendingOnlyDeletable/);
      await t.scim('put', `/Users/${user.id}`).send(user).expect(409);
      await t.scim('delete', `/Users/${user.id}`).expect(204);
    });
    it('off: updates a pending user, who stays pending', async () => {
      await t.rules({ activationEmail: true, pendingOnlyDeletable: false });
      const user = (await t.scim('post', '/Users').send(rcUser(email())).expect(201)).body;
      const res = await t.scim('patch', `/Users/${user.id}`).send(patchOp({ op: 'replace', value: { 'name.givenName': 'X', active: true } })).expect(200);
      assert.equal(res.body.name.givenName, 'X');
      assert.equal(res.body.active, false);
      assert.equal((await stored(user.id)).status, 'pending');
    });
  });

  describe('activationEmail', () => {
    it('on: a new user is pending with an activation email; the link activates it once', async () => {
      await t.rules({ activationEmail: true });
      const address = email();
      const user = (await t.scim('post', '/Users').send(rcUser(address, { active: true })).expect(201)).body;
      assert.equal(user.active, false);
      assert.equal((await stored(user.id)).status, 'pending');
      const outbox = (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/outbox`).expect(200)).body;
      assert.equal(outbox.length, 1);
      assert.equal(outbox[0].to, address);
      const link = new URL(outbox[0].link);
      assert.match(link.pathname, /^\/sp\/activate\/[\w-]+$/);
      assert.ok(outbox[0].text.includes(outbox[0].link));

      const agent = (await import('supertest')).default(server.server);
      const form = await agent.get(link.pathname).expect(200);
      assert.match(form.text, new RegExp(`Set up <strong>${address}</strong>`));
      await agent.post(link.pathname).type('form').send({ password: 'new-password-1' }).expect(200);
      assert.equal((await t.scim('get', `/Users/${user.id}`).expect(200)).body.active, true);
      assert.equal((await stored(user.id)).hasPassword, true);
      await agent.post(link.pathname).set('accept', 'application/json').send({}).expect(404);
    });
    it('off: a new user is active at once and no email is sent', async () => {
      const user = await activeUser();
      assert.equal(user.active, true);
      assert.deepEqual((await admin(server, 'get', `/sp/api/accounts/${t.accountId}/outbox`).expect(200)).body, []);
    });
  });
});
