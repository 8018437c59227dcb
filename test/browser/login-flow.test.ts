// The golden path's login in a real browser (Debian's chromium), against the seeded demo: every
// page visited is screenshotted and passes the accessibility smoke check.
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { checkAccessible, openBrowser, requireChromium, screenshots, type TestBrowser } from '../support/browser.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';

const screenshot = screenshots('login-flow');

/** POSTs the browser made to the SP's ACS, with their form bodies. */
function recordAcsPosts(page: Page): URLSearchParams[] {
  const posts: URLSearchParams[] = [];
  page.on('request', (req: Request) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/sp/acs') posts.push(new URLSearchParams(req.postData() ?? ''));
  });
  return posts;
}

/**
 * Console errors, where a Content-Security-Policy refusal of the auto-post script would show.
 * The browser's own request for /favicon.ico (404, the harness has none) is not the page's doing.
 */
function recordConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    const source = msg.location().url;
    if (msg.type() === 'error' && !(source && new URL(source).pathname === '/favicon.ico')) errors.push(`${msg.text()} (${source})`);
  });
  return errors;
}

describe('login in a real browser (chromium)', function () {
  let server: RunningHarness;
  let browser: TestBrowser | undefined;

  before(async function () {
    requireChromium(this);
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  /**
   * SP login → email → IdP login page, checked along the way (and screenshotted when `shotPrefix` is
   * given). The demo's IdP metadata lists only HTTP-POST, so the SP answers a page that posts the
   * AuthnRequest; with JavaScript off the user presses its Continue button.
   */
  async function reachIdpLogin(page: Page, email: string, shotPrefix?: string, javaScriptOff = false): Promise<void> {
    await page.goto(`${server.url}/sp/login`);
    assert.equal(await page.locator('h1').textContent(), 'Sign in');
    await checkAccessible(page);
    if (shotPrefix) await screenshot(page, `${shotPrefix}-sp-login`);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    if (javaScriptOff) {
      await page.waitForURL((url) => url.pathname === '/sp/login');
      assert.equal(await page.locator('h1').textContent(), 'Signing you in to the application…');
      await checkAccessible(page);
      if (shotPrefix) await screenshot(page, `${shotPrefix}-sp-auto-post`);
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.waitForURL((url) => url.pathname === '/idp/login' && url.searchParams.has('pending'));
    assert.equal(await page.locator('h1').textContent(), 'Sign in to RingCentral');
    await checkAccessible(page);
    if (shotPrefix) await screenshot(page, `${shotPrefix}-idp-login`);
  }

  async function signInAtIdp(page: Page, login: string, password: string): Promise<void> {
    await page.getByLabel('Email or username').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** The page the IdP answered the sign-in POST with (at /idp/login, without the pending key), loaded. */
  async function idpAnswer(page: Page): Promise<void> {
    await page.waitForURL((url) => url.pathname === '/idp/login' && !url.searchParams.has('pending'));
  }

  async function expectSpHome(page: Page, email: string, shotName: string): Promise<void> {
    await page.waitForURL((url) => url.pathname === '/sp/home');
    assert.equal(await page.locator('#email').textContent(), email);
    assert.equal(await page.locator('#nameid').textContent(), email);
    assert.match((await page.locator('main').textContent()) ?? '', /Signed in to Acme Corp .*\(SSO\)/);
    await checkAccessible(page);
    await screenshot(page, shotName);
  }

  it('signs Ann in: SP login, IdP login, the auto-posted SAMLResponse (JavaScript on), /sp/home', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const acsPosts = recordAcsPosts(page);
    const consoleErrors = recordConsoleErrors(page);

    await reachIdpLogin(page, 'ann@acme.test', 'js');
    await signInAtIdp(page, 'ann@acme.test', 'ann-password-1');
    await expectSpHome(page, 'ann@acme.test', 'js-sp-home');

    assert.equal(acsPosts.length, 1, 'the auto-post script posted the response to the ACS once');
    assert.ok(acsPosts[0]?.get('SAMLResponse'), 'the ACS POST carries a SAMLResponse');
    assert.deepEqual(consoleErrors, [], 'no console errors (a CSP refusal of the auto-post script would show here)');

    // The IdP session cookie took: the portal lists the application.
    await page.goto(`${server.url}/idp/portal`);
    assert.equal(await page.locator('h1').textContent(), 'Your applications');
    assert.equal(await page.locator('main strong').first().textContent(), 'ann@acme.test');
    assert.equal(await page.getByRole('link', { name: 'RingCentral' }).count(), 1);
    await checkAccessible(page);
    await screenshot(page, 'js-idp-portal');

    // Signing out at the SP ends its session (the demo account has Single Logout off).
    await page.goto(`${server.url}/sp/home`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sp/logout');
    assert.equal(await page.locator('h1').textContent(), 'You are signed out');
    assert.equal(await page.locator('main p').first().textContent(), 'You are signed out of Acme Corp.');
    await checkAccessible(page);
    await screenshot(page, 'js-sp-signed-out');
    const home = await page.goto(`${server.url}/sp/home`);
    assert.equal(home?.status(), 401);
    assert.equal(await page.locator('.error code').first().textContent(), 'SP_NOT_SIGNED_IN');
    await checkAccessible(page);
    await screenshot(page, 'js-sp-home-signed-out');
  });

  it('signs Ann in with JavaScript off: the noscript Continue buttons post the AuthnRequest and the SAMLResponse', async () => {
    browser = await openBrowser({ javaScriptEnabled: false });
    const { page } = browser;
    const acsPosts = recordAcsPosts(page);

    await reachIdpLogin(page, 'ann@acme.test', 'nojs', true);
    await signInAtIdp(page, 'ann@acme.test', 'ann-password-1');
    // Nothing submits the form by itself: the browser waits on the auto-post page.
    await idpAnswer(page);
    assert.equal(await page.locator('h1').textContent(), 'Signing you in to the application…');
    assert.equal(acsPosts.length, 0, 'no script ran, so nothing was posted yet');
    const proceed = page.getByRole('button', { name: 'Continue' });
    assert.equal(await proceed.isVisible(), true, 'the noscript button shows');
    await checkAccessible(page);
    await screenshot(page, 'nojs-auto-post');

    await proceed.click();
    await expectSpHome(page, 'ann@acme.test', 'nojs-sp-home');
    assert.equal(acsPosts.length, 1);
    assert.ok(acsPosts[0]?.get('SAMLResponse'));
  });

  it('shows Carol, whose group is not bound, the "not authorized" page and posts nothing to the SP', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const acsPosts = recordAcsPosts(page);

    await reachIdpLogin(page, 'carol@acme.test');
    const answer = page.waitForResponse((res) => new URL(res.url()).pathname === '/idp/login' && res.request().method() === 'POST');
    await signInAtIdp(page, 'carol@acme.test', 'carol-password-1');
    assert.equal((await answer).status(), 403);
    await idpAnswer(page);
    assert.equal(await page.locator('h1').textContent(), 'You are not authorized for this application');
    assert.equal(await page.locator('.error code').first().textContent(), 'IDP_NOT_AUTHORIZED');
    assert.equal(acsPosts.length, 0);
    await checkAccessible(page);
    await screenshot(page, 'carol-not-authorized');
  });

  it('keeps a wrong password on the IdP login page with its error, the email kept', async () => {
    browser = await openBrowser();
    const { page } = browser;

    await reachIdpLogin(page, 'bob@acme.test');
    const answer = page.waitForResponse((res) => new URL(res.url()).pathname === '/idp/login' && res.request().method() === 'POST');
    await signInAtIdp(page, 'bob@acme.test', 'not-bobs-password');
    assert.equal((await answer).status(), 401);
    await idpAnswer(page);
    assert.equal(await page.locator('p.error').textContent(), 'wrong email/username or password');
    assert.equal(await page.getByLabel('Email or username').inputValue(), 'bob@acme.test');
    await checkAccessible(page);
    await screenshot(page, 'wrong-password-error');
  });

  it('shows the SP error page with the code when the response fails a check (the tester picks wrong-audience)', async () => {
    browser = await openBrowser();
    const { page } = browser;

    await reachIdpLogin(page, 'bob@acme.test');
    await page.getByText('Response options (for testers)').click();
    await page.getByLabel('Send this response').selectOption('wrong-audience');
    await checkAccessible(page); // the scenario select is visible now
    await screenshot(page, 'rejected-scenario-picked');
    const acs = page.waitForResponse((res) => new URL(res.url()).pathname === '/sp/acs');
    await signInAtIdp(page, 'bob@acme.test', 'bob-password-1');
    assert.equal((await acs).status(), 401);
    await page.waitForURL((url) => url.pathname === '/sp/acs');
    assert.equal(await page.locator('h1').textContent(), 'Single sign-on failed');
    assert.equal(await page.locator('.error code').first().textContent(), 'SAML_AUDIENCE');
    assert.match((await page.locator('.error').textContent()) ?? '', /Expected: .*Received: /s);
    await checkAccessible(page);
    await screenshot(page, 'rejected-sp-error');
  });
});
