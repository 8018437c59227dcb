import assert from 'node:assert/strict';
import { parseXml } from '../src/saml/parse.js';
import { codeOf } from './support/error-code.js';

describe('parseXml', () => {
  const table: [string, string, string | undefined][] = [
    ['a plain document', '<?xml version="1.0"?><r a="1">x</r>', undefined],
    ['a DOCTYPE', '<!DOCTYPE r><r>x</r>', 'SAML_XML_FORBIDDEN'],
    ['an internal entity', '<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', 'SAML_XML_FORBIDDEN'],
    ['a processing instruction in text', '<r><?p not-an-?>admin</r>', 'SAML_XML_FORBIDDEN'],
    ['a comment in text', '<r>victim@example.com<!---->.evil</r>', 'SAML_XML_FORBIDDEN'],
    ['a CDATA section', '<r>victim<![CDATA[.evil]]></r>', 'SAML_XML_FORBIDDEN'],
    ['two document elements', '<r>a</r><r>b</r>', 'SAML_XML_MALFORMED'],
    ['an unclosed element', '<r><a></r>', 'SAML_XML_MALFORMED'],
    ['an unknown entity reference', '<r>&x;</r>', 'SAML_XML_MALFORMED'],
    ['trailing content in an end tag', '<r>x</r x>', 'SAML_XML_MALFORMED'],
    ['an unquoted attribute', '<r a=1>x</r>', 'SAML_XML_MALFORMED'],
    ['text after the document element', '<r>x</r>junk', 'SAML_XML_MALFORMED'],
  ];
  for (const [name, xml, code] of table) {
    it(`${code ? 'rejects' : 'accepts'} ${name}`, () => {
      assert.equal(codeOf(() => parseXml(xml)), code);
    });
  }

  it('accepts comments only when asked (metadata files)', () => {
    assert.equal(codeOf(() => parseXml('<r><!-- note --></r>', { allowComments: true })), undefined);
  });
});
