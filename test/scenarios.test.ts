import assert from 'node:assert/strict';
import { constants, createDecipheriv, privateDecrypt } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { HarnessError } from '../src/errors.js';
import { descendants, firstChild } from '../src/saml/dom.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { buildResponse, type ResponseSpec } from '../src/saml/response-builder.js';
import { RESPONSE_SCENARIOS, scenarioById } from '../src/saml/scenarios/catalogue.js';
import { assertionIn, digestMethodOf, digestOf, digestValueIn, referenceIn, signatureIn } from '../src/saml/scenarios/dom-edit.js';
import { INJECTION_ATTRIBUTE, INJECTION_PAYLOAD } from '../src/saml/scenarios/injection.js';
import type { ResponseScenario, ScenarioContext } from '../src/saml/scenarios/types.js';
import { ALGORITHM, NAMEID_FORMAT, NS } from '../src/saml/urn.js';
import { RESPONSE_CHECKS, runChecks } from '../src/saml/validate/pipeline.js';
import type { Check, OutstandingRequest, ResponseExpectations, ValidationResult, ValidationState } from '../src/saml/validate/types.js';
import { fixtureKey } from './support/keys.js';
import { ACS, expectations, IDP, NOW, SP } from './support/response-spec.js';

const EMAIL = 'ann@example.com';
const REQUEST_ID = '_req1';
const keys = { idp: fixtureKey('idp'), sp: fixtureKey('sp'), attacker: fixtureKey('attacker'), weak: fixtureKey('weak-1024') };

class MemoryValidationState implements ValidationState {
  private readonly requests = new Map<string, OutstandingRequest>();
  private readonly assertions = new Set<string>();

  constructor() {
    this.requests.set(REQUEST_ID, { id: REQUEST_ID, scope: 'acct', expiresAtMs: NOW + 600_000 });
  }

  async takeRequest(id: string): Promise<OutstandingRequest | undefined> {
    const request = this.requests.get(id);
    this.requests.delete(id);
    return request;
  }

  async rememberAssertion(id: string): Promise<boolean> {
    if (this.assertions.has(id)) return false;
    this.assertions.add(id);
    return true;
  }
}

type Signing = { assertion: boolean; response: boolean };

function genuineSpec(signing: Signing): ResponseSpec {
  return {
    issuer: IDP,
    destination: ACS,
    audience: SP,
    inResponseTo: REQUEST_ID,
    nameId: EMAIL,
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    sessionIndex: '_session1',
    nowMs: NOW,
    lifetimeSec: 300,
    attributes: [
      { name: 'email', values: [EMAIL] },
      { name: 'number', values: ['+16505550100'] },
    ],
    signing: { key: keys.idp, algorithm: ALGORITHM.rsaSha256, ...signing },
  };
}

function context(spec: ResponseSpec, previousXml?: string): ScenarioContext {
  return {
    spec,
    attackerKey: keys.attacker,
    weakKey: keys.weak,
    spCertificate: keys.sp.certificate,
    ...(previousXml !== undefined && { previousXml }),
  };
}

/** What the SP account expects in the real flow: its defaults and the genuine spec's values. */
function accountExpectations(relayState: string | undefined): ResponseExpectations {
  return expectations({ allowedClockSkewSec: 180, requestScope: 'acct', ...(relayState !== undefined && { relayState }) });
}

function validate(xml: string, relayState: string | undefined, state: ValidationState, checks = RESPONSE_CHECKS): Promise<ValidationResult> {
  return runChecks(checks, encodePostMessage(xml), accountExpectations(relayState), state);
}

function describeResult(r: ValidationResult): string {
  const failed = r.checks.find((c) => c.verdict === 'fail');
  return r.ok ? 'accepted' : `${r.error.code} at ${failed?.check}: ${r.error.message}`;
}

function assertVerdict(scenario: ResponseScenario, r: ValidationResult): void {
  if (scenario.expect.verdict === 'accept') {
    assert.ok(r.ok, `expected acceptance, got ${describeResult(r)}`);
  } else {
    assert.equal(r.ok, false, `expected ${scenario.expect.code}, got an acceptance`);
    if (!r.ok) assert.equal(r.error.code, scenario.expect.code, describeResult(r));
  }
}

/** Builds the scenario from a genuine spec and runs the SP pipeline on it (a first genuine login for the replay). */
async function run(scenario: ResponseScenario, signing: Signing): Promise<ValidationResult> {
  const spec = genuineSpec(signing);
  const state = new MemoryValidationState();
  let previousXml: string | undefined;
  if (scenario.id === 'replay-previous') {
    previousXml = buildResponse(spec).xml;
    const first = await validate(previousXml, undefined, state);
    assert.ok(first.ok, `the genuine login before the replay failed: ${describeResult(first)}`);
  }
  const output = scenario.build(context(spec, previousXml));
  return validate(output.xml, output.relayState, state);
}

const SIGNINGS: [string, Signing][] = [
  ['the assertion', { assertion: true, response: false }],
  ['the Response', { assertion: false, response: true }],
  ['both the assertion and the Response', { assertion: true, response: true }],
];

describe('response scenarios against the SP pipeline', () => {
  for (const [label, signing] of SIGNINGS) {
    describe(`when the IdP application signs ${label}`, () => {
      for (const scenario of RESPONSE_SCENARIOS) {
        const verdict = scenario.expect.verdict === 'accept' ? 'accepts' : `rejects with ${scenario.expect.code}`;
        it(`${verdict}: ${scenario.id}${scenario.row ? ` (row ${scenario.row})` : ''}`, async () => {
          assertVerdict(scenario, await run(scenario, signing));
        });
      }
    });
  }
});

describe('the response scenario catalogue', () => {
  it('covers every row of the attack catalogue (1-40)', () => {
    const rows = new Set(RESPONSE_SCENARIOS.flatMap((s) => (s.row === undefined ? [] : [s.row])));
    const missing = Array.from({ length: 40 }, (_, i) => i + 1).filter((row) => !rows.has(row));
    assert.deepEqual(missing, []);
  });

  it('gives the everyday faults the rows they come from (29-33)', () => {
    const rowOf = (id: string) => scenarioById(id)?.row;
    assert.deepEqual(
      ['replay-previous', 'wrong-audience', 'wrong-destination', 'wrong-recipient', 'wrong-in-response-to', 'unsolicited'].map(rowOf),
      [29, 30, 31, 32, 33, 33],
    );
  });

  it('has unique kebab-case ids and one-line titles', () => {
    const ids = RESPONSE_SCENARIOS.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
    for (const s of RESPONSE_SCENARIOS) {
      assert.match(s.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, s.id);
      assert.ok(s.title.trim() !== '' && !/[\r\n]/.test(s.title), `${s.id}: title "${s.title}"`);
      assert.ok(s.row === undefined || (Number.isInteger(s.row) && s.row >= 1 && s.row <= 40), `${s.id}: row ${s.row}`);
    }
  });

  it('expects acceptance of every scenario of kind valid', () => {
    const valid = RESPONSE_SCENARIOS.filter((s) => s.kind === 'valid');
    assert.ok(valid.length >= 5);
    assert.deepEqual(valid.filter((s) => s.expect.verdict !== 'accept').map((s) => s.id), []);
  });

  it('finds every listed scenario by id, and no unknown one', () => {
    for (const s of RESPONSE_SCENARIOS) assert.equal(scenarioById(s.id), s);
    assert.equal(scenarioById('xsw9'), undefined);
  });

  it('starts the signature attacks from a signed response when the application signs nothing', async () => {
    const ids = ['xsw5', 'keyinfo-attacker-cert', 'digest-value-comment', 'xslt-transform', 'reference-uri-empty', 'hmac-key-confusion', 'encrypted-assertion'];
    for (const id of ids) {
      const scenario = scenarioById(id) as ResponseScenario;
      const r = await run(scenario, { assertion: false, response: false });
      assert.equal(r.ok ? 'accepted' : r.error.code, scenario.expect.verdict === 'reject' ? scenario.expect.code : 'accepted', `${id}: ${describeResult(r)}`);
    }
  });

  it('refuses to build the replay without a previous response', () => {
    const replay = scenarioById('replay-previous') as ResponseScenario;
    assert.throws(
      () => replay.build(context(genuineSpec({ assertion: true, response: false }))),
      (err: unknown) => err instanceof HarnessError && err.code === 'INPUT_INVALID' && /sign in once/.test(err.message),
    );
  });
});

describe('parametric clock skew scenarios', () => {
  it('resolves clock-skew-ahead-<N>m and clock-skew-behind-<N>m for N in 1..1440 only', () => {
    for (const id of ['clock-skew-ahead-1m', 'clock-skew-behind-1m', 'clock-skew-ahead-1440m', 'clock-skew-behind-37m']) {
      assert.equal(scenarioById(id)?.id, id);
    }
    for (const id of ['clock-skew-ahead-0m', 'clock-skew-ahead-1441m', 'clock-skew-ahead-05m', 'clock-skew-sideways-5m', 'clock-skew-ahead-5']) {
      assert.equal(scenarioById(id), undefined, id);
    }
  });

  const boundaries: [string, 'accept' | string][] = [
    ['clock-skew-ahead-1m', 'accept'],
    ['clock-skew-ahead-4m', 'accept'],
    ['clock-skew-ahead-5m', 'SAML_NOT_YET_VALID'],
    ['clock-skew-ahead-1440m', 'SAML_NOT_YET_VALID'],
    ['clock-skew-behind-1m', 'accept'],
    ['clock-skew-behind-7m', 'accept'],
    ['clock-skew-behind-8m', 'SAML_EXPIRED'],
    ['clock-skew-behind-1440m', 'SAML_EXPIRED'],
  ];
  for (const [id, expected] of boundaries) {
    it(`${expected === 'accept' ? 'accepts' : `rejects with ${expected}`}: ${id} (3-minute skew, 5-minute lifetime)`, async () => {
      const scenario = scenarioById(id) as ResponseScenario;
      assert.equal(scenario.expect.verdict === 'accept' ? 'accept' : scenario.expect.code, expected);
      assertVerdict(scenario, await run(scenario, { assertion: true, response: false }));
    });
  }
});

describe('scenario attacks are the real attacks', () => {
  const spec = () => genuineSpec({ assertion: true, response: false });
  const build = (id: string, s = spec()) => (scenarioById(id) as ResponseScenario).build(context(s));
  const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml').documentElement;

  it('computes digests as the IdP does (the forged digests are true ones)', () => {
    for (const [, signing] of SIGNINGS) {
      const response = parse(buildResponse(genuineSpec(signing)).xml);
      for (const signed of [response, assertionIn(response)]) {
        const signature = firstChild(signed, NS.dsig, 'Signature');
        if (!signature) continue;
        const reference = referenceIn(signature);
        assert.equal(digestOf(signed, digestMethodOf(reference)), digestValueIn(reference).textContent);
      }
    }
  });

  // How a vulnerable reader takes the NameID: its first text node (ruby-saml, CVE-2017-11428)
  // or textContent, which skips a PI that xml-crypto's c14n renders as text.
  const firstText = (e: Element | undefined) => (e?.firstChild as Text | null)?.data;
  const textContent = (e: Element | undefined) => e?.textContent ?? undefined;
  for (const [id, signed, naive] of [
    ['comment-truncation', `${EMAIL}.evil.example`, firstText],
    ['pi-truncation', `not-${EMAIL}`, textContent],
    ['cdata-split', `${EMAIL}.evil.example`, firstText],
  ] as const) {
    it(`${id} keeps the IdP signature valid while a naive reader sees the victim`, async () => {
      const lenientXml: Check = {
        id: 'xml',
        title: 'lenient parse (test only)',
        run(ctx) {
          ctx.doc = new DOMParser().parseFromString(ctx.xml ?? '', 'text/xml');
          return 'lenient';
        },
      };
      const xml = build(id).xml;
      assert.equal(naive(parse(xml).getElementsByTagNameNS(NS.assertion, 'NameID')[0]), EMAIL);
      // Without the hygiene check, the signature verifies and the SP reads the signed value.
      const checks = RESPONSE_CHECKS.map((c) => (c.id === 'xml' ? lenientXml : c));
      const r = await validate(xml, undefined, new MemoryValidationState(), checks);
      assert.ok(r.ok, describeResult(r));
      if (r.ok) assert.deepEqual([r.assertion.email, r.assertion.nameId], [signed, signed]);
    });
  }

  it('hmac-key-confusion verifies for a verifier that accepts HMAC keyed with the certificate', () => {
    const xml = build('hmac-key-confusion').xml;
    const verifier = new SignedXml({ publicCert: keys.idp.certificatePem });
    verifier.enableHMAC();
    verifier.loadSignature(signatureIn(assertionIn(parse(xml))));
    assert.equal(verifier.checkSignature(xml), true);
    assert.equal(assertionIn(parse(xml)).getElementsByTagNameNS(NS.assertion, 'NameID')[0]?.textContent, 'admin@example.com');
  });

  it('keyinfo-attacker-cert verifies for a verifier that trusts the KeyInfo certificate', () => {
    const xml = build('keyinfo-attacker-cert').xml;
    const verifier = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
    verifier.loadSignature(signatureIn(assertionIn(parse(xml))));
    assert.equal(verifier.checkSignature(xml), true);
  });

  it('encrypted-assertion decrypts with the SP key to the signed assertion', () => {
    const response = parse(build('encrypted-assertion').xml);
    const [wrappedKey, content] = descendants(response, NS.xenc, 'CipherValue').map((e) => Buffer.from(e.textContent ?? '', 'base64'));
    // PKCS#1 v1.5 by hand: Node refuses RSA_PKCS1_PADDING for decryption (Marvin, CVE-2023-46809).
    const block = privateDecrypt({ key: keys.sp.privateKey, padding: constants.RSA_NO_PADDING }, wrappedKey as Buffer);
    assert.deepEqual([block[0], block[1]], [0, 2]);
    const aesKey = block.subarray(block.indexOf(0, 2) + 1);
    assert.equal(aesKey.length, 16);
    const decipher = createDecipheriv('aes-128-cbc', aesKey, (content as Buffer).subarray(0, 16));
    const plaintext = Buffer.concat([decipher.update((content as Buffer).subarray(16)), decipher.final()]).toString('utf8');
    const assertion = parse(plaintext);
    assert.equal(assertion.localName, 'Assertion');
    const reference = referenceIn(signatureIn(assertion));
    assert.equal(digestOf(assertion, digestMethodOf(reference)), digestValueIn(reference).textContent);
  });

  it('attribute-injection-escaped reaches the SP as one attribute with the literal value', async () => {
    const output = build('attribute-injection-escaped');
    const r = await validate(output.xml, undefined, new MemoryValidationState());
    assert.ok(r.ok, describeResult(r));
    if (!r.ok) return;
    assert.deepEqual(r.assertion.attributes[INJECTION_ATTRIBUTE], [INJECTION_PAYLOAD]);
    assert.equal(r.assertion.attributes.role, undefined);
  });

  it('email-other-case and nameid-persistent change only what they say', async () => {
    const upper = await validate(build('email-other-case').xml, undefined, new MemoryValidationState());
    assert.ok(upper.ok, describeResult(upper));
    if (upper.ok) assert.equal(upper.assertion.email, EMAIL.toUpperCase());
    const persistent = await validate(build('nameid-persistent').xml, undefined, new MemoryValidationState());
    assert.ok(persistent.ok, describeResult(persistent));
    if (!persistent.ok) return;
    assert.equal(persistent.assertion.nameIdFormat, NAMEID_FORMAT.persistent);
    assert.doesNotMatch(persistent.assertion.nameId, /@/);
    assert.equal(persistent.assertion.email, EMAIL);
  });

  it('returns the RelayState the RelayState scenarios post', () => {
    assert.equal(build('relay-state-open-redirect').relayState, 'https://evil.example/landing');
    assert.ok(Buffer.byteLength(build('relay-state-too-long').relayState ?? '') > 80);
  });
});
