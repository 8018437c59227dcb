import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { prettyXml } from '../src/decode/pretty-xml.js';
import type { HarnessError } from '../src/errors.js';
import { parseXml } from '../src/saml/parse.js';
import { buildResponse } from '../src/saml/response-builder.js';
import { checkXmlLimits, MESSAGE_XML_LIMITS, METADATA_XML_LIMITS, type XmlLimits } from '../src/saml/xml-limits.js';
import { flatElements, nestedPrefixes } from './support/hostile-xml.js';
import { exampleResponseSpec } from './support/response-spec.js';
import { codeOf } from './support/error-code.js';

const nest = (depth: number, open = '<a>', close = '</a>'): string => `${open.repeat(depth)}${close.repeat(depth)}`;
const withAttributes = (count: number, name = (i: number) => `a${i}`): string =>
  `<r ${Array.from({ length: count }, (_, i) => `${name(i)}="v"`).join(' ')}/>`;
/** `levels` nested elements declaring `each` prefixes apiece. */
const declaring = (levels: number, each: number): string => {
  let open = '';
  for (let l = 0; l < levels; l++) open += `<a ${Array.from({ length: each }, (_, i) => `xmlns:n${l}x${i}="urn:n"`).join(' ')}>`;
  return `${open}${'</a>'.repeat(levels)}`;
};
const MAX_TEXT = MESSAGE_XML_LIMITS.maxTextLength;

describe('XML limits', () => {
  describe('genuine documents', () => {
    it('accepts a signed response', () => {
      assert.equal(codeOf(() => checkXmlLimits(buildResponse(exampleResponseSpec).xml, MESSAGE_XML_LIMITS)), undefined);
    });

    for (const name of readdirSync('fixtures/metadata').filter((f) => f.endsWith('.xml'))) {
      it(`accepts the metadata fixture ${name}`, () => {
        assert.equal(codeOf(() => checkXmlLimits(readFileSync(`fixtures/metadata/${name}`, 'utf8'), METADATA_XML_LIMITS)), undefined);
      });
    }

    for (const dir of ['valid', 'invalid']) {
      for (const name of readdirSync(`fixtures/saml/${dir}`).filter((f) => f.endsWith('.xml'))) {
        it(`accepts the message fixture ${dir}/${name}`, () => {
          assert.equal(codeOf(() => checkXmlLimits(readFileSync(`fixtures/saml/${dir}/${name}`, 'utf8'), MESSAGE_XML_LIMITS)), undefined);
        });
      }
    }
  });

  describe('each limit, at it and past it', () => {
    const table: [string, string, XmlLimits, string | undefined][] = [
      ['elements nested 64 deep', nest(64), MESSAGE_XML_LIMITS, undefined],
      ['elements nested 65 deep', nest(65), MESSAGE_XML_LIMITS, 'SAML_XML_TOO_DEEP'],
      ['an empty element at depth 65', `${nest(64).slice(0, 64 * 3)}<b/>${'</a>'.repeat(64)}`, MESSAGE_XML_LIMITS, 'SAML_XML_TOO_DEEP'],
      ['5,000 nested elements each declaring a prefix', nestedPrefixes('samlp:Response', 5_000), MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_NAMESPACES'],
      ['5,000 nested elements each declaring a prefix, in metadata', nestedPrefixes('md:EntityDescriptor', 5_000), METADATA_XML_LIMITS, 'SAML_XML_TOO_DEEP'],
      ['2,000 elements in a message', `<r>${'<e/>'.repeat(1_999)}</r>`, MESSAGE_XML_LIMITS, undefined],
      ['2,001 elements in a message', flatElements('samlp:Response', 2_000), MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_ELEMENTS'],
      ['2,001 elements in metadata', `<r>${'<e/>'.repeat(2_000)}</r>`, METADATA_XML_LIMITS, undefined],
      ['50,001 elements in metadata', flatElements('md:EntityDescriptor', 50_000), METADATA_XML_LIMITS, 'SAML_XML_TOO_MANY_ELEMENTS'],
      ['2,001 comments in a message', `<r>${'<!---->'.repeat(2_001)}</r>`, MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_ELEMENTS'],
      ['64 attributes on an element', withAttributes(64), MESSAGE_XML_LIMITS, undefined],
      ['65 attributes on an element', withAttributes(65), MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_ATTRIBUTES'],
      ['64 attributes and 24 namespace declarations on an element', `<r ${Array.from({ length: 64 }, (_, i) => `a${i}="v"${i < 24 ? ` xmlns:n${i}="urn:n"` : ''}`).join(' ')}/>`, MESSAGE_XML_LIMITS, undefined],
      ['25 namespace declarations on one element', withAttributes(25, (i) => `xmlns:n${i}`), MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_NAMESPACES'],
      ['65 namespace declarations on one element in metadata', withAttributes(65, (i) => `xmlns:n${i}`), METADATA_XML_LIMITS, 'SAML_XML_TOO_MANY_NAMESPACES'],
      ['24 namespace declarations in scope over 6 levels', declaring(6, 4), MESSAGE_XML_LIMITS, undefined],
      ['25 namespace declarations in scope over 7 levels', `${declaring(6, 4).slice(0, -4 * 6)}<b xmlns="urn:d"/>${'</a>'.repeat(6)}`, MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_NAMESPACES'],
      ['declarations of closed siblings, which are out of scope', `<r>${declaring(1, 20).repeat(30)}</r>`, MESSAGE_XML_LIMITS, undefined],
      ['2,000 namespace declarations in a message', `<r>${declaring(1, 2).repeat(1_000)}</r>`, MESSAGE_XML_LIMITS, undefined],
      ['2,001 namespace declarations in a message', `<r xmlns="urn:d">${declaring(1, 2).repeat(1_000)}</r>`, MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_NAMESPACES'],
      ['2,001 namespace declarations in metadata', `<r xmlns="urn:d">${declaring(1, 2).repeat(1_000)}</r>`, METADATA_XML_LIMITS, undefined],
      ['4,000 attributes in a message', `<r>${withAttributes(50).repeat(80)}</r>`, MESSAGE_XML_LIMITS, undefined],
      ['4,001 attributes in a message', `<r a="1">${withAttributes(50).repeat(80)}</r>`, MESSAGE_XML_LIMITS, 'SAML_XML_TOO_MANY_ATTRIBUTES'],
      ['4,001 attributes in metadata', `<r a="1">${withAttributes(50).repeat(80)}</r>`, METADATA_XML_LIMITS, undefined],
      ['a text run at the limit', `<r>${'x'.repeat(MAX_TEXT)}</r>`, MESSAGE_XML_LIMITS, undefined],
      ['a text run one character past the limit', `<r>${'x'.repeat(MAX_TEXT + 1)}</r>`, MESSAGE_XML_LIMITS, 'SAML_XML_TEXT_TOO_LARGE'],
      ['an attribute value past the limit', `<r a='${'x'.repeat(MAX_TEXT + 1)}'/>`, MESSAGE_XML_LIMITS, 'SAML_XML_TEXT_TOO_LARGE'],
    ];
    for (const [name, xml, limits, code] of table) {
      it(`${code ? 'refuses' : 'accepts'} ${name}${code ? ` with ${code}` : ''}`, () => {
        assert.equal(codeOf(() => checkXmlLimits(xml, limits)), code);
      });
    }

    it('says what it found, the limit, and that the sender must change', () => {
      assert.throws(
        () => checkXmlLimits(nest(70), MESSAGE_XML_LIMITS),
        (err: HarnessError) =>
          err.message === 'a SAML message is refused: its elements nest 65 deep, past the limit of 64 levels of nesting' &&
          /^at most 64 levels of nesting .*change the sender/.test(err.details.expected ?? '') &&
          err.status === 413,
      );
    });
  });

  describe('tag structure xmldom would recover from differently', () => {
    const table: [string, string, string][] = [
      ['"/>" inside attribute values, which closes nothing', nest(65, '<a x="/>">'), 'SAML_XML_TOO_DEEP'],
      ['end tags that close no open element', `${'<a xmlns:p="urn:p"></zz>'.repeat(70)}`, 'SAML_XML_MALFORMED'],
      ['an end tag in another case', '<r><a></A></r>', 'SAML_XML_MALFORMED'],
      ['a quote before any attribute name (markup inside it would be read as elements)', '<r><a "<b xmlns:p=\'u\'>">x</a></r>', 'SAML_XML_MALFORMED'],
      ['an attribute without a value', '<r a>x</r>', 'SAML_XML_MALFORMED'],
      ['an unquoted attribute value', '<r a=1>x</r>', 'SAML_XML_MALFORMED'],
      ['an attribute value without its closing quote', '<r a="1>x</r>', 'SAML_XML_MALFORMED'],
      ['a "<" that starts no element', '<r>< a/></r>', 'SAML_XML_MALFORMED'],
      ['an element left open', '<r><a>', 'SAML_XML_MALFORMED'],
      ['a start tag cut off at the end of the text', '<r><a b="1"', 'SAML_XML_MALFORMED'],
      ['an end tag followed by other text', '<r>x</r x>', 'SAML_XML_MALFORMED'],
      ['a DOCTYPE', '<!DOCTYPE r><r/>', 'SAML_XML_MALFORMED'],
    ];
    for (const [name, xml, code] of table) {
      it(`refuses ${name} with ${code}`, () => {
        assert.equal(codeOf(() => checkXmlLimits(xml, MESSAGE_XML_LIMITS)), code);
      });
    }

    it('accepts what well-formed XML allows inside tags', () => {
      const xml = `<?xml version="1.0"?><r\n  a = "x>y" b='"/>'\tc="&amp;" >t&gt;<e/><e\n/><!-- c --><![CDATA[<x>]]></r >`;
      assert.equal(codeOf(() => checkXmlLimits(xml, MESSAGE_XML_LIMITS)), undefined);
    });

    it('refuses malformed structure with the caller\'s code', () => {
      assert.equal(codeOf(() => checkXmlLimits('<r><a></r>', METADATA_XML_LIMITS, 'METADATA_INVALID')), 'METADATA_INVALID');
    });
  });

  describe('parseXml', () => {
    it('refuses 2,000 nested elements each declaring a prefix before the parser sees them', () => {
      assert.equal(codeOf(() => parseXml(nestedPrefixes('samlp:Response', 2_000))), 'SAML_XML_TOO_MANY_NAMESPACES');
    });

    it('refuses 10,001 elements in a message with SAML_XML_TOO_MANY_ELEMENTS', () => {
      assert.equal(codeOf(() => parseXml(flatElements('samlp:Response', 10_000))), 'SAML_XML_TOO_MANY_ELEMENTS');
    });

    it('reads metadata with the metadata limits', () => {
      const xml = flatElements('md:EntityDescriptor', 20_000);
      assert.equal(codeOf(() => parseXml(xml)), 'SAML_XML_TOO_MANY_ELEMENTS');
      assert.equal(codeOf(() => parseXml(xml, { limits: METADATA_XML_LIMITS })), undefined);
    });
  });

  describe('prettyXml', () => {
    it('shows a document past the limits as it is, without parsing it', () => {
      const xml = nestedPrefixes('samlp:AuthnRequest', 2_000);
      assert.equal(prettyXml(xml), xml);
    });

    it('indents a genuine document', () => {
      assert.equal(prettyXml('<r><a>x</a><b/></r>'), '<r>\n  <a>x</a>\n  <b/>\n</r>');
    });
  });
});
