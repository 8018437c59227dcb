import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { loginNonceHash } from '../src/crypto/login-binding.js';
import { HarnessError, type ErrorCode } from '../src/errors.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { parseXml } from '../src/saml/parse.js';
import { buildResponse, type ResponseSpec } from '../src/saml/response-builder.js';
import { ALGORITHM, NAMEID_FORMAT, NS, STATUS } from '../src/saml/urn.js';
import { peekDocument, RESPONSE_CHECKS, runChecks, validateResponse } from '../src/saml/validate/pipeline.js';
import { storeFull } from '../src/store/types.js';
import type {
  Check,
  OutstandingRequest,
  ResponseExpectations,
  ValidatedAssertion,
  ValidationResult,
  ValidationState,
} from '../src/saml/validate/types.js';
import { fixtureKey } from './support/keys.js';
import {
  assertionIn,
  EVIL_NAME_ID,
  HMAC_SHA1,
  XSLT,
  XSW,
  editXml,
  nameIdMarkup,
  removeSignatures,
  resign,
  signatureIn,
  signedInfoIn,
  withDoctype,
  withoutSignature,
  wrapAssertionIn,
} from './support/response-faults.js';
import { ACS, expectations, IDP, NOW, SP } from './support/response-spec.js';

const keys = { idp: fixtureKey('idp'), sp: fixtureKey('sp'), attacker: fixtureKey('attacker'), weak: fixtureKey('weak-1024') };
const fixtureDir = fileURLToPath(new URL('../fixtures/saml/', import.meta.url));
/** The login-binding nonces of the browser that started request `_bound`, and of another browser. */
const STARTING_BROWSER = 'a'.repeat(43);
const OTHER_BROWSER = 'b'.repeat(43);

/** In-memory ValidationState: outstanding requests and seen assertion IDs, each with expiry. */
class MemoryValidationState implements ValidationState {
  private readonly requests = new Map<string, OutstandingRequest>();
  private readonly assertions = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  addRequest(request: OutstandingRequest): this {
    this.requests.set(request.id, request);
    return this;
  }

  async takeRequest(id: string): Promise<OutstandingRequest | undefined> {
    const request = this.requests.get(id);
    this.requests.delete(id);
    return request && request.expiresAtMs > this.now() ? request : undefined;
  }

  async rememberAssertion(id: string, expiresAtMs: number): Promise<boolean> {
    for (const [seen, until] of this.assertions) if (until <= this.now()) this.assertions.delete(seen);
    if (this.assertions.has(id)) return false;
    this.assertions.set(id, expiresAtMs);
    return true;
  }
}

type Signing = { assertion?: boolean; response?: boolean; key?: keyof typeof keys; algorithm?: ResponseSpec['signing']['algorithm'] };

function spec(overrides: Partial<ResponseSpec> = {}, signing: Signing = {}): ResponseSpec {
  return {
    issuer: IDP,
    destination: ACS,
    audience: SP,
    inResponseTo: '_req1',
    nameId: 'ann@example.com',
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    sessionIndex: '_session1',
    nowMs: NOW,
    attributes: [
      { name: 'email', values: ['ann@example.com'] },
      { name: 'number', values: ['+16505550100'] },
    ],
    ...overrides,
    signing: {
      key: keys[signing.key ?? 'idp'],
      algorithm: signing.algorithm ?? ALGORITHM.rsaSha256,
      assertion: signing.assertion ?? true,
      response: signing.response ?? false,
    },
  };
}

const build = (overrides: Partial<ResponseSpec> = {}, signing: Signing = {}): string => buildResponse(spec(overrides, signing)).xml;
const both: Signing = { assertion: true, response: true };
const responseOnly: Signing = { assertion: false, response: true };
const fixture = (name: string) => (): string => readFileSync(`${fixtureDir}${name}.xml`, 'utf8');
/** A built response with `edit` applied to its DOM. */
const edited = (edit: (response: Element, doc: Document) => void, overrides: Partial<ResponseSpec> = {}, signing: Signing = {}) => (): string =>
  editXml(build(overrides, signing), edit);

interface Harness {
  state: MemoryValidationState;
  expect: ResponseExpectations;
  submit(xml: string): Promise<ValidationResult>;
}

function harness(overrides: Partial<ResponseExpectations> = {}): Harness {
  const expect = expectations(overrides);
  const state = new MemoryValidationState(() => expect.nowMs)
    .addRequest({ id: '_req1', scope: 'acct-1', expiresAtMs: NOW + 600_000 })
    .addRequest({ id: '_req2', scope: 'acct-2', expiresAtMs: NOW + 600_000 })
    .addRequest({ id: '_stale', scope: 'acct-1', expiresAtMs: NOW - 1 })
    .addRequest({ id: '_bound', scope: 'acct-1', expiresAtMs: NOW + 600_000, browserHash: loginNonceHash(STARTING_BROWSER) });
  return { state, expect, submit: (xml) => validateResponse(encodePostMessage(xml), expect, state) };
}

function verdictsOf(r: ValidationResult): string {
  return r.checks.map((c) => `${c.check}:${c.verdict}`).join(' ');
}

/** The result failed at `at` with `code`: earlier checks passed, later ones were skipped. */
function assertFailure(r: ValidationResult, code: ErrorCode, at: string): HarnessError {
  assert.equal(r.ok, false, `expected ${code} at ${at}, got a pass`);
  if (r.ok) throw new Error('unreachable');
  assert.equal(r.error.code, code, `${r.error.code}: ${r.error.message}`);
  const i = r.checks.findIndex((c) => c.verdict === 'fail');
  assert.equal(r.checks[i]?.check, at, verdictsOf(r));
  assert.equal(r.checks[i]?.code, code);
  assert.ok(r.checks.slice(0, i).every((c) => c.verdict === 'pass'), verdictsOf(r));
  assert.ok(r.checks.slice(i + 1).every((c) => c.verdict === 'skip'), verdictsOf(r));
  assert.ok(r.error.details.expected, `no expected in ${r.error.message}`);
  assert.ok(r.error.details.received, `no received in ${r.error.message}`);
  return r.error;
}

function assertSuccess(r: ValidationResult): ValidatedAssertion {
  assert.ok(r.ok, r.ok ? '' : `${r.error.code} (${r.error.message}) ${verdictsOf(r)}`);
  assert.ok(r.checks.every((c) => c.verdict === 'pass'));
  assert.equal(r.checks.length, RESPONSE_CHECKS.length);
  return r.assertion;
}

interface Case {
  name: string;
  xml?: () => string;
  /** Raw SAMLResponse value, when the case is about the encoding. */
  encoded?: string;
  expect?: Partial<ResponseExpectations>;
  /** Runs first with the same harness (e.g. a first use of a request or an assertion). */
  before?: (h: Harness, xml: string) => Promise<void>;
  fails?: [ErrorCode, string];
  then?: (detail: { assertion?: ValidatedAssertion; error?: HarnessError }) => void;
}

const accepted: Case[] = [
  {
    name: 'accepts a response posted by the browser that started the login',
    xml: () => build({ inResponseTo: '_bound' }),
    expect: { browser: { nonces: [OTHER_BROWSER, STARTING_BROWSER] } },
    then: ({ assertion: a }) => assert.equal(a?.inResponseTo, '_bound'),
  },
  {
    name: 'accepts a response with only the assertion signed',
    xml: () => build(),
    then: ({ assertion: a }) => {
      assert.deepEqual(a?.signed, { response: false, assertion: true });
      assert.equal(a?.email, 'ann@example.com');
      assert.equal(a?.number, '+16505550100');
      assert.equal(a?.issuer, IDP);
      assert.equal(a?.inResponseTo, '_req1');
      assert.equal(a?.request?.scope, 'acct-1');
      assert.equal(a?.sessionIndex, '_session1');
      assert.equal(a?.notOnOrAfterMs, NOW + 300_000);
      assert.deepEqual(a?.attributes, { email: ['ann@example.com'], number: ['+16505550100'] });
    },
  },
  { name: 'accepts a response with only the Response signed', xml: () => build({}, responseOnly), then: ({ assertion: a }) => assert.deepEqual(a?.signed, { response: true, assertion: false }) },
  { name: 'accepts a response with both Response and assertion signed', xml: () => build({}, both), then: ({ assertion: a }) => assert.deepEqual(a?.signed, { response: true, assertion: true }) },
  {
    name: 'takes the email from the NameID when the account maps it so',
    xml: () => build({ nameId: 'bob@example.com', attributes: [{ name: 'number', values: ['101'] }] }),
    expect: { emailFrom: { kind: 'nameid' } },
    then: ({ assertion: a }) => assert.equal(a?.email, 'bob@example.com'),
  },
  {
    name: 'accepts an unsolicited response when the account allows IdP-initiated login',
    xml: () => build({ inResponseTo: undefined }),
    expect: { allowUnsolicited: true },
    then: ({ assertion: a }) => assert.equal(a?.request, undefined),
  },
  { name: 'accepts an rsa-sha1 signature when the account allows SHA-1', xml: () => build({}, { algorithm: ALGORITHM.rsaSha1 }), expect: { allowSha1: true } },
  { name: 'accepts a NotBefore still ahead by less than the clock skew', xml: () => build(), expect: { nowMs: NOW - 60_000 - 60_000 + 1_000 } },
  { name: 'accepts a missing number attribute when the account does not require it', xml: () => build({ attributes: [{ name: 'email', values: ['ann@example.com'] }] }), expect: { requireNumberAttribute: false }, then: ({ assertion: a }) => assert.equal(a?.number, undefined) },
  {
    name: 'ignores an attacker certificate in KeyInfo when the pinned key verifies',
    xml: edited((r) => {
      const cert = signatureIn(assertionIn(r)).getElementsByTagNameNS(NS.dsig, 'X509Certificate')[0] as Element;
      cert.textContent = keys.attacker.certificateBase64;
    }),
  },
  { name: 'accepts an unsigned Response without Destination around a signed assertion', xml: edited((r) => r.removeAttribute('Destination')) },
  {
    name: 'accepts an assertion signed with InclusiveNamespaces for a prefix declared on the Response',
    xml: fixture('valid/response.assertion-signed.inclusive-namespaces'),
    then: ({ assertion: a }) => assert.equal(a?.email, 'ann@example.com'),
  },
  { name: 'accepts a NameID of another format that is not an address', xml: () => build({ nameId: 'ann.1', nameIdFormat: NAMEID_FORMAT.persistent }), then: ({ assertion: a }) => assert.equal(a?.nameId, 'ann.1') },
  { name: 'accepts an emailAddress NameID with a plus, a subdomain and surrounding whitespace', xml: () => build({ nameId: ' ann+sso@mail.example.co.uk\n' }), then: ({ assertion: a }) => assert.equal(a?.nameId, 'ann+sso@mail.example.co.uk') },
  { name: 'accepts a signature by the second of two pinned certificates (rollover)', xml: () => build(), expect: { idpCertificates: [keys.sp.certificate, keys.idp.certificate] } },
];

const xswCases: Case[] = Object.entries(XSW).map(([name, apply]) => ({
  name: `rejects ${name} signature wrapping`,
  xml: edited(apply, {}, name === 'XSW1' || name === 'XSW2' ? responseOnly : {}),
  fails: ['SAML_ASSERTION_COUNT', 'assertion-count'],
}));

const rejected: Case[] = [
  // decode and XML hygiene
  { name: 'rejects a SAMLResponse that is not base64', encoded: 'not base64!', fails: ['SAML_MESSAGE_ENCODING', 'decode'] },
  { name: 'rejects an empty SAMLResponse', encoded: '', fails: ['SAML_MESSAGE_MISSING', 'decode'] },
  { name: 'rejects input larger than the size cap', xml: () => build(), expect: { limits: { maxEncodedBytes: 1_000, maxXmlBytes: 1_000_000 } }, fails: ['SAML_MESSAGE_TOO_LARGE', 'decode'] },
  { name: 'rejects a DOCTYPE', xml: () => withDoctype(build()), fails: ['SAML_XML_FORBIDDEN', 'xml'] },
  { name: 'rejects an external entity (XXE)', xml: () => withDoctype(nameIdMarkup(build(), 'ann@example.com', '&x;'), '<!ENTITY x SYSTEM "file:///etc/passwd">'), fails: ['SAML_XML_FORBIDDEN', 'xml'] },
  { name: 'rejects entity expansion (billion laughs)', xml: () => withDoctype(build(), '<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'), fails: ['SAML_XML_FORBIDDEN', 'xml'] },
  { name: 'rejects a comment truncating the NameID', xml: () => nameIdMarkup(build({ nameId: 'victim@example.com.attacker.tld' }), 'victim@example.com.attacker.tld', 'victim@example.com<!---->.attacker.tld'), fails: ['SAML_XML_FORBIDDEN', 'xml'] },
  { name: 'rejects a processing instruction splitting the NameID', xml: () => nameIdMarkup(build({ nameId: 'not-an-admin@example.com' }), 'not-an-admin@example.com', '<?p not-an-?>admin@example.com'), fails: ['SAML_XML_FORBIDDEN', 'xml'] },
  { name: 'rejects a CDATA section in the NameID', xml: () => nameIdMarkup(build({ nameId: 'victim.evil' }), 'victim.evil', 'victim<![CDATA[.evil]]>'), fails: ['SAML_XML_FORBIDDEN', 'xml'] },
  { name: 'rejects a second document element', xml: () => `${build()}<samlp:Response xmlns:samlp="${NS.protocol}"/>`, fails: ['SAML_XML_MALFORMED', 'xml'] },
  // message and status
  { name: 'rejects a message that is not a Response', xml: () => `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" ID="_a" Version="2.0"/>`, fails: ['SAML_MESSAGE_UNEXPECTED', 'message'] },
  { name: 'rejects a Response that is not version 2.0', xml: edited((r) => r.setAttribute('Version', '1.1')), fails: ['SAML_VERSION', 'message'] },
  {
    name: 'rejects a Responder status and shows its AuthnFailed sub-code',
    xml: () => build({ status: { code: STATUS.responder, subCode: STATUS.authnFailed, message: 'wrong password' } }),
    fails: ['SAML_STATUS', 'status'],
    then: ({ error }) => {
      assert.match(error?.details.received ?? '', new RegExp(`${STATUS.responder} / ${STATUS.authnFailed} / "wrong password"`));
      assert.match(error?.message ?? '', /Responder \(AuthnFailed\): wrong password/);
    },
  },
  // one assertion, where it belongs
  ...xswCases,
  { name: 'rejects the signed assertion wrapped in SubjectConfirmationData', xml: edited(wrapAssertionIn('SubjectConfirmationData')), fails: ['SAML_ASSERTION_COUNT', 'assertion-count'] },
  { name: 'rejects the signed assertion wrapped in Advice', xml: edited(wrapAssertionIn('Advice')), fails: ['SAML_ASSERTION_COUNT', 'assertion-count'] },
  { name: 'rejects a second, unsigned assertion after the signed one', xml: edited((r) => r.appendChild(withoutSignature(assertionIn(r)))), fails: ['SAML_ASSERTION_COUNT', 'assertion-count'] },
  { name: 'rejects an assertion nested in the signed assertion', xml: edited((r) => assertionIn(r).appendChild(assertionIn(r).cloneNode(true))), fails: ['SAML_ASSERTION_COUNT', 'assertion-count'] },
  {
    name: 'rejects an EncryptedAssertion by name',
    xml: edited((r, doc) => r.replaceChild(doc.createElementNS(NS.assertion, 'saml:EncryptedAssertion'), assertionIn(r))),
    fails: ['SAML_ENCRYPTED_ASSERTION', 'assertion-count'],
  },
  // signature shape
  {
    name: 'rejects a second element carrying the signed ID',
    xml: edited((r, doc) => {
      const ext = doc.createElementNS(NS.protocol, 'samlp:Extensions');
      const twin = doc.createElementNS('urn:example:ext', 'x:Twin');
      twin.setAttribute('ID', assertionIn(r).getAttribute('ID') ?? '');
      ext.appendChild(twin);
      r.insertBefore(ext, assertionIn(r));
    }),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  {
    name: 'rejects a signature outside the Response and Assertion',
    xml: edited((r, doc) => {
      const ext = doc.createElementNS(NS.protocol, 'samlp:Extensions');
      ext.appendChild(signatureIn(assertionIn(r)).cloneNode(true));
      r.insertBefore(ext, assertionIn(r));
    }),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  {
    name: 'rejects a Response signature whose Reference points to the assertion',
    xml: edited((r) => r.replaceChild(signatureIn(assertionIn(r)).cloneNode(true), signatureIn(r)), {}, both),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  {
    name: 'rejects a foreign XSLT transform',
    xml: edited((r) => {
      const transform = signedInfoIn(assertionIn(r)).getElementsByTagNameNS(NS.dsig, 'Transform')[0] as Element;
      transform.setAttribute('Algorithm', XSLT);
    }),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  {
    name: 'rejects a Reference URI covering the whole document',
    xml: edited((r) => (signedInfoIn(assertionIn(r)).getElementsByTagNameNS(NS.dsig, 'Reference')[0] as Element).setAttribute('URI', '')),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  {
    name: 'rejects a Reference URI with quotes',
    xml: edited((r) => {
      const ref = signedInfoIn(assertionIn(r)).getElementsByTagNameNS(NS.dsig, 'Reference')[0] as Element;
      ref.setAttribute('URI', `${ref.getAttribute('URI') ?? ''}' or '1'='1`);
    }),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  {
    name: 'rejects a signature with two SignedInfo',
    xml: edited((r) => signatureIn(assertionIn(r)).insertBefore(signedInfoIn(assertionIn(r)).cloneNode(true), signedInfoIn(assertionIn(r)))),
    fails: ['SAML_SIGNATURE_SHAPE', 'signature-shape'],
  },
  // algorithms
  { name: 'rejects rsa-sha1 by default', xml: () => build({}, { algorithm: ALGORITHM.rsaSha1 }), fails: ['SAML_SIGNATURE_ALGORITHM', 'signature-algorithm'] },
  {
    name: 'rejects an HMAC SignatureMethod',
    xml: edited((r) => (signedInfoIn(assertionIn(r)).getElementsByTagNameNS(NS.dsig, 'SignatureMethod')[0] as Element).setAttribute('Algorithm', HMAC_SHA1)),
    fails: ['SAML_SIGNATURE_ALGORITHM', 'signature-algorithm'],
  },
  { name: 'rejects a pinned 1024-bit key', xml: () => build({}, { key: 'weak' }), expect: { idpCertificates: [keys.weak.certificate] }, fails: ['SAML_SIGNATURE_ALGORITHM', 'signature-algorithm'] },
  // presence and verification
  { name: 'rejects a response whose signatures were removed', xml: edited(removeSignatures, {}, both), fails: ['SAML_SIGNATURE_MISSING', 'signature-present'] },
  {
    name: 'rejects an assertion re-signed by an attacker with their certificate in KeyInfo',
    xml: () => {
      const built = buildResponse(spec());
      return resign(editXml(built.xml, (r) => setNameIdOf(r, EVIL_NAME_ID)), built.assertionId as string, keys.attacker);
    },
    fails: ['SAML_SIGNATURE_UNTRUSTED', 'signature-verify'],
    then: ({ error }) => {
      assert.match(error?.details.expected ?? '', new RegExp(keys.idp.certificate.fingerprint256));
      assert.match(error?.details.received ?? '', new RegExp(keys.attacker.certificate.fingerprint256));
    },
  },
  {
    name: 'rejects a signature by an unknown key without KeyInfo',
    xml: edited((r) => {
      const sig = signatureIn(assertionIn(r));
      sig.removeChild(sig.getElementsByTagNameNS(NS.dsig, 'KeyInfo')[0] as Element);
    }, {}, { key: 'sp' }),
    fails: ['SAML_SIGNATURE_UNTRUSTED', 'signature-verify'],
    then: ({ error }) => assert.match(error?.details.received ?? '', /no certificate in KeyInfo/),
  },
  { name: 'rejects a NameID edited after signing (digest mismatch)', xml: edited((r) => setNameIdOf(r, EVIL_NAME_ID)), fails: ['SAML_SIGNATURE_INVALID', 'signature-verify'] },
  { name: 'rejects a Response edited after signing', xml: edited((r) => r.setAttribute('InResponseTo', '_req2'), {}, both), fails: ['SAML_SIGNATURE_INVALID', 'signature-verify'] },
  // claims
  { name: 'rejects another issuer', xml: () => build({ issuer: 'https://idp.evil.example' }), fails: ['SAML_ISSUER', 'issuer'] },
  { name: 'rejects an assertion without Issuer', xml: fixture('invalid/response.assertion-signed.issuer-missing'), fails: ['SAML_ISSUER', 'issuer'] },
  { name: 'rejects a Response Issuer other than the IdP', xml: edited((r) => ((r.getElementsByTagNameNS(NS.assertion, 'Issuer')[0] as Element).textContent = 'https://idp.evil.example')), fails: ['SAML_ISSUER', 'issuer'] },
  { name: 'rejects another Destination', xml: () => build({ destination: 'https://evil.example/acs', recipient: ACS }, both), fails: ['SAML_DESTINATION', 'destination'] },
  { name: 'rejects a signed Response without Destination', xml: fixture('invalid/response.root-signed.assertion-unsigned.destination-missing'), fails: ['SAML_DESTINATION', 'destination'] },
  { name: 'rejects another Recipient', xml: () => build({ recipient: 'https://evil.example/acs' }), fails: ['SAML_RECIPIENT', 'subject-confirmation'] },
  { name: 'rejects an assertion without bearer confirmation', xml: fixture('invalid/response.assertion-signed.confirmation-holder-of-key'), fails: ['SAML_SUBJECT_CONFIRMATION', 'subject-confirmation'] },
  { name: 'rejects a bearer confirmation with NotBefore', xml: fixture('invalid/response.assertion-signed.confirmation-not-before'), fails: ['SAML_SUBJECT_CONFIRMATION', 'subject-confirmation'] },
  { name: 'rejects a malformed confirmation NotOnOrAfter', xml: fixture('invalid/response.assertion-signed.confirmation-not-on-or-after-malformed'), fails: ['SAML_TIME_MALFORMED', 'subject-confirmation'] },
  { name: 'rejects an expired assertion', xml: () => build(), expect: { nowMs: NOW + 300_000 + 60_000 + 1_000 }, fails: ['SAML_EXPIRED', 'subject-confirmation'] },
  { name: 'rejects an assertion at exactly NotOnOrAfter without skew (exclusive)', xml: () => build(), expect: { nowMs: NOW + 300_000, allowedClockSkewSec: 0 }, fails: ['SAML_EXPIRED', 'subject-confirmation'] },
  { name: 'rejects another audience', xml: () => build({ audience: 'https://other-sp.example' }), fails: ['SAML_AUDIENCE', 'audience'] },
  { name: 'rejects an assertion without AudienceRestriction', xml: fixture('invalid/response.assertion-signed.audience-missing'), fails: ['SAML_AUDIENCE', 'audience'] },
  { name: 'rejects a second AudienceRestriction for another SP', xml: fixture('invalid/response.assertion-signed.audience-second-restriction-other'), fails: ['SAML_AUDIENCE', 'audience'] },
  { name: 'rejects an assertion not valid yet', xml: () => build(), expect: { nowMs: NOW - 60_000 - 60_000 - 1_000 }, fails: ['SAML_NOT_YET_VALID', 'time-window'] },
  { name: 'rejects a malformed Conditions NotOnOrAfter', xml: fixture('invalid/response.assertion-signed.conditions-not-on-or-after-malformed'), fails: ['SAML_TIME_MALFORMED', 'time-window'] },
  { name: 'rejects a passed SessionNotOnOrAfter', xml: () => build({ sessionLifetimeSec: 60 }), expect: { nowMs: NOW + 121_000 }, fails: ['SAML_EXPIRED', 'time-window'] },
  { name: 'rejects an empty NameID', xml: () => build({ nameId: '' }), fails: ['SAML_NAME_ID', 'name-id'], then: ({ error }) => assert.equal(error?.details.received, 'an empty NameID') },
  { name: 'rejects a NameID of whitespace only', xml: () => build({ nameId: ' \n\t ', nameIdFormat: NAMEID_FORMAT.unspecified }), fails: ['SAML_NAME_ID', 'name-id'] },
  { name: 'rejects an emailAddress NameID that is not an address', xml: () => build({ nameId: 'ann' }), fails: ['SAML_NAME_ID', 'name-id'], then: ({ error }) => assert.match(error?.details.received ?? '', /"ann"/) },
  { name: 'rejects an emailAddress NameID with a display name', xml: () => build({ nameId: 'Ann <ann@example.com>' }), fails: ['SAML_NAME_ID', 'name-id'] },
  { name: 'rejects an emailAddress NameID with an empty domain label', xml: () => build({ nameId: 'ann@example..com' }), fails: ['SAML_NAME_ID', 'name-id'] },
  {
    name: 'rejects an assertion Subject without NameID',
    xml: () => {
      const xml = editXml(build({}, responseOnly), (r) => {
        const nameId = r.getElementsByTagNameNS(NS.assertion, 'NameID')[0] as Element;
        nameId.parentNode?.removeChild(nameId);
      });
      return resign(xml, /ID="([^"]+)"/.exec(xml)?.[1] ?? '', keys.idp);
    },
    fails: ['SAML_NAME_ID', 'name-id'],
  },
  {
    name: 'rejects a missing email attribute and lists what arrived',
    xml: () => build({ attributes: [{ name: 'number', values: ['101'] }] }),
    fails: ['SAML_ATTRIBUTE_EMAIL', 'attributes'],
    then: ({ error }) => assert.equal(error?.details.received, 'attributes: number'),
  },
  {
    name: 'rejects an email attribute under another name (names compare exactly)',
    xml: () => build({ attributes: [{ name: 'Email', values: ['ann@example.com'] }, { name: 'number', values: ['101'] }] }),
    fails: ['SAML_ATTRIBUTE_EMAIL', 'attributes'],
    then: ({ error }) => {
      assert.equal(error?.details.received, 'attributes: Email, number');
      assert.match(error?.details.expected ?? '', /"email"/);
    },
  },
  { name: 'rejects a missing number attribute', xml: () => build({ attributes: [{ name: 'email', values: ['ann@example.com'] }] }), fails: ['SAML_ATTRIBUTE_NUMBER', 'attributes'] },
  // state
  {
    name: 'rejects a response posted by a browser that sent no login cookie',
    xml: () => build({ inResponseTo: '_bound' }),
    expect: { browser: { nonces: [] } },
    fails: ['SP_LOGIN_OTHER_BROWSER', 'browser-binding'],
  },
  {
    name: 'rejects a response posted by another browser (login CSRF)',
    xml: () => build({ inResponseTo: '_bound' }),
    expect: { browser: { nonces: [OTHER_BROWSER] } },
    fails: ['SP_LOGIN_OTHER_BROWSER', 'browser-binding'],
  },
  {
    name: 'rejects a response to a request bound to no browser when the caller binds logins',
    xml: () => build(),
    expect: { browser: { nonces: [STARTING_BROWSER] } },
    fails: ['SP_LOGIN_OTHER_BROWSER', 'browser-binding'],
  },
  { name: 'rejects an unknown InResponseTo', xml: () => build({ inResponseTo: '_unknown' }), fails: ['SAML_IN_RESPONSE_TO', 'in-response-to'] },
  { name: 'rejects an InResponseTo of another account', xml: () => build({ inResponseTo: '_req2' }), fails: ['SAML_IN_RESPONSE_TO', 'in-response-to'] },
  { name: 'rejects an InResponseTo of an expired request', xml: () => build({ inResponseTo: '_stale' }), fails: ['SAML_IN_RESPONSE_TO', 'in-response-to'] },
  { name: 'rejects a reused InResponseTo', xml: () => build(), before: async (h) => void assertSuccess(await h.submit(build())), fails: ['SAML_IN_RESPONSE_TO', 'in-response-to'] },
  { name: 'rejects Response and SubjectConfirmationData InResponseTo that disagree', xml: edited((r) => r.setAttribute('InResponseTo', '_req2')), fails: ['SAML_IN_RESPONSE_TO', 'in-response-to'] },
  { name: 'rejects an InResponseTo only on the unsigned Response', xml: edited((r) => r.setAttribute('InResponseTo', '_req1'), { inResponseTo: undefined }), fails: ['SAML_IN_RESPONSE_TO', 'in-response-to'] },
  { name: 'rejects an unsolicited response by default', xml: () => build({ inResponseTo: undefined }), fails: ['SAML_UNSOLICITED', 'in-response-to'] },
  {
    name: 'rejects a replayed assertion',
    xml: () => build({ inResponseTo: undefined }),
    expect: { allowUnsolicited: true },
    before: async (h, xml) => void assertSuccess(await h.submit(xml)),
    fails: ['SAML_REPLAY', 'replay'],
  },
];

function setNameIdOf(response: Element, value: string): void {
  const nameId = response.getElementsByTagNameNS(NS.assertion, 'NameID')[0] as Element;
  nameId.textContent = value;
}

async function run(c: Case): Promise<ValidationResult> {
  const h = harness(c.expect);
  const xml = c.xml?.() ?? '';
  await c.before?.(h, xml);
  return c.encoded !== undefined ? validateResponse(c.encoded, h.expect, h.state) : h.submit(xml);
}

describe('validateResponse', () => {
  for (const c of accepted) {
    it(c.name, async () => {
      const assertion = assertSuccess(await run(c));
      c.then?.({ assertion });
    });
  }
  for (const c of rejected) {
    it(c.name, async () => {
      const [code, at] = c.fails as [ErrorCode, string];
      const error = assertFailure(await run(c), code, at);
      c.then?.({ error });
    });
  }

  it('leaves the request usable after a tampered response', async () => {
    const h = harness();
    assertFailure(await h.submit(editXml(build(), (r) => setNameIdOf(r, EVIL_NAME_ID))), 'SAML_SIGNATURE_INVALID', 'signature-verify');
    assertFailure(await h.submit(build({ audience: 'https://other-sp.example' })), 'SAML_AUDIENCE', 'audience');
    assert.equal(assertSuccess(await h.submit(build())).inResponseTo, '_req1');
  });

  it('reports a failing store as INTERNAL at in-response-to instead of throwing', async () => {
    const state: ValidationState = {
      takeRequest: () => Promise.reject(new Error('store offline')),
      rememberAssertion: () => Promise.resolve(true),
    };
    const r = await validateResponse(encodePostMessage(build()), expectations(), state);
    assert.match(assertFailure(r, 'INTERNAL', 'in-response-to').message, /store offline/);
  });

  it('refuses a response when the replay cache is full of live IDs, leaving the outstanding request usable', async () => {
    let taken = false;
    const state: ValidationState = {
      takeRequest: () => {
        taken = true;
        return Promise.resolve(undefined);
      },
      rememberAssertion: () => Promise.reject(storeFull('sp.assertions', 1_000_000)),
    };
    const r = await validateResponse(encodePostMessage(build()), expectations(), state);
    assert.match(assertFailure(r, 'STORE_FULL', 'replay').message, /1,000,000 live entries/);
    assert.equal(taken, false);
  });

  it('runs the state-changing checks last, replay first (browser-binding and relay-state need the request in-response-to found)', () => {
    assert.deepEqual(RESPONSE_CHECKS.slice(-4).map((c) => c.id), ['replay', 'in-response-to', 'browser-binding', 'relay-state']);
    assert.equal(new Set(RESPONSE_CHECKS.map((c) => c.id)).size, RESPONSE_CHECKS.length);
  });
});

describe('validateResponse defences in depth', () => {
  const without = (id: string): Check[] => RESPONSE_CHECKS.filter((c) => c.id !== id);

  for (const [name, apply] of Object.entries(XSW)) {
    it(`refuses ${name} at signature-shape even without the assertion-count check`, async () => {
      const signing = name === 'XSW1' || name === 'XSW2' ? responseOnly : {};
      const h = harness();
      const r = await runChecks(without('assertion-count'), encodePostMessage(edited(apply, {}, signing)()), h.expect, h.state);
      assertFailure(r, 'SAML_SIGNATURE_SHAPE', 'signature-shape');
    });
  }

  it('reads the NameID from the signed bytes when a PI splits it and the hygiene check is gone', async () => {
    // Row 13: xml-crypto's c14n renders the PI as text, so the digest still matches, while the
    // received DOM's textContent reads "admin@example.com".
    const lenientXml: Check = {
      id: 'xml',
      title: 'lenient parse (test only)',
      run(ctx) {
        ctx.doc = new DOMParser().parseFromString(ctx.xml ?? '', 'text/xml');
        return 'lenient';
      },
    };
    const xml = nameIdMarkup(build({ nameId: 'not-an-admin@example.com' }), 'not-an-admin@example.com', '<?p not-an-?>admin@example.com');
    const received = new DOMParser().parseFromString(xml, 'text/xml').getElementsByTagNameNS(NS.assertion, 'NameID')[0];
    assert.equal(received?.textContent, 'admin@example.com');
    const h = harness({ emailFrom: { kind: 'nameid' } });
    const checks = RESPONSE_CHECKS.map((c) => (c.id === 'xml' ? lenientXml : c));
    const r = await runChecks(checks, encodePostMessage(xml), h.expect, h.state);
    assert.equal(assertSuccess(r).email, 'not-an-admin@example.com');
  });
});

describe('peekDocument', () => {
  const peekResponse = (xml: string) => peekDocument(parseXml(xml));

  it('reads the Response issuer and InResponseTo without verifying', () => {
    assert.deepEqual(peekResponse(build()), { issuer: IDP, inResponseTo: '_req1' });
  });

  it('falls back to the assertion issuer', () => {
    const xml = editXml(build({ inResponseTo: undefined }), (r) => r.removeChild(r.getElementsByTagNameNS(NS.assertion, 'Issuer')[0] as Element));
    assert.deepEqual(peekResponse(xml), { issuer: IDP });
  });

  it('applies the XML hygiene rules', () => {
    assert.throws(() => peekResponse(withDoctype(build())), (err: unknown) => err instanceof HarnessError && err.code === 'SAML_XML_FORBIDDEN');
  });
});
