// Our IdP's signed responses checked by xmlsec1 (libxmlsec1, the C implementation behind Lasso
// and python-xmlsec) with the certificate from our published metadata. The key is pinned
// (`--enabled-key-data key-name`) so the certificate inside KeyInfo is never what verifies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { buildResponse } from '../../src/saml/response-builder.js';
import { ALGORITHM, BINDING, NAMEID_FORMAT, NS } from '../../src/saml/urn.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { startTestServer } from '../support/harness.js';
import { authnRequestUrl, configurePeerApp, fetchIdpMetadata, FLAVORS, PEER, signInAtIdp, SIGNING_MODES, type Flavor, type SigningMode } from '../support/interop.js';
import { fixtureKey } from '../support/keys.js';

type Level = 'Response' | 'Assertion';

const SIGNATURE_AT: Record<Level, string> = {
  Response: "/*[local-name()='Response']/*[local-name()='Signature']",
  Assertion: "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']",
};

function requireXmlsec1(): void {
  const probe = spawnSync('xmlsec1', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('xmlsec1 is not installed: run `apt-get install xmlsec1` (.ci/run installs it in CI)');
  }
}

/** Which levels carry a Signature, and a check that each one references its own parent. */
function signedLevels(xml: string): Level[] {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  assert.ok(root);
  const assertion = root.getElementsByTagNameNS(NS.assertion, 'Assertion')[0];
  const levels: Level[] = [];
  for (const [level, parent] of [['Response', root], ['Assertion', assertion]] as const) {
    const signature = Array.from(parent?.childNodes ?? []).find(
      (n): n is Element => (n as Element).namespaceURI === NS.dsig && (n as Element).localName === 'Signature',
    );
    if (!signature || !parent) continue;
    const uri = signature.getElementsByTagNameNS(NS.dsig, 'Reference')[0]?.getAttribute('URI');
    assert.equal(uri, `#${parent.getAttribute('ID')}`, `the ${level} signature references the ${level}`);
    levels.push(level);
  }
  return levels;
}

describe('our IdP responses as verified by xmlsec1', () => {
  let server: RunningHarness;
  let dir: string;
  let metadataCert: string;
  let written = 0;
  const attackerCert = new URL('../../fixtures/keys/attacker.cert.pem', import.meta.url).pathname;

  before(requireXmlsec1);

  beforeEach(async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'xmlsec1-interop-'));
    metadataCert = join(dir, 'idp-metadata.cert.pem');
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Configures the app, writes the metadata certificate, and signs a user in over HTTP. */
  async function issuedResponse(mode: SigningMode, flavor?: Flavor): Promise<string> {
    await configurePeerApp(server, mode, flavor);
    const idp = await fetchIdpMetadata(server);
    await writeFile(metadataCert, idp.certificatePem);
    const form = await signInAtIdp(server, authnRequestUrl(idp.ssoRedirectUrl));
    return Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
  }

  async function xmlsec1Verify(xml: string, level: Level, certPath: string): Promise<{ ok: boolean; output: string }> {
    const file = join(dir, `message-${++written}.xml`);
    await writeFile(file, xml);
    const run = spawnSync(
      'xmlsec1',
      [
        '--verify',
        '--pubkey-cert-pem', certPath,
        '--enabled-key-data', 'key-name',
        '--id-attr:ID', `${NS.protocol}:Response`,
        '--id-attr:ID', `${NS.assertion}:Assertion`,
        '--node-xpath', SIGNATURE_AT[level],
        file,
      ],
      { encoding: 'utf8' },
    );
    const output = `${run.stdout}${run.stderr}`;
    return { ok: run.status === 0 && /^OK$/m.test(output), output };
  }

  for (const flavor of FLAVORS) {
    for (const mode of SIGNING_MODES) {
      it(`verifies a ${flavor} response ${mode.label} with the metadata certificate`, async () => {
        const xml = await issuedResponse(mode, flavor);
        const levels = signedLevels(xml);
        assert.deepEqual(levels, [...(mode.signResponse ? ['Response'] : []), ...(mode.signAssertion ? ['Assertion'] : [])]);
        for (const level of levels) {
          const result = await xmlsec1Verify(xml, level, metadataCert);
          assert.ok(result.ok, `${level} signature: ${result.output}`);
        }
      });
    }
  }

  for (const mode of SIGNING_MODES) {
    it(`fails a response ${mode.label} whose NameID was changed after signing`, async () => {
      const xml = await issuedResponse(mode);
      const tampered = xml.replace(`>${PEER.login}</saml:NameID>`, '>eve@interop.test</saml:NameID>');
      assert.notEqual(tampered, xml);
      const levels = signedLevels(tampered);
      assert.ok(levels.length > 0);
      for (const level of levels) {
        const result = await xmlsec1Verify(tampered, level, metadataCert);
        assert.equal(result.ok, false, `${level} signature still verifies`);
        assert.match(result.output, /data and digest do not match/);
      }
    });
  }

  it('fails our response against the attacker certificate', async () => {
    const xml = await issuedResponse({ signAssertion: true, signResponse: true });
    for (const level of ['Response', 'Assertion'] as const) {
      const result = await xmlsec1Verify(xml, level, attackerCert);
      assert.equal(result.ok, false, `${level} signature verifies with the attacker key`);
      assert.match(result.output, /signature verification failed/);
    }
  });

  it('fails an attacker-signed response that carries its own certificate in KeyInfo', async () => {
    await configurePeerApp(server, { signAssertion: true, signResponse: true });
    await writeFile(metadataCert, (await fetchIdpMetadata(server)).certificatePem);
    const { xml } = buildResponse({
      issuer: 'https://idp.attacker.test',
      destination: PEER.acsUrl,
      audience: PEER.spEntityId,
      nameId: PEER.login,
      nameIdFormat: NAMEID_FORMAT.emailAddress,
      attributes: [],
      sessionIndex: '_s1',
      nowMs: Date.now(),
      signing: { key: fixtureKey('attacker'), algorithm: ALGORITHM.rsaSha256, assertion: true, response: true },
    });
    const result = await xmlsec1Verify(xml, 'Response', metadataCert);
    assert.equal(result.ok, false, 'the KeyInfo certificate was trusted');
    assert.match(result.output, /signature verification failed/);
  });
});
