import assert from 'node:assert/strict';
import { buildResponse } from '../src/saml/response-builder.js';
import { parseXml } from '../src/saml/parse.js';
import { exampleResponseSpec } from './support/response-spec.js';

describe('buildResponse', () => {
  const base = exampleResponseSpec;

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
