// RingCentral's Directory Provider precondition for Microsoft Entra ID: with it `none` (the
// default) the SCIM API refuses Entra ID's client, recognised by its User-Agent, and serves every
// other client; `scim`, set through the admin API or the console, lets Entra ID in.
import assert from 'node:assert/strict';
import type { RunningHarness } from '../../src/harness/server.js';
import { USER_AGENTS } from '../../src/provisioning/flavors.js';
import { signInToConsole } from '../support/admin-console.js';
import { assertAccessible } from '../support/html-checks.js';
import { admin, ERROR_SCHEMA, scimTarget, startTestServer, type ScimTarget } from './support.js';

describe('SCIM: the Directory Provider precondition for Entra ID', () => {
  let server: RunningHarness;
  let t: ScimTarget;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    t = await scimTarget(server);
  });
  after(() => server.close());

  it("refuses Entra ID's client with a 403 naming the setting and how to change it", async () => {
    const res = await t.scim('get', '/Users').set('user-agent', USER_AGENTS.entra).expect(403);
    assert.deepEqual(res.body.schemas, [ERROR_SCHEMA]);
    assert.equal(res.body.status, '403');
    assert.match(res.body.detail, /Directory Provider is SCIM \(Account Settings → Directory Integrations\), and it is none/);
    assert.ok(res.body.detail.includes(`PATCH /sp/api/accounts/${t.accountId}/scim {"directoryProvider":"scim"}`));
  });

  it('recognises the Azure AD name of the same client', async () => {
    await t.scim('get', '/ServiceProviderConfig').set('user-agent', 'Azure AD provisioning').expect(403);
  });

  it("serves Okta's and JumpCloud's clients whatever the setting", async () => {
    await t.scim('get', '/Users').set('user-agent', USER_AGENTS.okta).expect(200);
    await t.scim('get', '/Users').set('user-agent', USER_AGENTS.jumpcloud).expect(200);
  });

  it('lets Entra ID in once the admin API sets it to scim, and out again at none', async () => {
    await t.setScim({ directoryProvider: 'scim' });
    assert.equal((await admin(server, 'get', `/sp/api/accounts/${t.accountId}/scim`).expect(200)).body.directoryProvider, 'scim');
    await t.scim('get', '/Users').set('user-agent', USER_AGENTS.entra).expect(200);
    await t.setScim({ directoryProvider: 'none' });
    await t.scim('get', '/Users').set('user-agent', USER_AGENTS.entra).expect(403);
  });

  it('refuses a value other than none or scim, naming the field', async () => {
    const res = await admin(server, 'patch', `/sp/api/accounts/${t.accountId}/scim`).send({ directoryProvider: 'ldap' }).expect(400);
    assert.match(JSON.stringify(res.body), /directoryProvider/);
  });

  it("is set on the account's SCIM provisioning access page", async () => {
    const session = await signInToConsole(server, '/sp/admin');
    const base = `/sp/admin/accounts/${t.accountId}/scim-access`;
    const before = await session.page(base);
    assert.match(before, /<option value="none" selected>None<\/option>/);
    assertAccessible(before, base);
    const res = await session.post(`${base}/directory-provider`, { directoryProvider: 'scim' }).expect(200);
    assert.match(res.text, /Directory Provider is now SCIM/);
    assert.match(res.text, /<option value="scim" selected>SCIM<\/option>/);
    await t.scim('get', '/Users').set('user-agent', USER_AGENTS.entra).expect(200);
    const refused = await session.post(`${base}/directory-provider`, { directoryProvider: 'ldap' }).expect(400);
    assert.match(refused.text, /directoryProvider/);
  });
});
