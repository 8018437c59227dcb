// The trace viewer and the trace itself under messages strangers send: every stored entry renders
// (the raw text when it does not parse), and the trace stays bounded in bytes as well as entries,
// saying what it cut and what it dropped.
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import request from 'supertest';
import { DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import type { TraceEntry } from '../../src/trace/trace-log.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertAccessible } from '../support/html-checks.js';

const redirectParam = (xml: string): string => encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));

/** An AuthnRequest `depth` elements deep (under Extensions), with a marker text at the bottom. */
function deepAuthnRequest(depth: number): string {
  return (
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_deep" Version="2.0" IssueInstant="2026-11-24T10:00:00Z">' +
    `<samlp:Extensions>${'<a>'.repeat(depth)}deep-marker${'</a>'.repeat(depth)}</samlp:Extensions></samlp:AuthnRequest>`
  );
}

/** A well-formed AuthnRequest of about `bytes` bytes (a long Extensions text), refused by the IdP. */
function largeAuthnRequest(bytes: number, tag: string): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_${tag}" Version="2.0" IssueInstant="2026-11-24T10:00:00Z">` +
    `<samlp:Extensions>${tag}:${'x'.repeat(bytes)}</samlp:Extensions></samlp:AuthnRequest>`
  );
}

async function adminCookie(server: RunningHarness): Promise<string> {
  const res = await request(server.server).post('/admin/login').type('form').send({ token: ADMIN_TOKEN, next: '/debug' }).expect(303);
  return String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
}

const traces = async (server: RunningHarness): Promise<TraceEntry[]> => (await admin(server, 'get', '/debug/api/traces').expect(200)).body as TraceEntry[];

describe('trace viewer on messages that do not pretty-print', () => {
  let server: RunningHarness;
  let cookie: string;
  const get = (path: string) => request(server.server).get(path).set('cookie', cookie).set('accept', 'text/html');

  before(async () => {
    // Messages are kept whole here, so the viewer has to parse (or fail to parse) each one.
    server = await startTestServer({ traceMaxMessageBytes: 1024 * 1024 });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    cookie = await adminCookie(server);
  });
  after(() => server.close());
  beforeEach(async () => {
    await admin(server, 'delete', '/debug/api/traces').expect(204);
  });

  async function entryPageFor(query: string): Promise<{ page: string; entry: TraceEntry }> {
    const res = await request(server.server).get(`/idp/apps/${DEMO_APP_ID}/sso?${query}`);
    assert.ok(res.status >= 400 && res.status < 500, `the IdP refuses it (${res.status})`);
    const entry = (await traces(server)).find((e) => e.kind === 'AuthnRequest' && e.side === 'idp');
    assert.ok(entry, 'the refused request is in the trace');
    const page = await get(`/debug/entries/${encodeURIComponent(entry.id)}`);
    assert.equal(page.status, 200, page.text.slice(0, 500));
    const list = await get('/debug');
    assert.equal(list.status, 200, list.text.slice(0, 500));
    return { page: page.text, entry };
  }

  it('renders an entry whose message inflates to nothing, showing the raw text', async () => {
    const { page, entry } = await entryPageFor('SAMLRequest=AwA=');
    assertAccessible(page, 'empty message entry');
    assert.equal(entry.xml, '');
    assert.match(page, /could not be parsed/);
  });

  it('renders an entry holding an AuthnRequest nested 30,000 deep', async () => {
    // No binding lets a message this large in any more (64 KiB inflated, 256 KiB of base64), and
    // the XML limits refuse it before parsing; the viewer must still render one that is stored.
    const entry = server.app.harness.trace.record({
      side: 'idp',
      kind: 'AuthnRequest',
      direction: 'received',
      xml: deepAuthnRequest(30_000),
      verdict: 'rejected',
      summary: 'a message nested 30,000 deep',
    });
    const page = await get(`/debug/entries/${encodeURIComponent(entry.id)}`);
    assert.equal(page.status, 200, page.text.slice(0, 500));
    assertAccessible(page.text, 'deep message entry');
    assert.match(page.text, /&#60;samlp:AuthnRequest|&lt;samlp:AuthnRequest/);
    await get('/debug').expect(200);
  });

  it('renders an entry whose message is not XML at all, escaped', async () => {
    const { page } = await entryPageFor(`SAMLRequest=${redirectParam('<<<not xml <script>alert(1)</script>')}`);
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /could not be parsed/);
  });
});

describe('trace size', () => {
  let server: RunningHarness;
  let cookie: string;
  const get = (path: string) => request(server.server).get(path).set('cookie', cookie).set('accept', 'text/html');
  const maxMessageBytes = 8 * 1024;
  const maxBytes = 128 * 1024;

  before(async () => {
    server = await startTestServer({ traceMaxMessageBytes: maxMessageBytes, traceMaxBytes: maxBytes });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    cookie = await adminCookie(server);
    await admin(server, 'delete', '/debug/api/traces').expect(204);
  });
  after(() => server.close());

  it('keeps each message up to its cap, marked truncated, and the whole trace under its byte cap', async () => {
    for (let i = 0; i < 40; i += 1) {
      await request(server.server)
        .post(`/idp/apps/${DEMO_APP_ID}/sso`)
        .type('form')
        .send({ SAMLRequest: Buffer.from(largeAuthnRequest(100_000, `m${i}`), 'utf8').toString('base64') });
    }
    const entries = await traces(server);
    const stored = entries.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0);
    assert.ok(stored <= maxBytes, `${stored} bytes stored over ${entries.length} entries`);
    assert.ok(entries.length >= 5 && entries.length < 40, `${entries.length} entries kept`);
    const newest = entries.at(-1) as TraceEntry;
    assert.ok(Buffer.byteLength(newest.xml ?? '') <= maxMessageBytes);
    assert.ok((newest.xmlTruncatedFrom ?? 0) > 100_000, 'the entry says how large the message was');
    assert.match(newest.xml ?? '', /^<samlp:AuthnRequest[^>]*ID="_m39"/);

    const page = await get(`/debug/entries/${encodeURIComponent(newest.id)}`).expect(200);
    assertAccessible(page.text, 'truncated entry');
    assert.match(page.text, /truncated/i);
    assert.match(page.text, new RegExp(`${maxMessageBytes}[^<]*${newest.xmlTruncatedFrom}|first [0-9,]+ of [0-9,]+ bytes`));

    const list = await get('/debug').expect(200);
    assertAccessible(list.text, 'list after drops');
    assert.match(list.text, new RegExp(`${40 - entries.length} older entr(y|ies)[^<]* dropped`));
  });
});
