// @node-saml/node-saml as an independent SP against our IdP, configured only from the IdP's
// published metadata. Each login uses a fresh SAML instance with validateInResponseTo 'always':
// the InResponseTo check is exercised, and node-saml's habit of dropping a pending request ID on
// any failed attempt cannot leak from one test into another.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import type { RunningHarness } from '../../src/harness/server.js';
import { admin, startTestServer } from '../support/harness.js';
import { CLAIM, NAMEID_FORMAT } from '../../src/saml/urn.js';
import { configurePeerApp, fetchIdpMetadata, FLAVORS, PEER, setSigningMode, signInAtIdp, SIGNING_MODES, type SigningMode } from '../support/interop.js';

/** What each flavour's response carries by default (docs/vendor-traits.md). */
const EXPECTED = {
  jumpcloud: { nameIDFormat: NAMEID_FORMAT.unspecified10, emailAttribute: 'email' },
  okta: { nameIDFormat: NAMEID_FORMAT.emailAddress, emailAttribute: 'email' },
  entra: { nameIDFormat: NAMEID_FORMAT.emailAddress, emailAttribute: CLAIM.emailAddress },
} as const;

const attackerCertPem = readFileSync(new URL('../../fixtures/keys/attacker.cert.pem', import.meta.url), 'utf8');

/** node-saml demands exactly the signatures the IdP is configured to produce. */
async function nodeSamlSp(server: RunningHarness, mode: SigningMode, idpCert?: string): Promise<SAML> {
  const idp = await fetchIdpMetadata(server);
  return new SAML({
    issuer: PEER.spEntityId,
    audience: PEER.spEntityId,
    callbackUrl: PEER.acsUrl,
    entryPoint: idp.ssoRedirectUrl,
    idpIssuer: idp.entityId,
    idpCert: idpCert ?? idp.certificatePem,
    wantAssertionsSigned: mode.signAssertion,
    wantAuthnResponseSigned: mode.signResponse,
    validateInResponseTo: ValidateInResponseTo.always,
  });
}

/** SP-initiated login: node-saml's AuthnRequest → IdP → node-saml validates the posted response. */
async function loginWith(server: RunningHarness, sp: SAML): Promise<Profile | null> {
  const url = await sp.getAuthorizeUrlAsync('relay-42', undefined, {});
  const form = await signInAtIdp(server, url);
  assert.equal(form.action, PEER.acsUrl);
  assert.equal(form.RelayState, 'relay-42');
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
  return profile;
}

describe('our IdP as seen by node-saml 5.1.0', () => {
  let server: RunningHarness;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  for (const flavor of FLAVORS) {
    for (const mode of SIGNING_MODES) {
      it(`accepts a ${flavor} response ${mode.label}`, async () => {
        // Created assertion-signed (the template's default), then switched the way an admin would.
        await configurePeerApp(server, { signAssertion: true, signResponse: false }, flavor);
        await setSigningMode(server, mode);
        const idp = await fetchIdpMetadata(server);
        const profile = await loginWith(server, await nodeSamlSp(server, mode));
        assert.ok(profile);
        assert.equal(profile.nameID, PEER.login);
        assert.equal(profile.nameIDFormat, EXPECTED[flavor].nameIDFormat);
        assert.equal(profile.issuer, idp.entityId);
        assert.equal(profile[EXPECTED[flavor].emailAttribute], PEER.login);
        if (flavor !== 'entra') assert.equal(profile.number, PEER.number);
      });
    }
  }

  it('accepts a jumpcloud response with the emailAddress NameID format chosen', async () => {
    await configurePeerApp(server, { signAssertion: true, signResponse: false }, 'jumpcloud');
    await admin(server, 'patch', `/idp/api/apps/${PEER.appId}`).send({ nameIdFormat: 'emailAddress' }).expect(200);
    const profile = await loginWith(server, await nodeSamlSp(server, { signAssertion: true, signResponse: false }));
    assert.equal(profile?.nameIDFormat, NAMEID_FORMAT.emailAddress);
  });

  it('rejects our response when configured with a different certificate', async () => {
    const mode = { signAssertion: true, signResponse: true };
    await configurePeerApp(server, mode);
    const sp = await nodeSamlSp(server, mode, attackerCertPem);
    await assert.rejects(loginWith(server, sp), /Invalid document signature/);
  });
});
