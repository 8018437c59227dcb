// The Okta Provisioning tab's To App and To Okta settings, over HTTP: the console panes (read-only
// with Edit, the labelled form, Save, refusals shown on the form) and the provisioning engine
// honouring each setting against the harness's SP.
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, DEMO_APP_ID, DEMO_GROUP, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { activateFromOutbox, authorizeAtSp, idle, spUser } from '../provisioning/idm-walk.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const IDM = `/idp/api/apps/${DEMO_APP_ID}/idm`;
const ACCOUNT = `/sp/api/accounts/${DEMO_ACCOUNT.id}`;
const TO_APP = `/idp/admin/okta/apps/${DEMO_APP_ID}/provisioning/to-app`;
const TO_OKTA = `/idp/admin/okta/apps/${DEMO_APP_ID}/provisioning/to-okta`;
const DEFAULT_TO_APP = {
  createUsers: true,
  updateUserAttributes: true,
  deactivateUsers: true,
  attributeMappings: { phoneNumbers: 'phoneNumbers', addresses: 'addresses', department: 'department' },
};

interface Job {
  action: string;
  status: string;
  note?: string;
  exchanges: { request: { method: string } }[];
}

describe('Okta Provisioning tab: To App and To Okta', () => {
  let server: RunningHarness;
  let session: ConsoleSession;
  let groupId: string;
  let serial = 0;

  const get = async (path: string): Promise<string> => {
    const text = await session.page(path);
    assertAccessible(text, path);
    return text;
  };
  const jobsOf = async (userId: string) => (await admin(server, 'get', `${IDM}/jobs?user=${encodeURIComponent(userId)}`).expect(200)).body as Job[];
  const settings = (body: object) => admin(server, 'put', `${IDM}/settings`).send(body).expect(200);
  /** A new IdP user with an address RingCentral accepts, put in the bound group; its id and email. */
  const boundUser = async (extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> => {
    const email = `settings-${++serial}@acme.test`;
    const { id } = (
      await admin(server, 'post', '/idp/api/users')
        .send({ email, firstName: 'Set', lastName: `Tings${serial}`, password: 'settings-password-1', addresses: [{ type: 'work', locality: 'London', country: 'GB' }], ...extra })
        .expect(201)
    ).body as { id: string };
    await admin(server, 'put', `/idp/api/groups/${groupId}/members/${id}`).expect(200);
    await idle(server);
    return { id, email };
  };
  const moveIdpClock = async (ms: number): Promise<void> => {
    const { offsetMs } = (await admin(server, 'get', '/idp/api/clock').expect(200)).body as { offsetMs: number };
    await admin(server, 'put', '/idp/api/clock').send({ offsetMs: offsetMs + ms }).expect(200);
  };

  before(async () => {
    server = await startTestServer({ idpFlavor: 'okta' });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    const groups = (await admin(server, 'get', '/idp/api/groups').expect(200)).body as { id: string; name: string }[];
    groupId = groups.find((g) => g.name === DEMO_GROUP)?.id ?? '';
    const { authorizeUrl } = (await admin(server, 'post', `${IDM}/configure`).send({}).expect(200)).body as { authorizeUrl: string };
    assert.match((await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1')).text, /successfully verified/);
    await idle(server);
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());
  afterEach(async () => {
    await settings({ toApp: DEFAULT_TO_APP, toOkta: { importSchedule: 'never', matchBy: 'email', confirmNewUsers: false } });
  });

  describe('console', () => {
    it('shows To App read-only with Edit, then the labelled form, and Save keeps what was chosen', async () => {
      let page = await get(TO_APP);
      assert.match(page, /<a href="[^"]+\/to-app" aria-current="page"><strong>To App<\/strong><\/a>/);
      assert.match(page, /<th scope="row">Deactivate Users<\/th><td>Enabled<\/td>/);
      assert.match(page, /<form method="get" action="[^"]+\/to-app\/edit"><button type="submit">Edit<\/button>/);
      assert.doesNotMatch(page, /<input type="checkbox"/, 'read-only until Edit');

      await admin(server, 'patch', `/idp/api/users/${(await boundUser()).id}`).send({ customAttributes: [{ name: 'costCenter', value: 'CC-7' }] }).expect(200);
      page = await get(`${TO_APP}/edit`);
      for (const [id, label] of [['create-users', 'Create Users'], ['update-user-attributes', 'Update User Attributes'], ['deactivate-users', 'Deactivate Users']]) {
        assert.match(page, new RegExp(`<input type="checkbox" id="${id}" name="\\w+" value="on" checked> <label for="${id}">${label}</label>`));
      }
      assert.match(page, /<caption>Attribute Mappings<\/caption>/);
      assert.match(page, /<label for="map-department">Department<\/label>/);
      assert.match(page, /<option value="custom:costCenter">Custom attribute costCenter<\/option>/, 'custom attributes known in the directory are offered');
      assert.match(page, /<option value="none">Do not map<\/option>/);
      assert.match(page, /<button type="submit">Save<\/button>/);
      assert.match(page, /<a href="[^"]+\/to-app">Cancel<\/a>/);

      const saved = await session.post(TO_APP, { createUsers: 'on', updateUserAttributes: 'on', phoneNumbers: 'none', addresses: 'addresses', department: 'custom:costCenter' }).expect(200);
      assertAccessible(saved.text, 'To App saved');
      assert.match(saved.text, /role="status">Saved the To App settings/);
      assert.match(saved.text, /<th scope="row">Deactivate Users<\/th><td>Disabled<\/td>/);
      assert.match(saved.text, /<td>Phone numbers <code>phoneNumbers<\/code><\/td><td>Do not map<\/td>/);
      const api = (await admin(server, 'get', `${IDM}/settings`).expect(200)).body as { toApp: unknown };
      assert.deepEqual(api.toApp, { createUsers: true, updateUserAttributes: true, deactivateUsers: false, attributeMappings: { phoneNumbers: null, addresses: 'addresses', department: 'custom:costCenter' } });
    });

    it('refuses a mapping outside its choices on the form, naming them, and changes nothing', async () => {
      await get(`${TO_APP}/edit`);
      const res = await session.post(TO_APP, { createUsers: 'on', phoneNumbers: 'phoneNumbers', addresses: 'addresses', department: 'custom:nobodyHasThis' }).expect(400);
      assertAccessible(res.text, 'To App refused');
      assert.match(res.text, /role="alert">choose where Department comes from, or Do not map \(INPUT_INVALID\)/);
      assert.match(res.text, /<input type="checkbox" id="deactivate-users"/, 'the form is shown again');
      assert.equal(((await admin(server, 'get', `${IDM}/settings`).expect(200)).body as { toApp: { deactivateUsers: boolean } }).toApp.deactivateUsers, true);
    });

    it('shows To Okta read-only with Edit, its form in Okta\'s words, and saves a schedule with when it is due', async () => {
      let page = await get(TO_OKTA);
      assert.match(page, /<th scope="row">Import schedule<\/th><td>Never<\/td>/);
      assert.match(page, /<th scope="row">Imported user is an exact match to Okta user if<\/th><td>Email matches<\/td>/);
      assert.match(page, /<form method="get" action="[^"]+\/to-okta\/edit"><button type="submit">Edit<\/button>/);
      page = await get(`${TO_OKTA}/edit`);
      assert.match(page, /<label for="import-schedule">Import schedule<\/label> <select id="import-schedule" name="importSchedule"><option value="never" selected>Never<\/option><option value="hourly">Every hour<\/option><option value="daily">Every day<\/option><\/select>/);
      assert.match(page, /<legend>Okta username format \/ match rule: Imported user is an exact match to Okta user if<\/legend>/);
      assert.match(page, /<input type="radio" id="match-email" name="matchBy" value="email" checked> <label for="match-email">Email matches<\/label>/);
      assert.match(page, /<input type="radio" id="match-username" name="matchBy" value="username"> <label for="match-username">Username matches<\/label>/);
      assert.match(page, /<label for="confirm-new-users">Confirm new users automatically<\/label>/);

      const saved = await session.post(TO_OKTA, { importSchedule: 'daily', matchBy: 'username', confirmNewUsers: 'on' }).expect(200);
      assertAccessible(saved.text, 'To Okta saved');
      assert.match(saved.text, /role="status">Saved the To Okta settings\. The next scheduled import is due at \d{4}-/);
      assert.match(saved.text, /<th scope="row">Import schedule<\/th><td>Every day<\/td>/);
      assert.match(saved.text, /<th scope="row">Next scheduled import<\/th>/);
      assert.deepEqual(((await admin(server, 'get', `${IDM}/settings`).expect(200)).body as { toOkta: unknown }).toOkta, { importSchedule: 'daily', matchBy: 'username', confirmNewUsers: true });
    });

    it('refuses an unknown import schedule on the form', async () => {
      await get(`${TO_OKTA}/edit`);
      const res = await session.post(TO_OKTA, { importSchedule: 'weekly', matchBy: 'email' }).expect(400);
      assertAccessible(res.text, 'To Okta refused');
      assert.match(res.text, /role="alert">choose an Import schedule \(INPUT_INVALID\)/);
      assert.match(res.text, /<select id="import-schedule"/);
    });
  });

  describe('engine', () => {
    it('with Deactivate Users off, leaves an unassigned user active at the SP, and logs why instead of a deactivation', async () => {
      const user = await boundUser();
      await activateFromOutbox(server, user.email);
      assert.equal((await spUser(server, user.email))?.status, 'active');
      await settings({ toApp: { deactivateUsers: false } });
      await admin(server, 'delete', `/idp/api/groups/${groupId}/members/${user.id}`).expect(200);
      await idle(server);
      assert.equal((await spUser(server, user.email))?.status, 'active');
      const last = (await jobsOf(user.id)).at(-1);
      assert.deepEqual([last?.action, last?.status, last?.exchanges.length], ['deactivate', 'skipped', 0]);
      assert.match(last?.note ?? '', /Deactivate Users is off/);
      assert.ok(!(await jobsOf(user.id)).some((j) => j.action === 'deactivate' && j.status !== 'skipped'), 'no deactivation reached the SP');
      const pane = await get(TO_APP);
      assert.match(pane, new RegExp(`<td>${user.email}</td><td>deactivate</td><td>Deactivate Users is off`));

      // Back on, the next change is pushed: the IdP user deleted, Okta deactivates the SP user.
      await settings({ toApp: { deactivateUsers: true } });
      await admin(server, 'delete', `/idp/api/users/${user.id}`).expect(204);
      await idle(server);
      assert.equal((await spUser(server, user.email))?.status, 'inactive', 'with Deactivate Users on, the deleted user is deactivated');
    });

    it('with Create Users off, does not create an assigned user at the SP', async () => {
      await settings({ toApp: { createUsers: false } });
      const user = await boundUser();
      assert.equal(await spUser(server, user.email), undefined);
      const [job] = await jobsOf(user.id);
      assert.deepEqual([job?.action, job?.status], ['create', 'skipped']);
      assert.match(job?.note ?? '', /Create Users is off/);
    });

    it('with Update User Attributes off, does not push a profile change, and pushes it once the setting is back on', async () => {
      const user = await boundUser({ department: 'Ops' });
      await activateFromOutbox(server, user.email); // RingCentral takes updates only for activated users
      await settings({ toApp: { updateUserAttributes: false } });
      await admin(server, 'patch', `/idp/api/users/${user.id}`).send({ firstName: 'Changed', department: 'Finance' }).expect(200);
      await idle(server);
      assert.deepEqual([(await spUser(server, user.email))?.firstName, (await spUser(server, user.email))?.department], ['Set', 'Ops']);
      assert.match((await jobsOf(user.id)).at(-1)?.note ?? '', /Update User Attributes is off/);
      await settings({ toApp: { updateUserAttributes: true } });
      await admin(server, 'patch', `/idp/api/users/${user.id}`).send({ lastName: 'Again' }).expect(200);
      await idle(server);
      assert.deepEqual([(await spUser(server, user.email))?.firstName, (await spUser(server, user.email))?.department], ['Changed', 'Finance']);
    });

    it('leaves an unmapped department out of the SCIM resource, and takes it from a custom attribute when mapped so', async () => {
      await settings({ toApp: { attributeMappings: { department: null } } });
      const unmapped = await boundUser({ department: 'Ops' });
      assert.equal((await spUser(server, unmapped.email))?.department, undefined);
      const [job] = await jobsOf(unmapped.id);
      assert.equal(job?.status, 'succeeded');

      await settings({ toApp: { attributeMappings: { department: 'custom:costCenter' } } });
      const mapped = await boundUser({ department: 'Ops', customAttributes: [{ name: 'costCenter', value: 'CC-42' }] });
      assert.equal((await spUser(server, mapped.email))?.department, 'CC-42');
    });

    it('matches imported users by username when To Okta says so, and refuses a duplicate email on import', async () => {
      await admin(server, 'post', `${ACCOUNT}/users`).send({ email: 'sam@acme.test', firstName: 'Sam', lastName: 'Same', addresses: [{ type: 'work', country: 'US' }] }).expect(201);
      await admin(server, 'post', `${ACCOUNT}/users`).send({ email: 'tia@acme.test', firstName: 'Tia', lastName: 'Twin', addresses: [{ type: 'work', country: 'US' }] }).expect(201);
      const samId = ((await admin(server, 'post', '/idp/api/users').send({ email: 'samuel@acme.test', username: 'sam@acme.test', firstName: 'Sam', lastName: 'Same', password: 'sam-password-1' }).expect(201)).body as { id: string }).id;
      await admin(server, 'post', '/idp/api/users').send({ email: 'tia@acme.test', username: 'tia', firstName: 'Tia', lastName: 'Twin', password: 'tia-password-1' }).expect(201);
      const status = async (email: string) => ((await admin(server, 'get', `${IDM}/import`).expect(200)).body as { email: string; status: string; idpUserId?: string; scimId: string }[]).find((c) => c.email === email);

      assert.deepEqual([(await status('sam@acme.test'))?.status, (await status('tia@acme.test'))?.status], ['New', 'Imported']);
      await settings({ toOkta: { matchBy: 'username' } });
      const sam = await status('sam@acme.test');
      assert.deepEqual([sam?.status, sam?.idpUserId], ['Imported', samId]);
      const tia = await status('tia@acme.test');
      assert.equal(tia?.status, 'New');
      const outcome = (await admin(server, 'post', `${IDM}/import`).send({ userIds: [tia?.scimId] }).expect(200)).body as { results: { result: string; error?: string }[] };
      assert.equal(outcome.results[0]?.result, 'failed');
      assert.match(outcome.results[0]?.error ?? '', /already has email tia@acme\.test/);
    });

    it('runs a scheduled import once an hour has passed on the IdP clock: listing the New users, then importing them with Confirm new users', async () => {
      await admin(server, 'post', `${ACCOUNT}/users`).send({ email: 'una@acme.test', firstName: 'Una', lastName: 'Unseen', addresses: [{ type: 'work', country: 'US' }] }).expect(201);
      await settings({ toOkta: { importSchedule: 'hourly', confirmNewUsers: false } });
      const run = async () => ((await admin(server, 'post', '/idp/api/maintenance/imports').expect(200)).body as { ran: { appId: string; found?: { new: number; newUsers: string[]; confirmed: boolean }; imported?: number }[] }).ran;
      assert.deepEqual(await run(), [], 'not due before the hour');

      await moveIdpClock(61 * 60_000);
      let [report] = await run();
      assert.equal(report?.appId, DEMO_APP_ID);
      assert.ok(report?.found?.newUsers.includes('una@acme.test'));
      assert.equal(report?.found?.confirmed, false);
      assert.equal(report?.imported, undefined);
      assert.equal((await admin(server, 'get', '/idp/api/users').expect(200)).body.some((u: { email: string }) => u.email === 'una@acme.test'), false);
      assert.deepEqual(await run(), [], 'the next run is an hour after this one');
      const importPage = await get(`/idp/admin/apps/${DEMO_APP_ID}/idm/import`);
      assert.match(importPage, /The scheduled import found \d+ New and \d+ Imported users; the New users were not imported, because "Confirm new users automatically" is off/);
      assert.match(importPage, /<li>New: una@acme\.test<\/li>/);

      await settings({ toOkta: { confirmNewUsers: true } });
      await moveIdpClock(61 * 60_000);
      [report] = await run();
      assert.ok((report?.imported ?? 0) >= 1);
      assert.equal((await admin(server, 'get', '/idp/api/users').expect(200)).body.some((u: { email: string }) => u.email === 'una@acme.test'), true);
      assert.equal(((await admin(server, 'get', `${IDM}/import`).expect(200)).body as { email: string; status: string }[]).find((c) => c.email === 'una@acme.test')?.status, 'Imported');
    });
  });
});
