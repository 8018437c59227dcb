// Hostile-input properties: the run parameters (fixed in `npm test`, chosen by `npm run fuzz`),
// the watch for crashes, what a refusal must look like, and mutations of genuine messages.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { ERROR_CODES } from '../../src/errors.js';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not ${raw}`);
  return n;
}

/** `npm test` replays the same cases every time; `npm run fuzz` passes its own. */
export const FUZZ_SEED = envInt('FUZZ_SEED', 20_261_124);
/** Cases per HTTP property; pure properties (no server) run `PURE_WEIGHT` times as many. */
export const FUZZ_RUNS = envInt('FUZZ_RUNS', 60);
const PURE_WEIGHT = 10;

/** fast-check parameters for one property: the campaign seed, and the run count scaled by `weight`. */
export function fuzzParameters(weight = 1): { seed: number; numRuns: number } {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(FUZZ_RUNS * weight)) };
}
export const pureParameters = (): ReturnType<typeof fuzzParameters> => fuzzParameters(PURE_WEIGHT);

// Cases actually run, per entry point; `npm run fuzz` reads them from FUZZ_REPORT for its summary.
const cases = new Map<string, number>();
export function countCase(entryPoint: string): void {
  cases.set(entryPoint, (cases.get(entryPoint) ?? 0) + 1);
}
process.on('exit', () => {
  const report = process.env.FUZZ_REPORT;
  if (!report) return;
  for (const [entryPoint, n] of cases) appendFileSync(report, `${JSON.stringify({ entryPoint, cases: n })}\n`);
});

/** A measured figure (e.g. how long a refusal held the event loop), for the campaign's summary. */
export function recordFigure(figure: { kind: string } & Record<string, string | number>): void {
  const report = process.env.FUZZ_REPORT;
  if (report) appendFileSync(report, `${JSON.stringify(figure)}\n`);
}

/**
 * Records every unhandled rejection and uncaught exception from `start()` until `stop()`;
 * `check()` fails the current case when one fired.
 */
export function crashWatch(): { start(): void; check(): void; stop(): void } {
  const fired: string[] = [];
  const onRejection = (reason: unknown): void => {
    fired.push(`unhandledRejection: ${(reason as Error)?.stack ?? String(reason)}`);
  };
  const onException = (err: Error): void => {
    fired.push(`uncaughtException: ${err.stack ?? String(err)}`);
  };
  return {
    start() {
      process.on('unhandledRejection', onRejection);
      process.on('uncaughtExceptionMonitor', onException);
    },
    check() {
      assert.deepEqual(fired, [], 'the process had an unhandled rejection or an uncaught exception');
    },
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtExceptionMonitor', onException);
    },
  };
}

const documented = new Set(
  [...readFileSync(fileURLToPath(new URL('../../docs/errors.md', import.meta.url)), 'utf8').matchAll(/^### `([A-Z0-9_]+)`/gm)].map((m) => m[1]),
);

/** A code from ERROR_CODES that docs/errors.md documents, with the status it declares (when there is one). */
export function assertDocumentedCode(code: unknown, status: number | undefined, where: string): void {
  assert.ok(typeof code === 'string' && code in ERROR_CODES, `${where}: no ERROR_CODES code (got ${JSON.stringify(code)})`);
  assert.ok(documented.has(code), `${where}: ${code} is not documented in docs/errors.md`);
  if (status !== undefined) assert.equal(status, ERROR_CODES[code as keyof typeof ERROR_CODES].status, `${where}: ${code} answered with HTTP ${status}`);
}

/** No 5xx; a refusal is harness JSON carrying a documented code. */
export function assertHarnessAnswer(res: Response, where: string): void {
  assert.ok(res.status < 500, `${where}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  if (res.status < 400) return;
  assert.match(res.headers['content-type'] ?? '', /application\/json/, `${where}: HTTP ${res.status} is not JSON`);
  assertDocumentedCode((res.body as { error?: unknown }).error, res.status, where);
}

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_TYPES = new Set(['invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath', 'noTarget', 'invalidValue', 'invalidVers', 'sensitive']);

/** No 5xx; a refusal is an RFC 7644 error body (§3.12) whose status is the HTTP status. */
export function assertScimAnswer(res: Response, where: string): void {
  assert.ok(res.status < 500, `${where}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  if (res.status < 400) return;
  assert.match(res.headers['content-type'] ?? '', /application\/scim\+json/, `${where}: HTTP ${res.status} is not application/scim+json`);
  const body = JSON.parse(res.text) as { schemas?: unknown; status?: unknown; scimType?: unknown; detail?: unknown };
  assert.deepEqual(body.schemas, [SCIM_ERROR], `${where}: not a SCIM Error body: ${res.text.slice(0, 300)}`);
  assert.equal(body.status, String(res.status), `${where}: the body's status is not the HTTP status`);
  if (body.scimType !== undefined) assert.ok(SCIM_TYPES.has(body.scimType as string), `${where}: unknown scimType ${JSON.stringify(body.scimType)}`);
  assert.equal(typeof body.detail, 'string', `${where}: the SCIM error has no detail`);
}

/** Fails when something wrote onto Object.prototype (prototype pollution). */
export function assertPrototypeClean(where: string): void {
  const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k));
  assert.deepEqual(polluted, [], `${where}: Object.prototype gained ${polluted.join(', ')}`);
}
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

// ---------------------------------------------------------------------------------------------
// Random input

/** Short text of any code points, including lone surrogates and control characters. */
export const anyText = (maxLength = 200): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });

const HOSTILE_FRAGMENTS = [
  '<', '>', '&', '"', "'", '<!--', '-->', '<![CDATA[', ']]>', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e "e">]>', '&e;',
  '%', '%zz', '%00', '\u0000', '\uFFFD', '\uD800', '+', '=', '==', '/', '\\', '\r\n', ' ', '\t', '__proto__', 'constructor',
  'javascript:', '//evil.example', 'https://evil.example/', 'x'.repeat(1000),
];

/** Random text leaning towards characters that break parsers and encoders. */
export const hostileText = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    anyText(maxLength),
    fc.array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), anyText(8)), { maxLength: 12 }).map((parts) => parts.join('')),
  );

// ---------------------------------------------------------------------------------------------
// Mutations of genuine messages. Each is data (kind and numbers, resolved modulo the message's
// size when applied), so a counterexample prints as a readable list of steps and can be applied
// to a fresh genuine message (new IDs, new times) when the property needs one per case.

export type TextMutation =
  | { kind: 'flip-byte'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string };

export type XmlMutation =
  | { kind: 'remove-element'; element: number }
  | { kind: 'duplicate-element'; element: number }
  | { kind: 'move-element'; element: number; into: number }
  | { kind: 'set-attribute'; element: number; attribute: number; value: string }
  | { kind: 'remove-attribute'; element: number; attribute: number }
  | { kind: 'add-attribute'; element: number; name: string; value: string }
  | { kind: 'set-text'; element: number; text: string }
  | { kind: 'rename-element'; element: number; name: string };

export type Mutation = TextMutation | XmlMutation;

const position = fc.nat({ max: 1_000_000 });
const ATTRIBUTE_NAMES = ['ID', 'Version', 'IssueInstant', 'Destination', 'InResponseTo', 'Recipient', 'NotBefore', 'NotOnOrAfter', 'Method', 'Algorithm', 'URI', 'xmlns', 'xmlns:saml', 'entityID', 'Location', 'Binding', 'use'];
const ELEMENT_NAMES = ['saml:Assertion', 'samlp:Response', 'ds:Signature', 'saml:Issuer', 'md:EntityDescriptor', 'x', 'saml2:Assertion'];

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-byte' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: hostileText(40) }),
);

export const xmlMutation: fc.Arbitrary<XmlMutation> = fc.oneof(
  fc.record({ kind: fc.constant('remove-element' as const), element: position }),
  fc.record({ kind: fc.constant('duplicate-element' as const), element: position }),
  fc.record({ kind: fc.constant('move-element' as const), element: position, into: position }),
  fc.record({ kind: fc.constant('set-attribute' as const), element: position, attribute: position, value: hostileText(60) }),
  fc.record({ kind: fc.constant('remove-attribute' as const), element: position, attribute: position }),
  fc.record({ kind: fc.constant('add-attribute' as const), element: position, name: fc.constantFrom(...ATTRIBUTE_NAMES), value: hostileText(60) }),
  fc.record({ kind: fc.constant('set-text' as const), element: position, text: hostileText(60) }),
  fc.record({ kind: fc.constant('rename-element' as const), element: position, name: fc.constantFrom(...ELEMENT_NAMES) }),
);

/** One to three steps, mostly structural (they get past the parser), some byte-level. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(fc.oneof({ weight: 3, arbitrary: xmlMutation }, { weight: 2, arbitrary: textMutation }), { minLength: 1, maxLength: 3 });

function applyText(text: string, m: TextMutation): string {
  const bytes = Buffer.from(text, 'utf8');
  const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'flip-byte': {
      if (bytes.length === 0) return text;
      const i = m.at % bytes.length;
      bytes[i] = (bytes[i] as number) ^ (1 << m.bit);
      return bytes.toString('utf8');
    }
    case 'truncate':
      return bytes.subarray(0, at).toString('utf8');
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]).toString('utf8');
    case 'duplicate':
      return Buffer.concat([bytes.subarray(0, at + m.length), bytes.subarray(at)]).toString('utf8');
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text, 'utf8'), bytes.subarray(at)]).toString('utf8');
  }
}

const quietParser = (): DOMParser => new DOMParser({ errorHandler: { warning: () => undefined, error: () => undefined, fatalError: () => undefined } });

function elementsOf(doc: Document): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [doc];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.nodeType === 1) out.push(n as Element);
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return out;
}

/** Structural steps need a DOM: on text the parser cannot read at all, the step changes nothing. */
function applyXml(xml: string, m: XmlMutation): string {
  try {
    return applyXmlStep(xml, m);
  } catch {
    return xml;
  }
}

function applyXmlStep(xml: string, m: XmlMutation): string {
  const doc = quietParser().parseFromString(xml, 'text/xml');
  if (!doc) return xml;
  const all = elementsOf(doc);
  if (all.length === 0) return xml;
  const e = all[m.element % all.length] as Element;
  switch (m.kind) {
    case 'remove-element':
      e.parentNode?.removeChild(e);
      break;
    case 'duplicate-element':
      e.parentNode?.insertBefore(e.cloneNode(true), e.nextSibling);
      break;
    case 'move-element': {
      const into = all[m.into % all.length] as Element;
      if (into === e || e.parentNode === null) return xml;
      // Moving an element into its own subtree would loop; the DOM refuses, so do the copy.
      into.appendChild(e.cloneNode(true));
      e.parentNode.removeChild(e);
      break;
    }
    case 'set-attribute': {
      const a = e.attributes.length === 0 ? undefined : e.attributes.item(m.attribute % e.attributes.length);
      if (!a) return xml;
      a.value = m.value;
      break;
    }
    case 'remove-attribute': {
      const a = e.attributes.length === 0 ? undefined : e.attributes.item(m.attribute % e.attributes.length);
      if (!a) return xml;
      e.removeAttributeNode(a);
      break;
    }
    case 'add-attribute':
      e.setAttribute(m.name, m.value);
      break;
    case 'set-text':
      e.textContent = m.text;
      break;
    case 'rename-element': {
      const renamed = doc.createElement(m.name);
      for (let i = 0; i < e.attributes.length; i++) {
        const a = e.attributes.item(i);
        if (a) renamed.setAttribute(a.name, a.value);
      }
      while (e.firstChild) renamed.appendChild(e.firstChild);
      e.parentNode?.replaceChild(renamed, e);
      break;
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

/** `text` after the steps, in order. */
export function mutate(text: string, steps: readonly Mutation[]): string {
  return steps.reduce((t, m) => ('element' in m ? applyXml(t, m) : applyText(t, m)), text);
}

// ---------------------------------------------------------------------------------------------
// Encodings: the genuine one most of the time, else the wrong binding's, broken or re-wrapped.

export type Encoding = 'base64' | 'base64-wrapped' | 'deflate' | 'base64url' | 'percent' | 'latin1' | 'utf16';
export const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('base64' as const) },
  { weight: 1, arbitrary: fc.constantFrom<Encoding>('base64-wrapped', 'deflate', 'base64url', 'percent', 'latin1', 'utf16') },
);

/** The XML as a POST-binding value (`deflate` for Redirect-binding values instead). */
export function encode(xml: string, how: Encoding): string {
  switch (how) {
    case 'base64':
      return Buffer.from(xml, 'utf8').toString('base64');
    case 'base64-wrapped':
      return (Buffer.from(xml, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
    case 'deflate':
      return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
    case 'base64url':
      return Buffer.from(xml, 'utf8').toString('base64url');
    case 'percent':
      return encodeURIComponent(Buffer.from(xml, 'utf8').toString('base64'));
    case 'latin1':
      return Buffer.from(xml, 'latin1').toString('base64');
    case 'utf16':
      return Buffer.from(xml, 'utf16le').toString('base64');
  }
}

/** Deeply nested JSON text: `[[[…]]]` or `{"a":{"a":…}}`, built as text (JSON.stringify would recurse). */
export function deepJson(depth: number, kind: 'array' | 'object', leaf = '1'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}
