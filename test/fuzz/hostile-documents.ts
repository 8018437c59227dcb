// XML built to be expensive rather than wrong: every shape that once made a parser's work grow
// faster than its input (namespace scope chained per element, deep nesting, huge DOMs), at the
// largest size each binding lets an unauthenticated client send. Built as text, never through a
// DOM, so making them costs the test nothing.
import { deflateRawSync } from 'node:zlib';
import { POST_MAX_ENCODED_BYTES } from '../../src/saml/encoding.js';

/** About the largest XML the POST binding's cap on base64 lets through. */
export const POST_XML_BYTES = Math.floor((POST_MAX_ENCODED_BYTES / 4) * 3) - 2048;
/** What a Redirect-binding value used to be allowed to inflate to. */
export const REDIRECT_XML_BYTES = 1024 * 1024;

export interface HostileClass {
  name: string;
  /** A document of about `bytes` bytes. */
  build(bytes: number): string;
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

export const HOSTILE_CLASSES: readonly HostileClass[] = [
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
  for (let bytes = REDIRECT_XML_BYTES; ; bytes = Math.floor(bytes / 2)) {
    const xml = cls.build(bytes);
    if (bytes < 1024 || redirectValue(xml).length <= MAX_QUERY_VALUE) return xml;
  }
}
