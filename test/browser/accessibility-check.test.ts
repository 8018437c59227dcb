// The accessibility smoke check itself, on pages written here: it must see what it claims to.
import assert from 'node:assert/strict';
import { checkAccessible, openBrowser, requireChromium, type TestBrowser } from '../support/browser.js';

const wrap = (body: string, head = '<title>t</title>', lang = ' lang="en"') => `<!doctype html><html${lang}><head>${head}</head><body>${body}</body></html>`;

describe('checkAccessible (the browser tests\' accessibility smoke check)', function () {
  let browser: TestBrowser;

  before(async function () {
    requireChromium(this);
    browser = await openBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await browser?.close();
  });

  it('passes a page with one h1, fields labelled in each of the four ways, hidden or folded-away fields and an img with alt', async () => {
    await browser.page.setContent(
      wrap(`<h1>Ok</h1><form>
<label for="a">A</label><input id="a"><label>B <select name="b"><option>x</option></select></label>
<input aria-label="C" name="c"><span id="d-label">D</span><textarea aria-labelledby="d-label"></textarea>
<input type="hidden" name="h"><input type="submit" value="Go"><button>Go</button>
<details><summary>more</summary><input name="folded"></details><img src="data:," alt=""></form>`),
    );
    await checkAccessible(browser.page);
  });

  it('reports every problem of a page in one assertion', async () => {
    await browser.page.setContent(
      wrap(`<h1>One</h1><h1>Two</h1><input name="bare"><label for="elsewhere">E</label><input id="e">
<input aria-labelledby="missing" name="f"><label for="g"></label><input id="g"><img src="data:,">`, '', ''),
    );
    await assert.rejects(checkAccessible(browser.page), (err: Error) => {
      const lines = err.message.split('\n').filter((l) => l.startsWith('  - '));
      assert.deepEqual(lines, [
        '  - expected exactly one <h1>, found 2',
        '  - <html> has no lang attribute',
        '  - the document has no <title>',
        '  - <img src="data:,"> has no alt',
        '  - input[name="bare"] has no label',
        '  - input#e has no label',
        '  - input[name="f"] has no label',
        '  - input#g has no label',
      ]);
      return true;
    });
  });
});
