// The Okta Admin Console's first steps of Okta's RingCentral document, over HTTP: Applications →
// Add Application → "Search for an application" → Add → General Settings → Next → Sign On
// Methods (SAML 2.0) → View Setup Instructions → Done; then the Assignments view, where a user
// assigned directly (in no bound group) may sign in. Every page passes the accessibility check.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ssoLogin } from '../provisioning/idm-walk.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

describe('Okta Admin Console', () => {
  let server: RunningHarness;
  let session: ConsoleSession;

  const get = async (path: string): Promise<string> => {
    const text = await session.page(path);
    assertAccessible(text, path);
    return text;
  };
  const hrefOf = (page: string, text: string): string => {
    const m = new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`).exec(page);
    assert.ok(m?.[1], `a link "${text}"`);
    return m[1];
  };
  const appApi = async (id: string) => (await admin(server, 'get', `/idp/api/apps/${id}`).expect(200)).body as { flavor: string; users?: string[]; groups: string[] };

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    session = await signInToConsole(server, '/idp/admin');
  });
  after(() => server.close());

  it('adds RingCentral in the document\'s steps, and the application is then Okta-flavoured', async () => {
    const consoleHome = hrefOf(await get('/idp/admin'), 'Okta Admin Console');
    const applications = hrefOf(await get(consoleHome), 'Applications');
    const addApplication = hrefOf(await get(applications), 'Add Application');

    let page = await get(`${addApplication}?q=${encodeURIComponent('RingCentral')}`);
    assert.match(page, /<label for="app-search">Search for an application<\/label><input id="app-search" name="q" type="search" value="RingCentral"/);
    assert.doesNotMatch(page, /Custom SAML App/, 'the search keeps only the matching entries');
    const add = /<strong>RingCentral<\/strong>[^<]*\n<form method="get" action="([^"]+)"[^>]*><button type="submit"[^>]*>Add<\/button>/.exec(page)?.[1];
    assert.equal(add, '/idp/admin/okta/add-app/ringcentral');

    page = await get(add);
    assert.match(page, /<h2>General Settings<\/h2>/);
    assert.match(page, /<label for="app-label">Application label<\/label><input id="app-label" name="displayLabel" value="RingCentral"/);
    const next = await session.post(add, { displayLabel: 'RingCentral (Okta)', mydomain: new URL(server.url).host }).expect(303);
    const signOn = String(next.headers.location);
    assert.match(signOn, /^\/idp\/admin\/okta\/apps\/ringcentral-2\/sign-on$/);

    page = await get(signOn);
    assert.match(page, /<h2>Sign-On Options<\/h2>/);
    assert.match(page, /<legend>Sign On Methods<\/legend>/);
    assert.match(page, /<input type="radio" id="sign-on-saml2" name="signOnMethod" value="saml2" checked> <label for="sign-on-saml2">SAML 2.0<\/label>/);
    const instructions = hrefOf(page, 'View Setup Instructions');

    page = await get(instructions);
    assert.match(page, /<h1>How to Configure SAML 2.0 for RingCentral \(Okta\)<\/h1>/);
    const value = (id: string) => new RegExp(`id="${id}">([^<]+)<`).exec(page)?.[1];
    // Okta's SSO URL shape, /app/{org}_{app}_{n}/{appKey}/sso/saml (docs/vendor-traits.md).
    assert.match(value('idp-sso-url') ?? '', new RegExp(`^${server.url}/idp/app/harness_ringcentral-2_1/exk[A-Za-z0-9]{17}/sso/saml$`));
    assert.equal(value('idp-issuer'), `${server.url}/idp/apps/ringcentral-2`);
    assert.equal(value('idp-metadata-url'), `${server.url}/idp/apps/ringcentral-2/metadata`);
    const metadata = await (await fetch(`${server.url}/idp/apps/ringcentral-2/metadata`)).text();
    const metadataCert = /<ds:X509Certificate>([^<]+)</.exec(metadata)?.[1]?.replace(/\s/g, '');
    const shownCert = value('idp-certificate')?.replace(/-----[A-Z ]+-----|\s/g, '');
    assert.ok(metadataCert && shownCert === metadataCert, 'the certificate shown is the one the metadata publishes');
    const download = await session.get(hrefOf(page.replace(/ download="okta.cert"/, ''), 'Download certificate'));
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="?okta\.cert"?$/);
    assert.equal(download.text.replace(/-----[A-Z ]+-----|\s/g, ''), metadataCert);

    await get(signOn);
    page = (await session.post(signOn, { signOnMethod: 'saml2' }).expect(200)).text;
    assertAccessible(page, 'after Done');
    assert.match(page, /RingCentral \(Okta\) is added, signing on with SAML 2.0/);
    assert.match(page, /<h2>Assignments<\/h2>/);
    assert.equal((await appApi('ringcentral-2')).flavor, 'okta');
    assert.equal((await appApi(DEMO_APP_ID)).flavor, 'jumpcloud', 'the JumpCloud path and the harness default are unchanged');

    const list = await get(`${applications}?q=okta`);
    assert.match(list, /<a href="\/idp\/admin\/okta\/apps\/ringcentral-2">RingCentral \(Okta\)<\/a>.*<td>Okta<\/td>/);
    assert.doesNotMatch(list, /apps\/ringcentral"/, 'the Search field filters the list');
  });

  it('refuses each step\'s bad input on its own page, with the message and no stack trace', async () => {
    await get('/idp/admin/okta/add-app/ringcentral');
    let res = await session.post('/idp/admin/okta/add-app/ringcentral', { displayLabel: '', mydomain: '' }).expect(400);
    assertAccessible(res.text, 'refused General Settings');
    assert.match(res.text, /<h2>General Settings<\/h2>/);
    assert.match(res.text, /role="alert">choose the RingCentral domain/);
    res = await session.post('/idp/admin/okta/add-app/ringcentral', { displayLabel: '', mydomain: 'example.test' }).expect(400);
    assert.match(res.text, /role="alert">[^<]*displayLabel/);

    await get('/idp/admin/okta/apps/ringcentral-2/sign-on');
    res = await session.post('/idp/admin/okta/apps/ringcentral-2/sign-on', { signOnMethod: 'swa' }).expect(400);
    assert.match(res.text, /<legend>Sign On Methods<\/legend>/);
    assert.match(res.text, /role="alert">select a sign on option in the Sign On Methods section/);

    const tooLong = await admin(server, 'get', '/idp/admin/okta/add-app').set('cookie', session.cookie).query({ q: 'x'.repeat(101) });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error, 'INPUT_INVALID');
    assert.match(tooLong.body.expected, /at most 100 characters/);
    assert.doesNotMatch(JSON.stringify(tooLong.body), /\.ts:\d+|node:internal/, 'no stack trace');
    const tooLongPage = await request(server.server).get('/idp/admin/okta/add-app').set('cookie', session.cookie).query({ q: 'x'.repeat(101) }).expect(400);
    assertAccessible(tooLongPage.text, 'refused search');
    assert.match(tooLongPage.text, /role="alert">the search text is 101 characters long/);

    await session.postWithoutCsrf('/idp/admin/okta/add-app/ringcentral', { displayLabel: 'Forged', mydomain: 'x.test' }).expect(403);
    assert.equal((await admin(server, 'get', '/idp/api/apps').expect(200)).body.length, 2, 'nothing was created by a refused form');
  });

  it('takes RingCentral\'s SP metadata file on the setup instructions, so its signed AuthnRequests verify', async () => {
    const path = '/idp/admin/okta/apps/ringcentral-2/setup-instructions';
    let page = await get(path);
    assert.match(page, /<label for="sp-metadata-file">RingCentral SP metadata file<\/label>/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const upload = (file?: Buffer) => {
      const req = request(server.server).post(`${path}/sp-metadata`).set('cookie', session.cookie).field('_csrf', csrf);
      return file ? req.attach('metadata', file, 'ringcentral.xml') : req.field('note', 'no file');
    };
    page = (await upload().expect(400)).text;
    assertAccessible(page, 'refused upload');
    assert.match(page, /<h1>How to Configure SAML 2\.0 for RingCentral \(Okta\)<\/h1>/);
    assert.match(page, /role="alert">no SP metadata file was chosen/);
    assert.deepEqual((await appApi('ringcentral-2') as unknown as { sp: { certificates: string[] } }).sp.certificates, [], 'nothing saved');

    const xml = await (await fetch(`${server.url}/sp/metadata`)).text();
    page = (await upload(Buffer.from(xml)).expect(200)).text;
    assertAccessible(page, 'after upload');
    assert.match(page, /role="status">Uploaded the SP metadata of [^<]+ from ringcentral\.xml\./);
    assert.equal((await appApi('ringcentral-2') as unknown as { sp: { certificates: string[] } }).sp.certificates.length > 0, true);
  });

  it('assigns the application to a person directly, who may then sign in, and unassigns them', async () => {
    const users = (await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[];
    const carol = users.find((u) => u.email === 'carol@acme.test')!;
    assert.equal((await ssoLogin(server, 'carol@acme.test', 'carol-password-1')).error?.code, 'IDP_NOT_AUTHORIZED', 'carol is in no bound group');

    const appPage = `/idp/admin/okta/apps/${DEMO_APP_ID}`;
    let page = await get(appPage);
    assert.match(page, /<label for="assign-person">Person<\/label>/);
    assert.match(page, /<button type="submit">Assign to People<\/button>/);
    assert.match(page, /<button type="submit">Assign to Groups<\/button>/);
    assert.match(page, /<h3>Groups<\/h3>\n<table><tr><th>group<\/th><th>members<\/th><th><\/th><\/tr><tr><td>RingCentral Users<\/td>/, 'the bound group is listed');

    let res = await session.post(`${appPage}/assignments/people`, { user: '' }).expect(400);
    assert.match(res.text, /role="alert">choose a person to assign/);
    res = await session.post(`${appPage}/assignments/people`, { user: carol.id }).expect(200);
    assertAccessible(res.text, 'after Assign to People');
    assert.match(res.text, /Assigned RingCentral to carol@acme.test/);
    assert.match(res.text, /<td>Carol Contractor<\/td><td>carol@acme.test<\/td>/);
    assert.deepEqual((await appApi(DEMO_APP_ID)).users, [carol.id]);
    const login = await ssoLogin(server, 'carol@acme.test', 'carol-password-1');
    assert.equal(login.ok, true, JSON.stringify(login.error));

    page = await get(appPage);
    await session.post(`${appPage}/assignments/people/remove`, { user: carol.id }).expect(200);
    assert.deepEqual((await appApi(DEMO_APP_ID)).users, []);
    assert.equal((await ssoLogin(server, 'carol@acme.test', 'carol-password-1')).error?.code, 'IDP_NOT_AUTHORIZED');
  });

  it('assigns and unassigns directly through the admin API too, with the admin token only', async () => {
    const users = (await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[];
    const carol = users.find((u) => u.email === 'carol@acme.test')!;
    await admin(server, 'put', `/idp/api/apps/${DEMO_APP_ID}/users/${carol.id}`).expect(200);
    assert.equal((await ssoLogin(server, 'carol@acme.test', 'carol-password-1')).ok, true);
    assert.deepEqual((await admin(server, 'delete', `/idp/api/apps/${DEMO_APP_ID}/users/${carol.id}`).expect(200)).body.users, []);
    assert.equal((await admin(server, 'put', `/idp/api/apps/${DEMO_APP_ID}/users/nobody`).expect(404)).body.error, 'NOT_FOUND');
    await admin(server, 'put', `/idp/api/apps/${DEMO_APP_ID}/users/${carol.id}`).set('authorization', 'Bearer wrong').expect(401);
  });
});
