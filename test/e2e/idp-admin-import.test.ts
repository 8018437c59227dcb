// The IdP console's "manual import" (JumpCloud's "Importing Users"): the Identity Management tab's
// "manual import" lists the SP's users as New or Imported with checkboxes and the "New Users only"
// filter; Import creates the ticked users only and shows each result; over 100 users the import
// runs in the background and its email arrives in the IdP outbox page.
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { authorizeAtSp, idle } from '../provisioning/idm-walk.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const APP_PAGE = `/idp/admin/apps/${DEMO_APP_ID}`;
const IMPORT_PAGE = `${APP_PAGE}/idm/import`;
const WARNING = 'Imported users must be members of a user group bound to an application for JumpCloud to manage their identity in, and access to, the application.';

/** Each listed user's email → [import status, checkbox value or undefined]. */
function rows(page: string): Map<string, [string, string | undefined]> {
  const out = new Map<string, [string, string | undefined]>();
  for (const m of page.matchAll(/<tr><td>(?:<input type="checkbox" id="import-user-\d+" name="user" value="([^"]+)">|–)<\/td><td>(?:<label for="[^"]+">)?([^<]+)(?:<\/label>)?<\/td><td>[^<]*<\/td><td[^>]*>(New|Imported)<\/td><\/tr>/g)) {
    out.set(m[2] ?? '', [m[3] ?? '', m[1]]);
  }
  return out;
}

describe('IdP console: manual import', () => {
  let server: RunningHarness;
  let session: ConsoleSession;

  const get = async (path: string) => {
    const text = await session.page(path);
    assertAccessible(text, path);
    return text;
  };
  const spUser = (email: string, firstName: string) =>
    admin(server, 'post', `/sp/api/accounts/${DEMO_ACCOUNT.id}/users`)
      .send({ email, firstName, lastName: 'Seller', role: 'user', addresses: [{ type: 'work', country: 'US' }] })
      .expect(201);
  const idpEmails = async () => ((await admin(server, 'get', '/idp/api/users').expect(200)).body as { email: string }[]).map((u) => u.email);

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    const { authorizeUrl } = (await admin(server, 'post', `/idp/api/apps/${DEMO_APP_ID}/idm/configure`).send({}).expect(200)).body;
    assert.equal((await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1')).status, 200);
    await idle(server);
    await spUser('sam@acme.test', 'Sam');
    await spUser('tia@acme.test', 'Tia');
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());

  it('opens from the Identity Management tab and lists the SP users as New or Imported, with the warning', async () => {
    assert.match(await get(APP_PAGE), new RegExp(`<a href="${IMPORT_PAGE}">manual import</a>`));
    const page = await get(IMPORT_PAGE);
    assert.ok(page.includes(WARNING), 'the document\'s warning');
    const listed = rows(page);
    assert.equal(listed.get('sam@acme.test')?.[0], 'New');
    assert.equal(listed.get('tia@acme.test')?.[0], 'New');
    assert.deepEqual(listed.get('ann@acme.test'), ['Imported', undefined], 'an Imported user has no checkbox');
    assert.match(page, /<input type="checkbox" id="new-only" name="filter" value="new"> <label for="new-only">New Users only<\/label>/);
    assert.match(page, /<button type="submit">Import<\/button>/);
  });

  it('imports only the one New user chosen with the New Users only filter, and shows its result', async () => {
    const filtered = rows(await get(`${IMPORT_PAGE}?filter=new`));
    assert.deepEqual([...filtered.values()].map(([status]) => status), ['New', 'New'], 'Imported users hidden');
    assert.deepEqual([...filtered.keys()].sort(), ['sam@acme.test', 'tia@acme.test']);
    const sam = filtered.get('sam@acme.test')?.[1] ?? '';

    const res = await session.post(IMPORT_PAGE, { user: sam }).expect(200);
    assertAccessible(res.text, 'import results');
    assert.match(res.text, /role="status">Imported 1 of 1 users\.<\/p>/);
    assert.match(res.text, /<h2>Import results<\/h2>\s*<table><tr><th scope="col">user<\/th><th scope="col">result<\/th><\/tr><tr><td>sam@acme.test<\/td><td class="ok">Imported<\/td><\/tr><\/table>/);
    const emails = await idpEmails();
    assert.ok(emails.includes('sam@acme.test'));
    assert.ok(!emails.includes('tia@acme.test'), 'the user not ticked stays in the SP only');

    const after = rows(await get(IMPORT_PAGE));
    assert.deepEqual(after.get('sam@acme.test'), ['Imported', undefined]);
    assert.equal(after.get('tia@acme.test')?.[0], 'New');
  });

  it('refuses an import with no user ticked, on the page, with what to do', async () => {
    await get(IMPORT_PAGE);
    const res = await session.post(IMPORT_PAGE, {}).expect(400);
    assertAccessible(res.text, 'refused import');
    assert.match(res.text, /class="error" role="alert">No user is selected: tick the New users to import \(or &#34;All New users&#34;\), then click Import\. \(INPUT_INVALID\)/);
    assert.equal(rows(res.text).get('tia@acme.test')?.[0], 'New', 'the list is shown again');
  });

  it('shows a user that could not be imported as Failed, with why, in the results and the last import', async () => {
    await get(IMPORT_PAGE);
    const res = await session.post(IMPORT_PAGE, { user: 'gone-from-the-sp' }).expect(200);
    assert.match(res.text, /role="status">Imported 0 of 1 users\.<\/p>/);
    assert.match(res.text, /<tr><td>gone-from-the-sp<\/td><td class="fail">Failed: no such user in the SP<\/td><\/tr>/);
    assert.match(res.text, /<h2>Last import<\/h2>\s*<p>Completed [^<]+: 1 requested, 0 imported, 0 already imported, 1 failed\.<\/p>\s*<table><tr><th scope="col">user not imported<\/th><th scope="col">why<\/th><\/tr><tr><td>gone-from-the-sp<\/td><td class="fail">no such user in the SP<\/td><\/tr><\/table>/);
  });

  it('shows the page without a list, and why, while Identity Management is not verified', async () => {
    await admin(server, 'post', '/idp/api/apps').send({ template: 'custom-saml', displayLabel: 'Other' }).expect(201);
    const other = ((await admin(server, 'get', '/idp/api/apps').expect(200)).body as { id: string; displayLabel: string }[]).find((a) => a.displayLabel === 'Other');
    const res = await fetch(`${server.url}/idp/admin/apps/${other?.id}/idm/import`, { headers: { cookie: session.cookie } });
    assert.equal(res.status, 409);
    const page = await res.text();
    assertAccessible(page, 'import, not verified');
    assert.match(page, /class="error" role="alert">[^<]*\(IDM_NOT_VERIFIED\)/);
    assert.equal(rows(page).size, 0);
  });

  it('imports over 100 ticked users in the background and emails the administrator, shown in the IdP outbox', async () => {
    for (let i = 0; i < 101; i++) await spUser(`bulk${i}@acme.test`, `Bulk${i}`);
    const ticked = [...rows(await get(`${IMPORT_PAGE}?filter=new`)).values()].map(([, id]) => id ?? '');
    assert.equal(ticked.length, 102, 'the 101 bulk users and tia');

    const res = await session.post(IMPORT_PAGE, { user: ticked }).expect(200);
    assert.match(res.text, /Importing 102 users in the background: an email arrives at admin@idp\.sso-harness\.test when the import is complete/);
    assert.doesNotMatch(res.text, /<h2>Import results<\/h2>/);
    await idle(server);

    const outbox = await get('/idp/admin/outbox');
    assert.match(outbox, /<h2>Your import from RingCentral is complete<\/h2><p>To admin@idp\.sso-harness\.test · sent [^<]+<\/p><pre>Imported: 102\nAlready imported: 0\nFailed: 0\n/);
    const page = await get(IMPORT_PAGE);
    assert.match(page, /<h2>Last import<\/h2>\s*<p>Completed [^<]+ in the background: 102 requested, 102 imported, 0 already imported, 0 failed\.<\/p>/);
    assert.deepEqual(
      [...rows(page).values()].filter(([status]) => status === 'New'),
      [],
      'every SP user shows as Imported',
    );
    assert.equal((await idpEmails()).filter((e) => e.startsWith('bulk')).length, 101);
  });
});
