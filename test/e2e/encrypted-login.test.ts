// Encrypted assertions end to end: our IdP encrypts to the encryption certificate of the SP
// metadata it was given, our SP (started with an encryption key, the account decrypting)
// decrypts and validates, all over HTTP through the browser flow.
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import request from 'supertest';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { decodePostMessage, encodePostMessage } from '../../src/saml/encoding.js';
import { DATA_ENCRYPTION_ALGORITHMS, KEY_TRANSPORT_ALGORITHMS, NS } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import type { TraceEntry } from '../../src/trace/trace-log.js';
import { ADMIN_TOKEN, admin, autoPostFields, startTestServer } from '../support/harness.js';
import { startSpLogin } from '../support/sp-login.js';
import { fixtureKey, fixturePem } from '../support/keys.js';

const BOB = { email: 'bob@acme.test', password: 'bob-password-1' };
const login = (server: RunningHarness) => headlessLogin({ spBaseUrl: server.url, ...BOB });
const spEncryption = fixtureKey('sp-enc');

async function setApp(server: RunningHarness, encryption: Record<string, unknown>) {
  return (await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ encryption }).expect(200)).body;
}

async function setAccount(server: RunningHarness, sso: Record<string, unknown>): Promise<void> {
  await admin(server, 'patch', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`).send(sso).expect(200);
}

async function lastTrace(server: RunningHarness, side: 'idp' | 'sp'): Promise<TraceEntry> {
  const entries = (await admin(server, 'get', `/debug/api/traces?side=${side}`).expect(200)).body as TraceEntry[];
  const last = entries.filter((e) => e.kind === 'Response').at(-1);
  assert.ok(last, `a ${side} Response trace`);
  return last;
}

/** What the IdP sent in its last response: the algorithms its EncryptedAssertion names, and whether a plain Assertion is left. */
async function sentByIdp(server: RunningHarness): Promise<{ data?: string; keyTransport?: string; plainAssertions: number; encrypted: number }> {
  const xml = (await lastTrace(server, 'idp')).xml ?? '';
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const methods = Array.from(doc.getElementsByTagNameNS(NS.xenc, 'EncryptionMethod'));
  return {
    data: methods.find((m) => (m.parentNode as Element).localName === 'EncryptedData')?.getAttribute('Algorithm') ?? undefined,
    keyTransport: methods.find((m) => (m.parentNode as Element).localName === 'EncryptedKey')?.getAttribute('Algorithm') ?? undefined,
    plainAssertions: doc.getElementsByTagNameNS(NS.assertion, 'Assertion').length,
    encrypted: doc.getElementsByTagNameNS(NS.assertion, 'EncryptedAssertion').length,
  };
}

/** A browser up to the IdP's auto-post form; the caller posts it (or an edited one) to the ACS. */
async function idpForm(server: RunningHarness) {
  const agent = request.agent(server.server);
  const { idp: pendingAt } = await startSpLogin(agent, `/sp/login?email=${encodeURIComponent(BOB.email)}`);
  assert.equal(pendingAt.status, 303);
  const pending = new URL(pendingAt.headers.location as string, server.url).searchParams.get('pending');
  const answer = await agent.post('/idp/login').type('form').send({ login: BOB.email, password: BOB.password, pending }).expect(200);
  const form = autoPostFields(answer.text);
  const post = (samlResponse: string) =>
    agent.post('/sp/acs').set('accept', 'application/json').type('form').send({ SAMLResponse: samlResponse, ...(form.RelayState && { RelayState: form.RelayState }) });
  return { form, post };
}

/** The IdP's answer with one base64 character of the content ciphertext changed, posted to the ACS. */
async function postTampered(server: RunningHarness) {
  const { form, post } = await idpForm(server);
  const xml = decodePostMessage(form.SAMLResponse);
  const tampered = xml.replace(/(<xenc:CipherData>\s*<xenc:CipherValue>)([A-Za-z0-9+/])/, (_m, open: string, c: string) => `${open}${c === 'A' ? 'B' : 'A'}`);
  assert.notEqual(tampered, xml);
  return post(encodePostMessage(tampered));
}

describe('encrypted assertions, our IdP to our SP over HTTP', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer({ keys: { idp: fixturePem('idp'), sp: fixturePem('sp'), spEncryption: fixturePem('sp-enc') } });
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());
  beforeEach(async () => {
    await setApp(server, { enabled: true, dataAlgorithm: 'aes256-gcm', keyTransport: 'rsa-oaep' });
    await setAccount(server, { decryptAssertions: true, allowRsa15: false, allowCbc: false });
    await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send({ signAssertion: true, signResponse: false }).expect(200);
  });

  it('publishes the SP encryption certificate, which the IdP application takes from the SP metadata', async () => {
    const metadata = await request(server.server).get('/sp/metadata').expect(200);
    const doc = new DOMParser().parseFromString(metadata.text, 'text/xml');
    const encryption = Array.from(doc.getElementsByTagNameNS(NS.metadata, 'KeyDescriptor')).filter((k) => k.getAttribute('use') === 'encryption');
    assert.equal(encryption.length, 1);
    assert.equal(encryption[0]?.getElementsByTagNameNS(NS.dsig, 'X509Certificate')[0]?.textContent, spEncryption.certificateBase64);
    const app = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body;
    assert.equal(app.encryption.certificate.sha256, spEncryption.certificate.fingerprint256);
    assert.deepEqual(
      { enabled: app.encryption.enabled, dataAlgorithm: app.encryption.dataAlgorithm, keyTransport: app.encryption.keyTransport, insecure: app.encryption.insecure },
      { enabled: true, dataAlgorithm: 'aes256-gcm', keyTransport: 'rsa-oaep', insecure: false },
    );
  });

  for (const dataAlgorithm of ['aes256-gcm', 'aes128-gcm', 'aes256-cbc'] as const) {
    it(`signs in with the assertion encrypted with ${dataAlgorithm} and RSA-OAEP`, async () => {
      await setApp(server, { dataAlgorithm });
      if (DATA_ENCRYPTION_ALGORITHMS[dataAlgorithm].cbc) await setAccount(server, { allowCbc: true });
      const result = await login(server);
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.equal(result.session?.email, BOB.email);
      assert.deepEqual(await sentByIdp(server), {
        data: DATA_ENCRYPTION_ALGORITHMS[dataAlgorithm].urn,
        keyTransport: KEY_TRANSPORT_ALGORITHMS['rsa-oaep'].urn,
        plainAssertions: 0,
        encrypted: 1,
      });
      const decrypt = (await lastTrace(server, 'sp')).checks.find((c) => c.check === 'decrypt');
      assert.equal(decrypt?.verdict, 'pass');
      assert.match(decrypt?.detail ?? '', new RegExp(`decrypted \\(${dataAlgorithm}, key by rsa-oaep\\)`));
    });
  }

  for (const signing of [
    { signAssertion: false, signResponse: true },
    { signAssertion: true, signResponse: true },
  ]) {
    it(`signs in with the ${signing.signAssertion ? 'signed ' : ''}assertion encrypted in a Response signed over it`, async () => {
      await admin(server, 'patch', `/idp/api/apps/${DEMO_APP_ID}`).send(signing).expect(200);
      const result = await login(server);
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.equal((await sentByIdp(server)).encrypted, 1);
    });
  }

  it('refuses AES-256-CBC until the account allows CBC (SAML_ENCRYPTION_ALGORITHM)', async () => {
    await setApp(server, { dataAlgorithm: 'aes256-cbc' });
    const result = await login(server);
    assert.equal(result.ok, false);
    assert.equal(result.error?.code, 'SAML_ENCRYPTION_ALGORITHM');
  });

  it('marks RSA 1.5 insecure in the API, and the SP refuses it unless the account allows it', async () => {
    const app = await setApp(server, { keyTransport: 'rsa-1_5' });
    assert.equal(app.encryption.insecure, true);
    assert.match(app.encryption.warnings.join(' '), /rsa-1_5 key transport is insecure/);
    const refused = await login(server);
    assert.equal(refused.error?.code, 'SAML_ENCRYPTION_ALGORITHM');
    assert.equal((await sentByIdp(server)).keyTransport, KEY_TRANSPORT_ALGORITHMS['rsa-1_5'].urn);

    await setAccount(server, { allowRsa15: true });
    const allowed = await login(server);
    // Node 20.11.1+ refuses PKCS#1 v1.5 private decryption (CVE-2023-46809): then the account's
    // permission meets the runtime's refusal, answered like any decryption failure.
    if (!allowed.ok) {
      assert.equal(allowed.error?.code, 'SAML_DECRYPTION_FAILED');
      assert.match((await lastTrace(server, 'sp')).error?.detail ?? '', /RSA_PKCS1_PADDING/);
    }
  });

  it('refuses an EncryptedAssertion with SAML_ENCRYPTED_ASSERTION when the account does not decrypt', async () => {
    await setAccount(server, { decryptAssertions: false });
    const result = await login(server);
    assert.equal(result.error?.code, 'SAML_ENCRYPTED_ASSERTION');
  });

  it('answers a tampered ciphertext with one generic code, the reason in the trace only', async () => {
    const res = await postTampered(server);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'SAML_DECRYPTION_FAILED');
    const trace = await lastTrace(server, 'sp');
    assert.equal(trace.error?.code, 'SAML_DECRYPTION_FAILED');
    assert.ok(trace.error?.detail, 'the trace says why');
    assert.ok(!JSON.stringify(res.body).includes(trace.error.detail), 'the client is not told why');
  });

  it('answers an assertion encrypted to another key (stale SP metadata at the IdP) with the same generic answer', async () => {
    const tampered = await postTampered(server);
    const metadata = (await request(server.server).get('/sp/metadata').expect(200)).text;
    const stale = metadata.replace(spEncryption.certificateBase64, fixtureKey('attacker').certificateBase64);
    assert.notEqual(stale, metadata);
    await admin(server, 'put', `/idp/api/apps/${DEMO_APP_ID}/sp-metadata`).set('content-type', 'application/xml').send(stale).expect(200);
    try {
      const { form, post } = await idpForm(server);
      const res = await post(form.SAMLResponse).expect(400);
      assert.equal(res.body.error, 'SAML_DECRYPTION_FAILED');
      const shown = ({ message, expected, received, checks }: Record<string, unknown>) => ({
        message,
        expected,
        received,
        failed: (checks as { verdict: string }[]).find((c) => c.verdict === 'fail'),
      });
      assert.deepEqual(shown(res.body), shown(tampered.body));
      assert.notEqual((await lastTrace(server, 'sp')).error?.detail, undefined);
    } finally {
      await admin(server, 'put', `/idp/api/apps/${DEMO_APP_ID}/sp-metadata`).set('content-type', 'application/xml').send(metadata).expect(200);
    }
  });
});

describe('encryption switched off: the RingCentral default', () => {
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
  });
  after(() => server.close());

  it('publishes no encryption certificate and refuses to turn decryption on', async () => {
    const metadata = await request(server.server).get('/sp/metadata').expect(200);
    assert.doesNotMatch(metadata.text, /use="encryption"/);
    const res = await admin(server, 'patch', `/sp/api/accounts/${DEMO_ACCOUNT.id}/sso`).send({ decryptAssertions: true }).expect(400);
    assert.equal(res.body.error, 'INPUT_INVALID');
    const account = (await admin(server, 'get', `/sp/api/accounts/${DEMO_ACCOUNT.id}`).expect(200)).body;
    assert.equal(account.sso.decryptAssertions, false);
  });

  it('shows encryption off in the IdP application, and refuses to encrypt without an SP encryption certificate', async () => {
    const app = (await admin(server, 'get', `/idp/api/apps/${DEMO_APP_ID}`).expect(200)).body;
    assert.deepEqual({ enabled: app.encryption.enabled, certificate: app.encryption.certificate }, { enabled: false, certificate: null });
    await setApp(server, { enabled: true });
    try {
      const result = await login(server);
      assert.equal(result.ok, false);
      assert.equal(result.error?.code, 'IDP_APP_INCOMPLETE');
    } finally {
      await setApp(server, { enabled: false });
    }
    assert.equal((await login(server)).ok, true);
  });
});
