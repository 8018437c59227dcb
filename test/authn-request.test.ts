import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import { HarnessError } from '../src/errors.js';
import {
  buildAuthnRequest,
  parseAuthnRequest,
  signAuthnRequest,
  verifyEnvelopedRequestSignature,
} from '../src/saml/authn-request.js';
import { encodeRedirectMessage } from '../src/saml/encoding.js';
import { buildRedirectUrl, readRedirectQuery, verifyRedirectSignature } from '../src/saml/redirect-binding.js';
import { ALGORITHM, BINDING, NAMEID_FORMAT } from '../src/saml/urn.js';
import { fixtureKey, fixturePem } from './support/keys.js';
import { codeOf } from './support/error-code.js';

const NOW = Date.parse('2026-06-01T10:00:00Z');
const spKey = fixtureKey('sp');
const attacker = fixtureKey('attacker');
const spec = {
  issuer: 'https://sso.ringcentral.com',
  destination: 'https://idp.example.test/saml2/ringcentral',
  acsUrl: 'https://sso.ringcentral.com/sp/ACS.saml2',
  nameIdFormat: NAMEID_FORMAT.emailAddress,
  nowMs: NOW,
};

describe('AuthnRequest build and parse', () => {
  it('round-trips every field', () => {
    const { id, xml } = buildAuthnRequest({ ...spec, id: '_req1', forceAuthn: true, protocolBinding: BINDING.post });
    assert.equal(id, '_req1');
    assert.deepEqual(parseAuthnRequest(xml), {
      id: '_req1',
      issuer: spec.issuer,
      issueInstant: '2026-06-01T10:00:00Z',
      destination: spec.destination,
      acsUrl: spec.acsUrl,
      protocolBinding: BINDING.post,
      nameIdFormat: NAMEID_FORMAT.emailAddress,
      forceAuthn: true,
      isPassive: false,
      hasEnvelopedSignature: false,
    });
  });

  it('generates a fresh ID and defaults to the HTTP-POST response binding', () => {
    const a = buildAuthnRequest(spec);
    const b = buildAuthnRequest(spec);
    assert.notEqual(a.id, b.id);
    assert.equal(parseAuthnRequest(a.xml).protocolBinding, BINDING.post);
    assert.equal(parseAuthnRequest(a.xml).forceAuthn, false);
  });

  const { xml } = buildAuthnRequest({ ...spec, id: '_req1' });
  const table: [string, string, string][] = [
    ['a Response instead of a request', xml.replace(/samlp:AuthnRequest/g, 'samlp:Response'), 'SAML_MESSAGE_UNEXPECTED'],
    ['SAML 1.1', xml.replace('Version="2.0"', 'Version="1.1"'), 'SAML_VERSION'],
    ['a missing ID', xml.replace('ID="_req1"', ''), 'SAML_MESSAGE_UNEXPECTED'],
    ['an ID that is not an xs:ID', xml.replace('ID="_req1"', 'ID="1 x"'), 'SAML_MESSAGE_UNEXPECTED'],
    ['a missing Issuer', xml.replace(/<saml:Issuer>.*<\/saml:Issuer>/, ''), 'SAML_MESSAGE_UNEXPECTED'],
    ['an IssueInstant that is not a date', xml.replace(/IssueInstant="[^"]*"/, 'IssueInstant="yesterday"'), 'SAML_TIME_MALFORMED'],
    ['a non-boolean ForceAuthn', xml.replace('Version="2.0"', 'Version="2.0" ForceAuthn="yes"'), 'SAML_MESSAGE_UNEXPECTED'],
    ['a non-numeric ACS index', xml.replace('Version="2.0"', 'Version="2.0" AssertionConsumerServiceIndex="x"'), 'SAML_MESSAGE_UNEXPECTED'],
    ['a comment inside the Issuer', xml.replace('ringcentral.com</saml:Issuer>', 'ringcentral<!---->.com</saml:Issuer>'), 'SAML_XML_FORBIDDEN'],
    ['malformed XML', xml.slice(0, -5), 'SAML_XML_MALFORMED'],
  ];
  for (const [name, bad, code] of table) {
    it(`rejects ${name} with ${code}`, () => assert.equal(codeOf(() => parseAuthnRequest(bad)), code));
  }
});

describe('HTTP-POST AuthnRequest enveloped signature', () => {
  const { id, xml } = buildAuthnRequest(spec);
  const signed = signAuthnRequest(xml, id, spKey, ALGORITHM.rsaSha256);
  const verify = (doc: string, certs = [spKey.certificate], allowSha1 = false) =>
    verifyEnvelopedRequestSignature(doc, certs, { allowSha1 });

  it('places the Signature right after Issuer and reports it', () => {
    assert.match(signed, /<\/saml:Issuer><ds:Signature/);
    assert.equal(parseAuthnRequest(signed).hasEnvelopedSignature, true);
  });

  it('verifies with the SP certificate and returns the signed request', () => {
    const signedBytes = verify(signed);
    assert.match(signedBytes, new RegExp(`^<samlp:AuthnRequest [^>]*ID="${id}"`));
    assert.equal(parseAuthnRequest(signedBytes).acsUrl, spec.acsUrl);
  });

  it('verifies when any of several certificates is the signer', () => {
    assert.doesNotThrow(() => verify(signed, [attacker.certificate, spKey.certificate]));
  });

  const table: [string, () => unknown, RegExp][] = [
    ['a request signed by another key (its certificate in KeyInfo)', () => verify(signAuthnRequest(xml, id, attacker, ALGORITHM.rsaSha256)), /does not verify with any certificate/],
    ['a check against the wrong certificate', () => verify(signed, [attacker.certificate]), /does not verify with any certificate/],
    ['an empty certificate list', () => verify(signed, []), /no SP certificate/],
    ['a request changed after signing', () => verify(signed.replace(spec.acsUrl, 'https://evil.example.test/acs')), /changed after it was signed/],
    ['an unsigned request', () => verify(xml), /not signed/],
    ['RSA-SHA1 when SHA-1 is not allowed', () => verify(signAuthnRequest(xml, id, spKey, ALGORITHM.rsaSha1)), /SHA-1/],
    ['a Reference to another element', () => verify(signed.replace(`URI="#${id}"`, 'URI="#_other"')), /does not reference the AuthnRequest/],
    ['a second Signature', () => verify(signed.replace(/(<ds:Signature.*<\/ds:Signature>)/s, '$1$1')), /more than one Signature/],
    ['a Signature inside a child element', () => verify(signed.replace(/(<ds:Signature.*<\/ds:Signature>)/s, '<samlp:Extensions>$1</samlp:Extensions>')), /not a child of the AuthnRequest/],
    ['a transform SAML does not allow', () => verify(signed.replace(`Algorithm="${ALGORITHM.envelopedSignature}"`, 'Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"')), /transform/],
  ];
  for (const [name, run, message] of table) {
    it(`refuses ${name} with IDP_REQUEST_SIGNATURE`, () => {
      assert.throws(run, (err) => err instanceof HarnessError && err.code === 'IDP_REQUEST_SIGNATURE' && message.test(err.message));
    });
  }

  it('accepts RSA-SHA1 only when SHA-1 is allowed', () => {
    assert.doesNotThrow(() => verify(signAuthnRequest(xml, id, spKey, ALGORITHM.rsaSha1), [spKey.certificate], true));
  });
});

describe('HTTP-Redirect binding', () => {
  const { xml } = buildAuthnRequest(spec);
  const endpoint = 'https://idp.example.test/saml2/ringcentral';
  const signing = { key: spKey, algorithm: ALGORITHM.rsaSha256 } as const;
  const queryOf = (url: string): string => url.slice(url.indexOf('?') + 1);
  const signedQuery = queryOf(buildRedirectUrl(endpoint, 'SAMLRequest', xml, { relayState: '/home?a=1&b=2', signing }));
  const check = (query: string, certs = [spKey.certificate], allowSha1 = false) =>
    verifyRedirectSignature(readRedirectQuery(query), certs, { allowSha1 });

  it('signs with the SP key and verifies with the SP certificate, keeping message and RelayState', () => {
    const msg = readRedirectQuery(signedQuery);
    assert.equal(msg.param, 'SAMLRequest');
    assert.equal(msg.xml, xml);
    assert.equal(msg.relayState, '/home?a=1&b=2');
    assert.equal(msg.sigAlg, ALGORITHM.rsaSha256);
    assert.equal(verifyRedirectSignature(msg, [spKey.certificate], { allowSha1: false }), 'verified');
  });

  it('appends to an endpoint that already has a query string, and ignores its parameters when reading', () => {
    const url = buildRedirectUrl(`${endpoint}?tenant=a`, 'SAMLRequest', xml, { signing });
    assert.match(url, /\?tenant=a&SAMLRequest=/);
    assert.equal(check(queryOf(url)), 'verified');
  });

  it('reports an unsigned message as unsigned', () => {
    assert.equal(check(queryOf(buildRedirectUrl(endpoint, 'SAMLRequest', xml, { relayState: 'x' }))), 'unsigned');
  });

  it('verifies the octets as sent, whatever their percent-encoding and parameter order', () => {
    // Lower-case hex and escaped '-' and '.' are legal but differ from encodeURIComponent.
    const enc = (v: string): string => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const signedPart = `SAMLRequest=${enc(encodeRedirectMessage(xml))}&RelayState=${enc('a-b.c')}&SigAlg=${enc(ALGORITHM.rsaSha256)}`;
    const signature = sign('sha256', Buffer.from(signedPart), spKey.privateKey).toString('base64');
    const [req, relay, alg] = signedPart.split('&');
    const msg = readRedirectQuery(`?Signature=${enc(signature)}&${alg}&${relay}&${req}`);
    assert.equal(msg.relayState, 'a-b.c');
    assert.equal(verifyRedirectSignature(msg, [spKey.certificate], { allowSha1: false }), 'verified');
  });

  it('decodes + as a space and keeps a RelayState longer than 80 bytes', () => {
    const long = 'x'.repeat(200);
    assert.equal(readRedirectQuery(`SAMLRequest=${encodeURIComponent(encodeRedirectMessage(xml))}&RelayState=a+b${long}`).relayState, `a b${long}`);
  });

  it("reads a SAMLRequest whose '+' characters the sender left unescaped", () => {
    const fixed = buildAuthnRequest({ ...spec, id: '_req1' }).xml;
    const base64 = encodeRedirectMessage(fixed);
    assert.ok(base64.includes('+'), 'precondition: the base64 text holds a +');
    assert.equal(readRedirectQuery(`SAMLRequest=${base64.replace(/\//g, '%2F').replace(/=/g, '%3D')}`).xml, fixed);
  });

  const sha1Query = queryOf(buildRedirectUrl(endpoint, 'SAMLRequest', xml, { signing: { key: spKey, algorithm: ALGORITHM.rsaSha1 } }));
  it('accepts RSA-SHA1 only when SHA-1 is allowed', () => assert.equal(check(sha1Query, [spKey.certificate], true), 'verified'));

  const bomb = encodeURIComponent(deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 'a')).toString('base64'));
  const table: [string, () => unknown, string][] = [
    ['a tampered RelayState', () => check(signedQuery.replace('RelayState=%2Fhome', 'RelayState=%2Fevil')), 'IDP_REQUEST_SIGNATURE'],
    ['RSA-SHA1 by default', () => check(sha1Query), 'IDP_REQUEST_SIGNATURE'],
    ['the wrong certificate', () => check(signedQuery, [attacker.certificate]), 'IDP_REQUEST_SIGNATURE'],
    ['an unknown SigAlg', () => check(signedQuery.replace(/SigAlg=[^&]*/, `SigAlg=${encodeURIComponent('urn:x:hmac')}`)), 'IDP_REQUEST_SIGNATURE'],
    ['a Signature without SigAlg', () => check(signedQuery.replace(/&SigAlg=[^&]*/, '')), 'IDP_REQUEST_SIGNATURE'],
    ['a deflate bomb in SAMLRequest', () => readRedirectQuery(`SAMLRequest=${bomb}`), 'SAML_MESSAGE_TOO_LARGE'],
    ['a duplicated parameter', () => readRedirectQuery(`${signedQuery}&RelayState=%2Fevil`), 'INPUT_INVALID'],
    ['a query without a SAML message', () => readRedirectQuery('RelayState=x'), 'SAML_MESSAGE_MISSING'],
    ['broken percent-encoding', () => readRedirectQuery(signedQuery.replace('RelayState=%2F', 'RelayState=%zz')), 'SAML_MESSAGE_ENCODING'],
  ];
  for (const [name, run, code] of table) {
    it(`refuses ${name} with ${code}`, () => assert.equal(codeOf(run), code));
  }
});

describe('AuthnRequests from node-saml (an independent SP)', () => {
  const saml = (binding: 'HTTP-Redirect' | 'HTTP-POST') =>
    new SAML({
      callbackUrl: spec.acsUrl,
      entryPoint: `${spec.destination}?tenant=a`,
      issuer: spec.issuer,
      idpCert: fixturePem('idp').certificatePem,
      privateKey: fixturePem('sp').privateKeyPem,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      authnRequestBinding: binding,
      skipRequestCompression: binding === 'HTTP-POST', // the POST binding does not deflate
      wantAssertionsSigned: true,
    });

  it('verifies its signed HTTP-Redirect request', async () => {
    // No space in the RelayState: node-saml signs %20 but sends '+', so its own URLs would not verify.
    const url = new URL(await saml('HTTP-Redirect').getAuthorizeUrlAsync('/home?x=1&y=é', undefined, {}));
    const msg = readRedirectQuery(url.search);
    assert.equal(msg.relayState, '/home?x=1&y=é');
    assert.equal(parseAuthnRequest(msg.xml).issuer, spec.issuer);
    assert.equal(verifyRedirectSignature(msg, [spKey.certificate], { allowSha1: false }), 'verified');
  });

  it('verifies its signed HTTP-POST request', async () => {
    const form = await saml('HTTP-POST').getAuthorizeFormAsync('rs', undefined, {});
    const xml = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(form)?.[1] ?? '', 'base64').toString('utf8');
    assert.equal(parseAuthnRequest(xml).hasEnvelopedSignature, true);
    assert.match(verifyEnvelopedRequestSignature(xml, [spKey.certificate], { allowSha1: false }), /^<samlp:AuthnRequest /);
  });
});
