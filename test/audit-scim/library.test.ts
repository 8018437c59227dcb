import assert from 'node:assert/strict';
import { auditScim, harnessActivation, type ScimAuditReport, type ScimProfile } from '../../src/client/audit/audit-scim.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { startLaxScim, type LaxScim } from '../support/lax-scim.js';

/** Fast enough for a test, still through the limiter. */
const FAST = { maxRate: 1000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 10 } };

const failing = (report: ScimAuditReport) => report.failures;

/**
 * An account of its own, a SCIM token for it, and (generic) the RingCentral-only rules switched
 * off. Its Directory Provider is SCIM, as RingCentral requires before Entra ID provisions it.
 */
async function scimAccount(server: RunningHarness, id: string, profile: ScimProfile): Promise<string> {
  await admin(server, 'post', '/sp/api/accounts').send({ id, name: `Audit ${id}` }).expect(201);
  await admin(server, 'patch', `/sp/api/accounts/${id}/scim`).send({ directoryProvider: 'scim' }).expect(200);
  if (profile === 'generic') {
    await admin(server, 'patch', `/sp/api/accounts/${id}/scim`).send({ rules: { activationEmail: false, pendingOnlyDeletable: false, reactivateBeforeDelete: false } }).expect(200);
  }
  const minted = (await admin(server, 'post', `/sp/api/accounts/${id}/scim-tokens`).send({ name: 'audit-scim' }).expect(201)).body as { token: string };
  return minted.token;
}

describe('auditScim against the harness SCIM API', () => {
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const profile of ['generic', 'ringcentral'] as const) {
    it(`passes every step of every dialect with the ${profile} profile and leaves no user behind`, async () => {
      const account = `audit-${profile}`;
      const token = await scimAccount(server, account, profile);
      // A user the audit did not create: it must stay exactly as it is.
      const bystander = (await admin(server, 'post', `/sp/api/accounts/${account}/users`).send({ email: `bystander-${profile}@example.com`, firstName: 'By', lastName: 'Stander' }).expect(201)).body as { id: string };
      const before = (await admin(server, 'get', `/sp/api/accounts/${account}/users`).expect(200)).body as unknown[];

      const report = await auditScim({
        scimUrl: `${server.url}/scim/v2`,
        credentials: { token },
        profile,
        ...(profile === 'ringcentral' && { activate: harnessActivation({ harnessUrl: server.url, adminToken: ADMIN_TOKEN, accountId: account }) }),
        ...FAST,
      });
      const notPassed = report.rows.filter((r) => r.outcome !== 'pass').map((r) => `${r.dialect}/${r.step}: ${r.observed}`);
      assert.deepEqual(notPassed, []);
      assert.deepEqual(report.dialects, ['jumpcloud', 'okta', 'entra']);
      assert.ok(report.passed > 30, `${report.passed} steps`);
      const profileRows = report.rows.filter((r) => r.spProfile === 'ringcentral').map((r) => r.step);
      if (profile === 'generic') assert.deepEqual(profileRows, []);
      else assert.ok(['rc-username-is-email', 'rc-pending-after-create', 'rc-activation', 'rc-deactivated-not-deletable', 'disable-then-delete'].every((s) => profileRows.includes(s)), profileRows.join(' '));

      assert.deepEqual(report.leftBehind, []);
      const after = (await admin(server, 'get', `/sp/api/accounts/${account}/users`).expect(200)).body as unknown[];
      assert.deepEqual(after, before);
      assert.ok(after.some((u) => (u as { id: string }).id === bystander.id));
    });
  }
});

describe('auditScim against a lax SCIM server', () => {
  let lax: LaxScim | undefined;
  afterEach(() => lax?.close());

  it('fails exactly the steps each flaw breaks, by name, per dialect', async () => {
    lax = await startLaxScim();
    const report = await auditScim({ scimUrl: lax.url, credentials: { token: lax.token }, ...FAST });
    assert.deepEqual(failing(report), {
      jumpcloud: ['create', 'deactivate', 'reactivate'],
      okta: ['create', 'create-duplicate', 'lookup-present', 'deactivate', 'reactivate', 'deprovision'],
      entra: ['create', 'update-replace', 'update-email-path', 'disable', 'enable', 'disable-then-delete'],
    });
    assert.equal(lax.users.size, 0, 'every user the audit created is deleted, the duplicate too');
  });

  it('names the string booleans alone when that is the only flaw', async () => {
    lax = await startLaxScim(['stringBooleans']);
    const report = await auditScim({ scimUrl: lax.url, credentials: { token: lax.token }, ...FAST });
    assert.deepEqual(failing(report), { entra: ['disable', 'enable'] });
    const disable = report.rows.find((r) => r.dialect === 'entra' && r.step === 'disable');
    assert.match(disable?.observed ?? '', /active "False" \(a string, not a boolean\)/);
    assert.match(disable?.sends ?? '', /"op":"Replace","path":"active","value":"False"/);
  });

  it('never touches a user it did not create', async () => {
    lax = await startLaxScim([]);
    lax.users.set('kept', { id: 'kept', userName: 'kept@example.com', active: true });
    const report = await auditScim({ scimUrl: lax.url, credentials: { token: lax.token }, ...FAST });
    assert.equal(report.failed, 0);
    assert.deepEqual([...lax.users.keys()], ['kept']);
    assert.ok(lax.requests.every((r) => !r.includes('/Users/kept')), 'no request names the existing user');
  });
});
