// What the SP's sign-in and assertion consumer say when they refuse: the code, the way forward
// (an unknown email: provision the user or add it in the SP console, with a link), and a link
// from the error page to the trace of the exchange.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

describe('SP sign-in refusals with a way forward', () => {
  let server: RunningHarness;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers an unknown email with SP_LOGIN_EMAIL_UNKNOWN and a link to add the user in the SP console', async () => {
    const res = await request(server.server).get('/sp/login').query({ email: 'nobody@nowhere.test' }).expect(404);
    assert.match(res.text, /no user with email nobody@nowhere.test: provision the user from the IdP \(Identity Management\), or add it on its account&#39;s Users page in the SP console \(SP_LOGIN_EMAIL_UNKNOWN\)/);
    assert.match(res.text, /<a href="\/sp\/admin">Open the SP console to add the user<\/a>/);
    assert.match(res.text, /value="nobody@nowhere.test"/, 'the typed email stays in the form');
    assertAccessible(res.text, 'unknown email');
    const json = await request(server.server).get('/sp/login').query({ email: 'nobody@nowhere.test' }).set('accept', 'application/json').expect(404);
    assert.equal(json.body.error, 'SP_LOGIN_EMAIL_UNKNOWN');
  });

  it('links a refused response to its entry in the trace viewer', async () => {
    const samlResponse = Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0"/>').toString('base64');
    const res = await request(server.server).post('/sp/acs').type('form').send({ SAMLResponse: samlResponse });
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    const link = /<a href="\/debug\/entries\/([^"]+)">See the trace of this login<\/a>/.exec(res.text)?.[1];
    assert.ok(link, res.text);
    assertAccessible(res.text, 'acs error page');
    const entry = await admin(server, 'get', `/debug/api/traces/${link}`).expect(200);
    assert.equal(entry.body.side, 'sp');
    assert.equal(entry.body.verdict, 'rejected');
  });
});
