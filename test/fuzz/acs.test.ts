// The SP's assertion consumer under hostile input: random form fields, and genuine signed
// SAMLResponses from real logins, mutated. Whatever arrives, the answer is a redirect or a
// documented refusal, never a 5xx, and the process keeps running.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { BrowserSession } from '../../src/client/browser/browser-session.js';
import { walkFlow } from '../../src/client/browser/sp-initiated-walk.js';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';
import { assertHarnessAnswer, countCase, crashWatch, encode, encoding, fuzzParameters, hostileText, mutate, mutations } from './support.js';

const ENTRY = 'POST /sp/acs';

describe('POST /sp/acs: hostile input', () => {
  let server: RunningHarness;
  const crashes = crashWatch();
  // One browser for every case: signed in at the IdP once, each later login skips the password.
  // Its SP login cookie goes with every post, so a mutated response reaches every check (the
  // browser-binding one included) as if that browser posted it.
  let loginCookie = '';
  const browser = new BrowserSession(async (input, init) => {
    const res = await fetch(input, init);
    for (const c of res.headers.getSetCookie()) if (c.startsWith('sso_harness_sp_login=')) loginCookie = c.slice(0, c.indexOf(';'));
    return res;
  });

  before(async () => {
    crashes.start();
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(async () => {
    crashes.stop();
    await server.close();
  });

  /** A fresh genuine SAMLResponse (and RelayState) for ann, answering an outstanding AuthnRequest. */
  async function genuineResponse(): Promise<{ xml: string; relayState?: string }> {
    const start = `${server.url}/sp/login?email=ann%40acme.test`;
    const end = await walkFlow(browser, await browser.send('GET', start), start, {
      credentials: { login: 'ann@acme.test', password: 'ann-password-1' },
      maxHops: 12,
      stopAtResponse: true,
    });
    if (end.kind !== 'saml-response') throw new Error(`no SAMLResponse: ${JSON.stringify(end).slice(0, 300)}`);
    const { SAMLResponse, RelayState } = end.form.fields;
    return { xml: Buffer.from(SAMLResponse ?? '', 'base64').toString('utf8'), ...(RelayState !== undefined && { relayState: RelayState }) };
  }

  async function post(fields: Record<string, string>): Promise<void> {
    countCase(ENTRY);
    const res = await request(server.server).post('/sp/acs').set('accept', 'application/json').set('cookie', loginCookie).type('form').send(fields);
    assertHarnessAnswer(res, ENTRY);
    crashes.check();
  }

  afterEach(async () => {
    await request(server.server).get('/healthz').expect(200);
    crashes.check();
  });

  it('signs in with the genuine response the mutations start from', async () => {
    const { xml, relayState } = await genuineResponse();
    const res = await request(server.server).post('/sp/acs').set('cookie', loginCookie).type('form').send({ SAMLResponse: encode(xml, 'base64'), ...(relayState !== undefined && { RelayState: relayState }) });
    assert.equal(res.status, 303, res.text.slice(0, 300));
  });

  it('answers random form fields with a documented code', async () => {
    const value = fc.oneof(hostileText(300), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('base64')));
    await fc.assert(
      fc.asyncProperty(
        fc.record({ SAMLResponse: value, RelayState: hostileText(120), SAMLRequest: value, SigAlg: hostileText(60) }, { requiredKeys: [] }),
        (fields) => post(fields),
      ),
      fuzzParameters(),
    );
  });

  it('answers the Redirect binding, which the SP does not offer, with NOT_FOUND', async () => {
    const { xml } = await genuineResponse();
    const res = await request(server.server).get(`/sp/acs?SAMLResponse=${encodeURIComponent(encode(xml, 'deflate'))}`).set('accept', 'application/json');
    assertHarnessAnswer(res, 'GET /sp/acs');
    assert.equal(res.body.error, 'NOT_FOUND');
  });

  it('answers mutated genuine responses with a redirect or a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutations,
        encoding,
        fc.oneof(fc.constant('genuine' as const), fc.constant('none' as const), hostileText(120)),
        async (steps, how, relay) => {
          const genuine = await genuineResponse();
          const relayState = relay === 'genuine' ? genuine.relayState : relay === 'none' ? undefined : relay;
          await post({ SAMLResponse: encode(mutate(genuine.xml, steps), how), ...(relayState !== undefined && { RelayState: relayState }) });
        },
      ),
      fuzzParameters(),
    );
  });

  it('refuses a genuine response carrying deeply nested elements with a documented code', async () => {
    const { xml } = await genuineResponse();
    const depth = 40_000;
    const deep = xml.replace(/(<saml:AttributeValue[^>]*>)/, `$1${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`);
    assert.notEqual(deep, xml);
    await post({ SAMLResponse: encode(deep, 'base64') });
  });
});
