// Single Logout messages: build, parse, sign and verify in both bindings, the checks a receiver
// makes, and messages from and to node-saml (an independent SP).
import assert from 'node:assert/strict';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { HarnessError } from '../src/errors.js';
import { verifyEnvelopedMessage } from '../src/saml/enveloped-message.js';
import {
  buildLogoutRequest,
  buildLogoutResponse,
  checkLogoutRequest,
  checkLogoutResponse,
  parseLogoutRequest,
  parseLogoutResponse,
  signLogoutMessage,
} from '../src/saml/logout.js';
import { buildRedirectUrl, readRedirectQuery, verifyRedirectSignature } from '../src/saml/redirect-binding.js';
import { ALGORITHM, NAMEID_FORMAT, STATUS } from '../src/saml/urn.js';
import { fixtureKey, fixturePem } from './support/keys.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const IDP = 'http://idp.test/idp/apps/ringcentral';
const SP = 'https://sso.ringcentral.test';
const IDP_SLO = 'http://idp.test/idp/apps/ringcentral/slo';
const SP_SLO = 'https://sp.test/sp/slo';
const spKey = fixtureKey('sp');
const idpKey = fixtureKey('idp');
const attacker = fixtureKey('attacker');

const request = (extra: Partial<Parameters<typeof buildLogoutRequest>[0]> = {}) =>
  buildLogoutRequest({ issuer: SP, destination: IDP_SLO, nameId: 'ann@acme.test', nameIdFormat: NAMEID_FORMAT.emailAddress, sessionIndexes: ['_s1', '_s2'], nowMs: NOW, ...extra });
const spCheck = { allowSha1: false, what: 'LogoutRequest', signer: 'SP', code: 'IDP_REQUEST_SIGNATURE' } as const;
const codeOf = (err: unknown): string => (err as HarnessError).code;

describe('LogoutRequest and LogoutResponse', () => {
  it('round-trips a LogoutRequest, escaping the NameID', () => {
    const { id, xml } = request({ nameId: 'a<b>&"c"@acme.test', reason: 'urn:oasis:names:tc:SAML:2.0:logout:user' });
    const parsed = parseLogoutRequest(xml);
    assert.equal(parsed.id, id);
    assert.equal(parsed.issuer, SP);
    assert.equal(parsed.destination, IDP_SLO);
    assert.equal(parsed.nameId, 'a<b>&"c"@acme.test');
    assert.equal(parsed.nameIdFormat, NAMEID_FORMAT.emailAddress);
    assert.deepEqual(parsed.sessionIndexes, ['_s1', '_s2']);
    assert.equal(parsed.notOnOrAfter, '2026-11-24T12:05:00Z');
    assert.equal(parsed.reason, 'urn:oasis:names:tc:SAML:2.0:logout:user');
    assert.equal(parsed.hasEnvelopedSignature, false);
  });

  it('round-trips a LogoutResponse with a second-level PartialLogout status', () => {
    const { id, xml } = buildLogoutResponse({ issuer: IDP, destination: SP_SLO, inResponseTo: '_req1', status: STATUS.success, subStatus: STATUS.partialLogout, message: 'one SP did not answer', nowMs: NOW });
    const parsed = parseLogoutResponse(xml);
    assert.equal(parsed.id, id);
    assert.equal(parsed.inResponseTo, '_req1');
    assert.equal(parsed.status, STATUS.success);
    assert.equal(parsed.subStatus, STATUS.partialLogout);
    assert.equal(parsed.message, 'one SP did not answer');
    assert.deepEqual(checkLogoutResponse(parsed, { issuer: IDP, destination: SP_SLO, requestId: '_req1', code: 'SAML_SIGNATURE_INVALID' }), { success: true, partial: true });
  });

  for (const [name, xml, code] of [
    ['an AuthnRequest', '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0" IssueInstant="2026-11-24T12:00:00Z"/>', 'SAML_MESSAGE_UNEXPECTED'],
    ['no NameID', request().xml.replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, ''), 'SAML_MESSAGE_UNEXPECTED'],
    ['an EncryptedID', request().xml.replace(/<saml:NameID[^>]*>[^<]*<\/saml:NameID>/, '<saml:EncryptedID/>'), 'SAML_MESSAGE_UNEXPECTED'],
    ['two Issuers', request().xml.replace('</saml:Issuer>', '</saml:Issuer><saml:Issuer>evil</saml:Issuer>'), 'SAML_MESSAGE_UNEXPECTED'],
    ['Version 1.1', request().xml.replace('Version="2.0"', 'Version="1.1"'), 'SAML_VERSION'],
    ['a bad NotOnOrAfter', request().xml.replace(/NotOnOrAfter="[^"]*"/, 'NotOnOrAfter="tomorrow"'), 'SAML_TIME_MALFORMED'],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "x">]>${request().xml}`, 'SAML_XML_FORBIDDEN'],
  ] as const) {
    it(`refuses a LogoutRequest with ${name} (${code})`, () => {
      assert.throws(() => parseLogoutRequest(xml), (err) => codeOf(err) === code);
    });
  }

  it('refuses a LogoutResponse without InResponseTo or without a status', () => {
    const { xml } = buildLogoutResponse({ issuer: IDP, destination: SP_SLO, inResponseTo: '_req1', nowMs: NOW });
    assert.throws(() => parseLogoutResponse(xml.replace(/ InResponseTo="[^"]*"/, '')), /no InResponseTo/);
    assert.throws(() => parseLogoutResponse(xml.replace(/<samlp:Status>.*<\/samlp:Status>/, '')), /no Status/);
  });

  it('checks the issuer, the destination and the expiry of a LogoutRequest', () => {
    const parsed = parseLogoutRequest(request().xml);
    const expect = { issuer: SP, destination: IDP_SLO, nowMs: NOW, allowedClockSkewSec: 60, code: 'IDP_REQUEST_SIGNATURE' } as const;
    checkLogoutRequest(parsed, expect);
    assert.throws(() => checkLogoutRequest(parsed, { ...expect, issuer: 'https://other.test' }), /comes from another entity/);
    assert.throws(() => checkLogoutRequest(parsed, { ...expect, destination: 'http://idp.test/elsewhere' }), /Destination is not this endpoint/);
    assert.throws(() => checkLogoutRequest(parsed, { ...expect, nowMs: NOW + 6 * 60_000 + 1 }), /has expired/);
    checkLogoutRequest(parsed, { ...expect, nowMs: NOW + 5 * 60_000 + 59_000 }); // within the skew
  });

  it('refuses a LogoutResponse to another request', () => {
    const parsed = parseLogoutResponse(buildLogoutResponse({ issuer: IDP, destination: SP_SLO, inResponseTo: '_other', nowMs: NOW }).xml);
    assert.throws(() => checkLogoutResponse(parsed, { issuer: IDP, destination: SP_SLO, requestId: '_mine', code: 'SAML_SIGNATURE_INVALID' }), /answers another request/);
  });

  describe('HTTP-POST: enveloped signature', () => {
    it('verifies with the signer\'s certificate and returns the signed message', () => {
      const { id, xml } = request();
      const signed = signLogoutMessage(xml, id, spKey, ALGORITHM.rsaSha256);
      assert.equal(parseLogoutRequest(signed).hasEnvelopedSignature, true);
      assert.match(verifyEnvelopedMessage(signed, [spKey.certificate], spCheck), /^<samlp:LogoutRequest /);
    });

    it('refuses another key, a changed NameID, and an unsigned message', () => {
      const { id, xml } = request();
      const signed = signLogoutMessage(xml, id, attacker, ALGORITHM.rsaSha256);
      assert.throws(() => verifyEnvelopedMessage(signed, [spKey.certificate], spCheck), /LogoutRequest signature does not verify with any certificate from the SP metadata/);
      const genuine = signLogoutMessage(xml, id, spKey, ALGORITHM.rsaSha256);
      assert.throws(() => verifyEnvelopedMessage(genuine.replace('ann@acme.test', 'bob@acme.test'), [spKey.certificate], spCheck), /LogoutRequest was changed after it was signed/);
      assert.throws(() => verifyEnvelopedMessage(xml, [spKey.certificate], spCheck), (err) => codeOf(err) === 'IDP_REQUEST_SIGNATURE' && /LogoutRequest is not signed/.test((err as Error).message));
    });

    it('signs and verifies a LogoutResponse from the IdP', () => {
      const { id, xml } = buildLogoutResponse({ issuer: IDP, destination: SP_SLO, inResponseTo: '_req1', nowMs: NOW });
      const signed = signLogoutMessage(xml, id, idpKey, ALGORITHM.rsaSha256);
      const check = { allowSha1: false, what: 'LogoutResponse', signer: 'IdP', code: 'SAML_SIGNATURE_INVALID' } as const;
      assert.match(verifyEnvelopedMessage(signed, [idpKey.certificate], check), /^<samlp:LogoutResponse /);
      assert.throws(() => verifyEnvelopedMessage(signed, [spKey.certificate], check), (err) => codeOf(err) === 'SAML_SIGNATURE_INVALID');
    });
  });

  describe('HTTP-Redirect: query signature', () => {
    it('verifies a signed LogoutRequest URL and refuses a changed one', () => {
      const url = buildRedirectUrl(IDP_SLO, 'SAMLRequest', request().xml, { relayState: '/home', signing: { key: spKey, algorithm: ALGORITHM.rsaSha256 } });
      const msg = readRedirectQuery(new URL(url).search);
      assert.equal(parseLogoutRequest(msg.xml).nameId, 'ann@acme.test');
      assert.equal(verifyRedirectSignature(msg, [spKey.certificate], { allowSha1: false }), 'verified');
      const changed = readRedirectQuery(new URL(url.replace('RelayState=%2Fhome', 'RelayState=%2Fevil')).search);
      assert.throws(() => verifyRedirectSignature(changed, [spKey.certificate], { allowSha1: false }));
    });
  });

  describe('with node-saml (an independent SP)', () => {
    const saml = () =>
      new SAML({
        callbackUrl: 'https://sp.test/sp/acs',
        entryPoint: 'http://idp.test/idp/apps/ringcentral/sso',
        logoutUrl: IDP_SLO,
        logoutCallbackUrl: SP_SLO,
        issuer: SP,
        idpCert: fixturePem('idp').certificatePem,
        privateKey: fixturePem('sp').privateKeyPem,
        signatureAlgorithm: 'sha256',
        digestAlgorithm: 'sha256',
        wantAssertionsSigned: true,
        validateInResponseTo: ValidateInResponseTo.never,
      });

    it('reads and verifies the LogoutRequest node-saml sends', async () => {
      const profile = { issuer: IDP, nameID: 'ann@acme.test', nameIDFormat: NAMEID_FORMAT.emailAddress, sessionIndex: '_s1' };
      const url = new URL(await saml().getLogoutUrlAsync(profile, 'rs', {}));
      const msg = readRedirectQuery(url.search);
      assert.equal(verifyRedirectSignature(msg, [spKey.certificate], { allowSha1: false }), 'verified');
      const parsed = parseLogoutRequest(msg.xml);
      assert.equal(parsed.issuer, SP);
      assert.equal(parsed.nameId, 'ann@acme.test');
      assert.deepEqual(parsed.sessionIndexes, ['_s1']);
      checkLogoutRequest(parsed, { issuer: SP, destination: IDP_SLO, nowMs: Date.now(), allowedClockSkewSec: 60, code: 'IDP_REQUEST_SIGNATURE' });
    });

    it('accepts our signed LogoutResponse (HTTP-Redirect) and refuses one signed by another key', async () => {
      const respond = (key: typeof idpKey) => {
        const { xml } = buildLogoutResponse({ issuer: IDP, destination: SP_SLO, inResponseTo: '_req1', nowMs: Date.now() });
        const url = new URL(buildRedirectUrl(SP_SLO, 'SAMLResponse', xml, { relayState: 'rs', signing: { key, algorithm: ALGORITHM.rsaSha256 } }));
        return { query: Object.fromEntries(url.searchParams), raw: url.search.slice(1) };
      };
      const ok = respond(idpKey);
      const result = await saml().validateRedirectAsync(ok.query, ok.raw);
      assert.equal(result.loggedOut, true);
      const forged = respond(attacker);
      await assert.rejects(saml().validateRedirectAsync(forged.query, forged.raw));
    });
  });
});
