// The SP admin API's IdP metadata import, by XML, under hostile input: the IdP's genuine metadata
// mutated, sent as the XML body or as {"xml": …}, and random JSON bodies. Whatever arrives, the
// answer is the import report or a documented refusal. (Imports by URL are left out: an
// unreachable URL is METADATA_FETCH, a 502 by design.)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { seedDemo } from '../../src/harness/demo.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, admin, startTestServer } from '../support/harness.js';
import { assertHarnessAnswer, countCase, crashWatch, deepJson, fuzzParameters, hostileText, mutate, mutations } from './support.js';

const ENTRY = 'POST /sp/api/accounts/:id/sso/idp-metadata';

describe(`${ENTRY}: hostile input`, () => {
  let server: RunningHarness;
  let accountId: string;
  let genuine: string;
  const crashes = crashWatch();

  before(async () => {
    crashes.start();
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    // An app of its own, so the genuine metadata's entity ID is not already taken by the demo account.
    await admin(server, 'post', '/idp/api/apps').send({ template: 'ringcentral', id: 'fuzz', mydomain: new URL(server.url).host }).expect(201);
    genuine = (await request(server.server).get('/idp/apps/fuzz/metadata').expect(200)).text;
    accountId = (await admin(server, 'post', '/sp/api/accounts').send({ name: 'Fuzz Metadata Corp' }).expect(201)).body.id;
  });
  after(async () => {
    crashes.stop();
    await server.close();
  });
  afterEach(async () => {
    await request(server.server).get('/healthz').expect(200);
    crashes.check();
  });

  const path = (): string => `/sp/api/accounts/${accountId}/sso/idp-metadata`;

  async function send(body: { xml: string } | { json: string }): Promise<void> {
    countCase(ENTRY);
    const req = admin(server, 'post', path());
    const res = 'xml' in body ? await req.set('content-type', 'application/xml').send(body.xml) : await req.set('content-type', 'application/json').send(body.json);
    assertHarnessAnswer(res, ENTRY);
    crashes.check();
  }

  it('imports the genuine metadata the mutations start from', async () => {
    const res = await admin(server, 'post', path()).set('content-type', 'application/xml').send(genuine);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.body.parsed.entityId, /fuzz|ringcentral|\//);
  });

  it('answers mutated genuine metadata with the import report or a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, fc.boolean(), async (steps, asJson) => {
        const xml = mutate(genuine, steps);
        await send(asJson ? { json: JSON.stringify({ xml }) } : { xml });
      }),
      fuzzParameters(),
    );
  });

  it('answers random bodies with a documented code', async () => {
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v ?? null).includes('"url"')).map((v) => JSON.stringify(v)),
      fc.record({ xml: fc.oneof(hostileText(300), fc.jsonValue({ maxDepth: 2 })) }).map((v) => JSON.stringify(v)),
      hostileText(200),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(json.map((j) => ({ json: j })), hostileText(400).map((xml) => ({ xml }))), (body) => send(body)),
      fuzzParameters(),
    );
  });

  it('refuses a certificate whose public key is damaged with METADATA_INVALID', async () => {
    // The RSA SubjectPublicKeyInfo header with one bit flipped (0x30 SEQUENCE → 0x2C): X509Certificate
    // parses, and only reading its public key throws.
    const spki = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA';
    assert.ok(genuine.includes(spki));
    const res = await admin(server, 'post', path()).set('content-type', 'application/xml').send(genuine.replace(spki, spki.replace('AAOCAQ8AMII', 'AAOCAQ8ALII')));
    assert.equal(res.status, 422, res.text.slice(0, 300));
    assert.equal(res.body.error, 'METADATA_INVALID');
    assert.match(res.body.message, /certificate cannot be read/);
  });

  it('refuses deeply nested metadata with a documented code', async () => {
    const depth = 10_000;
    const deep = genuine.replace(/(<md:IDPSSODescriptor[^>]*>)/, `$1${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`);
    assert.notEqual(deep, genuine);
    await send({ xml: deep });
  });

  it('refuses deeply nested JSON bodies with a documented code', async () => {
    for (const kind of ['array', 'object'] as const) {
      await send({ json: deepJson(10_000, kind) });
      await send({ json: `{"xml":${deepJson(10_000, kind)}}` });
      await send({ json: `{"xml":"<x/>","extra":${deepJson(10_000, kind)}}` });
    }
  });
});
