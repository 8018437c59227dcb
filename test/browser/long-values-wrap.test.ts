// Long values without spaces (SHA-256 fingerprints, certificate subjects, URLs in the checks
// table) wrap inside their card in a real browser: measured in chromium at a narrow window, no
// element of the page's card reaches past its right edge and the page never scrolls sideways.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { DEMO_ACCOUNT, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { checkAccessible, openBrowser, requireChromium, screenshots, type TestBrowser } from '../support/browser.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';

const screenshot = screenshots('long-values-wrap');
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

interface Overflow {
  /** Elements of the card reaching past its right edge (outside any scrolling box of their own). */
  past: string[];
  pageScrollsSideways: boolean;
  /** The fingerprints shown, each with whether it lies within the card. */
  fingerprints: { text: string; inside: boolean; lines: number }[];
}

/**
 * Measures the page's card (`main`) against everything in it. A string, not a function: the test
 * runner's compiler would wrap a function's inner helpers in a name-keeping call chromium lacks.
 */
const MEASURE_PROBE = `(() => {
  const main = document.querySelector('main');
  if (!main) throw new Error('no <main>');
  const edge = main.getBoundingClientRect().right + 0.5;
  const scrolls = (e) => {
    for (let p = e.parentElement; p && p !== main; p = p.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : '') + ' "' + (e.textContent || '').slice(0, 40) + '"';
  const past = [...main.querySelectorAll('*')].filter((e) => !scrolls(e) && e.getBoundingClientRect().right > edge).map(name);
  const re = new RegExp(${JSON.stringify(FINGERPRINT.source)});
  const fingerprints = [...main.querySelectorAll('code')]
    .filter((c) => re.test((c.textContent || '').trim()))
    .map((c) => ({ text: c.textContent || '', inside: c.getBoundingClientRect().right <= edge, lines: c.getClientRects().length }));
  return { past, pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth, fingerprints };
})()`;

async function measure(page: Page): Promise<Overflow> {
  return (await page.evaluate(MEASURE_PROBE)) as Overflow;
}

describe('long values wrap inside their card (chromium)', function () {
  let server: RunningHarness;
  let browser: TestBrowser;
  let page: Page;

  before(async function () {
    requireChromium(this);
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    const login = await headlessLogin({ spBaseUrl: server.url, email: 'ann@acme.test', password: 'ann-password-1' });
    assert.equal(login.ok, true, JSON.stringify(login.error));
    browser = await openBrowser({ javaScriptEnabled: false });
    page = browser.page;
    // Narrow enough that a 95-character fingerprint cannot fit on one line of the card.
    await page.setViewportSize({ width: 600, height: 900 });
    await page.goto(`${server.url}/debug`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/debug');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('wraps the signature fingerprint, certificate subject and checks table of a login on its trace page', async () => {
    await page.getByRole('link', { name: /^login / }).first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/debug/flows/'));
    await checkAccessible(page);
    await screenshot(page, 'trace-flow', { fullPage: true });
    const m = await measure(page);
    assert.ok(m.fingerprints.length > 0, 'the page shows a SHA-256 fingerprint');
    for (const f of m.fingerprints) {
      assert.ok(f.inside, `fingerprint ${f.text} lies within the card`);
      assert.ok(f.lines > 1, `fingerprint ${f.text} is wrapped (it cannot fit on one line at this width)`);
    }
    assert.deepEqual(m.past, [], 'nothing reaches past the card');
    assert.equal(m.pageScrollsSideways, false);
  });

  it('wraps the IdP certificate fingerprints on the SP account\'s Single Sign-on page', async () => {
    await page.goto(`${server.url}/sp/admin/accounts/${DEMO_ACCOUNT.id}/sso`);
    await checkAccessible(page);
    await screenshot(page, 'sp-sso', { fullPage: true });
    const m = await measure(page);
    assert.ok(m.fingerprints.length > 0, 'the page shows the IdP certificate fingerprint');
    assert.ok(m.fingerprints.every((f) => f.inside), JSON.stringify(m.fingerprints));
    assert.deepEqual(m.past, [], 'nothing reaches past the card');
    assert.equal(m.pageScrollsSideways, false);
  });
});
