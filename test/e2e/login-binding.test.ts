// An SP-initiated login is bound to the browser that started it (login CSRF), and a flood of
// unauthenticated login starts cannot make the SP forget a login in progress.
import assert from 'node:assert/strict';
import request from 'supertest';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, autoPostFields, startTestServer } from '../support/harness.js';
import { startSpLogin } from '../support/sp-login.js';

type Agent = ReturnType<typeof request.agent>;

/** In `browser`: SP login → IdP → sign in; returns the form the IdP's page would post to the ACS. */
async function responseFor(browser: Agent, server: RunningHarness, email: string, password: string, scenario?: string) {
  const { idp: sso } = await startSpLogin(browser, `/sp/login?email=${encodeURIComponent(email)}`);
  assert.equal(sso.status, 303);
  const pending = new URL(sso.headers.location as string, server.url).searchParams.get('pending');
  const login = await browser
    .post('/idp/login')
    .type('form')
    .send({ login: email, password, pending, ...(scenario && { scenario }) })
    .expect(200);
  return autoPostFields(login.text);
}

function postResponse(browser: Agent | ReturnType<typeof request>, form: ReturnType<typeof autoPostFields>) {
  return browser
    .post('/sp/acs')
    .set('accept', 'application/json')
    .type('form')
    .send({ SAMLResponse: form.SAMLResponse, ...(form.RelayState && { RelayState: form.RelayState }) });
}

async function signedInAs(browser: Agent): Promise<string | undefined> {
  const home = await browser.get('/sp/home').set('accept', 'application/json');
  return home.status === 200 ? (home.body.email as string) : undefined;
}

const setCookies = (res: request.Response): string[] => {
  const header = res.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? (header as string[]) : [];
};

describe('POST /sp/acs from the browser that started the login', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  it('refuses a response posted from a browser that did not start the login', async () => {
    const started = request.agent(server.server);
    const other = request.agent(server.server);
    const form = await responseFor(started, server, 'ann@acme.test', 'ann-password-1');
    const res = await postResponse(other, form);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'SP_LOGIN_OTHER_BROWSER');
    assert.match(res.body.message, /sent no login cookie/);
    const verdict = res.body.checks.find((c: { check: string }) => c.check === 'browser-binding');
    assert.equal(verdict?.verdict, 'fail');
    assert.equal(await signedInAs(other), undefined, 'the other browser holds no session');
  });

  it("refuses an attacker's response auto-posted into the victim's browser, whose own login still finishes", async () => {
    const attacker = request.agent(server.server);
    const victim = request.agent(server.server);
    const attackersResponse = await responseFor(attacker, server, 'bob@acme.test', 'bob-password-1');
    const own = await responseFor(victim, server, 'ann@acme.test', 'ann-password-1');

    const csrf = await postResponse(victim, attackersResponse);
    assert.equal(csrf.status, 403);
    assert.equal(csrf.body.error, 'SP_LOGIN_OTHER_BROWSER');
    assert.match(csrf.body.message, /posted from another browser/);
    assert.equal(await signedInAs(victim), undefined, 'the victim is not signed in to the attacker\'s account');

    await postResponse(victim, own).expect(303);
    assert.equal(await signedInAs(victim), 'ann@acme.test');
  });

  it('leaves the login open for the browser that started it when another browser posts a response to it', async () => {
    const started = request.agent(server.server);
    const start = await started.get('/sp/login?email=ann%40acme.test').expect(200);
    // Two responses to this one AuthnRequest, as an IdP that answers a request twice would issue them.
    const { idp } = server.app.harness;
    const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(start.text)?.[1] ?? '';
    const received = await idp.sso.receiveRequest(DEMO_APP_ID, { binding: 'post', samlRequest });
    assert.equal(received.kind, 'login');
    if (received.kind !== 'login') return;
    const session = await idp.sso.startSession(await idp.directory.authenticate('ann@acme.test', 'ann-password-1'));
    const stolen = await idp.sso.respond(received, session);
    const genuine = await idp.sso.respond(received, session);

    const res = await postResponse(request.agent(server.server), { action: stolen.acsUrl, SAMLResponse: stolen.samlResponse });
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'SP_LOGIN_OTHER_BROWSER');
    await postResponse(started, { action: genuine.acsUrl, SAMLResponse: genuine.samlResponse }).expect(303);
    assert.equal(await signedInAs(started), 'ann@acme.test');
  });

  it('refuses a response for a login of a browser that sent a login cookie of its own', async () => {
    const started = request.agent(server.server);
    const other = request.agent(server.server);
    const form = await responseFor(started, server, 'ann@acme.test', 'ann-password-1');
    await other.get('/sp/login?email=bob%40acme.test').expect(200); // the other browser has a nonce too
    const res = await postResponse(other, form);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'SP_LOGIN_OTHER_BROWSER');
  });

  it('sets login cookies a cross-site POST carries: SameSite=None and Secure, and a fallback without SameSite', async () => {
    const res = await request(server.server).get('/sp/login?email=ann%40acme.test').expect(200);
    const cookies = setCookies(res);
    const main = cookies.find((c) => c.startsWith('sso_harness_sp_login='));
    const legacy = cookies.find((c) => c.startsWith('sso_harness_sp_login_legacy='));
    assert.ok(main && legacy, cookies.join('\n'));
    assert.match(main, /; SameSite=None/i);
    assert.match(main, /; Secure/i);
    assert.match(main, /; HttpOnly/i);
    assert.match(main, /; Path=\/sp(;|$)/);
    assert.match(main, /; Max-Age=600/);
    assert.doesNotMatch(legacy, /SameSite/i);
    assert.doesNotMatch(legacy, /; Secure/i, 'over http the fallback is not Secure, or no browser would keep it');
    assert.match(legacy, /; HttpOnly/i);
    const nonce = (c: string) => c.slice(c.indexOf('=') + 1, c.indexOf(';'));
    assert.equal(nonce(main), nonce(legacy));
    assert.match(nonce(main), /^[A-Za-z0-9_-]{43}$/);
  });

  it('signs the browser that started the login in, and clears its login cookies', async () => {
    const browser = request.agent(server.server);
    const form = await responseFor(browser, server, 'bob@acme.test', 'bob-password-1');
    const res = await postResponse(browser, form).expect(303);
    const cleared = setCookies(res).filter((c) => c.startsWith('sso_harness_sp_login'));
    assert.equal(cleared.length, 2, setCookies(res).join('\n'));
    assert.ok(cleared.every((c) => /^sso_harness_sp_login(_legacy)?=;/.test(c) && /Expires=Thu, 01 Jan 1970/.test(c)));
    assert.equal(await signedInAs(browser), 'bob@acme.test');
  });

  it('accepts an unsolicited response from any browser when the account allows IdP-initiated login', async () => {
    const [account] = (await admin(server, 'get', '/sp/api/accounts').expect(200)).body as { id: string }[];
    await admin(server, 'patch', `/sp/api/accounts/${account?.id}/sso`).send({ allowUnsolicited: true }).expect(200);
    try {
      const form = await responseFor(request.agent(server.server), server, 'bob@acme.test', 'bob-password-1', 'unsolicited');
      const other = request.agent(server.server);
      await postResponse(other, form).expect(303);
      assert.equal(await signedInAs(other), 'bob@acme.test');
    } finally {
      await admin(server, 'patch', `/sp/api/accounts/${account?.id}/sso`).send({ allowUnsolicited: false }).expect(200);
    }
  });
});

describe('GET /sp/login under a flood of login starts', () => {
  const CAP = 5;
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer({ sp: { maxOutstandingRequests: CAP } });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  it('refuses new starts with SP_LOGIN_BUSY and Retry-After, and a login started before the flood still finishes', async () => {
    const genuine = request.agent(server.server);
    const form = await responseFor(genuine, server, 'ann@acme.test', 'ann-password-1');
    // Unauthenticated starts from cookieless clients, more than the store holds (a start answers
    // 200, the page that posts the request to the IdP, which lists only HTTP-POST).
    const answers: number[] = [];
    for (let i = 0; i < CAP + 3; i++) answers.push((await request(server.server).get('/sp/login?email=bob%40acme.test')).status);
    assert.deepEqual(answers, [...Array(CAP - 1).fill(200), ...Array(4).fill(503)]);

    const json = await request(server.server).get('/sp/login?email=bob%40acme.test').set('accept', 'application/json').expect(503);
    assert.equal(json.body.error, 'SP_LOGIN_BUSY');
    assert.match(json.body.message, /5 logins in progress/);
    assert.equal(json.body.retryAfterSec, 30);
    assert.equal(json.headers['retry-after'], '30');
    const page = await request(server.server).get('/sp/login?email=bob%40acme.test').expect(503);
    assert.equal(page.headers['retry-after'], '30');
    assert.match(page.text, /SP_LOGIN_BUSY/);

    await postResponse(genuine, form).expect(303);
    assert.equal(await signedInAs(genuine), 'ann@acme.test');
    // The answered request made room for one start.
    await request(server.server).get('/sp/login?email=bob%40acme.test').expect(200);
    await request(server.server).get('/sp/login?email=bob%40acme.test').expect(503);
  });
});
