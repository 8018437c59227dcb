// Real-browser tests: Debian's chromium (never a downloaded browser) driven by playwright-core,
// screenshots of each step under test-output/screenshots/, and an accessibility smoke check.
// When chromium is not installed the suites are skipped with one visible line (.ci/run installs it).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { assertAccessible } from './html-checks.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Where the screenshots go; CI lists this folder in its log. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

// This machine's network is closed: without the background-networking flags chromium keeps
// trying (and failing) to reach Google's hosts. As root, chromium needs --no-sandbox.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

let told = false;
/** Call in a `before` hook: skips the suite with a visible line when chromium is not installed. */
export function requireChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (!told) {
    process.stdout.write(`    (browser tests skipped: no chromium at ${CHROMIUM_PATH}; apt-get install chromium, or set CHROMIUM_PATH)\n`);
    told = true;
  }
  ctx.skip();
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes chromium and removes its user-data dir. */
  close(): Promise<void>;
}

/** Chromium with a fresh, empty user-data dir (no cookies, no cache), and one page. */
export async function openBrowser(opts: { javaScriptEnabled?: boolean; /** Host names chromium resolves to 127.0.0.1 (a site other than localhost). */ loopbackHosts?: readonly string[] } = {}): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'sso-harness-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: opts.loopbackHosts?.length
        ? [...CHROMIUM_ARGS, `--host-resolver-rules=${opts.loopbackHosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`]
        : CHROMIUM_ARGS,
      javaScriptEnabled: opts.javaScriptEnabled ?? true,
      viewport: { width: 1000, height: 700 },
      timeout: 20_000,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Numbered screenshots of one suite: test-output/screenshots/<suite>-<nn>-<name>.png. The first
 * one removes the suite's screenshots from an earlier run, so the folder shows this run only.
 */
export function screenshots(suite: string): (page: Page, name: string, opts?: { fullPage?: boolean }) => Promise<string> {
  let n = 0;
  return async (page, name, opts = {}) => {
    if (n === 0) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      for (const file of readdirSync(SCREENSHOT_DIR)) {
        if (file.startsWith(`${suite}-`) && file.endsWith('.png')) rmSync(join(SCREENSHOT_DIR, file));
      }
    }
    n += 1;
    const path = join(SCREENSHOT_DIR, `${suite}-${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path, fullPage: opts.fullPage ?? true });
    return path;
  };
}

// Runs in the page. A string, not a function: tsx compiles functions with esbuild's keepNames,
// whose `__name` helper does not exist in the page.
const ACCESSIBILITY_PROBE = `(() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const name = el.getAttribute('name') ? '[name="' + el.getAttribute('name') + '"]' : '';
    const type = el.getAttribute('type') ? '[type="' + el.getAttribute('type') + '"]' : '';
    return el.tagName.toLowerCase() + id + name + type;
  };
  const text = (el) => (el && el.textContent ? el.textContent.trim() : '');
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push('expected exactly one <h1>, found ' + h1s.length);
  if (!(document.documentElement.getAttribute('lang') || '').trim()) problems.push('<html> has no lang attribute');
  if (!document.title.trim()) problems.push('the document has no <title>');
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('<img src="' + img.getAttribute('src') + '"> has no alt');
  }
  const notFields = ['hidden', 'submit', 'button', 'reset', 'image'];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && notFields.includes((el.getAttribute('type') || 'text').toLowerCase())) continue;
    if (!el.checkVisibility()) continue;
    const byFor = el.id ? Array.from(document.querySelectorAll('label')).some((l) => l.htmlFor === el.id && text(l)) : false;
    const wrapping = text(el.closest('label'));
    const ariaLabel = (el.getAttribute('aria-label') || '').trim();
    const labelledBy = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .some((ref) => text(document.getElementById(ref)));
    if (!byFor && !wrapping && !ariaLabel && !labelledBy) problems.push(describe(el) + ' has no label');
  }
  return problems;
})()`;

/** One h1, a label on every visible form field, alt on every img, lang and title: all problems in one assertion. */
export async function checkAccessible(page: Page): Promise<void> {
  const problems = (await page.evaluate(ACCESSIBILITY_PROBE)) as string[];
  assert.equal(problems.length, 0, `accessibility smoke check failed on ${page.url()}:\n  - ${problems.join('\n  - ')}`);
}

const watched: Promise<string | undefined>[] = [];

/**
 * Checks every HTML page `page` loads from now on (each document response, error pages
 * included, redirects skipped) with the static accessibility check, so a walk-through covers
 * the pages it passes through and not only those it screenshots. `pageProblems` collects them.
 */
export function watchPages(page: Page): void {
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (response.request().resourceType() !== 'document' || !type.startsWith('text/html') || (response.status() >= 300 && response.status() < 400)) return;
    watched.push(
      response.text().then(
        (text) => {
          try {
            assertAccessible(text, response.url());
            return undefined;
          } catch (err) {
            return err instanceof Error ? err.message : String(err);
          }
        },
        () => undefined, // the page was gone before its body was read (navigated away, closed)
      ),
    );
  });
}

/** The problems found on the pages watched since the last call, and how many pages were checked. */
export async function pageProblems(): Promise<{ checked: number; problems: string[] }> {
  const results = await Promise.all(watched.splice(0));
  return { checked: results.length, problems: results.filter((r): r is string => r !== undefined) };
}
