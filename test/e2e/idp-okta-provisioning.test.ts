// The Okta application's Provisioning tab, Integration pane, over HTTP in the document's order:
// Configure API Integration, Enable API Integration, clear Import Groups and Continue in the
// Disable Import Groups dialog, Authenticate with RingCentral (the SP's sign-in), verified.
import assert from 'node:assert/strict';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { authorizeAtSp, idle } from '../provisioning/idm-walk.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const TAB = `/idp/admin/okta/apps/${DEMO_APP_ID}/provisioning`;
const SETTINGS = `/idp/api/apps/${DEMO_APP_ID}/idm/settings`;

describe('Okta Provisioning tab: the API integration', () => {
  let server: RunningHarness;
  let session: ConsoleSession;

  const get = async (path: string): Promise<string> => {
    const text = await session.page(path);
    assertAccessible(text, path);
    return text;
  };
  const settings = async () => (await admin(server, 'get', SETTINGS).expect(200)).body as { apiIntegration: boolean; importGroups: boolean };

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());

  it('is reached from the application page, and lists its SETTINGS: Integration, To App, To Okta', async () => {
    const appPage = await get(`/idp/admin/okta/apps/${DEMO_APP_ID}`);
    assert.match(appPage, new RegExp(`<a href="${TAB}">Provisioning</a>`));
    const page = await get(TAB);
    assert.match(page, /<nav aria-label="SETTINGS"><h2>SETTINGS<\/h2>/);
    for (const [label, path] of [['Integration', ''], ['To App', '/to-app'], ['To Okta', '/to-okta']]) {
      assert.match(page, new RegExp(`<a href="${TAB}${path}"[^>]*>(<strong>)?${label}`), label);
    }
    assert.match(page, /<th scope="row">API integration<\/th><td>not enabled<\/td>/);
    assert.match(page, new RegExp(`<form method="get" action="${TAB}/integration"><button type="submit">Configure API Integration</button>`));
  });

  it('refuses Authenticate with RingCentral until Enable API Integration is selected, and saves nothing', async () => {
    const form = await get(`${TAB}/integration`);
    assert.match(form, /<input type="checkbox" id="api-integration" name="apiIntegration" value="on"> <label for="api-integration">Enable API Integration<\/label>/);
    assert.match(form, /<input type="checkbox" id="import-groups" name="importGroups" value="on" checked> <label for="import-groups">Import Groups<\/label>/);
    const refused = await session.post(`${TAB}/integration`, { importGroups: 'on', action: 'authenticate' }).expect(400);
    assertAccessible(refused.text, 'refused');
    assert.match(refused.text, /select Enable API Integration before you authenticate with RingCentral/);
    assert.doesNotMatch(refused.text, /at .+\.ts:\d+/);
    assert.deepEqual(await settings(), { ...(await settings()), apiIntegration: false, importGroups: true });
    const unknown = await session.post(`${TAB}/integration`, { apiIntegration: 'on', importGroups: 'on', action: 'launch' }).expect(400);
    assert.match(unknown.text, /choose Save or Authenticate with RingCentral/);
  });

  it('asks in the Disable Import Groups dialog before clearing Import Groups, then says RingCentral has no groups', async () => {
    await get(`${TAB}/integration`);
    const dialog = await session.post(`${TAB}/integration`, { apiIntegration: 'on', action: 'save' }).expect(200);
    assertAccessible(dialog.text, 'dialog');
    assert.match(dialog.text, /<div role="dialog" aria-labelledby="disable-import-groups"[^>]*><h2 id="disable-import-groups">Disable Import Groups<\/h2>/);
    assert.equal((await settings()).importGroups, true, 'nothing saved before Continue');
    assert.equal((await settings()).apiIntegration, false);

    const csrf = /name="_csrf" value="([^"]+)"/.exec(dialog.text)?.[1] ?? '';
    const hidden = Object.fromEntries([...dialog.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual({ ...hidden, _csrf: undefined }, { _csrf: undefined, apiIntegration: 'on', action: 'save', importGroupsConfirmed: 'off' });
    const saved = await session.post(`${TAB}/integration`, { ...hidden, _csrf: csrf }).expect(200);
    assertAccessible(saved.text, 'after Continue');
    assert.match(saved.text, /RingCentral has no groups to import/);
    assert.deepEqual(await settings(), { ...(await settings()), apiIntegration: true, importGroups: false });

    // Off already: no dialog the second time.
    await get(`${TAB}/integration`);
    const again = await session.post(`${TAB}/integration`, { apiIntegration: 'on', action: 'save' }).expect(200);
    assert.doesNotMatch(again.text, /role="dialog"/);
    assert.match(again.text, /Saved the API integration\./);
  });

  it('Authenticate with RingCentral opens the SP sign-in as the Okta client and comes back verified to the tab', async () => {
    await get(`${TAB}/integration`);
    const go = await session.post(`${TAB}/integration`, { apiIntegration: 'on', action: 'authenticate' }).expect(303);
    const authorizeUrl = String(go.headers.location);
    assert.ok(authorizeUrl.startsWith(`${server.url}/restapi/oauth/authorize?`), authorizeUrl);
    const outcome = await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1');
    assert.match(outcome.text, /Identity Management integration successfully verified/);
    assert.match(outcome.text, new RegExp(`<a href="${TAB}">Back to the Provisioning tab</a>`));
    await idle(server);
    const idm = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}/idm`).expect(200)).body as { status: string; flavor: string };
    assert.deepEqual([idm.status, idm.flavor], ['verified', 'okta']);
    const page = await get(TAB);
    assert.match(page, /<th scope="row">Connection<\/th><td>verified: provisioning to RingCentral<\/td>/);
    assert.match(page, /<button type="submit">Edit<\/button>/);
  });

  it('keeps the settings API behind the admin token, and refuses a bad setting by name', async () => {
    const { default: request } = await import('supertest');
    await request(server.server).get(SETTINGS).expect(401);
    const bad = await admin(server, 'put', SETTINGS).send({ toOkta: { importSchedule: 'weekly' } }).expect(400);
    assert.equal(bad.body.error, 'INPUT_INVALID');
    assert.match(JSON.stringify(bad.body), /importSchedule/);
    const before = await settings();
    await admin(server, 'put', SETTINGS).send({ importGroups: true, toApp: { attributeMappings: { department: 'custom:costCenter' } } }).expect(200);
    const after = (await admin(server, 'get', SETTINGS).expect(200)).body;
    assert.equal(after.importGroups, true);
    assert.equal(after.apiIntegration, before.apiIntegration, 'what the input leaves out keeps its value');
    assert.equal(after.toApp.attributeMappings.department, 'custom:costCenter');
    assert.equal(after.toApp.attributeMappings.addresses, 'addresses');
  });
});
