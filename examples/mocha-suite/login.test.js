// A mocha suite in plain JavaScript: the harness IdP in front of our own tiny SP.
// Run: npx mocha --no-config examples/mocha-suite/login.test.js   (after npm run build)
import assert from 'node:assert/strict';
import { startHarness } from 'sso-harness';
import { browserLogin, startTinySp } from '../tiny-sp.js';

describe('tiny SP behind the sso-harness IdP (mocha)', function () {
  this.timeout(30_000);
  let harness;
  let sp;

  before(async () => {
    harness = await startHarness({ demo: false, log: () => undefined });
    sp = await startTinySp(harness);
    await sp.addUser({ email: 'mia@example.test', firstName: 'Mia', lastName: 'Mocha', password: 'mia-password-1' });
  });
  after(async () => {
    await sp?.close();
    await harness?.close();
  });

  it('signs a user in with a genuine signed assertion', async () => {
    const res = await browserLogin(sp.url, 'mia@example.test', 'mia-password-1');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, 'signed in as mia@example.test');
  });

  it('rejects a response whose signature was removed', async () => {
    await harness.idp.nextResponse('signature-removed');
    const res = await browserLogin(sp.url, 'mia@example.test', 'mia-password-1');
    assert.equal(res.status, 401, res.text);
  });

  it('rejects a response for another audience', async () => {
    await harness.admin.idp.nextResponse('wrong-audience', 'tiny-sp');
    const res = await browserLogin(sp.url, 'mia@example.test', 'mia-password-1');
    assert.equal(res.status, 401, res.text);
  });
});
