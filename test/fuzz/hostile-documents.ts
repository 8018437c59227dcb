// XML built to be expensive rather than wrong: every shape that once made a parser's work grow
// faster than its input (namespace scope chained per element, deep nesting, huge DOMs), at the
// largest size each binding lets an unauthenticated client send. Built as text, never through a
// DOM, so making them costs the test nothing.
import { deflateRawSync } from 'node:zlib';
import { POST_MAX_ENCODED_BYTES, REDIRECT_MAX_XML_BYTES } from '../../src/saml/encoding.js';
import { MESSAGE_XML_LIMITS } from '../../src/saml/xml-limits.js';

/** About the largest XML the POST binding's cap on base64 lets through. */
export const POST_XML_BYTES = Math.floor((POST_MAX_ENCODED_BYTES / 4) * 3) - 2048;
/** What a Redirect-binding value used to be allowed to inflate to. */
export const REDIRECT_XML_BYTES = 1024 * 1024;

export interface HostileClass {
  name: string;
  /** A document of about `bytes` bytes (or less, where the class reaches a limit first). */
  build(bytes: number): string;
  /** The largest Redirect-binding document worth sending, when the class must stay within the limits. */
  redirectBytes?: number;
  /**
   * Set for the class whose documents stay within the limits: the parser builds them in full and
   * a later check refuses them. Its figures are the price of the largest legal message, not of a
   * refusal by the limits.
   */
  withinLimits?: true;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';

const wrap = (inner: string): string => `<samlp:Response xmlns:samlp="${SAMLP}" ID="_x" Version="2.0">${inner}</samlp:Response>`;

/** Repeats `open` and `close` around an innermost text until the document is about `bytes` long. */
function nested(bytes: number, open: string, close: string): string {
  const depth = Math.max(1, Math.floor((bytes - 200) / (open.length + close.length)));
  return wrap(`${open.repeat(depth)}x${close.repeat(depth)}`);
}

/** Fills an element's start tag with `unit` until the document is about `bytes` long. */
function wideTag(bytes: number, unit: (i: number) => string): string {
  const parts: string[] = [];
  let size = 200;
  for (let i = 0; size < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    size += u.length + 1;
  }
  return wrap(`<e ${parts.join(' ')}/>`);
}

/**
 * The costliest document the message limits still let through to the parser: chains of elements
 * each declaring a prefix, as deep as allowed and as many as the namespace budget allows, then as
 * many leaves as the element budget has left at the bottom of each chain (none, with the limits
 * as they are), each with prefixed attributes, so that every name lookup walks the longest
 * namespace chain the limits permit. Spending the element budget on leaves instead (fewer
 * chains, prefixed attributes up to their limit) parses faster: declarations are what cost.
 */
function atTheLimits(bytes: number): string {
  const L = MESSAGE_XML_LIMITS;
  const depth = L.maxNamespacesInScope - 2; // below the response element and its samlp declaration
  const allChains = Math.floor((L.maxNamespaces - 1) / depth);
  const leaves = Math.floor((L.maxElements - 1 - allChains * depth) / allChains);
  const attributes = Math.min(L.maxAttributesPerElement, Math.floor(L.maxAttributes / (allChains * leaves)));
  const leaf = `<p0:l${Array.from({ length: attributes }, (_, i) => ` p${i % depth}:a${i}="1"`).join('')}/>`;
  // A chain costs about 40 bytes a level; fewer chains where `bytes` cannot hold them all.
  const chainBytes = depth * 40 + leaves * leaf.length;
  const chains = Math.max(1, Math.min(allChains, Math.floor((bytes - 200) / chainBytes)));
  const fit = leaves;
  const chain = (c: number): string => {
    let open = '';
    let close = '';
    for (let d = 0; d < depth; d++) {
      open += `<p${d}:e xmlns:p${d}="urn:c${c}:${d}">`;
      close = `</p${d}:e>${close}`;
    }
    return `${open}${leaf.repeat(fit)}${close}`;
  };
  return wrap(Array.from({ length: chains }, (_, c) => chain(c)).join(''));
}

export const HOSTILE_CLASSES: readonly HostileClass[] = [
  { name: 'at-the-limits', build: atTheLimits, redirectBytes: REDIRECT_MAX_XML_BYTES - 1024, withinLimits: true },
  // Each element declares a prefix: xmldom 0.8 chains namespace scope per element and walks the
  // chain on every name lookup, so the parse is quadratic in the depth.
  { name: 'deep-namespaced', build: (bytes) => nested(bytes, '<a:e xmlns:a="urn:x">', '</a:e>') },
  { name: 'deep-plain', build: (bytes) => nested(bytes, '<e>', '</e>') },
  { name: 'many-elements', build: (bytes) => wrap('<e/>'.repeat(Math.floor((bytes - 200) / 4))) },
  { name: 'many-attributes', build: (bytes) => wideTag(bytes, (i) => `a${i}=""`) },
  { name: 'many-namespaces', build: (bytes) => wideTag(bytes, (i) => `xmlns:p${i}="urn:x"`) },
  { name: 'huge-text', build: (bytes) => wrap('x'.repeat(bytes - 200)) },
  { name: 'huge-attribute', build: (bytes) => wrap(`<e v="${'x'.repeat(bytes - 200)}"/>`) },
];

export const postValue = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
export const redirectValue = (xml: string): string => deflateRawSync(Buffer.from(xml, 'utf8'), { level: 9 }).toString('base64');

/** A query string stays well inside Node's 16 KiB header limit, as a real attacker's GET must. */
const MAX_QUERY_VALUE = 8 * 1024;

/** The largest document of the class (up to the old inflate cap) whose Redirect value fits in a URL. */
export function redirectDocument(cls: HostileClass): string {
  for (let bytes = cls.redirectBytes ?? REDIRECT_XML_BYTES; ; bytes = Math.floor(bytes / 2)) {
    const xml = cls.build(bytes);
    if (bytes < 1024 || redirectValue(xml).length <= MAX_QUERY_VALUE) return xml;
  }
}
