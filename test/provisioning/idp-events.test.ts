import assert from 'node:assert/strict';
import type { IdpEvent } from '../../src/idp/events.js';
import { APP, idmFixture, type IdmFixture } from './fixture.js';

const describeEvent = (e: IdpEvent): string => {
  switch (e.type) {
    case 'user.created':
    case 'password.expired':
    case 'password.updated':
      return `${e.type} ${e.user.email}`;
    case 'user.updated':
      return `${e.type} ${e.after.email}`;
    case 'user.deleted':
      return `${e.type} ${e.user.email} groups=${e.groups.length}`;
    case 'membership.changed':
      return `${e.type} ${e.member ? 'joined' : 'left'}`;
    case 'group.deleted':
      return `${e.type} ${e.group.name}`;
    case 'group.bound':
    case 'group.unbound':
      return `${e.type} ${e.appId}`;
    case 'user.assigned':
    case 'user.unassigned':
      return `${e.type} ${e.appId}`;
    case 'app.deleted':
      return `${e.type} ${e.app.id}`;
  }
};

describe('IdP domain events', () => {
  let f: IdmFixture;
  let seen: string[];
  beforeEach(async () => {
    f = await idmFixture();
    seen = [];
    f.idp.events.subscribe((e) => seen.push(describeEvent(e)));
  });

  it('announces user changes, once stored', async () => {
    const id = await f.user('eve@acme.test');
    await f.idp.directory.updateUser(id, { department: 'Ops' });
    await f.idp.directory.updateUser(id, { password: 'another-password-1' });
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idp.directory.deleteUser(id);
    assert.deepEqual(seen, [
      'user.created eve@acme.test',
      'user.updated eve@acme.test',
      'user.updated eve@acme.test',
      'password.updated eve@acme.test',
      'membership.changed joined',
      'user.deleted eve@acme.test groups=1',
    ]);
  });

  it('announces nothing for a change that failed', async () => {
    await f.user('eve@acme.test');
    seen.length = 0;
    await assert.rejects(f.user('eve@acme.test'), { code: 'CONFLICT' });
    await assert.rejects(f.idp.directory.setMembership(f.groupId, 'nobody', true), { code: 'NOT_FOUND' });
    assert.deepEqual(seen, []);
  });

  it('announces only a membership that really changed', async () => {
    const id = await f.user('eve@acme.test');
    seen.length = 0;
    await f.idp.directory.setMembership(f.groupId, id, false);
    await f.idp.directory.setMembership(f.groupId, id, true);
    await f.idp.directory.setMembership(f.groupId, id, true);
    assert.deepEqual(seen, ['membership.changed joined']);
  });

  it('announces bindings from the User Groups tab and from a settings update, and the application\'s deletion', async () => {
    const other = await f.idp.directory.createGroup({ name: 'Other' });
    await f.idp.apps.update(APP, { groups: [other.id] });
    await f.idp.apps.bindGroup(APP, f.groupId, true);
    await f.idp.apps.delete(APP);
    assert.deepEqual(seen, ['group.unbound ringcentral', 'group.bound ringcentral', 'group.bound ringcentral', 'app.deleted ringcentral']);
  });

  it('announces direct assignments from the Assignments view and from a settings update, each change once', async () => {
    const eve = await f.user('eve@acme.test');
    const fay = await f.user('fay@acme.test');
    seen.length = 0;
    await f.idp.apps.assignUser(APP, eve, true);
    await f.idp.apps.update(APP, { users: [eve, fay] });
    await f.idp.apps.assignUser(APP, eve, false);
    await assert.rejects(f.idp.apps.assignUser(APP, 'nobody', true), { code: 'NOT_FOUND' });
    assert.deepEqual(seen, ['user.assigned ringcentral', 'user.assigned ringcentral', 'user.unassigned ringcentral']);
    assert.deepEqual((await f.idp.apps.get(APP)).users, [fay]);
  });

  it('suspends users whose password expired when the sweep runs (harness clock), once', async () => {
    await f.user('eve@acme.test', { passwordExpiresAt: '2030-01-01T01:00:00+01:00' });
    await f.user('fay@acme.test', { passwordExpiresAt: '2030-01-01T00:00:01Z' });
    seen.length = 0;
    assert.deepEqual((await f.idp.directory.sweepExpiredPasswords()).map((u) => u.email), ['eve@acme.test']);
    assert.deepEqual(await f.idp.directory.sweepExpiredPasswords(), []);
    f.clock.advance(1000);
    assert.deepEqual((await f.idp.directory.sweepExpiredPasswords()).map((u) => u.email), ['fay@acme.test']);
    assert.deepEqual(seen, ['password.expired eve@acme.test', 'password.expired fay@acme.test']);
  });

  it('keeps a suspension when a patch does not mention it', async () => {
    const id = await f.user('eve@acme.test', { suspended: true });
    const after = await f.idp.directory.updateUser(id, { department: 'Ops' });
    assert.equal(after.suspended, true);
  });

  it('clears an expiry with null and lifts an expiry suspension with a new password only', async () => {
    const id = await f.user('eve@acme.test', { passwordExpiresAt: '2029-12-31T00:00:00Z' });
    await f.idp.directory.sweepExpiredPasswords();
    assert.equal((await f.idp.directory.updateUser(id, { department: 'Ops' })).suspended, true);
    const renewed = await f.idp.directory.updateUser(id, { password: 'new-password-1' });
    assert.deepEqual([renewed.suspended, renewed.passwordExpired, renewed.passwordExpiresAt], [false, false, undefined]);
    const set = await f.idp.directory.updateUser(id, { passwordExpiresAt: '2031-01-01T00:00:00Z' });
    assert.equal(set.passwordExpiresAt, '2031-01-01T00:00:00.000Z');
    assert.equal((await f.idp.directory.updateUser(id, { passwordExpiresAt: null })).passwordExpiresAt, undefined);
  });
});
