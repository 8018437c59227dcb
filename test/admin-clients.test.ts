import assert from 'node:assert/strict';
import { AdminApiError, loginAs, startHarness, type Harness } from '../src/index.js';
import { fixturePem } from './support/keys.js';

describe('harness.admin clients and scenarios', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness({
      keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
      passwordHashCost: { N: 1024, r: 8, p: 1 },
      log: () => undefined,
    });
  });
  after(() => harness.close());

  it('lists the demo users, groups, application and account through the typed clients', async () => {
    const users = await harness.admin.idp.listUsers();
    assert.deepEqual(users.map((u) => u.email).sort(), ['ann@acme.test', 'bob@acme.test', 'carol@acme.test']);
    assert.ok(users.every((u) => !('passwordHash' in u)));
    const [app] = await harness.admin.idp.listApps();
    assert.equal(app?.id, 'ringcentral');
    assert.match(app?.metadataUrl ?? '', /\/idp\/apps\/ringcentral\/metadata$/);
    const account = await harness.admin.sp.getAccount('acme');
    assert.equal(account.sso.enabled, true);
    const spUsers = await harness.admin.sp.listUsers('acme');
    assert.equal(spUsers.find((u) => u.email === 'ann@acme.test')?.hasPassword, true);
  });

  it('creates an IdP user, a group and binds it, then logs the user in with loginAs', async () => {
    const idp = harness.admin.idp;
    const dan = await idp.createUser({ email: 'dan@acme.test', firstName: 'Dan', lastName: 'D', number: '+16505550104', password: 'dan-password-1' });
    await harness.admin.sp.createUser('acme', { email: 'dan@acme.test', firstName: 'Dan', lastName: 'D', number: '+16505550104' });
    const group = await idp.createGroup({ name: 'Dan only', members: [dan.id] });
    const app = await idp.bindGroup('ringcentral', group.id);
    assert.ok(app.groups.includes(group.id));
    const login = await loginAs(harness, 'dan@acme.test', { password: 'dan-password-1' });
    assert.equal(login.ok, true, JSON.stringify(login.error));
    assert.equal(login.session?.email, 'dan@acme.test');
  });

  it('queues a scenario for the next login through the client and the SP rejects it', async () => {
    const ids = harness.scenarios().map((s) => s.id);
    assert.ok(ids.includes('wrong-audience') && ids.includes('valid'));
    assert.deepEqual((await harness.admin.idp.scenarios()).map((s) => s.id), ids);
    await harness.admin.idp.nextResponse('wrong-audience', 'ringcentral');
    const login = await harness.loginAs('ann@acme.test');
    assert.equal(login.ok, false);
    assert.equal(login.error?.code, 'SAML_AUDIENCE');
    assert.equal((await harness.loginAs('ann@acme.test')).ok, true);
  });

  it('throws AdminApiError with the status and code of a refused call', async () => {
    const err = await harness.admin.sp.getAccount('nope').then(
      () => assert.fail('no error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof AdminApiError);
    assert.equal(err.status, 404);
    assert.equal(err.code, 'SP_ACCOUNT_NOT_FOUND');
  });
});

describe('startHarness({ seed })', () => {
  it('applies a seed instead of the demo and logs its users in with their seeded password', async () => {
    const harness = await startHarness({
      demo: false,
      keys: { idp: fixturePem('idp'), sp: fixturePem('sp') },
      passwordHashCost: { N: 1024, r: 8, p: 1 },
      log: () => undefined,
      seed: {
        users: [{ email: 'hal@seed.test', firstName: 'Hal', lastName: 'Seed', number: '+15555550100', password: 'hal-password-1' }],
        groups: [{ name: 'All', members: ['hal@seed.test'] }],
        applications: [{ template: 'ringcentral', id: 'rc', groups: ['All'] }],
        accounts: [{ id: 'seeded', name: 'Seeded', users: [{ email: 'hal@seed.test', firstName: 'Hal', lastName: 'Seed', number: '+15555550100' }] }],
        wire: [{ app: 'rc', account: 'seeded' }],
      },
    });
    try {
      assert.deepEqual((await harness.admin.sp.listAccounts()).map((a) => a.id), ['seeded']);
      const login = await harness.loginAs('hal@seed.test');
      assert.equal(login.ok, true, JSON.stringify(login.error));
      assert.equal(login.session?.email, 'hal@seed.test');
    } finally {
      await harness.close();
    }
  });
});
