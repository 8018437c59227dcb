// Signing-certificate rollover over HTTP, as two administrators do it: the IdP makes a next key
// and publishes it beside the current one, the SP trusts both (Primary and Secondary), the IdP
// rotates and logins keep working; once the SP drops the old certificate, a response signed
// with it is refused. Then RingCentral's certificate rules: an expired certificate fails the
// login with its own code, and an IdP entity ID belongs to one account only.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { DOMParser } from '@xmldom/xmldom';
import { AdminApiError, IdpAdminClient, SpAdminClient } from '../../src/client/admin/admin-clients.js';
import { headlessLogin, type HeadlessLoginResult } from '../../src/client/browser/headless-login.js';
import { generateKeyPair } from '../../src/crypto/keys.js';
import { DEMO_ACCOUNT, DEMO_APP_ID, seedDemo } from '../../src/harness/demo.js';
import { parseIdpMetadata } from '../../src/saml/metadata-parse.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { ADMIN_TOKEN, startTestServer } from '../support/harness.js';
import { fixturePem } from '../support/keys.js';

const DAY_MS = 86_400_000;

describe('signing-certificate rollover between the IdP and the SP', () => {
  let server: RunningHarness;
  let idp: IdpAdminClient;
  let sp: SpAdminClient;

  before(async () => {
    server = await startTestServer();
    await seedDemo({ idpBaseUrl: server.url, spBaseUrl: server.url, adminToken: ADMIN_TOKEN });
    idp = new IdpAdminClient({ url: server.url, adminToken: ADMIN_TOKEN });
    sp = new SpAdminClient({ url: server.url, adminToken: ADMIN_TOKEN });
  });
  after(async () => {
    await server.close();
  });

  const login = (): Promise<HeadlessLoginResult> => headlessLogin({ spBaseUrl: server.url, email: 'ann@acme.test', password: 'ann-password-1' });
  const metadata = async () => parseIdpMetadata(await idp.appMetadata(DEMO_APP_ID), { nowMs: Date.now() });
  const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;
  const harnessCert = fingerprint(fixturePem('idp').certificatePem);

  async function assertSignedIn(): Promise<void> {
    const result = await login();
    assert.equal(result.ok, true, JSON.stringify(result.error));
  }

  async function assertRefused(code: string): Promise<void> {
    const result = await login();
    assert.equal(result.ok, false, 'the login was expected to fail');
    assert.equal(result.error?.code, code, JSON.stringify(result.error));
  }

  async function rotateTo(pem: { privateKeyPem: string; certificatePem: string }): Promise<void> {
    await idp.makeNextKey(DEMO_APP_ID, { privateKey: pem.privateKeyPem, certificate: pem.certificatePem });
    await idp.rotateKeys(DEMO_APP_ID);
  }

  let oldCert: string;
  let newCert: string;

  it('signs with the harness key and publishes it alone until the application has keys of its own', async () => {
    const keys = await idp.appKeys(DEMO_APP_ID);
    assert.deepEqual(keys.map((k) => [k.role, k.origin]), [['current', 'harness']]);
    oldCert = keys[0]!.certificatePem;
    assert.equal(fingerprint(oldCert), harnessCert);
    const md = await metadata();
    assert.deepEqual(md.certificates.map((c) => c.summary.sha256), [harnessCert]);
    const validUntil = Date.parse(md.validUntil ?? '');
    assert.ok(Math.abs(validUntil - (Date.now() + 7 * DAY_MS)) < 60_000, `validUntil ${md.validUntil} is about a week away`);
    assert.match(await idp.appMetadata(DEMO_APP_ID), /<md:EntityDescriptor [^>]*cacheDuration="PT1H"/);
    await assertSignedIn();
  });

  it('refuses to rotate before there is a next key', async () => {
    const err = await idp.rotateKeys(DEMO_APP_ID).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AdminApiError);
    assert.equal(err.status, 409);
    assert.equal(err.code, 'IDP_KEY_NO_NEXT');
  });

  it('withdraws a next key, and forgets the keys of a deleted application', async () => {
    const upload = { privateKey: fixturePem('attacker').privateKeyPem, certificate: fixturePem('attacker').certificatePem };
    assert.equal((await idp.makeNextKey(DEMO_APP_ID, upload)).length, 2);
    assert.equal((await metadata()).certificates.length, 2);
    assert.deepEqual((await idp.dropNextKey(DEMO_APP_ID)).map((k) => k.role), ['current']);
    assert.equal((await metadata()).certificates.length, 1);

    await idp.createApp({ template: 'custom-saml', id: 'short-lived' });
    await idp.makeNextKey('short-lived', upload);
    await idp.rotateKeys('short-lived');
    await idp.deleteApp('short-lived');
    await idp.createApp({ template: 'custom-saml', id: 'short-lived' });
    assert.deepEqual((await idp.appKeys('short-lived')).map((k) => [k.role, k.origin]), [['current', 'harness']]);
    await idp.deleteApp('short-lived');
  });

  it('publishes a generated next certificate beside the current one, still signing with the current key', async () => {
    const keys = await idp.makeNextKey(DEMO_APP_ID, { days: 400 });
    assert.deepEqual(keys.map((k) => [k.role, k.origin]), [['current', 'harness'], ['next', 'generated']]);
    newCert = keys[1]!.certificatePem;
    assert.ok([399, 400].includes(keys[1]!.certificate.daysToExpiry), `${keys[1]!.certificate.daysToExpiry} days to expiry`);
    assert.equal(keys[1]!.certificate.keyBits, 2048);
    const md = await metadata();
    assert.deepEqual(
      md.certificates.map((c) => [c.use, c.summary.sha256]),
      [['signing', harnessCert], ['signing', fingerprint(newCert)]],
    );
    await assertSignedIn();
  });

  it('keeps logins working across the rotation once the SP trusts the old and the new certificate', async () => {
    // RingCentral: import the metadata again; its two signing certificates fill Primary and Secondary.
    const imported = await sp.importIdpMetadata(DEMO_ACCOUNT.id, { url: `${server.url}/idp/apps/${DEMO_APP_ID}/metadata` });
    assert.equal(imported.parsed.certificates.length, 2);
    const slots = await sp.idpCertificates(DEMO_ACCOUNT.id);
    assert.deepEqual(slots.map((s) => [s.slot, s.sha256]), [['primary', harnessCert], ['secondary', fingerprint(newCert)]]);
    assert.ok(slots.every((s) => s.daysToExpiry > 0 && !s.expired));

    const rotated = await idp.rotateKeys(DEMO_APP_ID);
    assert.deepEqual(rotated.map((k) => [k.role, k.certificate.sha256]), [['current', fingerprint(newCert)]]);
    assert.deepEqual((await metadata()).certificates.map((c) => c.summary.sha256), [fingerprint(newCert)]);
    await assertSignedIn();
    await assertSignedIn();
  });

  it('refuses a response signed with the old key once the SP has dropped it', async () => {
    // The SP drops the old certificate: the new one becomes Primary, Secondary is emptied.
    const account = await sp.updateSso(DEMO_ACCOUNT.id, { idpCertificates: { primary: newCert, secondary: null } });
    assert.equal(account.sso.idp?.certificateSlots?.secondary, undefined);
    assert.deepEqual((await sp.idpCertificates(DEMO_ACCOUNT.id)).map((s) => [s.slot, s.sha256]), [['primary', fingerprint(newCert)]]);
    await assertSignedIn();

    // The IdP goes back to signing with the old (harness) key.
    await rotateTo(fixturePem('idp'));
    assert.equal((await idp.appKeys(DEMO_APP_ID))[0]!.certificate.sha256, harnessCert);
    await assertRefused('SAML_SIGNATURE_UNTRUSTED');

    // Trusting it again as Secondary lets the same key through: the slots are what decides.
    await sp.updateSso(DEMO_ACCOUNT.id, { idpCertificates: { secondary: oldCert } });
    await assertSignedIn();
  });

  it('refuses a response signed with an expired certificate with SAML_CERTIFICATE_EXPIRED, unless the account allows it', async () => {
    const expired = await generateKeyPair({ commonName: 'sso-harness expired IdP', nowMs: Date.now() - 30 * DAY_MS, days: 10 });
    await sp.updateSso(DEMO_ACCOUNT.id, { idpCertificates: { secondary: expired.certificatePem } });
    const slots = await sp.idpCertificates(DEMO_ACCOUNT.id);
    assert.equal(slots.find((s) => s.slot === 'secondary')?.expired, true);
    await rotateTo(expired);
    await assertRefused('SAML_CERTIFICATE_EXPIRED');

    await sp.updateSso(DEMO_ACCOUNT.id, { allowExpiredCertificate: true });
    await assertSignedIn();
    await sp.updateSso(DEMO_ACCOUNT.id, { allowExpiredCertificate: false });
    await assertRefused('SAML_CERTIFICATE_EXPIRED');

    // Rolled forward to a fresh key the SP trusts alone: back to normal.
    const fresh = await generateKeyPair({ commonName: 'sso-harness IdP after the expired one' });
    await sp.updateSso(DEMO_ACCOUNT.id, { idpCertificates: { primary: fresh.certificatePem, secondary: null } });
    await rotateTo(fresh);
    await assertSignedIn();
  });

  it('refuses a certificate slot value that is not a certificate, naming the field', async () => {
    const err = await sp.updateSso(DEMO_ACCOUNT.id, { idpCertificates: { secondary: 'not a certificate' } }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AdminApiError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'INPUT_INVALID');
    assert.ok((err.body as { fields?: Record<string, string> }).fields?.['idpCertificates.secondary']);
  });

  it('signs the metadata with the current key when the application asks for it, and the SP still imports it', async () => {
    await idp.updateApp(DEMO_APP_ID, { signMetadata: true });
    const xml = await idp.appMetadata(DEMO_APP_ID);
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const root = doc.documentElement!;
    const first = Array.from(root.childNodes).find((n) => n.nodeType === 1) as Element | undefined;
    assert.equal(first?.localName, 'Signature', 'the Signature is the first child of the EntityDescriptor');
    const current = (await idp.appKeys(DEMO_APP_ID))[0]!;
    const verifier = new SignedXml({ publicCert: current.certificatePem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(first!);
    assert.equal(verifier.checkSignature(xml), true);
    assert.equal(verifier.getSignedReferences().length, 1);
    const imported = await sp.importIdpMetadata(DEMO_ACCOUNT.id, { xml });
    // Only the note every POST-only JumpCloud metadata gets: the signature adds no warning.
    assert.deepEqual(imported.parsed.warnings, ['there is no HTTP-Redirect SingleSignOnService: SPs will POST their AuthnRequests; enable the Redirect endpoint on the IdP if an SP needs it']);
    await idp.updateApp(DEMO_APP_ID, { signMetadata: false });
    assert.doesNotMatch(await idp.appMetadata(DEMO_APP_ID), /Signature/);
  });

  it('refuses IdP metadata whose entity ID another account uses, naming that account', async () => {
    const other = await sp.createAccount({ name: 'Copycat Inc', id: 'copycat' });
    const err = await sp
      .importIdpMetadata(other.id, { url: `${server.url}/idp/apps/${DEMO_APP_ID}/metadata` })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AdminApiError);
    assert.equal(err.status, 409);
    assert.equal(err.code, 'SP_IDP_ENTITY_TAKEN');
    assert.match(err.message, /already used by account Acme Corp \(acme\); an IdP entity ID can belong to one account only/);
    assert.equal((await sp.getAccount(other.id)).sso.idp, undefined);
  });
});
