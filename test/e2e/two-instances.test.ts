// Two harness processes' worth of state on one PostgreSQL database, behind one public URL: a
// "load balancer" fetch sends each request to one instance or the other. A login split across
// them succeeds, a response consumed on one is refused as a replay on the other, an AuthnRequest
// ID is single use across both (the IdP serves it once, the SP accepts one response to it), and a
// SCIM user created on one is read on the other.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { BrowserSession } from '../../src/client/browser/browser-session.js';
import { readPageError } from '../../src/client/browser/flow-pages.js';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { walkFlow } from '../../src/client/browser/sp-initiated-walk.js';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { seedOnce } from '../../src/harness/seed.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { rcUser, SCIM_JSON, scimTarget } from '../scim/support.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { freePort } from '../support/net.js';
import { freshDatabase, requirePostgres } from '../support/postgres.js';

const portOf = (h: RunningHarness): number => (h.server.address() as AddressInfo).port;
/** An instance's own address (its `url` is the shared public one). */
const direct = (h: RunningHarness): string => `http://127.0.0.1:${portOf(h)}`;

describe('two instances sharing one PostgreSQL database', function () {
  this.timeout(60_000);
  let a: RunningHarness;
  let b: RunningHarness;
  let publicUrl: string;
  let drop: (() => Promise<void>) | undefined;
  const served = { a: 0, b: 0 };

  /** Sends a request for the public URL to instance `to`. */
  const via = (to: 'a' | 'b'): typeof fetch => (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.origin === publicUrl) {
      url.port = String(portOf(to === 'a' ? a : b));
      served[to] += 1;
    }
    return fetch(url, init);
  };
  /** Round robin, as a load balancer without session affinity. */
  let turn = 0;
  const balanced: typeof fetch = (input, init) => via(turn++ % 2 === 0 ? 'a' : 'b')(input, init);

  before(async function () {
    requirePostgres(this);
    const db = await freshDatabase();
    drop = db.drop;
    const [portA, portB] = [await freePort(), await freePort()];
    publicUrl = `http://127.0.0.1:${portA}`;
    // Both instances know the public URL; B listens on its own port behind it.
    a = await startTestServer({ port: portA, store: db.url, baseUrl: publicUrl });
    b = await startTestServer({ port: portB, store: db.url, baseUrl: publicUrl });
    await seedOnce(a.app.harness, 'demo', () => seedDemo({ idpBaseUrl: publicUrl, spBaseUrl: publicUrl, adminToken: ADMIN_TOKEN }));
    // The replay test resends the AuthnRequest as its URL: the IdP declares HTTP-Redirect, so the SP uses it.
    await admin(a, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ declareRedirectEndpoint: true }).expect(200);
    await admin(a, 'post', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso/idp-metadata`).send({ url: `${publicUrl}/idp/apps/${DEMO_APP_ID}/metadata` }).expect(200);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('completes a login whose requests alternate between the instances', async () => {
    served.a = 0;
    served.b = 0;
    const login = await headlessLogin({ spBaseUrl: publicUrl, email: 'ann@acme.test', password: 'ann-password-1', fetch: balanced });
    assert.equal(login.ok, true, JSON.stringify(login.error ?? login.hops));
    assert.equal(login.session?.email, 'ann@acme.test');
    assert.ok(served.a >= 2 && served.b >= 2, JSON.stringify(served));
  });

  it('refuses on one instance a response consumed on the other (SAML_REPLAY), and an AuthnRequest ID is single use across both, at the IdP and at the SP', async () => {
    // Started on A: SP login, IdP sign-in; the response is held back.
    // The posts below go out of the browser by hand, with its SP login cookie (the login is bound to it).
    let loginCookie = '';
    const browser = new BrowserSession(async (input, init) => {
      const res = await via('a')(input, init);
      for (const c of res.headers.getSetCookie()) if (c.startsWith('sso_harness_sp_login=')) loginCookie = c.slice(0, c.indexOf(';'));
      return res;
    });
    const start = `${publicUrl}/sp/login?email=ann%40acme.test`;
    const end = await walkFlow(browser, await browser.send('GET', start), start, { credentials: { login: 'ann@acme.test', password: 'ann-password-1' }, maxHops: 12, stopAtResponse: true });
    assert.equal(end.kind, 'saml-response');
    if (end.kind !== 'saml-response') return;
    const post = async (to: 'a' | 'b') => {
      const res = await via(to)(end.form.action, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
        body: new URLSearchParams(end.form.fields).toString(),
        redirect: 'manual',
      });
      return { status: res.status, code: readPageError(await res.text()).code };
    };
    // Completed on B: the outstanding request A stored is found there.
    assert.equal((await post('b')).status, 303);
    // The same response again, at A.
    assert.deepEqual(await post('a'), { status: 401, code: 'SAML_REPLAY' });

    // The same AuthnRequest again, at B: its ID was served on A, and the IdP serves an ID once.
    const ssoHop = browser.hops.find((h) => h.method === 'GET' && new URL(h.url).pathname.endsWith('/sso') && h.url.includes('SAMLRequest='));
    assert.ok(ssoHop, JSON.stringify(browser.hops));
    const resent = await via('b')(ssoHop.url, { headers: { accept: 'application/json' }, redirect: 'manual' });
    assert.equal(resent.status, 400);
    assert.equal(((await resent.json()) as { error: string }).error, 'IDP_REQUEST_REPLAY');

    // A fresh assertion for the same request, issued by the IdP's own service: the request ID was used on B.
    const requestId = /InResponseTo="([^"]+)"/.exec(Buffer.from(end.form.fields.SAMLResponse ?? '', 'base64').toString('utf8'))?.[1] ?? '';
    const idp = a.app.harness.idp;
    const session = await idp.sso.startSession(await idp.directory.authenticate('ann@acme.test', 'ann-password-1'));
    const relayState = end.form.fields.RelayState;
    const pending = { key: 'direct', appId: 'ringcentral', requestId, spEntityId: a.app.harness.sp.endpoints.entityId, acsUrl: end.form.action, binding: 'redirect' as const, forceAuthn: false, ...(relayState !== undefined && { relayState }) };
    const again = await idp.sso.respond({ pending, app: await idp.apps.get(pending.appId) }, session);
    assert.notEqual(again.samlResponse, end.form.fields.SAMLResponse);
    const res = await via('a')(again.acsUrl, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
      body: new URLSearchParams({ SAMLResponse: again.samlResponse, ...(again.relayState !== undefined && { RelayState: again.relayState }) }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 401);
    assert.equal(readPageError(await res.text()).code, 'SAML_IN_RESPONSE_TO');
  });

  it('reads on one instance a SCIM user created on the other, with the same token and admin token', async () => {
    const t = await scimTarget(a, { rules: { activationEmail: false } }, 'Split Corp');
    const created = await fetch(`${direct(a)}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': SCIM_JSON },
      body: JSON.stringify(rcUser('split@acme.test')),
    });
    assert.equal(created.status, 201);
    const id = ((await created.json()) as { id: string }).id;
    const read = await fetch(`${direct(b)}/scim/v2/Users/${id}`, { headers: { authorization: `Bearer ${t.token}` } });
    assert.equal(read.status, 200);
    assert.equal(((await read.json()) as { userName: string }).userName, 'split@acme.test');
    const listed = await fetch(`${direct(b)}/sp/api/accounts/${t.accountId}/users`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.ok(((await listed.json()) as { email: string }[]).some((u) => u.email === 'split@acme.test'));
  });
});
