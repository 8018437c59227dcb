// Parsing of SAML messages and metadata with the hygiene rules a strict peer needs before the
// DOM is trusted at all: no DOCTYPE or ENTITY (XXE, billion laughs, parser differentials: rows
// 20, 23, 24), no processing instructions, comments or CDATA inside the message (truncation:
// rows 12-14), complexity limits checked before the parser runs (src/saml/xml-limits.ts), parse
// errors fatal, and exactly one document element (row 11).
import { DOMParser } from '@xmldom/xmldom';
import { HarnessError, type ErrorCode } from '../errors.js';
import { MESSAGE_XML_LIMITS, xmlLimitScan, type XmlLimits } from './xml-limits.js';

export interface ParseOptions {
  /** Comments are allowed in metadata files (people annotate them); never in protocol messages. */
  allowComments?: boolean;
  /** Error code to raise for malformed input (metadata and messages report differently). */
  malformedCode?: ErrorCode;
  forbiddenCode?: ErrorCode;
  /** Complexity limits; metadata files get their own (MESSAGE_XML_LIMITS unless given). */
  limits?: XmlLimits;
}

const XML_DECLARATION = /^\uFEFF?\s*<\?xml\s[^?]*\?>/;

function forbidden(code: ErrorCode, what: string): never {
  throw new HarnessError(code, `the XML contains ${what}, which is not allowed in SAML`, {
    expected: 'plain XML elements and text, without DOCTYPE, ENTITY, processing instructions, comments or CDATA',
    received: what,
  });
}

export function parseXml(xml: string, opts: ParseOptions = {}): Document {
  const forbiddenCode = opts.forbiddenCode ?? 'SAML_XML_FORBIDDEN';
  const malformedCode = opts.malformedCode ?? 'SAML_XML_MALFORMED';
  const body = xml.replace(XML_DECLARATION, '');
  if (/<!DOCTYPE/i.test(body)) forbidden(forbiddenCode, 'a DOCTYPE declaration');
  if (/<!ENTITY/i.test(body)) forbidden(forbiddenCode, 'an ENTITY declaration');
  if (body.includes('<?')) forbidden(forbiddenCode, 'a processing instruction');
  if (body.includes('<![CDATA[')) forbidden(forbiddenCode, 'a CDATA section');
  if (!opts.allowComments && body.includes('<!--')) forbidden(forbiddenCode, 'a comment');
  // Before xmldom: it builds the whole DOM before it reports a fault, at a cost that grows with
  // nesting depth times namespace declarations.
  xmlLimitScan.check(body, opts.limits ?? MESSAGE_XML_LIMITS, malformedCode);

  const problems: string[] = [];
  const record = (msg: string): void => {
    problems.push(String(msg).replace(/\s*@#\[line:.*$/s, '').trim());
  };
  const doc = new DOMParser({
    // xmldom 0.8 reports some well-formedness faults (unclosed elements, unquoted attributes)
    // only as warnings; a strict peer treats them all as fatal.
    errorHandler: { warning: record, error: record, fatalError: record },
    // No locator: positions are not reported (record() drops them) and tracking them costs a
    // regular-expression pass over every line.
  }).parseFromString(body, 'text/xml');
  if (problems.length > 0) {
    throw new HarnessError(malformedCode, `the XML is not well-formed: ${problems[0]}`, {
      expected: 'one well-formed XML document',
      received: problems.slice(0, 3).join('; '),
    });
  }
  const roots: Element[] = [];
  for (let n = doc.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) roots.push(n as Element);
    else if (n.nodeType === 3 && (n.nodeValue ?? '').trim() !== '') {
      throw new HarnessError(malformedCode, 'the XML has text outside its document element');
    }
  }
  if (roots.length !== 1) {
    throw new HarnessError(malformedCode, `the XML has ${roots.length} document elements`, {
      expected: 'exactly one document element',
      received: `${roots.length}`,
    });
  }
  return doc;
}

export function documentElement(doc: Document): Element {
  const root = doc.documentElement;
  if (!root) throw new HarnessError('SAML_XML_MALFORMED', 'the XML has no document element');
  return root;
}
