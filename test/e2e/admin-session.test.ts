// The admin pages' sign-in and CSRF protection: /debug needs a session made with the admin token,
// the cookie is HttpOnly and SameSite=Strict, forms need the session's CSRF token, and the page to
// return to after signing in is always on this origin.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';

describe('admin pages: sign-in and CSRF', () => {
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const signIn = async (next = '/debug') => {
    const res = await request(server.server).post('/admin/login').type('form').send({ token: ADMIN_TOKEN, next }).expect(303);
    const cookie = String(res.headers['set-cookie']?.[0] ?? '');
    return { res, cookie: cookie.split(';')[0] ?? '', raw: cookie };
  };

  it('sends a browser without a session to the sign-in page, and an API client a 401', async () => {
    const page = await request(server.server).get('/debug').set('accept', 'text/html').expect(303);
    assert.equal(page.headers.location, '/admin/login?next=%2Fdebug');
    const api = await request(server.server).get('/debug').set('accept', 'application/json').expect(401);
    assert.equal(api.body.error, 'ADMIN_TOKEN');
    const form = await request(server.server).get('/admin/login?next=%2Fdebug').expect(200);
    assert.match(form.text, /<label for="admin-token">Admin token<\/label><input id="admin-token" name="token" type="password"/);
  });

  it('refuses a wrong token and signs in with the right one (HttpOnly, SameSite=Strict)', async () => {
    const wrong = await request(server.server).post('/admin/login').type('form').send({ token: 'not-the-token-at-all', next: '/debug' }).expect(401);
    assert.match(wrong.text, /That is not the admin token/);
    assert.equal(wrong.headers['set-cookie'], undefined);
    const { res, raw, cookie } = await signIn();
    assert.equal(res.headers.location, '/debug');
    assert.match(raw, /HttpOnly/);
    assert.match(raw, /SameSite=Strict/);
    const viewer = await request(server.server).get('/debug').set('cookie', cookie).expect(200);
    assert.match(viewer.text, /<h1>Trace viewer<\/h1>/);
  });

  it('never sends the admin elsewhere after signing in', async () => {
    for (const next of ['//evil.test/x', 'https://evil.test/', '/\\evil.test']) {
      assert.equal((await signIn(next)).res.headers.location, '/debug', next);
    }
  });

  it('needs the session\'s CSRF token on forms: sign-out without it is refused', async () => {
    const { cookie } = await signIn();
    const refused = await request(server.server).post('/admin/logout').set('cookie', cookie).set('accept', 'application/json').type('form').send({}).expect(403);
    assert.equal(refused.body.error, 'CSRF_TOKEN');
    const viewer = await request(server.server).get('/debug').set('cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(viewer.text)?.[1];
    assert.ok(csrf);
    await request(server.server).post('/admin/logout').set('cookie', cookie).type('form').send({ _csrf: `${csrf}x` }).set('accept', 'application/json').expect(403);
    await request(server.server).post('/admin/logout').set('cookie', cookie).type('form').send({ _csrf: csrf }).expect(303);
    await request(server.server).get('/debug').set('cookie', cookie).set('accept', 'text/html').expect(303);
  });
});
