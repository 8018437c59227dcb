import assert from 'node:assert/strict';
import { buildResponse } from '../src/saml/response-builder.js';
import { ALGORITHM, NAMEID_FORMAT } from '../src/saml/urn.js';
import { parseXml } from '../src/saml/parse.js';
import { fixtureKey } from './support/keys.js';

describe('buildResponse', () => {
  const base = {
    issuer: 'https://idp.example/app',
    destination: 'https://sp.example/acs',
    audience: 'https://sp.example',
    inResponseTo: '_req1',
    nameId: 'ann@example.com',
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    sessionIndex: '_s1',
    nowMs: Date.parse('2026-11-24T10:00:00Z'),
    attributes: [{ name: 'email', values: ['ann@example.com'] }],
    signing: { key: fixtureKey('idp'), algorithm: ALGORITHM.rsaSha256, assertion: true, response: true },
  } as const;

  it('escapes attribute values so they cannot add elements', () => {
    const evil = 'x</saml:AttributeValue></saml:Attribute><saml:Attribute Name="admin"><saml:AttributeValue>1';
    const { xml } = buildResponse({ ...base, attributes: [{ name: 'email', values: [evil] }] });
    const doc = parseXml(xml);
    const attrs = doc.getElementsByTagName('saml:Attribute');
    assert.equal(attrs.length, 1);
    assert.equal(doc.getElementsByTagName('saml:AttributeValue')[0]?.textContent, evil);
  });

  it('signs both the assertion and the response when asked', () => {
    const { xml } = buildResponse(base);
    assert.equal((xml.match(/<ds:Signature /g) ?? []).length, 2);
  });

  it('signs only the assertion when asked', () => {
    const { xml } = buildResponse({ ...base, signing: { ...base.signing, response: false } });
    const doc = parseXml(xml);
    const sigs = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature');
    assert.equal(sigs.length, 1);
    assert.equal((sigs[0]?.parentNode as unknown as { localName: string }).localName, 'Assertion');
  });
});
