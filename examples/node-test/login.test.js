// The same with node:test. Run: node --test examples/node-test/   (after npm run build)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from 'sso-harness';
import { browserLogin, startTinySp } from '../tiny-sp.js';

let harness;
let sp;

before(async () => {
  harness = await startHarness({ demo: false, log: () => undefined });
  sp = await startTinySp(harness);
  await sp.addUser({ email: 'nat@example.test', firstName: 'Nat', lastName: 'Node', password: 'nat-password-1' });
});
after(async () => {
  await sp?.close();
  await harness?.close();
});

test('the tiny SP signs a user in with a genuine signed assertion', async () => {
  const res = await browserLogin(sp.url, 'nat@example.test', 'nat-password-1');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, 'signed in as nat@example.test');
});

test('the tiny SP rejects an XML signature wrapping attack (XSW3)', async () => {
  await harness.idp.nextResponse('xsw3');
  const res = await browserLogin(sp.url, 'nat@example.test', 'nat-password-1');
  assert.equal(res.status, 401, res.text);
});

test('a test can list the scenarios to pick from', () => {
  const xsw3 = harness.scenarios().find((s) => s.id === 'xsw3');
  assert.equal(xsw3?.kind, 'attack');
  assert.equal(xsw3?.expect.verdict, 'reject');
});
