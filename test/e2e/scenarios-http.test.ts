import assert from 'node:assert/strict';
import request from 'supertest';
import { BrowserSession } from '../../src/client/browser/browser-session.js';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { RESPONSE_SCENARIOS } from '../../src/saml/scenarios/catalogue.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, autoPostFields, startTestServer } from '../support/harness.js';
import { startSpLogin } from '../support/sp-login.js';

const login = (server: RunningHarness, browser?: BrowserSession) =>
  headlessLogin({ spBaseUrl: server.url, email: 'bob@acme.test', password: 'bob-password-1', ...(browser && { browser }) });

/**
 * The replay scenario resends the user's previous response in the same IdP session: a genuine
 * login first, then a fresh browser (no SP session) carrying that login's IdP cookies.
 */
async function replayBrowser(server: RunningHarness): Promise<BrowserSession> {
  const primed = new BrowserSession();
  const first = await login(server, primed);
  assert.equal(first.ok, true, JSON.stringify(first.error));
  const browser = new BrowserSession();
  browser.adoptCookies(primed, (name) => name.startsWith('sso_harness_idp'));
  return browser;
}

describe('every response scenario, sent by our IdP through the browser flow to our SP', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  it('lists every scenario with its row and verdict at GET /idp/api/scenarios', async () => {
    const res = await admin(server, 'get', '/idp/api/scenarios').expect(200);
    assert.deepEqual(
      res.body.map((s: { id: string }) => s.id),
      RESPONSE_SCENARIOS.map((s) => s.id),
    );
    assert.ok(res.body.every((s: { title: string; expect: { verdict: string } }) => s.title && s.expect.verdict));
  });

  for (const scenario of RESPONSE_SCENARIOS) {
    const verdict = scenario.expect.verdict === 'accept' ? 'accepts' : `rejects with ${scenario.expect.code}`;
    it(`${verdict}: ${scenario.id}${scenario.row ? ` (row ${scenario.row})` : ''}`, async () => {
      const browser = scenario.id === 'replay-previous' ? await replayBrowser(server) : undefined;
      await admin(server, 'put', '/idp/api/next-response').send({ scenario: scenario.id, app: DEMO_APP_ID }).expect(200);
      const result = await login(server, browser);
      if (scenario.expect.verdict === 'accept') {
        assert.equal(result.ok, true, `expected acceptance, got ${JSON.stringify(result.error)}`);
        assert.equal(result.session?.email, 'bob@acme.test');
      } else {
        assert.equal(result.ok, false, 'the SP accepted an attack');
        assert.equal(result.error?.code, scenario.expect.code, JSON.stringify(result.error));
        assert.equal(new URL(result.hops.at(-1)?.url ?? 'http://x/').pathname, '/sp/acs', 'refused at the ACS');
      }
    });
  }

  it('sends the scenario a tester picks on the IdP login page, for that login only', async () => {
    const agent = request.agent(server.server);
    const { idp: sso } = await startSpLogin(agent, '/sp/login?email=bob%40acme.test');
    assert.equal(sso.status, 303);
    const page = await agent.get(sso.headers.location as string).expect(200);
    assert.match(page.text, /<select id="scenario" name="scenario">/);
    const pending = new URL(sso.headers.location as string, server.url).searchParams.get('pending');
    const answer = await agent.post('/idp/login').type('form').send({ login: 'bob@acme.test', password: 'bob-password-1', pending, scenario: 'wrong-audience' }).expect(200);
    const form = autoPostFields(answer.text);
    const acs = await agent.post('/sp/acs').set('accept', 'application/json').type('form').send({ SAMLResponse: form.SAMLResponse });
    assert.equal(acs.body.error, 'SAML_AUDIENCE');
    assert.equal((await login(server)).ok, true, 'the next login is genuine again');
  });

  it('uses an application default scenario for every login until it is changed back', async () => {
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ responseScenario: 'signature-removed' }).expect(200);
    try {
      for (let i = 0; i < 2; i++) assert.equal((await login(server)).error?.code, 'SAML_SIGNATURE_MISSING');
    } finally {
      await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ responseScenario: 'valid' }).expect(200);
    }
    assert.equal((await login(server)).ok, true);
  });

  it('refuses an unknown scenario id with the list to pick from', async () => {
    const res = await admin(server, 'put', '/idp/api/next-response').send({ scenario: 'nope', app: DEMO_APP_ID });
    assert.equal(res.status, 400);
    assert.match(res.body.expected, /GET \/idp\/api\/scenarios/);
  });
});
