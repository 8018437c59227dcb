// A vendor document clicked through in chromium on `sso-harness start --blank` (a process of its
// own, with a data folder of its own): the hooks that start and stop both, the screenshot and
// accessibility check of a page, and the check of every page each step passed through.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { checkAccessible, openBrowser, pageProblems, requireChromium, screenshots, watchPages, type TestBrowser } from './browser.js';
import { mainText } from './console-steps.js';
import { announcedUrl, startProcess, type StartedProcess } from './start-process.js';

export interface WalkThrough {
  /** The harness's base URL. */
  readonly url: string;
  readonly page: Page;
  /** The harness's data folder, also where downloads are kept. */
  readonly dir: string;
  /** Screenshot and accessibility check of the page as it is now. */
  look(name: string): Promise<void>;
  /** Reloads `path` until its main text matches (provisioning runs in the background); answers that text. */
  until(path: string, pattern: RegExp): Promise<string>;
}

/** Call inside `describe`: registers the hooks, and answers the walk-through they set up. */
export function blankHarnessWalkThrough(suite: string): WalkThrough {
  const shot = screenshots(suite);
  let dir = '';
  let harness: StartedProcess | undefined;
  let url = '';
  let browser: TestBrowser | undefined;
  const page = (): Page => {
    assert.ok(browser, 'the walk-through has started');
    return browser.page;
  };

  before(async function () {
    requireChromium(this);
    dir = await mkdtemp(join(tmpdir(), `sso-harness-${suite}-`));
    harness = startProcess(['--blank', '--port', '0', '--data', dir]);
    url = await announcedUrl(harness);
    browser = await openBrowser();
    watchPages(browser.page);
  });
  // Every page the step passed through, not only those screenshotted, passes the accessibility check.
  afterEach(async () => {
    const { checked, problems } = await pageProblems();
    assert.deepEqual(problems, []);
    assert.ok(checked > 0, 'the step loaded pages');
  });
  after(async () => {
    await browser?.close();
    if (harness && harness.exitCode === null) {
      harness.kill('SIGTERM');
      await harness.exit;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  return {
    get url() {
      return url;
    },
    get page() {
      return page();
    },
    get dir() {
      return dir;
    },
    async look(name) {
      await checkAccessible(page());
      await shot(page(), name);
    },
    async until(path, pattern) {
      for (let i = 0; i < 100; i++) {
        await page().goto(`${url}${path}`);
        const text = await mainText(page());
        if (pattern.test(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return assert.fail(`${path} never showed ${pattern}: ${await mainText(page())}`);
    },
  };
}
