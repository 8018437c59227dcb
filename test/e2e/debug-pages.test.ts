// The trace viewer at /debug over HTTP: the list of logins, a login's sequence diagram, decoded
// XML (escaped), signature details and checks, the explanation of a failed login with the setting
// to change, export as JSON (read back by the import form) and as HAR (read back by the decoder),
// CSRF on every form, and one h1 and a label per field on every page.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import request from 'supertest';
import { runDecodeCommand } from '../../src/cli/decode-command.js';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { findMessages } from '../../src/decode/messages.js';
import { checkMessage } from '../../src/decode/verify.js';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { parseIdpMetadata } from '../../src/saml/metadata-parse.js';
import type { RunningHarness } from '../../src/harness/server.js';
import type { TraceEntry } from '../../src/trace/trace-log.js';
import { authorizeAtSp, idle } from '../provisioning/idm-walk.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const HOSTILE_NAME = '<script>alert(1)</script>';

/** The hop labels of the sequence diagram, in drawing order. */
function hopLabels(page: string): string[] {
  return [...page.matchAll(/<g class="hop[^"]*" data-from="(\w+)" data-to="(\w+)">[\s\S]*?<text[^>]*>\d+\. ([^<]*)<\/text>/g)].map((m) => `${m[1]}>${m[2]} ${m[3]}`);
}

describe('trace viewer at /debug', () => {
  let server: RunningHarness;
  let cookie: string;
  let csrf: string;
  const get = (path: string) => request(server.server).get(path).set('cookie', cookie).set('accept', 'text/html');
  const post = (path: string) => request(server.server).post(path).set('cookie', cookie).set('accept', 'text/html');
  const flowsOf = (page: string) => [...page.matchAll(/href="\/debug\/flows\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1] ?? ''));
  const login = (email: string, password: string) => headlessLogin({ spBaseUrl: server.url, email, password });

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    // Ann's first name travels in the assertion, so the viewer has hostile text to escape.
    const users = (await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[];
    const ann = users.find((u) => u.email === 'ann@acme.test');
    assert.ok(ann);
    await admin(server, 'patch', `/idp/api/users/${ann.id}`).send({ firstName: HOSTILE_NAME }).expect(200);
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`)
      .send({ attributes: [{ name: 'email', property: 'email' }, { name: 'number', property: 'number' }, { name: 'firstName', property: 'firstname' }] })
      .expect(200);
    const res = await request(server.server).post('/admin/login').type('form').send({ token: ADMIN_TOKEN, next: '/debug' }).expect(303);
    cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const list = await get('/debug').expect(200);
    csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)?.[1] ?? '';
    assert.ok(csrf);
  });
  after(() => server.close());

  describe('a login that succeeds', () => {
    let flow: string;
    before(async () => {
      const result = await login('ann@acme.test', 'ann-password-1');
      assert.equal(result.ok, true, JSON.stringify(result.error));
      const list = await get('/debug').expect(200);
      flow = flowsOf(list.text)[0] ?? '';
      assert.ok(flow);
    });

    it('lists the login with its user and outcome, and filters by side', async () => {
      const list = await get('/debug').expect(200);
      assertAccessible(list.text, '/debug');
      const row = list.text.split('<tr>').find((r) => r.includes(`/debug/flows/${encodeURIComponent(flow)}`)) ?? '';
      assert.match(row, /ann@acme\.test/);
      assert.match(row, /<td class="ok">ok<\/td>/);
      assert.match(row, /SP AuthnRequest → IdP AuthnRequest → IdP Response → SP Response/);
      const idpOnly = await get('/debug?side=idp').expect(200);
      assert.match(idpOnly.text, /<option value="idp" selected>/);
      const idpRow = idpOnly.text.split('<tr>').find((r) => r.includes(`/debug/flows/${encodeURIComponent(flow)}`)) ?? '';
      assert.match(idpRow, /<td>IdP AuthnRequest → IdP Response<\/td>/);
    });

    it('draws the sequence diagram with three lanes and every hop in order', async () => {
      const page = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      assertAccessible(page.text, 'flow page');
      assert.match(page.text, /<svg [^>]*role="img"/);
      const lanes = [...page.text.matchAll(/<g class="lane"><text[^>]*>(\w+)<\/text>/g)].map((m) => m[1]);
      assert.deepEqual(lanes, ['Browser', 'SP', 'IdP']);
      assert.deepEqual(hopLabels(page.text), [
        'Browser>SP GET /sp/login',
        'SP>Browser auto-post AuthnRequest (HTTP-POST)',
        'Browser>IdP AuthnRequest (HTTP-POST) /idp/apps/ringcentral/sso',
        'Browser>IdP IdP login (user signs in)',
        'IdP>Browser auto-post Response (HTTP-POST)',
        'Browser>SP Response (HTTP-POST) /sp/acs',
        'SP>SP SP verdict: ok',
      ]);
      assert.doesNotMatch(page.text, /class="hop rejected"/);
    });

    it('shows the pretty-printed XML with hostile attribute values escaped', async () => {
      const page = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      assert.doesNotMatch(page.text, /<script/i);
      // The XML escapes < as &lt;, and the page escapes that & again: the reader sees the XML text.
      assert.match(page.text, /&#38;lt;script&#38;gt;alert\(1\)&#38;lt;\/script&#38;gt;/);
      assert.match(page.text, /<pre class="xml">&#60;samlp:AuthnRequest/);
      assert.match(page.text, /\n {2}&#60;saml:Issuer/, 'one element per line, indented');
    });

    it('shows the signature details and every check passing', async () => {
      const page = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      assert.match(page.text, /<th>signature algorithm<\/th><td><code>http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256<\/code>/);
      assert.match(page.text, /<th>digest algorithm<\/th><td><code>http:\/\/www\.w3\.org\/2001\/04\/xmlenc#sha256<\/code>/);
      assert.match(page.text, /<th>reference URI<\/th><td><code>#/);
      assert.match(page.text, /<th>SHA-256 fingerprint<\/th><td><code>([0-9A-F]{2}:){31}[0-9A-F]{2}<\/code>/);
      const verdicts = [...page.text.matchAll(/<td class="(ok|fail|skip)">(pass|fail|skip)<\/td>/g)].map((m) => m[2]);
      assert.ok(verdicts.length >= 10, `checks shown: ${verdicts.length}`);
      assert.ok(verdicts.every((v) => v === 'pass'), verdicts.join(','));
      for (const check of ['signature-verify', 'audience', 'in-response-to', 'replay']) assert.match(page.text, new RegExp(`<code>${check}</code>`));
    });

    it('shows one entry on its own page', async () => {
      const page = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      const entry = /href="(\/debug\/entries\/[^"]+)"/.exec(page.text)?.[1];
      assert.ok(entry);
      const one = await get(entry).expect(200);
      assertAccessible(one.text, 'entry page');
      assert.match(one.text, /SP sent AuthnRequest/);
      await get('/debug/entries/no-such-entry').expect(404);
      await get('/debug/flows/no-such-flow').expect(404);
    });

    it('exports the flow as JSON that the import form shows again, read-only', async () => {
      const exported = await get(`/debug/flows/${encodeURIComponent(flow)}/export.json`).expect(200);
      assert.match(String(exported.headers['content-disposition']), /^attachment; filename="?sso-harness-[\w.-]+\.json"?$/);
      const body = JSON.parse(exported.text) as { format: string; flow: string; entries: TraceEntry[] };
      assert.equal(body.format, 'sso-harness-trace');
      assert.equal(body.flow, flow);
      assert.deepEqual(body.entries.map((e) => `${e.side} ${e.kind}`), ['sp AuthnRequest', 'idp AuthnRequest', 'idp Response', 'sp Response']);

      const form = await get('/debug/import').expect(200);
      assertAccessible(form.text, 'import form');
      const shown = await post('/debug/import').type('form').send({ _csrf: csrf, trace: exported.text }).expect(200);
      assertAccessible(shown.text, 'imported flow');
      assert.match(shown.text, /<h1>Imported flow <code>/);
      const original = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      assert.deepEqual(hopLabels(shown.text), hopLabels(original.text));
      assert.match(shown.text, /&#38;lt;script&#38;gt;/);
      assert.doesNotMatch(shown.text, /<script/i);
      const asJson = await post('/debug/import').type('json').send({ ...JSON.parse(exported.text), _csrf: csrf }).expect(200);
      assert.deepEqual(hopLabels(asJson.text), hopLabels(original.text));
      // Not stored: the trace still holds one copy of the login.
      const api = (await admin(server, 'get', `/debug/api/traces?flow=${encodeURIComponent(flow)}`).expect(200)).body as TraceEntry[];
      assert.equal(api.length, 4);
    });

    it('refuses an import that is not an exported trace with a 400 naming the problem', async () => {
      const notJson = await post('/debug/import').type('form').send({ _csrf: csrf, trace: '{nope' }).expect(400);
      assertAccessible(notJson.text, 'import error');
      assert.match(notJson.text, /role="alert">This trace cannot be shown: the text is not JSON/);
      const wrongShape = await post('/debug/import').type('form').send({ _csrf: csrf, trace: JSON.stringify({ format: 'sso-harness-trace', version: 1, flow: 'x', entries: [{ side: 'browser' }] }) }).expect(400);
      assert.match(wrongShape.text, /entries\.0\.side/);
      const empty = await post('/debug/import').type('form').send({ _csrf: csrf, trace: '' }).expect(400);
      assert.match(empty.text, /nothing was pasted/);
    });

    it('exports the flow as a HAR file the decoder reads back, signature and all', async () => {
      const har = await get(`/debug/flows/${encodeURIComponent(flow)}/export.har`).expect(200);
      assert.match(String(har.headers['content-disposition']), /^attachment; filename="?sso-harness-[\w.-]+\.har"?$/);
      const parsed = JSON.parse(har.text) as { log: { version: string; entries: { request: { method: string; url: string } }[] } };
      assert.equal(parsed.log.version, '1.2');
      assert.deepEqual(parsed.log.entries.map((e) => e.request.method), ['POST', 'POST'], 'each message once, as the browser carried it (the IdP lists only HTTP-POST)');
      const found = findMessages(har.text);
      assert.equal(found.kind, 'har');
      assert.deepEqual(found.messages.map((m) => `${m.messageType} ${m.binding}`), ['AuthnRequest post', 'Response post']);
      const response = found.messages[1];
      assert.ok(response);
      assert.match(response.xml, /&lt;script&gt;/);
      const metadata = await request(server.server).get(`/idp/apps/${DEMO_APP_ID}/metadata`).expect(200);
      const idp = parseIdpMetadata(metadata.text, { nowMs: Date.now() });
      const report = await checkMessage(response, { certificates: idp.certificates.map((c) => c.certificate), idpEntityId: idp.entityId, fallbackNowMs: Date.now() });
      assert.equal(report.checks.find((c) => c.check === 'signature-verify')?.verdict, 'pass', JSON.stringify(report.checks));
      assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => c.verdict === 'fail')));
    });

    it('carries the RelayState in both HAR requests and shows it on the flow page', async () => {
      const result = await headlessLogin({ spBaseUrl: server.url, email: 'bob@acme.test', password: 'bob-password-1', loginUrl: `${server.url}/sp/login?email={email}&target=%2Fsp%2Fhome` });
      assert.equal(result.ok, true, JSON.stringify(result.error));
      const withRelay = flowsOf((await get('/debug').expect(200)).text)[0] ?? '';
      const entries = (await admin(server, 'get', `/debug/api/traces?flow=${encodeURIComponent(withRelay)}`).expect(200)).body as TraceEntry[];
      const relayState = entries[0]?.relayState;
      assert.ok(relayState);
      const page = await get(`/debug/flows/${encodeURIComponent(withRelay)}`).expect(200);
      assert.match(page.text, new RegExp(`<tr><th>RelayState</th><td><code>${relayState}</code>`));
      const har = await get(`/debug/flows/${encodeURIComponent(withRelay)}/export.har`).expect(200);
      assert.deepEqual(findMessages(har.text).messages.map((m) => m.relayState), [relayState, relayState]);
    });

    it('exports a HAR file that `sso-harness decode - --metadata URL` reads with exit status 0', async () => {
      const har = await get(`/debug/flows/${encodeURIComponent(flow)}/export.har`).expect(200);
      let out = '';
      let err = '';
      const code = await runDecodeCommand(['-', '--metadata', `${server.url}/idp/apps/${DEMO_APP_ID}/metadata`, '--json'], {
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: (t: string) => (err += t) },
        env: {},
        stdin: Readable.from([Buffer.from(har.text)]),
      });
      assert.equal(code, 0, `${err}\n${out.slice(0, 2000)}`);
      assert.match(out, /"messageType": ?"AuthnRequest"/);
      assert.match(out, /"messageType": ?"Response"/);
    });
  });

  describe('a login the SP rejects', () => {
    let flow: string;
    before(async () => {
      await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ responseScenario: 'wrong-audience' }).expect(200);
      try {
        const result = await login('bob@acme.test', 'bob-password-1');
        assert.equal(result.error?.code, 'SAML_AUDIENCE');
      } finally {
        await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ responseScenario: 'valid' }).expect(200);
      }
      flow = flowsOf((await get('/debug').expect(200)).text)[0] ?? '';
    });

    it('lists it as rejected with its code', async () => {
      const list = await get('/debug').expect(200);
      const row = list.text.split('<tr>').find((r) => r.includes(`/debug/flows/${encodeURIComponent(flow)}`)) ?? '';
      assert.match(row, /<td class="fail">rejected <code>SAML_AUDIENCE<\/code><\/td>/);
      assert.match(row, /bob@acme\.test/);
    });

    it('explains the failure and names the setting to change, with the failed step in red', async () => {
      const page = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      assertAccessible(page.text, 'rejected flow');
      assert.match(page.text, /<div class="error explanation" role="note"><p><strong><code>SAML_AUDIENCE<\/code><\/strong>: The assertion is not addressed to this SP \(AudienceRestriction\)<\/p>/);
      assert.match(page.text, /Setting to change: <strong>SP Entity ID<\/strong> \(IdP\)/);
      assert.match(page.text, /<p>Expected: [^<]+<\/p>\s*<p>Received: [^<]+<\/p>/, 'what the check expected and what arrived');
      assert.match(page.text, /<td class="fail">fail<\/td><td>[^<]*<code>SAML_AUDIENCE<\/code>/);
      const labels = hopLabels(page.text);
      assert.equal(labels.at(-1), 'SP>SP SP verdict: rejected SAML_AUDIENCE');
      assert.match(page.text, /<g class="hop rejected" data-from="SP" data-to="SP">[\s\S]*?stroke="#d93025"/);
    });
  });

  describe('a login the IdP refuses', () => {
    it('names the user from the trace and explains the missing group binding', async () => {
      const result = await login('carol@acme.test', 'carol-password-1');
      assert.equal(result.error?.code, 'IDP_NOT_AUTHORIZED');
      const list = await get('/debug').expect(200);
      const flow = flowsOf(list.text)[0] ?? '';
      const row = list.text.split('<tr>').find((r) => r.includes(`/debug/flows/${encodeURIComponent(flow)}`)) ?? '';
      assert.match(row, /<td>carol@acme\.test<\/td><td class="fail">rejected <code>IDP_NOT_AUTHORIZED<\/code>/);
      const page = await get(`/debug/flows/${encodeURIComponent(flow)}`).expect(200);
      assert.match(page.text, /Setting to change: <strong>User Groups<\/strong> \(IdP\)/);
      assert.equal(hopLabels(page.text).at(-1), 'IdP>IdP no Response: IDP_NOT_AUTHORIZED');
    });
  });

  describe('SCIM provisioning jobs', () => {
    it('lists no jobs before Identity Management is set up', async () => {
      const page = await get('/debug/scim').expect(200);
      assertAccessible(page.text, '/debug/scim');
      assert.match(page.text, /No provisioning jobs yet/);
    });

    it('lists each job with its SCIM requests and responses, the token redacted', async () => {
      const { authorizeUrl } = (await admin(server, 'post', `/idp/api/apps/${DEMO_APP_ID}/idm/configure`).send({}).expect(200)).body;
      assert.equal((await authorizeAtSp(authorizeUrl, 'ann@acme.test', 'ann-rc-password-1')).status, 200);
      const users = (await admin(server, 'get', '/idp/api/users').expect(200)).body as { id: string; email: string }[];
      const bob = users.find((u) => u.email === 'bob@acme.test');
      assert.ok(bob);
      await admin(server, 'patch', `/idp/api/users/${bob.id}`).send({ department: 'Sales <East>' }).expect(200);
      await idle(server);
      const jobs = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}/idm/jobs`).expect(200)).body as { userEmail: string }[];
      assert.ok(jobs.some((j) => j.userEmail === 'bob@acme.test'), JSON.stringify(jobs).slice(0, 300));
      const page = await get('/debug/scim').expect(200);
      assertAccessible(page.text, '/debug/scim');
      assert.match(page.text, /<td>bob@acme\.test<\/td><td>\w+<\/td><td class="(ok|fail)">/);
      assert.match(page.text, /<code>(GET|POST|PUT|PATCH) http:\/\/[^<]*\/scim\/v2\/Users/);
      assert.match(page.text, /Sales &#60;East&#62;/);
      assert.doesNotMatch(page.text, /Bearer [A-Za-z0-9._~+\/-]{16,}/);
    });
  });

  describe('forms', () => {
    it('refuses every POST form without the session CSRF token', async () => {
      for (const path of ['/debug/clear', '/debug/import', '/admin/logout']) {
        const res = await request(server.server).post(path).set('cookie', cookie).set('accept', 'application/json').type('form').send({ trace: '{}' }).expect(403);
        assert.equal(res.body.error, 'CSRF_TOKEN', path);
      }
      assert.notEqual((await admin(server, 'get', '/debug/api/traces').expect(200)).body.length, 0, 'nothing cleared');
    });

    it('clears the traces', async () => {
      await post('/debug/clear').type('form').send({ _csrf: csrf }).expect(303).expect('location', '/debug');
      const list = await get('/debug').expect(200);
      assertAccessible(list.text, 'empty list');
      assert.match(list.text, /No exchanges recorded yet/);
      assert.deepEqual((await admin(server, 'get', '/debug/api/traces').expect(200)).body, []);
    });
  });
});
