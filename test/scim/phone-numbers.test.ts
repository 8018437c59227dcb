// The direct number and SCIM phoneNumbers: an administrator's `number` shows as the work phone,
// and SCIM writes keep the two in step.
import assert from 'node:assert/strict';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, patchOp, rcUser, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe('SCIM phoneNumbers and the direct number', () => {
  let server: RunningHarness;
  let t: ScimTarget;
  before(async () => {
    server = await startTestServer();
    t = await scimTarget(server, { rules: { activationEmail: false } });
  });
  after(() => server.close());

  const stored = async (id: string) => (await admin(server, 'get', `/sp/api/accounts/${t.accountId}/users/${id}`).expect(200)).body;

  it('shows the number of a user the administrator created as its SCIM work phone', async () => {
    const created = await admin(server, 'post', `/sp/api/accounts/${t.accountId}/users`)
      .send({ email: 'direct@acme.test', firstName: 'Dee', lastName: 'Rect', number: '+16505550123' })
      .expect(201);
    const user = (await t.scim('get', `/Users/${created.body.id}`).expect(200)).body;
    assert.deepEqual(user.phoneNumbers, [{ value: '+16505550123', type: 'work' }]);
    const found = (await t.scim('get', `/Users?filter=${encodeURIComponent('userName eq "direct@acme.test"')}`).expect(200)).body;
    assert.deepEqual(found.Resources[0].phoneNumbers, [{ value: '+16505550123', type: 'work' }]);
  });

  it('sets the number from the work phone of a SCIM create, and follows PATCH and PUT', async () => {
    const body = rcUser('phones@acme.test', { phoneNumbers: [{ type: 'mobile', value: '+16505550100' }, { type: 'work', value: '+16505550199' }] });
    const created = (await t.scim('post', '/Users').send(body).expect(201)).body;
    assert.equal((await stored(created.id)).number, '+16505550199');
    await t.scim('patch', `/Users/${created.id}`).send(patchOp({ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+16505550177' })).expect(200);
    assert.equal((await stored(created.id)).number, '+16505550177');
    const { id: _id, meta: _meta, ...rest } = (await t.scim('get', `/Users/${created.id}`).expect(200)).body;
    await t.scim('put', `/Users/${created.id}`).send({ ...rest, phoneNumbers: undefined }).expect(200);
    const after = await stored(created.id);
    assert.equal(after.number, undefined, 'a PUT without phoneNumbers clears the number too');
    assert.equal((await t.scim('get', `/Users/${created.id}`).expect(200)).body.phoneNumbers, undefined);
  });
});
