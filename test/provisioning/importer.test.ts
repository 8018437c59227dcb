import assert from 'node:assert/strict';
import { APP, idmFixture, type IdmFixture } from './fixture.js';

describe('manual import', () => {
  let f: IdmFixture;
  beforeEach(async () => {
    f = await idmFixture('jumpcloud');
  });

  it('needs a verified integration', async () => {
    await assert.rejects(f.idm.importCandidates(APP), { code: 'IDM_NOT_VERIFIED' });
  });

  it('lists SP users as New or Imported, New first', async () => {
    await f.authorize();
    f.sp.seedUser('known@acme.test');
    const fresh = f.sp.seedUser('fresh@acme.test', { name: { givenName: 'Fresh', familyName: 'Hire' } });
    await f.user('known@acme.test');
    const list = await f.idm.importCandidates(APP);
    assert.deepEqual(
      list.map((c) => [c.email, c.status]),
      [
        ['fresh@acme.test', 'New'],
        ['known@acme.test', 'Imported'],
      ],
    );
    assert.equal(list[0]?.scimId, fresh.id);
    assert.equal(list[0]?.firstName, 'Fresh');
  });

  it('imports the chosen users into the IdP, without managing them until they join a bound group', async () => {
    await f.authorize();
    const fresh = f.sp.seedUser('fresh@acme.test', {
      name: { givenName: 'Fresh', familyName: 'Hire' },
      phoneNumbers: [{ type: 'work', value: '+16505550199' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Ops' },
      addresses: [{ type: 'work', country: 'US' }],
    });
    f.sp.seedUser('other@acme.test');
    f.sp.requests.length = 0;
    const outcome = await f.idm.importUsers(APP, { userIds: [fresh.id] });
    assert.equal(outcome.background, false);
    assert.deepEqual(outcome.results?.map((r) => [r.email, r.result]), [['fresh@acme.test', 'imported']]);
    const user = await f.idp.directory.getUser(outcome.results?.[0]?.idpUserId ?? '');
    assert.deepEqual([user.firstName, user.lastName, user.number, user.department, user.username], ['Fresh', 'Hire', '+16505550199', 'Ops', 'fresh']);
    await f.idp.directory.updateUser(user.id, { department: 'Ops 2' });
    await f.idm.idle();
    assert.deepEqual(f.sp.scimCalls().filter((c) => !c.startsWith('GET /Users?startIndex')), [], 'not bound: not managed');
    await f.idp.directory.setMembership(f.groupId, user.id, true);
    await f.idm.idle();
    assert.equal(f.sp.scimCalls().at(-1), `PUT /Users/${fresh.id}`);
    assert.equal((await f.idm.importCandidates(APP)).find((c) => c.scimId === fresh.id)?.status, 'Imported');
  });

  it('imports more than 100 users in the background and emails the administrator when done', async () => {
    await f.authorize();
    for (let i = 0; i < 101; i++) f.sp.seedUser(`bulk${i}@acme.test`);
    const outcome = await f.idm.importUsers(APP, { all: true, notify: 'it@acme.test' });
    assert.equal(outcome.background, true);
    assert.equal(outcome.requested, 101);
    assert.equal(outcome.results, undefined);
    await f.idm.idle();
    const [mail] = await f.idp.outbox.list();
    assert.equal(mail?.to, 'it@acme.test');
    assert.match(mail?.subject ?? '', /import .* is complete/i);
    assert.match(mail?.text ?? '', /Imported: 101/);
    assert.equal((await f.idm.importCandidates(APP)).filter((c) => c.status === 'New').length, 0);
    assert.ok(f.sp.requests.some((r) => r.target === '/scim/v2/Users?startIndex=101&count=100'), 'paged through the SP users');
  });

  it('runs one import at a time per application, and records each user that failed', async () => {
    await f.authorize();
    for (let i = 0; i < 101; i++) f.sp.seedUser(`bulk${i}@acme.test`);
    // Holds the application's import queue so the background import is still running when the second one asks.
    let release = (): void => undefined;
    f.idm.engine.queues.enqueue(`import:${APP}`, () => new Promise<void>((resolve) => (release = resolve)));
    const first = await f.idm.importUsers(APP, { all: true });
    assert.equal(first.background, true);
    assert.equal((await f.idm.lastImport(APP))?.status, 'running');
    await assert.rejects(f.idm.importUsers(APP, { userIds: ['anyone'] }), { code: 'IDM_IMPORT_RUNNING' });
    release();
    await f.idm.idle();
    const done = await f.idm.lastImport(APP);
    assert.deepEqual([done?.status, done?.importId, done?.imported, done?.failures], ['completed', first.importId, 101, []]);

    const second = await f.idm.importUsers(APP, { userIds: ['no-such-scim-id', 'bulk-unknown'] });
    assert.deepEqual(second.results?.map((r) => r.result), ['failed', 'failed']);
    const recorded = await f.idm.lastImport(APP);
    assert.deepEqual(recorded?.failures.map((x) => [x.scimId, x.error]), [
      ['no-such-scim-id', 'no such user in the SP'],
      ['bulk-unknown', 'no such user in the SP'],
    ]);
  });

  it('lets a run cut short stop blocking imports after 30 minutes', async () => {
    await f.authorize();
    for (let i = 0; i < 101; i++) f.sp.seedUser(`bulk${i}@acme.test`);
    let release = (): void => undefined;
    f.idm.engine.queues.enqueue(`import:${APP}`, () => new Promise<void>((resolve) => (release = resolve)));
    await f.idm.importUsers(APP, { all: true });
    f.clock.advance(29 * 60_000);
    await assert.rejects(f.idm.importUsers(APP, { userIds: ['x'] }), { code: 'IDM_IMPORT_RUNNING' });
    f.clock.advance(2 * 60_000);
    assert.deepEqual((await f.idm.importUsers(APP, { userIds: ['x'] })).results?.map((r) => r.result), ['failed']);
    release();
    await f.idm.idle();
  });

  it('forgets the last import with the application', async () => {
    await f.authorize();
    await f.idm.importUsers(APP, { userIds: ['x'] });
    assert.equal((await f.idm.lastImport(APP))?.failures.length, 1);
    await f.idp.apps.delete(APP);
    await f.idm.idle();
    await f.idp.apps.create({ template: 'ringcentral', id: APP, mydomain: 'sp.test' });
    assert.equal(await f.idm.lastImport(APP), undefined);
  });

  it('refuses an import request that names no users', async () => {
    await f.authorize();
    await assert.rejects(f.idm.importUsers(APP, {}), { code: 'INPUT_INVALID' });
  });
});
