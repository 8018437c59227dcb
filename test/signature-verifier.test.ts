// The one signature verifier: the same table of genuine and broken signatures against every kind
// of signed message (a Response, an assertion, an AuthnRequest, a LogoutRequest, a
// LogoutResponse), each refusal named by its fault; then the policy a POST protocol message gets.
import assert from 'node:assert/strict';
import type { SigningKey } from '../src/crypto/keys.js';
import { HarnessError, type ErrorCode } from '../src/errors.js';
import { buildAuthnRequest, signAuthnRequest, verifyEnvelopedRequestSignature } from '../src/saml/authn-request.js';
import { verifyEnvelopedMessage } from '../src/saml/enveloped-message.js';
import { buildLogoutRequest, buildLogoutResponse, signLogoutMessage } from '../src/saml/logout.js';
import { documentElement, parseXml } from '../src/saml/parse.js';
import { buildResponse } from '../src/saml/response-builder.js';
import { RESPONSE_SIGNATURE_CODES, type SignatureFault, type SignaturePolicy } from '../src/saml/signature-verifier/policy.js';
import { checkPlacement } from '../src/saml/signature-verifier/shape.js';
import { verifySigned } from '../src/saml/signature-verifier/verify-signed.js';
import { ALGORITHM, NS, type SignatureAlgorithmUrn } from '../src/saml/urn.js';
import { fixtureKey } from './support/keys.js';
import { exampleResponseSpec } from './support/response-spec.js';

const NOW = exampleResponseSpec.nowMs;
const signer = fixtureKey('idp');
const attacker = fixtureKey('attacker');
const weak = fixtureKey('weak-1024');
const HMAC_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256';

interface MessageKind {
  what: string;
  /** The message signed by `key`, and the element whose signature is checked. */
  signed(key: SigningKey, algorithm: SignatureAlgorithmUrn): { doc: Document; element: Element };
}

const parsed = (xml: string, pick: (root: Element) => Element = (root) => root) => {
  const doc = parseXml(xml);
  return { doc, element: pick(documentElement(doc)) };
};

const KINDS: MessageKind[] = [
  {
    what: 'Response',
    signed: (key, algorithm) => parsed(buildResponse({ ...exampleResponseSpec, signing: { key, algorithm, assertion: false, response: true } }).xml),
  },
  {
    what: 'assertion',
    signed: (key, algorithm) =>
      parsed(buildResponse({ ...exampleResponseSpec, signing: { key, algorithm, assertion: true, response: false } }).xml, (root) =>
        root.getElementsByTagNameNS(NS.assertion, 'Assertion')[0] as Element),
  },
  {
    what: 'AuthnRequest',
    signed: (key, algorithm) => {
      const { id, xml } = buildAuthnRequest({ issuer: 'https://sp.example', destination: 'https://idp.example/sso', acsUrl: 'https://sp.example/acs', nowMs: NOW });
      return parsed(signAuthnRequest(xml, id, key, algorithm));
    },
  },
  {
    what: 'LogoutRequest',
    signed: (key, algorithm) => {
      const { id, xml } = buildLogoutRequest({ issuer: 'https://sp.example', destination: 'https://idp.example/slo', nameId: 'ann@example.com', nowMs: NOW });
      return parsed(signLogoutMessage(xml, id, key, algorithm));
    },
  },
  {
    what: 'LogoutResponse',
    signed: (key, algorithm) => {
      const { id, xml } = buildLogoutResponse({ issuer: 'https://idp.example', destination: 'https://sp.example/slo', inResponseTo: '_req1', nowMs: NOW });
      return parsed(signLogoutMessage(xml, id, key, algorithm));
    },
  },
];

const policy = (over: Partial<SignaturePolicy> = {}): SignaturePolicy => ({
  allowSha1: false,
  minKeyBits: 2048,
  signer: 'IdP',
  keysName: 'pinned certificate',
  codes: RESPONSE_SIGNATURE_CODES,
  ...over,
});

const dsig = (element: Element, localName: string): Element => element.getElementsByTagNameNS(NS.dsig, localName)[0] as Element;
const signatureOf = (element: Element): Element => dsig(element, 'Signature');

interface Row {
  name: string;
  key?: SigningKey;
  algorithm?: SignatureAlgorithmUrn;
  edit?: (element: Element, doc: Document) => void;
  certificates?: SigningKey[];
  policy?: Partial<SignaturePolicy>;
  /** The fault refused, or undefined when the signature verifies. */
  fault?: SignatureFault;
}

const ROWS: Row[] = [
  { name: 'a genuine signature' },
  { name: 'a signature by one of several pinned certificates', certificates: [attacker, signer] },
  {
    name: 'a genuine signature whose KeyInfo names another certificate (KeyInfo is never trusted)',
    edit: (e) => (dsig(signatureOf(e), 'X509Certificate').textContent = attacker.certificateBase64),
  },
  { name: 'RSA-SHA1 when the policy allows SHA-1', algorithm: ALGORITHM.rsaSha1, policy: { allowSha1: true } },
  { name: 'a pinned certificate before its notAfter', policy: { expiry: { nowMs: NOW } } },
  { name: 'a removed signature', edit: (e) => e.removeChild(signatureOf(e)), fault: 'missing' },
  {
    name: 'a second signature inside a child element',
    edit: (e, doc) => {
      const child = doc.createElementNS('urn:example:ext', 'x:Extra');
      child.appendChild(signatureOf(e).cloneNode(true));
      e.appendChild(child);
    },
    fault: 'shape',
  },
  { name: 'a ds:Object inside the Signature (XSW8)', edit: (e, doc) => signatureOf(e).appendChild(doc.createElementNS(NS.dsig, 'ds:Object')), fault: 'shape' },
  {
    name: 'an enveloped-signature transform without exc-c14n',
    edit: (e) => {
      const last = dsig(signatureOf(e), 'Transforms').lastChild as Element;
      last.parentNode?.removeChild(last);
    },
    fault: 'shape',
  },
  { name: 'a Reference URI with quotes', edit: (e) => dsig(signatureOf(e), 'Reference').setAttribute('URI', `#${e.getAttribute('ID') ?? ''}' or '1'='1`), fault: 'shape' },
  { name: 'a Reference to another element', edit: (e) => dsig(signatureOf(e), 'Reference').setAttribute('URI', '#_elsewhere'), fault: 'shape' },
  {
    name: 'a second element claiming the signed ID through Id',
    edit: (e, doc) => {
      const twin = doc.createElementNS('urn:example:ext', 'x:Twin');
      twin.setAttribute('Id', e.getAttribute('ID') ?? '');
      e.appendChild(twin);
    },
    fault: 'shape',
  },
  { name: 'exc-c14n with comments for the SignedInfo', edit: (e) => dsig(signatureOf(e), 'CanonicalizationMethod').setAttribute('Algorithm', ALGORITHM.excC14nWithComments), fault: 'shape' },
  { name: 'an HMAC SignatureMethod', edit: (e) => dsig(signatureOf(e), 'SignatureMethod').setAttribute('Algorithm', HMAC_SHA256), fault: 'algorithm' },
  { name: 'RSA-SHA1 by default', algorithm: ALGORITHM.rsaSha1, fault: 'algorithm' },
  { name: 'a signature by a pinned 1024-bit key', key: weak, certificates: [weak], fault: 'algorithm' },
  { name: 'no pinned certificate', certificates: [], fault: 'untrusted' },
  { name: 'a signature by another key', key: attacker, fault: 'untrusted' },
  { name: 'content changed after signing', edit: (e) => e.setAttribute('IssueInstant', '2030-01-01T00:00:00Z'), fault: 'invalid' },
  { name: 'a pinned certificate past its notAfter', policy: { expiry: { nowMs: Date.parse('2200-01-01T00:00:00Z') } }, fault: 'expired' },
];

describe('verifySigned', () => {
  for (const kind of KINDS) {
    describe(`on a signed ${kind.what}`, () => {
      for (const row of ROWS) {
        it(`${row.fault ? `refuses ${row.name} as ${row.fault}` : `accepts ${row.name}`}`, () => {
          const { doc, element } = kind.signed(row.key ?? signer, row.algorithm ?? ALGORITHM.rsaSha256);
          row.edit?.(element, doc);
          const p = policy(row.policy);
          const certificates = (row.certificates ?? [signer]).map((k) => k.certificate);
          const run = () => {
            checkPlacement([doc], [element], kind.what, p);
            return verifySigned(element, certificates, p, kind.what);
          };
          if (row.fault === undefined) {
            const { bytes, key } = run();
            const signedRoot = documentElement(parseXml(bytes));
            assert.equal(signedRoot.localName, element.localName);
            assert.equal(signedRoot.getAttribute('ID'), element.getAttribute('ID'));
            assert.equal(signedRoot.getElementsByTagNameNS(NS.dsig, 'Signature').length, 0, 'the enveloped signature is not part of the signed bytes');
            assert.equal(key.fingerprint, signer.certificate.fingerprint256);
            return;
          }
          const code: ErrorCode = RESPONSE_SIGNATURE_CODES[row.fault];
          assert.throws(run, (err) => err instanceof HarnessError && err.code === code && err.message.includes(kind.what));
        });
      }
    });
  }
});

describe('the signature policy of an HTTP-POST protocol message', () => {
  const { id, xml } = buildAuthnRequest({ issuer: 'https://sp.example', destination: 'https://idp.example/sso', acsUrl: 'https://sp.example/acs', nowMs: NOW });
  const refusedWith = (code: ErrorCode, message: RegExp) => (err: unknown) => err instanceof HarnessError && err.code === code && message.test(err.message);

  it('refuses an AuthnRequest signed by a pinned SP key under 2048 bits', () => {
    const signed = signAuthnRequest(xml, id, weak, ALGORITHM.rsaSha256);
    assert.throws(() => verifyEnvelopedRequestSignature(signed, [weak.certificate], { allowSha1: false }), refusedWith('IDP_REQUEST_SIGNATURE', /every certificate from the SP metadata has a key that is refused/));
  });

  it('refuses a Signature holding a ds:Object with the endpoint code', () => {
    const signed = signAuthnRequest(xml, id, fixtureKey('sp'), ALGORITHM.rsaSha256).replace('</ds:Signature>', '<ds:Object/></ds:Signature>');
    assert.throws(() => verifyEnvelopedRequestSignature(signed, [fixtureKey('sp').certificate], { allowSha1: false }), refusedWith('IDP_REQUEST_SIGNATURE', /children a SAML signature has/));
  });

  it('reports every fault of a LogoutResponse with the code it is given', () => {
    const response = buildLogoutResponse({ issuer: 'https://idp.example', destination: 'https://sp.example/slo', inResponseTo: '_req1', nowMs: NOW });
    const signed = signLogoutMessage(response.xml, response.id, signer, ALGORITHM.rsaSha1);
    const check = { allowSha1: false, what: 'LogoutResponse', signer: 'IdP', code: 'SLO_RESPONSE_INVALID' } as const;
    assert.throws(() => verifyEnvelopedMessage(signed, [signer.certificate], check), refusedWith('SLO_RESPONSE_INVALID', /SHA-1 is refused/));
    assert.throws(() => verifyEnvelopedMessage(response.xml, [signer.certificate], check), refusedWith('SLO_RESPONSE_INVALID', /LogoutResponse is not signed/));
  });
});
