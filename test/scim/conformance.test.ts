// The Okta SCIM 2.0 SPEC test (R1–R12) and Okta's CRUD wire sequence against /scim/v2. The
// account keeps RingCentral's rules on, with bodies that satisfy them, except activationEmail:
// Okta expects a created user to be active at once (the pending flow is in ringcentral-rules).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, ERROR_SCHEMA, LIST_RESPONSE, patchOp, rcUser, SCIM_JSON, scimTarget, startTestServer, type ScimTarget } from './support.js';

const q = (filter: string): string => `/Users?filter=${encodeURIComponent(filter)}`;

function assertScimError(res: request.Response, status: number): void {
  assert.equal(res.status, status);
  assert.match(res.headers['content-type'] ?? '', /^application\/scim\+json/);
  assert.deepEqual(res.body.schemas, [ERROR_SCHEMA]);
  assert.equal(res.body.status, String(status));
  assert.equal(typeof res.body.detail, 'string');
}

describe('Okta SCIM 2.0 SPEC test against /scim/v2', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  let firstId: string;
  const email = `okta-${randomUUID().slice(0, 8)}@acme.test`;
  let createdId: string;

  before(async () => {
    server = await startTestServer();
    t = await scimTarget(server, { rules: { activationEmail: false } });
  });
  after(() => server.close());

  it('R1 lists users with count=1&startIndex=1 as a ListResponse', async () => {
    const res = await t.scim('get', '/Users?count=1&startIndex=1').expect(200);
    assert.deepEqual(res.body.schemas, [LIST_RESPONSE]);
    for (const key of ['itemsPerPage', 'startIndex', 'totalResults']) assert.equal(typeof res.body[key], 'number', key);
    assert.equal(res.body.itemsPerPage, 1);
    const user = res.body.Resources[0];
    assert.ok(user.id);
    assert.ok(user.name.givenName);
    assert.ok(user.name.familyName);
    assert.ok(user.userName);
    assert.equal(user.active, true);
    assert.ok(user.emails[0].value);
    firstId = user.id;
  });

  it('R2 gets that user by id', async () => {
    const res = await t.scim('get', `/Users/${firstId}`).expect(200);
    assert.equal(res.body.id, firstId);
    for (const v of [res.body.userName, res.body.name.givenName, res.body.name.familyName, res.body.emails[0].value]) assert.ok(v);
    assert.equal(res.body.active, true);
  });

  it('R3 filters on a userName nobody has: 200 with totalResults 0', async () => {
    const res = await t.scim('get', q(`userName eq "nobody-${randomUUID()}@acme.test"`)).expect(200);
    assert.deepEqual(res.body.schemas, [LIST_RESPONSE]);
    assert.equal(res.body.totalResults, 0);
  });

  it('R4 answers 404 with an Error body for an unknown id', async () => {
    const res = await t.scim('get', `/Users/${randomUUID()}`);
    assertScimError(res, 404);
  });

  it('R5 does not find the user it is about to create', async () => {
    const res = await t.scim('get', q(`userName eq "${email}"`)).expect(200);
    assert.equal(res.body.totalResults, 0);
  });

  it('R6 creates a realistic user: 201 echoing the fields', async () => {
    const res = await t.scim('post', '/Users').send(rcUser(email, { displayName: 'Grace Hopper', active: true })).expect(201);
    assert.equal(res.body.userName, email);
    assert.deepEqual(res.body.name, { givenName: 'Grace', familyName: 'Hopper' });
    assert.equal(res.body.emails[0].value, email);
    assert.equal(res.body.active, true);
    createdId = res.body.id;
  });

  it('R7 gets the new user back', async () => {
    const res = await t.scim('get', `/Users/${createdId}`).expect(200);
    assert.equal(res.body.userName, email);
  });

  it('R8 refuses the same POST again with 409', async () => {
    const res = await t.scim('post', '/Users').send(rcUser(email));
    assertScimError(res, 409);
    assert.equal(res.body.scimType, 'uniqueness');
  });

  it('R9 matches userName case-insensitively', async () => {
    const res = await t.scim('get', q(`userName eq "${email.toUpperCase()}"`)).expect(200);
    assert.equal(res.body.totalResults, 1);
    assert.equal(res.body.Resources[0].id, createdId);
  });

  it('R10 /Groups: RingCentral has none, so 404 with an Error body (the check is optional)', async () => {
    const res = await t.scim('get', '/Groups');
    assertScimError(res, 404);
    assert.match(res.body.detail, /no Groups/);
  });

  it('R11 answers a bad token with 401 and an Error body', async () => {
    const res = await request(server.server).get('/scim/v2/Users').set('authorization', 'Bearer not-a-token');
    assertScimError(res, 401);
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  });

  it('R11 answers a missing token with 401 and an Error body', async () => {
    const res = await request(server.server).get('/scim/v2/Users');
    assertScimError(res, 401);
    assert.match(res.body.detail, /Authorization: Bearer/);
  });

  it('R12 says status "404" in the body of a 404', async () => {
    const res = await t.scim('get', `/Users/${randomUUID()}`);
    assert.equal(res.body.status, '404');
  });
});

describe("Okta's CRUD wire sequence against /scim/v2", () => {
  let server: RunningHarness;
  let t: ScimTarget;

  before(async () => {
    server = await startTestServer();
    t = await scimTarget(server, { rules: { activationEmail: false } });
  });
  after(() => server.close());

  it('creates, finds, replaces, deactivates, reactivates and deactivates a user, never deleting it', async () => {
    const email = 'ada.lovelace@acme.test';
    const created = await t.scim('post', '/Users').send(rcUser(email, { password: 'Secret-12345' })).expect(201);
    assert.equal(created.body.password, undefined);
    const id: string = created.body.id;

    const found = await t.scim('get', `${q(`userName eq "${email}"`)}&startIndex=1&count=100`).expect(200);
    assert.equal(found.body.totalResults, 1);
    assert.equal(found.body.Resources[0].id, id);

    // Okta's update: GET, change, PUT the whole resource back.
    const current = (await t.scim('get', `/Users/${id}`).expect(200)).body;
    const replaced = await t
      .scim('put', `/Users/${id}`)
      .send({ ...current, name: { givenName: 'Augusta Ada', familyName: 'King' } })
      .expect(200);
    assert.deepEqual(replaced.body.name, { givenName: 'Augusta Ada', familyName: 'King' });
    assert.equal(replaced.body.addresses[0].country, 'US');
    assert.equal(replaced.body.meta.created, current.meta.created);
    assert.notEqual(replaced.body.meta.version, current.meta.version);

    const deactivated = await t.scim('patch', `/Users/${id}`).send(patchOp({ op: 'replace', value: { active: false } })).expect(200);
    assert.equal(deactivated.body.active, false);
    const reactivated = await t.scim('patch', `/Users/${id}`).send(patchOp({ op: 'replace', value: { active: true } })).expect(200);
    assert.equal(reactivated.body.active, true);
    await t.scim('patch', `/Users/${id}`).send(patchOp({ op: 'replace', value: { active: false } })).expect(200);

    const stored = await admin(server, 'get', `/sp/api/accounts/${t.accountId}/users/${id}`).expect(200);
    assert.equal(stored.body.status, 'inactive');
    assert.equal(stored.body.firstName, 'Augusta Ada');
    const listed = await t.scim('get', `/Users/${id}`).set('accept', SCIM_JSON).expect(200);
    assert.equal(listed.body.active, false);
  });
});
