// Our IdP's EncryptedAssertion decrypted by xmlsec1 (libxmlsec1) with the SP's private key, for
// every data algorithm and key transport the IdP offers, and the decrypted assertion's signature
// verified by xmlsec1 with the IdP certificate from our metadata. Keys are pinned on the command
// line (`--enabled-key-data enc-key,rsa`): no certificate from KeyInfo is used or trusted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { decodePostMessage } from '../../src/saml/encoding.js';
import { BINDING, DATA_ENCRYPTION_ALGORITHMS, KEY_TRANSPORT_ALGORITHMS, NS } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, startTestServer } from '../support/harness.js';
import { configurePeerApp, fetchIdpMetadata, PEER, signInAtIdp } from '../support/interop.js';
import { fixtureKey } from '../support/keys.js';

const keysDir = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const spEncryption = fixtureKey('sp-enc');

/** The peer SP's metadata, written by hand: its ACS and its encryption certificate. */
function peerMetadata(encryptionCertificateBase64: string): string {
  return (
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${PEER.spEntityId}">` +
    `<md:SPSSODescriptor protocolSupportEnumeration="${NS.protocol}" AuthnRequestsSigned="false" WantAssertionsSigned="true">` +
    `<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${encryptionCertificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:AssertionConsumerService Binding="${BINDING.post}" Location="${PEER.acsUrl}" index="0" isDefault="true"/>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>`
  );
}

/** A minimal unsigned AuthnRequest, written by hand (a fresh ID each: the IdP serves an ID once). */
function authnRequestUrl(ssoUrl: string): string {
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="_xmlsec1-decrypt-${randomUUID()}" Version="2.0"` +
    ` IssueInstant="${new Date().toISOString()}" Destination="${ssoUrl}" AssertionConsumerServiceURL="${PEER.acsUrl}"` +
    ` ProtocolBinding="${BINDING.post}"><saml:Issuer>${PEER.spEntityId}</saml:Issuer></samlp:AuthnRequest>`;
  return `${ssoUrl}?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`;
}

describe('our EncryptedAssertion as decrypted by xmlsec1', () => {
  let server: RunningHarness;
  let dir: string;
  let written = 0;

  before(async () => {
    const probe = spawnSync('xmlsec1', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) throw new Error('xmlsec1 is not installed: run `apt-get install xmlsec1` (.ci/run installs it in CI)');
    dir = await mkdtemp(join(tmpdir(), 'xmlsec1-decrypt-'));
    server = await startTestServer();
    await configurePeerApp(server, { signAssertion: true, signResponse: false });
    await admin(server, 'put', `/idp/api/apps/${PEER.appId}/sp-metadata`).set('content-type', 'application/xml').send(peerMetadata(spEncryption.certificateBase64)).expect(200);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, `${++written}-${name}`);
    await writeFile(path, content);
    return path;
  }

  function xmlsec1(args: string[]): { ok: boolean; output: string; stdout: string } {
    const run = spawnSync('xmlsec1', args, { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`, stdout: run.stdout };
  }

  async function encryptedResponse(encryption: Record<string, unknown>): Promise<string> {
    await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ encryption: { enabled: true, ...encryption } }).expect(200);
    const idp = await fetchIdpMetadata(server);
    const form = await signInAtIdp(server, authnRequestUrl(idp.ssoRedirectUrl));
    return decodePostMessage(form.SAMLResponse);
  }

  const cases = [
    { dataAlgorithm: 'aes256-gcm', keyTransport: 'rsa-oaep' },
    { dataAlgorithm: 'aes128-gcm', keyTransport: 'rsa-oaep' },
    { dataAlgorithm: 'aes256-cbc', keyTransport: 'rsa-oaep' },
    { dataAlgorithm: 'aes256-gcm', keyTransport: 'rsa-1_5' },
  ] as const;
  for (const c of cases) {
    it(`decrypts ${c.dataAlgorithm} with ${c.keyTransport} using the SP key, to an assertion whose signature verifies`, async () => {
      const xml = await encryptedResponse(c);
      assert.match(xml, new RegExp(`Algorithm="${DATA_ENCRYPTION_ALGORITHMS[c.dataAlgorithm].urn}"`));
      assert.match(xml, new RegExp(`Algorithm="${KEY_TRANSPORT_ALGORITHMS[c.keyTransport].urn}"`));
      assert.doesNotMatch(xml, /<saml:Assertion[\s>]/);
      const encrypted = await file('encrypted.xml', xml);
      const decrypted = xmlsec1(['--decrypt', '--enabled-key-data', 'enc-key,rsa', '--privkey-pem', join(keysDir, 'sp-enc.key.pem'), encrypted]);
      assert.ok(decrypted.ok, decrypted.output);
      assert.match(decrypted.stdout, /<saml:Assertion[\s>]/);
      assert.match(decrypted.stdout, new RegExp(`<saml:NameID[^>]*>${PEER.login}</saml:NameID>`));
      // xmlsec1 puts the plaintext where EncryptedData was, inside the EncryptedAssertion.
      assert.doesNotMatch(decrypted.stdout, /EncryptedData|CipherValue/);

      const idpCert = await file('idp.cert.pem', (await fetchIdpMetadata(server)).certificatePem);
      const verified = xmlsec1([
        '--verify',
        '--pubkey-cert-pem', idpCert,
        '--enabled-key-data', 'key-name',
        '--id-attr:ID', `${NS.assertion}:Assertion`,
        '--node-xpath', "/*[local-name()='Response']/*[local-name()='EncryptedAssertion']/*[local-name()='Assertion']/*[local-name()='Signature']",
        await file('decrypted.xml', decrypted.stdout),
      ]);
      assert.ok(verified.ok && /^OK$/m.test(verified.output), verified.output);
    });
  }

  it('fails to decrypt with another private key', async () => {
    const xml = await encryptedResponse({ dataAlgorithm: 'aes256-gcm', keyTransport: 'rsa-oaep' });
    const run = xmlsec1(['--decrypt', '--enabled-key-data', 'enc-key,rsa', '--privkey-pem', join(keysDir, 'attacker.key.pem'), await file('encrypted.xml', xml)]);
    assert.equal(run.ok, false, run.output);
  });
});
