// The accessibility smoke check (one h1, a label on every field) on the pages a visitor reaches
// without signing in, including error pages. The browser tests check the pages of each flow.
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

describe('public pages: accessibility smoke check', () => {
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  for (const [path, status] of [
    ['/sp/login', 200],
    ['/sp/login/password', 200],
    ['/idp/login', 200],
    ['/admin/login', 200],
    ['/sp/activate/not-a-token', 404],
    ['/no/such/page', 404],
    ['/sp/home', 401],
  ] as const) {
    it(`${path} (HTTP ${status})`, async () => {
      const res = await request(server.server).get(path).set('accept', 'text/html').expect(status);
      assertAccessible(res.text, path);
    });
  }
});
