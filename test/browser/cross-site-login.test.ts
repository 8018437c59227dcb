// A login whose IdP is on another site, in a real browser (Debian's chromium): the IdP's page posts
// the response cross-site, and the browser still sends the SP's login cookie with it. One harness
// with two public origins on one port: the IdP at http://127.0.0.1:P, the SP at http://localhost:P
// (a secure context, so the SameSite=None cookie is kept) or at a plain-HTTP host name (the
// Secure cookie is dropped and the fallback cookie carries the login).
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { openBrowser, requireChromium, screenshots, type TestBrowser } from '../support/browser.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';
import { freePort } from '../support/net.js';

const screenshot = screenshots('cross-site-login');

/** The Cookie header of each POST the browser made to the SP's ACS. */
function recordAcsCookies(page: Page): Promise<string>[] {
  const cookies: Promise<string>[] = [];
  page.on('request', (req: Request) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/sp/acs') cookies.push(req.allHeaders().then((h) => h.cookie ?? ''));
  });
  return cookies;
}

async function signInAcrossSites(page: Page, spUrl: string, idpUrl: string): Promise<void> {
  await page.goto(`${spUrl}/sp/login`);
  await page.getByLabel('Email').fill('ann@acme.test');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForURL((url) => url.origin === idpUrl && url.pathname === '/idp/login');
  await page.getByLabel('Email or username').fill('ann@acme.test');
  await page.getByLabel('Password').fill('ann-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === spUrl && url.pathname === '/sp/home');
  assert.equal(await page.locator('#email').textContent(), 'ann@acme.test');
}

describe('login with the IdP on another site, in a real browser (chromium)', function () {
  let browser: TestBrowser | undefined;
  let server: RunningHarness | undefined;
  const idpUrl = (port: number) => `http://127.0.0.1:${port}`;

  async function start(spUrlOf: (port: number) => string): Promise<{ spUrl: string; idpUrl: string }> {
    const port = await freePort();
    const urls = { spUrl: spUrlOf(port), idpUrl: idpUrl(port) };
    server = await startTestServer({ port, baseUrl: urls.spUrl, spBaseUrl: urls.spUrl, idpBaseUrl: urls.idpUrl });
    await seedDemo({ idpBaseUrl: urls.idpUrl, spBaseUrl: urls.idpUrl, adminToken: ADMIN_TOKEN });
    return urls;
  }

  before(function () {
    requireChromium(this);
  });
  afterEach(async () => {
    await browser?.close();
    await server?.close();
    browser = undefined;
    server = undefined;
  });

  it('signs Ann in: the cross-site POST from the IdP carries the SameSite=None login cookie', async () => {
    const { spUrl, idpUrl } = await start((port) => `http://localhost:${port}`);
    browser = await openBrowser();
    const { page } = browser;
    const acsCookies = recordAcsCookies(page);
    await signInAcrossSites(page, spUrl, idpUrl);
    await screenshot(page, 'sp-home');

    assert.equal(acsCookies.length, 1, 'one POST to the ACS');
    const sent = await acsCookies[0];
    assert.match(sent ?? '', /(^|; )sso_harness_sp_login=[A-Za-z0-9_-]{43}(;|$)/, `the ACS POST carried: ${sent}`);
    const left = (await browser.context.cookies(spUrl)).map((c) => c.name);
    assert.ok(!left.includes('sso_harness_sp_login') && !left.includes('sso_harness_sp_login_legacy'), `login cookies cleared: ${left.join(', ')}`);
  });

  it('signs Ann in over plain HTTP on a host other than localhost, through the fallback cookie (soon after the start)', async () => {
    const { spUrl, idpUrl } = await start((port) => `http://sp.example.test:${port}`);
    browser = await openBrowser({ loopbackHosts: ['sp.example.test'] });
    const { page } = browser;
    const acsCookies = recordAcsCookies(page);
    await signInAcrossSites(page, spUrl, idpUrl);

    const sent = (await acsCookies[0]) ?? '';
    assert.doesNotMatch(sent, /(^|; )sso_harness_sp_login=/, 'the Secure cookie was dropped over plain HTTP');
    assert.match(sent, /(^|; )sso_harness_sp_login_legacy=[A-Za-z0-9_-]{43}(;|$)/, `the ACS POST carried: ${sent}`);
  });
});
