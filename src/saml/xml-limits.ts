// Complexity limits on XML, checked in one linear pass over the text before @xmldom/xmldom sees
// it. xmldom 0.8 keeps namespace scope as a prototype chain one link longer for every ancestor
// that declares a namespace and walks it on every name lookup, and it builds the whole DOM before
// it reports any fault: 5,000 nested elements each declaring a prefix (170 KB) take seconds to
// parse, and a 1 MiB document of tiny elements builds a DOM of tens of megabytes. The pass
// counts nesting depth, elements, attributes (per element and in all), namespace declarations
// (in scope and in all), and the longest text run or attribute value, and refuses a document
// past any limit with that limit's code. The limits sit far above what genuine messages and metadata files contain, and low enough
// that xmldom parses anything within them in tens of milliseconds (MESSAGE_XML_LIMITS and
// METADATA_XML_LIMITS give the numbers and the reasons).
//
// To count what xmldom would build, the pass reads the tag structure of well-formed XML exactly
// (quoted attribute values skipped whole, end tags matched against their start tags) and refuses
// as malformed anything else: every such deviation is one xmldom reports too (and parseXml
// refuses after the DOM is built), but xmldom's recovery from it could build elements this pass
// did not count. The pass uses indexOf for text runs and attribute values and looks at single
// characters only inside tags; no regular expression, no recursion.
import { HarnessError, type ErrorCode } from '../errors.js';

export interface XmlLimits {
  /** What the document is, in messages: "a SAML message", "metadata". */
  document: string;
  /** Deepest element nesting (the document element is at depth 1). */
  maxDepth: number;
  /** Elements in the document; comments, processing instructions and CDATA sections count too. */
  maxElements: number;
  /** Attributes on one element, namespace declarations not counted. */
  maxAttributesPerElement: number;
  /** Attributes in the whole document, namespace declarations not counted. */
  maxAttributes: number;
  /** Namespace declarations in scope at one element: its own plus those of its ancestors. */
  maxNamespacesInScope: number;
  /** Namespace declarations in the whole document (xmldom spends the most on each of these). */
  maxNamespaces: number;
  /** Longest text run or attribute value, in characters, before entity references are expanded. */
  maxTextLength: number;
}

/**
 * Protocol messages. Genuine ones nest about 10 deep (a signed, encrypted assertion about 12),
 * hold tens to a few hundred elements (a thousand or more for a user in very many groups) with up
 * to about 3 attributes each, at most about 8 attributes on one element and 10 namespace
 * declarations in scope; some IdPs declare two namespaces on every AttributeValue. Their longest
 * text is an encrypted assertion's CipherValue (tens of KB), their longest attribute a URL.
 * The element, attribute and in-scope caps are also what keeps xmldom's work short: it spends a
 * few microseconds on each element, attribute and lookup through the declarations in scope, so
 * the costliest document these limits admit (1,980 elements each declaring a prefix, in chains
 * 22 deep: test/fuzz/hostile-documents.ts "at-the-limits"; the declarations cost more than any
 * leaves with prefixed attributes the same budgets could buy) parses in about 9 ms here (median;
 * a garbage collection landing on a parse can triple that); at 10,000 elements, 20,000
 * attributes and 64 declarations in scope the same kind of document took about 25-35 ms.
 */
export const MESSAGE_XML_LIMITS: XmlLimits = Object.freeze({
  document: 'a SAML message',
  maxDepth: 64,
  maxElements: 2_000,
  maxAttributesPerElement: 64,
  maxAttributes: 4_000,
  maxNamespacesInScope: 24,
  maxNamespaces: 2_000,
  maxTextLength: 512 * 1024,
});

/**
 * Metadata files, which an administrator supplies. One entity's metadata nests about 8 deep and
 * holds tens to a few hundred elements, with up to about 20 namespace declarations in scope; the
 * totals leave room for a small federation aggregate (a few hundred entities), not a national one
 * (those run to a million elements and tens of MB). Text allows an mdui:Logo carried inline as a
 * data: URI.
 */
export const METADATA_XML_LIMITS: XmlLimits = Object.freeze({
  document: 'metadata',
  maxDepth: 64,
  maxElements: 50_000,
  maxAttributesPerElement: 64,
  maxAttributes: 100_000,
  maxNamespacesInScope: 64,
  maxNamespaces: 10_000,
  maxTextLength: 512 * 1024,
});

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const EQUALS = 0x3d; // =
const QUOT = 0x22; // "
const APOS = 0x27; // '
const COLON = 0x3a; // :

/** xmldom treats every control character and U+0080 as white space inside a tag; so does the pass. */
const isSpace = (c: number): boolean => c <= 0x20 || c === 0x80;

/** 1 for the characters that end a name inside a tag (a name itself may hold anything else). */
const NAME_END = new Uint8Array(0x81);
for (let c = 0; c <= 0x20; c++) NAME_END[c] = 1;
for (const c of [GT, SLASH, EQUALS, LT, QUOT, APOS, 0x80]) NAME_END[c] = 1;
/** NaN (past the end of the text) ends a name too: `NaN < 0x81` is false, so it is checked first. */
const endsName = (c: number): boolean => (c < 0x81 ? NAME_END[c] === 1 : c !== c);

/** `found` says what is past the limit, `limit` the limit itself (both end up in the message). */
function beyond(code: ErrorCode, limits: XmlLimits, found: string, limit: string): never {
  throw new HarnessError(code, `${limits.document} is refused: ${found}, past the limit of ${limit}`, {
    expected: `at most ${limit} (genuine SAML messages and metadata stay far below it; a document past it is built to exhaust the parser, so change the sender)`,
    received: found,
  });
}

function tooLong(limits: XmlLimits, what: string, length: number): never {
  return beyond('SAML_XML_TEXT_TOO_LARGE', limits, `${what} ${length} characters long`, `${limits.maxTextLength} characters of text or attribute value`);
}

function tooMany(limits: XmlLimits): never {
  return beyond('SAML_XML_TOO_MANY_ELEMENTS', limits, `it has more than ${limits.maxElements} elements`, `${limits.maxElements} elements`);
}

function malformed(code: ErrorCode, problem: string): never {
  throw new HarnessError(code, `the XML is not well-formed: ${problem}`, {
    expected: 'one well-formed XML document',
    received: problem,
  });
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Index of `token` at or after `from`, the end of a construct: missing means not well-formed. */
function closing(xml: string, token: string, from: number, code: ErrorCode, what: string): number {
  const at = xml.indexOf(token, from);
  if (at < 0) malformed(code, `${what} is not closed`);
  return at;
}

/** Whether xml[a, a + length) and xml[b, b + length) hold the same characters. */
function sameText(xml: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (xml.charCodeAt(a + k) !== xml.charCodeAt(b + k)) return false;
  return true;
}

/**
 * Throws a HarnessError when `xml` is past one of `limits` (SAML_XML_TOO_DEEP,
 * SAML_XML_TOO_MANY_ELEMENTS, SAML_XML_TOO_MANY_ATTRIBUTES, SAML_XML_TOO_MANY_NAMESPACES,
 * SAML_XML_TEXT_TOO_LARGE) or when its tag structure is not well-formed (`malformedCode`).
 * A DOCTYPE is malformed here: callers that mean to refuse it with its own code check first.
 * Nothing is allocated per tag: it runs on every message, several times per validation.
 */
export function checkXmlLimits(xml: string, limits: XmlLimits, malformedCode: ErrorCode = 'SAML_XML_MALFORMED'): void {
  const n = xml.length;
  const { maxDepth, maxElements, maxAttributesPerElement, maxAttributes, maxNamespacesInScope, maxNamespaces, maxTextLength } = limits;
  /** Open elements: where each name starts, its length, and the namespaces it declares. */
  const nameAt: number[] = [];
  const nameLength: number[] = [];
  const declared: number[] = [];
  let depth = 0;
  let inScope = 0;
  let nodes = 0;
  let allAttributes = 0;
  let allNamespaces = 0;
  let i = 0;

  for (;;) {
    const lt = xml.indexOf('<', i);
    const textLength = (lt < 0 ? n : lt) - i;
    if (textLength > maxTextLength) tooLong(limits, 'a text run is', textLength);
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === SLASH) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) malformed(malformedCode, `the end tag at character ${lt} is not closed`);
      let end = gt;
      while (end > lt + 2 && isSpace(xml.charCodeAt(end - 1))) end--;
      const length = end - lt - 2;
      if (depth === 0 || nameLength[depth - 1] !== length || !sameText(xml, nameAt[depth - 1] as number, lt + 2, length)) {
        const name = clip(xml.slice(lt + 2, end));
        malformed(malformedCode, depth === 0
          ? `the end tag </${name}> closes nothing`
          : `the end tag </${name}> does not close <${clip(xml.substr(nameAt[depth - 1] as number, nameLength[depth - 1] as number))}>`);
      }
      depth--;
      inScope -= declared[depth] as number;
      i = gt + 1;
      continue;
    }
    if (next === BANG || next === QUESTION) {
      // Comments (metadata), and for a display-only caller CDATA and processing instructions:
      // skipped whole, as xmldom reads them. parseXml refuses what a message may not hold first.
      if (++nodes > maxElements) tooMany(limits);
      if (xml.startsWith('<!--', lt)) i = closing(xml, '-->', lt + 4, malformedCode, 'a comment') + 3;
      else if (xml.startsWith('<![CDATA[', lt)) {
        const end = closing(xml, ']]>', lt + 9, malformedCode, 'a CDATA section');
        if (end - lt - 9 > maxTextLength) tooLong(limits, 'a CDATA section is', end - lt - 9);
        i = end + 3;
      } else if (next === QUESTION) i = closing(xml, '?>', lt + 2, malformedCode, 'a processing instruction') + 2;
      else malformed(malformedCode, `a markup declaration (${clip(xml.slice(lt, lt + 12))}) is not allowed`);
      continue;
    }

    // A start tag: name, then attributes `name = "value"`, then `>` or `/>`.
    let j = lt + 1;
    while (!endsName(xml.charCodeAt(j))) j++;
    if (j === lt + 1) malformed(malformedCode, `a "<" at character ${lt} starts no element`);
    const tagLength = j - lt - 1;
    if (++nodes > maxElements) tooMany(limits);
    let attributes = 0;
    let namespaces = 0;
    let selfClosing = false;
    for (;;) {
      const before = j;
      while (isSpace(xml.charCodeAt(j))) j++;
      const c = xml.charCodeAt(j);
      if (c === GT) {
        j++;
        break;
      }
      if (c === SLASH && xml.charCodeAt(j + 1) === GT) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (j >= n) malformed(malformedCode, `the start tag <${clip(xml.substr(lt + 1, tagLength))}> is not closed`);
      if (j === before) malformed(malformedCode, `the start tag <${clip(xml.substr(lt + 1, tagLength))}> has no white space before an attribute`);
      const attributeAt = j;
      while (!endsName(xml.charCodeAt(j))) j++;
      if (j === attributeAt) malformed(malformedCode, `the start tag <${clip(xml.substr(lt + 1, tagLength))}> holds a stray character "${xml.charAt(j)}"`);
      const attributeLength = j - attributeAt;
      while (isSpace(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== EQUALS) malformed(malformedCode, `the attribute ${clip(xml.substr(attributeAt, attributeLength))} of <${clip(xml.substr(lt + 1, tagLength))}> has no value`);
      j++;
      while (isSpace(xml.charCodeAt(j))) j++;
      const quote = xml.charCodeAt(j);
      if (quote !== QUOT && quote !== APOS) malformed(malformedCode, `the value of the attribute ${clip(xml.substr(attributeAt, attributeLength))} of <${clip(xml.substr(lt + 1, tagLength))}> is not quoted`);
      const valueEnd = xml.indexOf(quote === QUOT ? '"' : "'", j + 1);
      if (valueEnd < 0) malformed(malformedCode, `the value of the attribute ${clip(xml.substr(attributeAt, attributeLength))} is not closed`);
      if (valueEnd - j - 1 > maxTextLength) tooLong(limits, `the value of the attribute ${clip(xml.substr(attributeAt, attributeLength))} is`, valueEnd - j - 1);
      j = valueEnd + 1;
      if (xml.startsWith('xmlns', attributeAt) && (attributeLength === 5 || xml.charCodeAt(attributeAt + 5) === COLON)) {
        namespaces++;
        if (++allNamespaces > maxNamespaces) beyond('SAML_XML_TOO_MANY_NAMESPACES', limits, `it has more than ${maxNamespaces} namespace declarations`, `${maxNamespaces} namespace declarations`);
      } else {
        if (++attributes > maxAttributesPerElement) {
          beyond('SAML_XML_TOO_MANY_ATTRIBUTES', limits, `the element <${clip(xml.substr(lt + 1, tagLength))}> has more than ${maxAttributesPerElement} attributes`, `${maxAttributesPerElement} attributes per element`);
        }
        if (++allAttributes > maxAttributes) beyond('SAML_XML_TOO_MANY_ATTRIBUTES', limits, `it has more than ${maxAttributes} attributes`, `${maxAttributes} attributes`);
      }
    }
    if (depth + 1 > maxDepth) beyond('SAML_XML_TOO_DEEP', limits, `its elements nest ${depth + 1} deep`, `${maxDepth} levels of nesting`);
    if (inScope + namespaces > maxNamespacesInScope) {
      beyond('SAML_XML_TOO_MANY_NAMESPACES', limits, `the element <${clip(xml.substr(lt + 1, tagLength))}> has ${inScope + namespaces} namespace declarations in scope`, `${maxNamespacesInScope} namespace declarations in scope at one element`);
    }
    if (!selfClosing) {
      nameAt[depth] = lt + 1;
      nameLength[depth] = tagLength;
      declared[depth] = namespaces;
      depth++;
      inScope += namespaces;
    }
    i = j;
  }
  if (depth > 0) malformed(malformedCode, `the element <${clip(xml.substr(nameAt[depth - 1] as number, nameLength[depth - 1] as number))}> is not closed`);
}

/**
 * The scan parseXml runs, behind one indirection so the benchmark can measure its share of a
 * response validation in the same run: with it, without it, and on the inputs it was given.
 * Nothing else replaces it.
 */
export const xmlLimitScan: { check: typeof checkXmlLimits } = { check: checkXmlLimits };
