import assert from 'node:assert/strict';
import { SCIM_SCHEMA } from '../../src/scim-protocol/urn.js';
import { APP, idmFixture, type IdmFixture } from './fixture.js';

const spUser = (f: IdmFixture, userName: string) => [...f.sp.users.values()].find((u) => u.userName === userName);

describe('provisioning engine (JumpCloud flavour)', () => {
  let f: IdmFixture;
  beforeEach(async () => {
    f = await idmFixture('jumpcloud');
    await f.authorize();
    f.sp.requests.length = 0;
  });

  it('creates the SP user when the user joins a bound group: lookup, then POST', async () => {
    const id = await f.user('dana@acme.test');
    assert.deepEqual(f.sp.scimCalls(), [], 'not bound yet: nothing sent');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    assert.deepEqual(f.sp.scimCalls(), [`GET /Users?filter=${encodeURIComponent('userName eq "dana@acme.test"')}`, 'POST /Users']);
    const created = f.sp.requests.find((r) => r.method === 'POST')?.body as Record<string, unknown>;
    assert.equal(created.userName, 'dana@acme.test');
    assert.deepEqual(created.emails, [{ type: 'work', value: 'dana@acme.test', primary: true }]);
    assert.deepEqual(created.name, { givenName: 'dana', familyName: 'Tester' });
    assert.deepEqual(created.phoneNumbers, [{ type: 'work', value: '+16505550100' }]);
    assert.deepEqual(created[SCIM_SCHEMA.enterpriseUser], { department: 'IT' });
    assert.equal(created.active, true);
    const [job] = await f.idm.jobs(APP, { userId: id });
    assert.equal(job?.action, 'create');
    assert.equal(job?.status, 'succeeded');
    assert.equal(job?.scimId, spUser(f, 'dana@acme.test')?.id);
    assert.equal(job?.exchanges.length, 2);
  });

  it('creates every member when a group is bound, and updates them on attribute changes with PUT', async () => {
    const group = await f.idp.directory.createGroup({ name: 'Sales', members: [await f.user('erin@acme.test')] });
    await f.idp.apps.bindGroup(APP, group.id, true);
    await f.idm.idle();
    const erin = spUser(f, 'erin@acme.test');
    assert.ok(erin);
    const [user] = await f.idp.directory.listUsers().then((us) => us.filter((u) => u.email === 'erin@acme.test'));
    await f.idp.directory.updateUser(user!.id, { lastName: 'Renamed', department: 'Sales' });
    await f.idm.idle();
    assert.equal(f.sp.scimCalls().at(-1), `PUT /Users/${erin.id}`);
    assert.deepEqual(erin.resource.name, { givenName: 'erin', familyName: 'Renamed' });
    assert.deepEqual(erin.resource[SCIM_SCHEMA.enterpriseUser], { department: 'Sales' });
  });

  it('sends nothing when a change leaves the pushed attributes as they were', async () => {
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    const calls = f.sp.scimCalls().length;
    await f.idp.directory.updateUser(id, { password: 'another-password-1' });
    await f.idm.idle();
    assert.equal(f.sp.scimCalls().length, calls);
  });

  it('deactivates on removal from the group and reactivates on return, with path-less PATCHes', async () => {
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    const dana = spUser(f, 'dana@acme.test')!;
    await f.idp.directory.setMembership(f.groupId, id, false);
    await f.idm.idle();
    assert.equal(dana.active, false);
    const patch = f.sp.requests.at(-1);
    assert.deepEqual(patch?.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    assert.equal(dana.active, true);
    assert.deepEqual((await f.idm.jobs(APP, { userId: id })).map((j) => j.action), ['create', 'deactivate', 'reactivate']);
  });

  it('suspends and deactivates a user whose password expires, and reactivates when the password is updated', async () => {
    const id = await f.user('dana@acme.test', { passwordExpiresAt: '2030-01-02T00:00:00Z' });
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    assert.deepEqual(await f.idp.directory.sweepExpiredPasswords(), []);
    f.clock.advance(36 * 3600_000);
    const expired = await f.idp.directory.sweepExpiredPasswords();
    assert.deepEqual(expired.map((u) => [u.email, u.suspended, u.passwordExpired]), [['dana@acme.test', true, true]]);
    await f.idm.idle();
    assert.equal(spUser(f, 'dana@acme.test')?.active, false);
    await assert.rejects(f.idp.directory.authenticate('dana@acme.test', 'password-123'), { code: 'IDP_USER_SUSPENDED' });
    const renewed = await f.idp.directory.updateUser(id, { password: 'new-password-456' });
    assert.equal(renewed.suspended, false);
    assert.equal(renewed.passwordExpiresAt, undefined);
    await f.idm.idle();
    assert.equal(spUser(f, 'dana@acme.test')?.active, true);
    assert.deepEqual((await f.idm.jobs(APP, { userId: id })).map((j) => j.action), ['create', 'deactivate', 'reactivate']);
  });

  it('deletes the SP user when the IdP user is deleted, reactivating a deactivated one first', async () => {
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    await f.idp.directory.updateUser(id, { suspended: true });
    await f.idm.idle();
    const scimId = spUser(f, 'dana@acme.test')!.id;
    await f.idp.directory.deleteUser(id);
    await f.idm.idle();
    assert.equal(spUser(f, 'dana@acme.test'), undefined);
    assert.deepEqual(f.sp.scimCalls().slice(-2), [`PATCH /Users/${scimId}`, `DELETE /Users/${scimId}`]);
    const job = (await f.idm.jobs(APP, { userId: id })).at(-1);
    assert.equal(job?.action, 'delete');
    assert.equal(job?.userEmail, 'dana@acme.test');
  });

  it('links an SP user that already exists instead of creating a second one', async () => {
    const existing = f.sp.seedUser('dana@acme.test');
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    assert.deepEqual(f.sp.scimCalls().slice(-1), [`PUT /Users/${existing.id}`]);
    const [job] = await f.idm.jobs(APP, { userId: id });
    assert.equal(job?.action, 'update');
    assert.match(job?.note ?? '', /existing SP user/);
  });

  it('logs a failed job with the SP\'s error and keeps processing later changes in order', async () => {
    f.sp.answerNext((r) => r.method === 'POST', 400, { body: { status: '400', scimType: 'invalidValue', detail: 'no unassigned extension in country ZZ' } });
    const a = await f.user('first@acme.test');
    const b = await f.user('second@acme.test');
    await f.idp.directory.setMembership(f.groupId, a, true);
    await f.idp.directory.setMembership(f.groupId, b, true);
    await f.idm.idle();
    const jobs = await f.idm.jobs(APP);
    assert.deepEqual(jobs.map((j) => [j.userEmail, j.status]), [['first@acme.test', 'failed'], ['second@acme.test', 'succeeded']]);
    assert.deepEqual(jobs[0]?.error, {
      message: 'POST /Users answered HTTP 400 (invalidValue: no unassigned extension in country ZZ)',
      status: 400,
      scimType: 'invalidValue',
      detail: 'no unassigned extension in country ZZ',
    });
    const view = await f.idm.view(APP);
    assert.equal(view.jobs.failed, 1);
    assert.equal(view.recentJobs.length, 2);
  });

  it('retries a 429 (Retry-After) and 503 and logs every attempt', async () => {
    f.sp.answerNext((r) => r.method === 'POST', 429, { headers: { 'retry-after': '3' } });
    f.sp.answerNext((r) => r.method === 'POST', 503);
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    const [job] = await f.idm.jobs(APP, { userId: id });
    assert.equal(job?.status, 'succeeded');
    assert.equal(job?.attempts, 4);
    assert.deepEqual(job?.exchanges.map((x) => x.response?.status), [200, 429, 503, 201]);
    assert.deepEqual(f.sleeps, [3000, 1000]);
  });

  it('keeps the job log bounded per user', async () => {
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    for (let i = 0; i < 30; i++) {
      await f.idp.directory.updateUser(id, { department: `D${i}` });
      await f.idm.idle();
    }
    const jobs = await f.idm.jobs(APP, { userId: id });
    assert.equal(jobs.length, 25);
    assert.equal(jobs.at(-1)?.action, 'update');
  });

  it('re-pushes every bound user on sync', async () => {
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    assert.deepEqual(await f.idm.sync(APP), { queued: 1 });
    await f.idm.idle();
    assert.match(f.sp.scimCalls().at(-1) ?? '', /^PUT \/Users\//);
  });

  it('leaves SP users alone when the application is deleted, and forgets its state', async () => {
    const id = await f.user('dana@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    const calls = f.sp.scimCalls().length;
    await f.idp.apps.delete(APP);
    await f.idp.directory.setMembership(f.groupId, id, false);
    await f.idm.idle();
    assert.equal(f.sp.scimCalls().length, calls);
    assert.equal(spUser(f, 'dana@acme.test')?.active, true);
    assert.equal((await f.idp.idm.get(APP)).status, 'off');
  });
});

describe('provisioning engine (Okta flavour)', () => {
  let f: IdmFixture;
  beforeEach(async () => {
    f = await idmFixture('okta');
    await f.authorize();
    f.sp.requests.length = 0;
  });

  it('follows Okta\'s sequence: filter GET with paging, POST, GET then PUT, path-less PATCH, and never DELETE', async () => {
    const id = await f.user('olga@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    const scimId = spUser(f, 'olga@acme.test')!.id;
    await f.idp.directory.updateUser(id, { firstName: 'Olga' });
    await f.idm.idle();
    await f.idp.directory.deleteUser(id);
    await f.idm.idle();
    assert.deepEqual(f.sp.scimCalls(), [
      '/Users?filter=userName%20eq%20%22olga%40acme.test%22&startIndex=1&count=100',
      '/Users',
      `/Users/${scimId}`,
      `/Users/${scimId}`,
      `/Users/${scimId}`,
    ].map((p, i) => `${['GET', 'POST', 'GET', 'PUT', 'PATCH'][i]} ${p}`));
    assert.ok(f.sp.requests.filter((r) => r.path.startsWith('/scim/')).every((r) => r.headers['user-agent'] === 'Okta SCIM Client 1.0.0'));
    assert.equal(spUser(f, 'olga@acme.test')?.active, false, 'deactivated, still there');
    const jobs = await f.idm.jobs(APP, { userId: id });
    assert.deepEqual(jobs.map((j) => j.action), ['create', 'update', 'deactivate']);
    assert.ok(jobs.flatMap((j) => j.exchanges).every((x) => x.request.method !== 'DELETE'));
  });

  it('stops on a 409 from POST instead of adopting the user', async () => {
    f.sp.answerNext((r) => r.method === 'POST', 409, { body: { status: '409', scimType: 'uniqueness', detail: 'duplicate email' } });
    const id = await f.user('olga@acme.test');
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idm.idle();
    const [job] = await f.idm.jobs(APP, { userId: id });
    assert.equal(job?.status, 'failed');
    assert.equal(job?.error?.scimType, 'uniqueness');
  });
});
