// The requested Subject of an AuthnRequest (the email typed at the SP): built where the schema puts
// it, read back as a hint only, bounded, and refused when it names more than one user; inside a
// signed request it is covered by the signature like everything else.
import assert from 'node:assert/strict';
import { buildAuthnRequest, parseAuthnRequest, signAuthnRequest, verifyEnvelopedRequestSignature } from '../src/saml/authn-request.js';
import { ALGORITHM, NAMEID_FORMAT } from '../src/saml/urn.js';
import { codeOf } from './support/error-code.js';
import { fixtureKey } from './support/keys.js';

const spec = {
  issuer: 'https://sso.ringcentral.com',
  destination: 'https://idp.example.test/saml2/ringcentral',
  acsUrl: 'https://sso.ringcentral.com/sp/ACS.saml2',
  nameIdFormat: NAMEID_FORMAT.emailAddress,
  nowMs: Date.parse('2026-06-01T10:00:00Z'),
};
const withSubject = (value: string) => buildAuthnRequest({ ...spec, id: '_req1', subjectNameId: { value, format: NAMEID_FORMAT.emailAddress } }).xml;
/** The request with `subject` (raw XML) in place of the built one. */
const replacedSubject = (subject: string) => withSubject('ann@acme.test').replace(/<saml:Subject>.*<\/saml:Subject>/, subject);

describe('AuthnRequest Subject', () => {
  it('is written after the Issuer and before the NameIDPolicy, as SAML core orders them', () => {
    const xml = withSubject('ann@acme.test');
    const order = [...xml.matchAll(/<(saml:Issuer|saml:Subject|samlp:NameIDPolicy)\b/g)].map((m) => m[1]);
    assert.deepEqual(order, ['saml:Issuer', 'saml:Subject', 'samlp:NameIDPolicy']);
    assert.match(xml, new RegExp(`<saml:Subject><saml:NameID Format="${NAMEID_FORMAT.emailAddress.replace(/\./g, '\\.')}">ann@acme\\.test</saml:NameID></saml:Subject>`));
    assert.equal(parseAuthnRequest(xml).subjectNameId, 'ann@acme.test');
  });

  it('is left out when there is no typed email, and then none is read', () => {
    const { xml } = buildAuthnRequest(spec);
    assert.doesNotMatch(xml, /Subject/);
    assert.equal('subjectNameId' in parseAuthnRequest(xml), false);
  });

  it('escapes a hostile value in the XML and reads it back as text', () => {
    const xml = withSubject('"><x a="1"/>&amp;');
    assert.match(xml, /<saml:NameID [^>]*>"&gt;&lt;x a="1"\/&gt;&amp;amp;<\/saml:NameID>/);
    assert.equal(parseAuthnRequest(xml).subjectNameId, '"><x a="1"/>&amp;');
  });

  const hintless: [string, string][] = [
    ['an empty NameID', '<saml:Subject><saml:NameID></saml:NameID></saml:Subject>'],
    ['a NameID of spaces', '<saml:Subject><saml:NameID>   </saml:NameID></saml:Subject>'],
    ['a NameID longer than 256 characters', `<saml:Subject><saml:NameID>${'a'.repeat(250)}@acme.test</saml:NameID></saml:Subject>`],
    ['a NameID with a control character', '<saml:Subject><saml:NameID>ann&#x1;@acme.test</saml:NameID></saml:Subject>'],
    ['a Subject with only an EncryptedID', '<saml:Subject><saml:EncryptedID/></saml:Subject>'],
    ['a Subject with a SubjectConfirmation only', '<saml:Subject><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"/></saml:Subject>'],
  ];
  for (const [what, subject] of hintless) {
    it(`reads no hint from ${what}, and accepts the request`, () => {
      const parsed = parseAuthnRequest(replacedSubject(subject));
      assert.equal(parsed.id, '_req1');
      assert.equal(parsed.subjectNameId, undefined);
    });
  }

  it('reads the NameID trimmed', () => {
    assert.equal(parseAuthnRequest(replacedSubject('<saml:Subject><saml:NameID>\n  ann@acme.test \n</saml:NameID></saml:Subject>')).subjectNameId, 'ann@acme.test');
  });

  const refused: [string, string][] = [
    ['two Subjects', '<saml:Subject><saml:NameID>ann@acme.test</saml:NameID></saml:Subject><saml:Subject><saml:NameID>bob@acme.test</saml:NameID></saml:Subject>'],
    ['a Subject with two NameIDs', '<saml:Subject><saml:NameID>ann@acme.test</saml:NameID><saml:NameID>bob@acme.test</saml:NameID></saml:Subject>'],
    ['a Subject with a NameID and a BaseID', `<saml:Subject><saml:BaseID xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/><saml:NameID>ann@acme.test</saml:NameID></saml:Subject>`],
  ];
  for (const [what, subject] of refused) {
    it(`refuses a request with ${what}`, () => {
      assert.equal(codeOf(() => parseAuthnRequest(replacedSubject(subject))), 'SAML_MESSAGE_UNEXPECTED');
    });
  }

  it('ignores a NameID outside the SAML assertion namespace', () => {
    const foreign = replacedSubject('<saml:Subject><x:NameID xmlns:x="urn:example">ann@acme.test</x:NameID></saml:Subject>');
    assert.equal(parseAuthnRequest(foreign).subjectNameId, undefined);
  });

  it('is covered by the signature of a signed request: a Subject changed after signing fails verification', () => {
    const key = fixtureKey('sp');
    const signed = signAuthnRequest(withSubject('ann@acme.test'), '_req1', key, ALGORITHM.rsaSha256);
    const certificates = [key.certificate];
    assert.equal(parseAuthnRequest(verifyEnvelopedRequestSignature(signed, certificates, { allowSha1: false })).subjectNameId, 'ann@acme.test');
    const altered = signed.replace('ann@acme.test', 'bob@acme.test');
    assert.equal(codeOf(() => verifyEnvelopedRequestSignature(altered, certificates, { allowSha1: false })), 'IDP_REQUEST_SIGNATURE');
  });
});
