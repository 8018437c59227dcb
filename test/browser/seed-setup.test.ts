// The seed's whole setup clicked through in a real browser (Debian's chromium) from a blank
// harness: JumpCloud 1 (add RingCentral, users, group), RingCentral 1 (Upload IdP Metadata by URL,
// Map Email Attribute to Custom "email", Save, Download), JumpCloud 2 (Upload Metadata, bind the
// group), RingCentral 2 (Enable SSO, Manage Your Login); then an SP-initiated login, the trace
// viewer with that login's diagram and checks, and a failing login whose explanation is shown.
// Every page is screenshotted and passes the accessibility smoke check.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningHarness } from '../../src/harness/server.js';
import { checkAccessible, openBrowser, requireChromium, screenshots, type TestBrowser } from '../support/browser.js';
import { ringCentral1, ringCentral2 } from '../support/console-steps.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';

const shot = screenshots('seed-setup');

describe('the seed\'s setup, clicked through in a real browser', function () {
  this.timeout(120_000);
  let server: RunningHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  let accountId: string;

  /** Waits until the page is at a URL this predicate accepts and has loaded (it may be there already). */
  const arrive = async (p: Page, at: (url: URL) => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !at(new URL(p.url())); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(at(new URL(p.url())), `still at ${p.url()}`);
    await p.waitForLoadState();
  };

  /** Screenshot and accessibility check of the page as it is now. */
  const look = async (name: string): Promise<void> => {
    await checkAccessible(page);
    await shot(page, name);
  };

  before(async function () {
    requireChromium(this);
    server = await startTestServer();
    // RingCentral accounts and their users exist before SSO is set up; only that comes from the API.
    accountId = (await admin(server, 'post', '/sp/api/accounts').send({ name: 'Acme Corp' }).expect(201)).body.id;
    await admin(server, 'post', `/sp/api/accounts/${accountId}/users`)
      .send({ email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', role: 'super-admin', password: 'ann-rc-password-1' })
      .expect(201);
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in to the admin pages with the admin token', async () => {
    await page.goto(`${server.url}/idp/admin`);
    await arrive(page, (url) => url.pathname === '/admin/login');
    await look('admin-sign-in');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(page, (url) => url.pathname === '/idp/admin');
    assert.equal(await page.locator('h1').textContent(), 'SSO applications');
  });

  it('JumpCloud 1: adds RingCentral from the catalogue, a user and a group', async () => {
    await page.getByLabel('From the catalogue').selectOption('ringcentral');
    await page.getByLabel('Display label').fill('RingCentral');
    await page.getByLabel(/Your domain/).fill(new URL(server.url).host);
    await look('idp-add-application');
    await page.getByRole('button', { name: 'Activate' }).click();
    await arrive(page, (url) => url.pathname === '/idp/admin/apps/ringcentral');

    await page.goto(`${server.url}/idp/admin/users`);
    await page.getByLabel('Email').fill('ann@acme.test');
    await page.getByLabel('First name').fill('Ann');
    await page.getByLabel('Last name').fill('Lee');
    await page.getByLabel('Phone 1 number').fill('+16505550100');
    await page.getByLabel('Password', { exact: true }).fill('ann-password-1');
    await page.getByRole('button', { name: 'Save user' }).click();
    await page.getByText('Saved ann@acme.test').waitFor();
    await look('idp-users');

    await page.goto(`${server.url}/idp/admin/groups`);
    await page.getByLabel('Group name').fill('RingCentral Users');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByLabel('Add a member').selectOption({ label: 'ann@acme.test' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('cell', { name: 'ann@acme.test' }).waitFor();
    await look('idp-groups');
  });

  it('RingCentral 1: imports the IdP metadata by URL, maps the email to Custom "email", saves', async () => {
    await page.goto(`${server.url}/idp/admin/apps/ringcentral`);
    const metadataUrl = await page.getByLabel('IdP Metadata URL').inputValue();
    assert.match(metadataUrl, /\/idp\/apps\/ringcentral\/metadata$/);
    await look('idp-application');

    await ringCentral1(page, server.url, accountId, metadataUrl);
    await look('sp-single-sign-on');
  });

  it('JumpCloud 2: uploads the SP metadata from "Download" and binds the group', async () => {
    const download = await page.request.get(`${server.url}/sp/metadata?download&account=${accountId}`);
    assert.equal(download.status(), 200);
    const spMetadata = await download.text();
    await page.goto(`${server.url}/idp/admin/apps/ringcentral`);
    await page.getByLabel('SP metadata file').setInputFiles({ name: 'sp-metadata.xml', mimeType: 'application/xml', buffer: Buffer.from(spMetadata) });
    await page.getByRole('button', { name: 'Upload Metadata', exact: true }).click();
    await page.getByText(/Uploaded the SP metadata of/).waitFor();
    await page.getByLabel('RingCentral Users').check();
    await page.locator('form[action$="/groups"] button').click();
    await page.getByText('Saved the bound groups.').waitFor();
    await look('idp-application-ready');
  });

  it('RingCentral 2: enables SSO and sets Manage Your Login', async () => {
    await ringCentral2(page, server.url, accountId);
    await look('sp-sso-enabled');
  });

  it('logs in SP-initiated and lands on the SP home page', async () => {
    await page.goto(`${server.url}/sp/login`);
    await page.getByLabel('Email').fill('ann@acme.test');
    await page.getByRole('button', { name: 'Next' }).click();
    await arrive(page, (url) => url.pathname === '/idp/login');
    await look('idp-login');
    await page.getByLabel('Email or username').fill('ann@acme.test');
    await page.getByLabel('Password').fill('ann-password-1');
    await page.getByRole('button', { name: /Sign in/ }).click();
    await arrive(page, (url) => url.pathname === '/sp/home');
    assert.match((await page.locator('main').textContent()) ?? '', /ann@acme\.test/);
    await look('sp-home');
  });

  it('shows the login in the trace viewer: its sequence diagram and every check passing', async () => {
    await page.goto(`${server.url}/debug`);
    await look('trace-viewer');
    await page.locator('a[href^="/debug/flows/"]').first().click();
    await arrive(page, (url) => url.pathname.startsWith('/debug/flows/'));
    assert.equal(await page.locator('svg').count() > 0, true, 'a sequence diagram');
    for (const lane of ['Browser', 'SP', 'IdP']) assert.ok(await page.locator('svg text', { hasText: lane }).count(), `lane ${lane}`);
    const verdicts = await page.locator('td.fail').count();
    assert.equal(verdicts, 0, 'no failed check in a good login');
    await look('trace-viewer-login');
  });

  it('shows a failing login\'s explanation and the setting to change', async () => {
    await admin(server, 'patch', '/idp/api/apps/ringcentral').send({ responseScenario: 'wrong-audience' }).expect(200);
    try {
      const other = await openBrowser();
      try {
        const p = other.page;
        await p.goto(`${server.url}/sp/login`);
        await p.getByLabel('Email').fill('ann@acme.test');
        await p.getByRole('button', { name: 'Next' }).click();
        await arrive(p, (url) => url.pathname === '/idp/login');
        await p.getByLabel('Email or username').fill('ann@acme.test');
        await p.getByLabel('Password').fill('ann-password-1');
        await p.getByRole('button', { name: /Sign in/ }).click();
        await arrive(p, (url) => url.pathname === '/sp/acs');
        assert.match((await p.locator('main').textContent()) ?? '', /SAML_AUDIENCE/);
      } finally {
        await other.close();
      }
      await page.goto(`${server.url}/debug`);
      await page.locator('a[href^="/debug/flows/"]').first().click();
      await page.getByText('SAML_AUDIENCE').first().waitFor();
      assert.match((await page.locator('main').textContent()) ?? '', /Setting to change/);
      await look('trace-viewer-failed-login');
      // The top of the page (diagram and explanation), as the README shows it.
      await page.setViewportSize({ width: 1100, height: 900 });
      await shot(page, 'trace-viewer-failed-login-top', { fullPage: false });
    } finally {
      await admin(server, 'patch', '/idp/api/apps/ringcentral').send({ responseScenario: 'valid' }).expect(200);
    }
  });

  it('Identity Management: authorizes at the SP\'s OAuth pages, then a new user gets an activation email', async () => {
    await page.goto(`${server.url}/idp/admin/apps/ringcentral`);
    await page.getByRole('button', { name: 'Configure and Authorize' }).click();
    await arrive(page, (url) => url.pathname.startsWith('/restapi/oauth/'));
    await look('oauth-sign-in');
    await page.getByLabel('Email or phone number').fill('ann@acme.test');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').waitFor();
    await look('oauth-password');
    await page.getByLabel('Password').fill('ann-rc-password-1');
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('button', { name: 'Authorize' }).waitFor();
    await look('oauth-consent');
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByText(/successfully verified/).waitFor();
    await look('idp-idm-verified');

    // A new user in the bound group is provisioned over SCIM, pending until the activation link is used.
    await page.goto(`${server.url}/idp/admin/users`);
    await page.getByLabel('Email').fill('dana@acme.test');
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('New');
    await page.getByLabel('Password', { exact: true }).fill('dana-password-1');
    await page.getByRole('button', { name: 'Save user' }).click();
    await page.getByText('Saved dana@acme.test').waitFor();
    // RingCentral needs an address with a country (the console's form has no address fields).
    const dana = ((await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[]).find((u) => u.email === 'dana@acme.test');
    await admin(server, 'patch', `/idp/api/users/${dana?.id}`).send({ addresses: [{ type: 'work', locality: 'Belmont', country: 'US' }] }).expect(200);
    await page.goto(`${server.url}/idp/admin/groups`);
    await page.getByLabel('Add a member').selectOption({ label: 'dana@acme.test' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('cell', { name: /dana@acme\.test/ }).waitFor();
    await admin(server, 'post', '/idp/api/maintenance/idle').expect(200);

    await page.goto(`${server.url}/sp/admin/accounts/${accountId}/users`);
    await page.getByRole('cell', { name: 'pending' }).waitFor();
    await look('sp-users-pending');
    await page.goto(`${server.url}/sp/accounts/${accountId}/outbox`);
    await look('sp-outbox');
    await page.locator('a[href*="/sp/activate/"]').first().click();
    await arrive(page, (url) => url.pathname.startsWith('/sp/activate/'));
    await look('sp-activation');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('is active').waitFor();
    await look('sp-activated');
  });

  it('signs out at the IdP portal and reports each application (RingCentral has no Single Logout)', async () => {
    await page.goto(`${server.url}/idp/portal`);
    await look('idp-portal');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /RingCentral\s*no Single Logout/);
    await look('idp-signed-out');
  });
});
