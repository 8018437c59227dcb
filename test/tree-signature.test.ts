import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { exclusiveCanonical, scopeInside } from '../src/saml/exclusive-c14n.js';
import { parseXml } from '../src/saml/parse.js';
import { buildResponse, responseTree, type ResponseSpec } from '../src/saml/response-builder.js';
import { signNode } from '../src/saml/tree-signature.js';
import { ALGORITHM, NS } from '../src/saml/urn.js';
import { el, render, type XmlNode } from '../src/saml/xml-builder.js';
import { fixtureKey } from './support/keys.js';
import { exampleResponseSpec } from './support/response-spec.js';

const idpKey = fixtureKey('idp');

const base = exampleResponseSpec;

/** Text that stresses the escaping rules: markup, quotes, whitespace, non-ASCII, astral planes. */
const xmlText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\t', ' ', ']]>', '&amp;', 'xmlns:x="y"'),
    fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0xe000, max: 0xfffd }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  ),
  maxLength: 40,
});

/** xml-crypto's exclusive canonical form of the element with this ID, after parsing `xml`. */
function parsedCanonical(xml: string, id: string): string {
  const doc = parseXml(xml);
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const e = all.item(i);
    if (e?.getAttribute('ID') === id) return new ExclusiveCanonicalization().process(e as unknown as Element, {}).toString();
  }
  throw new Error(`no element with ID ${id}`);
}

function verifyWithXmlCrypto(xml: string, signatureIndex: number): boolean {
  const doc = parseXml(xml);
  const signature = doc.getElementsByTagNameNS(NS.dsig, 'Signature').item(signatureIndex);
  assert.ok(signature, `signature ${signatureIndex} present`);
  const verifier = new SignedXml({ publicCert: idpKey.certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signature as unknown as Node);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

describe('exclusive c14n from the tree', () => {
  it('equals xml-crypto canonicalizing the parsed rendering, for any attribute values and names', () => {
    fc.assert(
      fc.property(xmlText, xmlText, xmlText, fc.array(fc.tuple(xmlText, fc.array(xmlText, { maxLength: 3 })), { maxLength: 4 }), (nameId, issuer, audience, attrs) => {
        const spec: ResponseSpec = { ...base, nameId, issuer, audience, attributes: attrs.map(([name, values]) => ({ name, values })) };
        const tree = responseTree(spec, '_resp', '_assert');
        const xml = render(tree);
        assert.equal(exclusiveCanonical(tree), parsedCanonical(xml, '_resp'));
        const assertion = tree.children.find((c): c is XmlNode => typeof c === 'object' && c !== null && c.name === 'saml:Assertion');
        assert.ok(assertion);
        assert.equal(exclusiveCanonical(assertion, scopeInside(tree, new Map())), parsedCanonical(xml, '_assert'));
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('declares only visibly used prefixes, once, and sorts namespaces and attributes', () => {
    const tree = el(
      'a:Root',
      { 'xmlns:a': 'urn:a', 'xmlns:b': 'urn:b', 'xmlns:z': 'urn:z', z: '1', 'b:y': '2', ID: 'r' },
      el('a:Child', { 'xmlns:a': 'urn:a', 'xmlns:unused': 'urn:u' }, el('b:Leaf', {}, 'x')),
    );
    assert.equal(exclusiveCanonical(tree), '<a:Root xmlns:a="urn:a" xmlns:b="urn:b" ID="r" z="1" b:y="2"><a:Child><b:Leaf>x</b:Leaf></a:Child></a:Root>');
    assert.equal(exclusiveCanonical(tree), parsedCanonical(render(tree), 'r'));
  });

  it('refuses a prefix that is not declared (a bug in a builder, not a document to sign)', () => {
    assert.throws(() => exclusiveCanonical(el('p:Root', {})), /prefix "p"/);
  });
});

describe('signNode', () => {
  for (const algorithm of [ALGORITHM.rsaSha256, ALGORITHM.rsaSha512, ALGORITHM.rsaSha1]) {
    it(`signs assertion and response so xml-crypto verifies both (${algorithm.split('#')[1]})`, () => {
      const { xml } = buildResponse({ ...base, signing: { ...base.signing, algorithm } });
      assert.equal(verifyWithXmlCrypto(xml, 0), true, 'response signature');
      assert.equal(verifyWithXmlCrypto(xml, 1), true, 'assertion signature');
    });
  }

  it('gives signatures that xml-crypto rejects once a signed value changes', () => {
    const { xml } = buildResponse({ ...base, signing: { ...base.signing, response: false } });
    assert.equal(verifyWithXmlCrypto(xml, 0), true);
    const tampered = xml.replace('ann@example.com</saml:NameID>', 'bob@example.com</saml:NameID>');
    assert.notEqual(tampered, xml);
    assert.equal(verifyWithXmlCrypto(tampered, 0), false);
  });

  it('signs values full of markup and whitespace verifiably', () => {
    fc.assert(
      fc.property(xmlText, xmlText, (nameId, value) => {
        const { xml } = buildResponse({ ...base, nameId, attributes: [{ name: 'email', values: [value] }] });
        assert.equal(verifyWithXmlCrypto(xml, 1), true);
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });

  it('places the Signature right after the Issuer and refuses an element without ID or Issuer', () => {
    const signed = signNode(el('samlp:R', { 'xmlns:samlp': NS.protocol, 'xmlns:saml': NS.assertion, ID: '_x' }, el('saml:Issuer', {}, 'i'), el('samlp:Status')), { key: idpKey, algorithm: ALGORITHM.rsaSha256 }, { after: 'saml:Issuer' });
    assert.deepEqual(signed.children.map((c) => (typeof c === 'object' && c !== null ? c.name : c)), ['saml:Issuer', 'ds:Signature', 'samlp:Status']);
    assert.throws(() => signNode(el('samlp:R', { 'xmlns:samlp': NS.protocol }), { key: idpKey, algorithm: ALGORITHM.rsaSha256 }, { after: 'saml:Issuer' }), /no ID/);
    assert.throws(() => signNode(el('samlp:R', { 'xmlns:samlp': NS.protocol, ID: '_y' }), { key: idpKey, algorithm: ALGORITHM.rsaSha256 }, { after: 'saml:Issuer' }), /no child <saml:Issuer>/);
  });
});
