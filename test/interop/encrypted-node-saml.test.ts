// @node-saml/node-saml as an independent SP that decrypts: its own SP metadata (with its
// encryption certificate) is uploaded to our IdP application, "Encrypt assertion" is turned on,
// and node-saml decrypts and validates what our IdP sends, for each data algorithm.
import assert from 'node:assert/strict';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DATA_ENCRYPTION_ALGORITHMS } from '../../src/saml/urn.js';
import { decodePostMessage } from '../../src/saml/encoding.js';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, startTestServer } from '../support/harness.js';
import { configurePeerApp, fetchIdpMetadata, PEER, setSigningMode, signInAtIdp, type SigningMode } from '../support/interop.js';
import { fixturePem } from '../support/keys.js';

const encryptionPem = fixturePem('sp-enc');

async function decryptingSp(server: RunningHarness, mode: SigningMode): Promise<SAML> {
  const idp = await fetchIdpMetadata(server);
  return new SAML({
    issuer: PEER.spEntityId,
    audience: PEER.spEntityId,
    callbackUrl: PEER.acsUrl,
    entryPoint: idp.ssoRedirectUrl,
    idpIssuer: idp.entityId,
    idpCert: idp.certificatePem,
    decryptionPvk: encryptionPem.privateKeyPem,
    wantAssertionsSigned: mode.signAssertion,
    wantAuthnResponseSigned: mode.signResponse,
    validateInResponseTo: ValidateInResponseTo.always,
  });
}

describe('our encrypted assertions as decrypted by node-saml 5.1.0', () => {
  let server: RunningHarness;

  beforeEach(async () => {
    server = await startTestServer();
    await configurePeerApp(server, { signAssertion: true, signResponse: false });
  });
  afterEach(() => server.close());

  const cases: { dataAlgorithm: keyof typeof DATA_ENCRYPTION_ALGORITHMS; mode: SigningMode }[] = [
    { dataAlgorithm: 'aes256-gcm', mode: { signAssertion: true, signResponse: false } },
    { dataAlgorithm: 'aes128-gcm', mode: { signAssertion: true, signResponse: false } },
    { dataAlgorithm: 'aes256-cbc', mode: { signAssertion: true, signResponse: false } },
    { dataAlgorithm: 'aes256-gcm', mode: { signAssertion: false, signResponse: true } },
    { dataAlgorithm: 'aes256-gcm', mode: { signAssertion: true, signResponse: true } },
  ];
  for (const { dataAlgorithm, mode } of cases) {
    const signed = [mode.signAssertion && 'assertion', mode.signResponse && 'response'].filter(Boolean).join(' and ');
    it(`decrypts and accepts an assertion encrypted with ${dataAlgorithm} and RSA-OAEP (${signed} signed)`, async () => {
      await setSigningMode(server, mode);
      const sp = await decryptingSp(server, mode);
      // node-saml's own SP metadata, with its encryption certificate, uploaded as an admin would.
      const metadata = sp.generateServiceProviderMetadata(encryptionPem.certificatePem, null);
      const uploaded = await admin(server, 'put', `/idp/api/apps/${PEER.appId}/sp-metadata`).set('content-type', 'application/xml').send(metadata).expect(200);
      assert.equal(uploaded.body.sp.encryptionCertificates.length, 1);
      await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ encryption: { enabled: true, dataAlgorithm } }).expect(200);

      const url = await sp.getAuthorizeUrlAsync('relay-42', undefined, {});
      const form = await signInAtIdp(server, url);
      const xml = decodePostMessage(form.SAMLResponse);
      assert.match(xml, new RegExp(`Algorithm="${DATA_ENCRYPTION_ALGORITHMS[dataAlgorithm].urn}"`));
      assert.doesNotMatch(xml, /<saml:Assertion[\s>]/, 'no plain assertion is sent');
      const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
      assert.ok(profile);
      assert.equal(profile.nameID, PEER.login);
      assert.equal(profile.email, PEER.login);
      assert.equal(profile.number, PEER.number);
    });
  }

  it('fails in node-saml when the assertion was encrypted to another SP key', async () => {
    const mode = { signAssertion: true, signResponse: false };
    const sp = await decryptingSp(server, mode);
    const other = fixturePem('attacker');
    const metadata = sp.generateServiceProviderMetadata(other.certificatePem, null);
    await admin(server, 'put', `/idp/api/apps/${PEER.appId}/sp-metadata`).set('content-type', 'application/xml').send(metadata).expect(200);
    await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ encryption: { enabled: true } }).expect(200);
    const form = await signInAtIdp(server, await sp.getAuthorizeUrlAsync('relay-42', undefined, {}));
    await assert.rejects(sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }));
  });
});
