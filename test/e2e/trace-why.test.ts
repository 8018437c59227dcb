// Finding out why a login failed from the trace viewer, without reading JSON: a login abandoned at
// the IdP sign-in page is listed as incomplete (not ok), and a refused login's page opens with
// the explanation (what failed, expected, received, the setting and a link to the console page
// that holds it) above the sequence diagram and the messages.
import assert from 'node:assert/strict';
import request from 'supertest';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { signInToConsole, type ConsoleSession } from '../support/admin-console.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';
import { startSpLogin } from '../support/sp-login.js';

describe('trace viewer: why a login did not succeed', () => {
  let server: RunningHarness;
  let console_: ConsoleSession;
  const flowsOf = (page: string) => [...page.matchAll(/href="\/debug\/flows\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1] ?? ''));
  const rowOf = (list: string, flow: string) => list.split('<tr>').find((r) => r.includes(`/debug/flows/${encodeURIComponent(flow)}`)) ?? '';
  const newestFlow = async () => flowsOf(await console_.page('/debug'))[0] ?? '';

  /** A login run with the application answering with `scenario`, which must fail with `code`. */
  const failedLogin = async (scenario: string, code: string): Promise<string> => {
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ responseScenario: scenario }).expect(200);
    try {
      const result = await headlessLogin({ spBaseUrl: server.url, email: 'bob@acme.test', password: 'bob-password-1' });
      assert.equal(result.error?.code, code);
    } finally {
      await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ responseScenario: 'valid' }).expect(200);
    }
    return newestFlow();
  };

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    console_ = await signInToConsole(server, '/debug');
  });
  after(() => server.close());

  it('lists a login abandoned at the IdP sign-in page as incomplete and says where it stopped', async () => {
    const { idp: atIdp } = await startSpLogin(request(server.server), '/sp/login?email=ann%40acme.test');
    assert.equal(atIdp.status, 303);
    assert.match(String(atIdp.headers.location), /^\/idp\/login\?pending=/, 'the browser was sent to the sign-in page, and goes no further');
    const flow = await newestFlow();
    const list = await console_.page('/debug');
    assertAccessible(list, '/debug with an incomplete login');
    assert.match(rowOf(list, flow), /<td class="skip">incomplete<\/td>/);
    assert.match(rowOf(list, flow), /<td>ann@acme\.test<\/td>/, 'the user the SP asked for (the AuthnRequest Subject)');
    assert.doesNotMatch(rowOf(list, flow), /class="ok"/);
    const page = await console_.page(`/debug/flows/${encodeURIComponent(flow)}`);
    assertAccessible(page, 'incomplete flow');
    assert.match(page, /Outcome: <strong class="skip">incomplete<\/strong>/);
    assert.match(page, /<h2 id="why-heading">Why it is incomplete<\/h2>\s*<p>No Response reached the SP: the last message recorded is <a href="#entry-[^"]+">IdP received AuthnRequest<\/a>/);
    assert.ok(page.indexOf('id="why"') < page.indexOf('<svg'), 'the reason comes before the sequence diagram');
  });

  it('still lists a login that finished as ok', async () => {
    const result = await headlessLogin({ spBaseUrl: server.url, email: 'ann@acme.test', password: 'ann-password-1' });
    assert.equal(result.ok, true, JSON.stringify(result.error));
    const flow = await newestFlow();
    assert.match(rowOf(await console_.page('/debug'), flow), /<td class="ok">ok<\/td>/);
    const page = await console_.page(`/debug/flows/${encodeURIComponent(flow)}`);
    assert.doesNotMatch(page, /id="why"/);
    // Filtered to the IdP, the login ends with the Response the IdP sent: finished, not incomplete.
    assert.match(rowOf(await console_.page('/debug?side=idp'), flow), /<td class="ok">ok<\/td>/);
  });

  it('opens a login the SP refused with the explanation and a link to the IdP application page', async () => {
    const flow = await failedLogin('wrong-audience', 'SAML_AUDIENCE');
    const page = await console_.page(`/debug/flows/${encodeURIComponent(flow)}`);
    assertAccessible(page, 'refused flow');
    const why = page.indexOf('<h2 id="why-heading">Why it failed</h2>');
    assert.ok(why > 0, 'a "Why it failed" section');
    assert.ok(why < page.indexOf('<svg') && why < page.indexOf('<section class="trace-entry"'), 'before the diagram and the messages');
    const section = page.slice(why, page.indexOf('</section>', why));
    assert.match(section, /<code>SAML_AUDIENCE<\/code><\/strong>: The assertion is not addressed to this SP/);
    assert.match(section, /<p>Expected: [^<]+<\/p>\s*<p>Received: [^<]+<\/p>/);
    assert.match(section, new RegExp(`Setting to change: <strong>SP Entity ID</strong> \\(IdP\\) — change it on <a href="/idp/admin/apps/${DEMO_APP_ID}">the IdP application page</a>`));
    assert.match(section, /Refused at: <a href="#entry-([^"]+)">SP received Response<\/a>/);
    const anchor = /Refused at: <a href="#entry-([^"]+)">/.exec(section)?.[1] ?? '';
    assert.match(page, new RegExp(`<section class="trace-entry" id="entry-${anchor}">`), 'the anchor names the refused message');
    // Said once: the refused message's own section points back up.
    assert.equal(page.split('class="error explanation"').length - 1, 1);
    assert.match(page, /Refused with <code>SAML_AUDIENCE<\/code>: <a href="#why">the explanation is at the top of the page<\/a>/);
    await console_.get(`/idp/admin/apps/${DEMO_APP_ID}`);
  });

  it('links a setting of the SP to the account\'s Single Sign-on page', async () => {
    const flow = await failedLogin('missing-email-attribute', 'SAML_ATTRIBUTE_EMAIL');
    const page = await console_.page(`/debug/flows/${encodeURIComponent(flow)}`);
    const href = `/sp/admin/accounts/${DEMO_ACCOUNT.id}/sso`;
    assert.match(page, new RegExp(`Setting to change: <strong>Map Email Attribute to</strong> \\(SP\\) — change it on <a href="${href}">the SP account Single Sign-on page</a>`));
    assert.match(await console_.page(href), /Map Email Attribute to/, 'the linked page holds the setting');
  });

  it('explains a login the IdP refused first, with the application page to bind a group on', async () => {
    const result = await headlessLogin({ spBaseUrl: server.url, email: 'carol@acme.test', password: 'carol-password-1' });
    assert.equal(result.error?.code, 'IDP_NOT_AUTHORIZED');
    const flow = await newestFlow();
    const page = await console_.page(`/debug/flows/${encodeURIComponent(flow)}`);
    const why = page.indexOf('id="why"');
    assert.ok(why > 0 && why < page.indexOf('<svg'));
    assert.match(page, new RegExp(`Setting to change: <strong>User Groups</strong> \\(IdP\\) — change it on <a href="/idp/admin/apps/${DEMO_APP_ID}">`));
    assert.match(page, /Refused at: <a href="#entry-[^"]+">IdP sent Response<\/a>/);
    const entry = /<a href="(\/debug\/entries\/[^"]+)">IdP sent Response<\/a>/.exec(page)?.[1];
    assert.ok(entry);
    const one = await console_.page(entry);
    assertAccessible(one, 'refused entry page');
    assert.ok(one.indexOf('<h2 id="why-heading">Why it failed</h2>') < one.indexOf('<svg'));
    assert.match(one, new RegExp(`<a href="/idp/admin/apps/${DEMO_APP_ID}">the IdP application page</a>`));
  });

  it('shows an imported refused trace with its explanation first and no console link', async () => {
    const flow = await failedLogin('wrong-audience', 'SAML_AUDIENCE');
    const exported = await console_.get(`/debug/flows/${encodeURIComponent(flow)}/export.json`);
    await console_.get('/debug/import');
    const shown = await console_.post('/debug/import', { trace: exported.text }).expect(200);
    assertAccessible(shown.text, 'imported refused flow');
    assert.ok(shown.text.indexOf('Why it failed') < shown.text.indexOf('<svg'));
    // The imported trace may come from another harness: its applications are not this console's.
    assert.match(shown.text, /Setting to change: <strong>SP Entity ID<\/strong> \(IdP\)<\/p>/);
  });
});
