// The SP pipeline with assertion decryption on: encrypted responses as our IdP builds them
// (xml-encryption), and the inputs an attacker controls around them (catalogue row 38).
import assert from 'node:assert/strict';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { ErrorCode } from '../src/errors.js';
import { encodePostMessage } from '../src/saml/encoding.js';
import { encryptAssertionXml, encryptResponseAssertion, type AssertionEncryption } from '../src/saml/encryption.js';
import { buildResponse, type ResponseSpec } from '../src/saml/response-builder.js';
import { encryptAssertion as oracleProneEncryptedAssertion } from '../src/saml/scenarios/encrypted.js';
import { ALGORITHM, NAMEID_FORMAT, NS, XMLENC } from '../src/saml/urn.js';
import { RESPONSE_CHECKS, validateResponse } from '../src/saml/validate/pipeline.js';
import type { ResponseExpectations, ValidationResult } from '../src/saml/validate/types.js';
import { fixtureKey } from './support/keys.js';
import { childPath } from '../src/saml/dom.js';
import { assertionIn, editXml, EVIL_NAME_ID } from './support/response-faults.js';
import { ACS, expectations, IDP, NOW, SP } from './support/response-spec.js';

const keys = { idp: fixtureKey('idp'), spEnc: fixtureKey('sp-enc'), attacker: fixtureKey('attacker') };

type Signing = { assertion: boolean; response: boolean; key?: keyof typeof keys };
const assertionSigned: Signing = { assertion: true, response: false };
const responseSigned: Signing = { assertion: false, response: true };
const bothSigned: Signing = { assertion: true, response: true };
const unsigned: Signing = { assertion: false, response: false };

function spec(signing: Signing): ResponseSpec {
  return {
    issuer: IDP,
    destination: ACS,
    audience: SP,
    nameId: 'ann@example.com',
    nameIdFormat: NAMEID_FORMAT.emailAddress,
    sessionIndex: '_session1',
    nowMs: NOW,
    attributes: [
      { name: 'email', values: ['ann@example.com'] },
      { name: 'number', values: ['+16505550100'] },
    ],
    signing: { key: keys[signing.key ?? 'idp'], algorithm: ALGORITHM.rsaSha256, assertion: signing.assertion, response: signing.response },
  };
}

const toSp = (over: Partial<AssertionEncryption> = {}): AssertionEncryption => ({
  certificate: keys.spEnc.certificate,
  dataAlgorithm: 'aes256-gcm',
  keyTransport: 'rsa-oaep',
  ...over,
});

/** The response our IdP sends with "Encrypt assertion" on: signed as asked, the assertion encrypted, the Response signed over it. */
async function encrypted(signing: Signing = assertionSigned, enc: AssertionEncryption = toSp()): Promise<string> {
  const s = spec(signing);
  return encryptResponseAssertion(buildResponse(s).xml, enc, { key: s.signing.key, algorithm: s.signing.algorithm });
}

/** Unsolicited responses allowed, and the SP's decryption key. */
function decryptingExpectations(over: Partial<ResponseExpectations> = {}): ResponseExpectations {
  return expectations({ allowUnsolicited: true, decryption: { key: keys.spEnc.privateKey, allowRsa15: false, allowCbc: false }, ...over });
}

const noState = {
  takeRequest: async () => undefined,
  rememberAssertion: async () => true,
};

const validate = (xml: string, over: Partial<ResponseExpectations> = {}): Promise<ValidationResult> =>
  validateResponse(encodePostMessage(xml), decryptingExpectations(over), noState);

function verdicts(r: ValidationResult): string {
  return r.checks.map((c) => `${c.check}:${c.verdict}`).join(' ');
}

function assertRejected(r: ValidationResult, code: ErrorCode, at: string): Extract<ValidationResult, { ok: false }> {
  assert.equal(r.ok, false, `expected ${code} at ${at}, got a pass`);
  if (r.ok) throw new Error('unreachable');
  assert.equal(r.error.code, code, `${r.error.code}: ${r.error.message} (${verdicts(r)})`);
  assert.equal(r.checks.find((c) => c.verdict === 'fail')?.check, at, verdicts(r));
  return r;
}

/** Edits the EncryptedAssertion's content ciphertext (EncryptedData/CipherData/CipherValue). */
function flipCiphertextByte(xml: string, index: (length: number) => number): string {
  return editXml(xml, (response) => {
    const data = response.getElementsByTagNameNS(NS.xenc, 'EncryptedData')[0];
    const holder = data && childPath(data, [NS.xenc, 'CipherData'], [NS.xenc, 'CipherValue']);
    assert.ok(holder, 'the EncryptedData has a CipherValue');
    const bytes = Buffer.from((holder.textContent ?? '').replace(/\s+/g, ''), 'base64');
    const i = index(bytes.length);
    bytes[i] = (bytes[i] ?? 0) ^ 0x01;
    holder.textContent = bytes.toString('base64');
  });
}

/** Puts `assertionXml` (any element) into an EncryptedAssertion in place of the Response's assertion. */
async function withEncryptedContent(xml: string, plaintext: string, enc: AssertionEncryption = toSp()): Promise<string> {
  const encryptedAssertion = await encryptAssertionXml(plaintext, enc);
  return editXml(xml, (response, doc) => {
    const imported = doc.importNode(new DOMParser().parseFromString(encryptedAssertion, 'text/xml').documentElement as Element, true);
    const current = response.getElementsByTagNameNS(NS.assertion, 'EncryptedAssertion')[0] ?? assertionIn(response);
    response.replaceChild(imported, current);
  });
}

const serialize = (e: Element): string => new XMLSerializer().serializeToString(e);

interface EncryptedParts {
  doc: Document;
  encrypted: Element;
  data: Element;
  key: Element;
  dataMethod: Element;
  keyMethod: Element;
}

/** Edits the EncryptedAssertion's XML Encryption elements (the Response must not be signed over them). */
function editEncrypted(xml: string, edit: (p: EncryptedParts) => void): string {
  return editXml(xml, (response, doc) => {
    const encrypted = response.getElementsByTagNameNS(NS.assertion, 'EncryptedAssertion')[0];
    const data = encrypted?.getElementsByTagNameNS(NS.xenc, 'EncryptedData')[0];
    const key = encrypted?.getElementsByTagNameNS(NS.xenc, 'EncryptedKey')[0];
    assert.ok(encrypted && data && key, 'an EncryptedAssertion with EncryptedData and EncryptedKey');
    const method = (e: Element) => childPath(e, [NS.xenc, 'EncryptionMethod']) as Element;
    edit({ doc, encrypted, data, key, dataMethod: method(data), keyMethod: method(key) });
  });
}

const DECOY_NS = 'urn:decoy';
const decoy = (doc: Document, name: string, algorithm?: string): Element => {
  const e = doc.createElementNS(DECOY_NS, `x:${name}`);
  if (algorithm) e.setAttribute('Algorithm', algorithm);
  return e;
};
const rsa15Only = { decryption: { key: keys.spEnc.privateKey, allowRsa15: true, allowCbc: false } };
const cbcOnly = { decryption: { key: keys.spEnc.privateKey, allowRsa15: false, allowCbc: true } };
const cbcEncrypted = () => encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes256-cbc' }));

describe('POST /sp/acs with assertion decryption on (validateResponse)', () => {
  describe('accepts', () => {
    const accepted: [string, () => Promise<string>, Partial<ResponseExpectations>?, Partial<{ response: boolean; assertion: boolean }>?][] = [
      ['an assertion signed, then encrypted with AES-256-GCM and RSA-OAEP', () => encrypted(assertionSigned), {}, { response: false, assertion: true }],
      ['an assertion encrypted with AES-128-GCM', () => encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes128-gcm' }))],
      ['an unsigned assertion encrypted inside a Response signed over the EncryptedAssertion', () => encrypted(responseSigned), {}, { response: true, assertion: false }],
      ['a signed assertion encrypted inside a signed Response', () => encrypted(bothSigned), {}, { response: true, assertion: true }],
      ['AES-256-CBC when the account allows CBC', () => encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes256-cbc' })), { decryption: { key: keys.spEnc.privateKey, allowRsa15: false, allowCbc: true } }],
      ['a plain signed assertion (decryption on does not demand encryption)', async () => buildResponse(spec(assertionSigned)).xml],
    ];
    for (const [name, xml, over, signed] of accepted) {
      it(name, async () => {
        const r = await validate(await xml(), over);
        assert.ok(r.ok, r.ok ? '' : `${r.error.code} (${r.error.message}) ${verdicts(r)}`);
        assert.equal(r.checks.length, RESPONSE_CHECKS.length);
        assert.equal(r.assertion.email, 'ann@example.com');
        if (signed) assert.deepEqual(r.assertion.signed, { ...r.assertion.signed, ...signed });
      });
    }

    it('accepts an EncryptedKey beside the EncryptedData, found through ds:RetrievalMethod', async () => {
      const xml = editEncrypted(await encrypted(), ({ doc, encrypted: e, data, key }) => {
        const keyInfo = key.parentNode as Element;
        key.setAttribute('Id', '_key1');
        keyInfo.removeChild(key);
        e.appendChild(key);
        const retrieval = doc.createElementNS(NS.dsig, 'ds:RetrievalMethod');
        retrieval.setAttribute('URI', '#_key1');
        retrieval.setAttribute('Type', 'http://www.w3.org/2001/04/xmlenc#EncryptedKey');
        keyInfo.appendChild(retrieval);
        assert.equal(keyInfo.parentNode, data);
      });
      const r = await validate(xml);
      assert.ok(r.ok, r.ok ? '' : `${r.error.code} (${r.error.message}) ${verdicts(r)}`);
    });

    it('names the algorithms it decrypted in the decrypt check', async () => {
      const r = await validate(await encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes128-gcm' })));
      assert.match(r.checks.find((c) => c.check === 'decrypt')?.detail ?? '', /decrypted \(aes128-gcm, key by rsa-oaep\)/);
    });
  });

  describe('rejects', () => {
    const rejected: [string, () => Promise<string>, ErrorCode, string, Partial<ResponseExpectations>?][] = [
      ['an EncryptedAssertion when the account does not decrypt (the RingCentral default)', () => encrypted(), 'SAML_ENCRYPTED_ASSERTION', 'assertion-count', { decryption: undefined }],
      ['RSA PKCS#1 v1.5 key transport unless allowed (Bleichenbacher)', () => encrypted(assertionSigned, toSp({ keyTransport: 'rsa-1_5' })), 'SAML_ENCRYPTION_ALGORITHM', 'decrypt'],
      ['AES-256-CBC unless allowed (padding oracle)', () => encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes256-cbc' })), 'SAML_ENCRYPTION_ALGORITHM', 'decrypt'],
      [
        'the catalogue\'s oracle-prone EncryptedAssertion (AES-128-CBC, RSA 1.5)',
        async () => editXml(buildResponse(spec(assertionSigned)).xml, (response, doc) => {
          const a = assertionIn(response);
          const e = oracleProneEncryptedAssertion(serialize(a), keys.spEnc.certificate);
          response.replaceChild(doc.importNode(new DOMParser().parseFromString(e, 'text/xml').documentElement as Element, true), a);
        }),
        'SAML_ENCRYPTION_ALGORITHM',
        'decrypt',
      ],
      ['a tampered ciphertext (AES-GCM tag check)', async () => flipCiphertextByte(await encrypted(), (n) => Math.floor(n / 2)), 'SAML_DECRYPTION_FAILED', 'decrypt'],
      ['a tampered GCM tag', async () => flipCiphertextByte(await encrypted(), (n) => n - 1), 'SAML_DECRYPTION_FAILED', 'decrypt'],
      [
        'a tampered CBC ciphertext, even when CBC is allowed',
        async () => flipCiphertextByte(await encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes256-cbc' })), (n) => n - 17),
        'SAML_DECRYPTION_FAILED',
        'decrypt',
        { decryption: { key: keys.spEnc.privateKey, allowRsa15: false, allowCbc: true } },
      ],
      ['an assertion encrypted to another key', () => encrypted(assertionSigned, toSp({ certificate: keys.attacker.certificate })), 'SAML_DECRYPTION_FAILED', 'decrypt'],
      ['a plaintext that is not a saml:Assertion', async () => withEncryptedContent(buildResponse(spec(assertionSigned)).xml, '<x:Other xmlns:x="urn:x"/>'), 'SAML_DECRYPTION_FAILED', 'decrypt'],
      ['a plaintext with a comment in it', async () => withEncryptedContent(buildResponse(spec(assertionSigned)).xml, '<!--x--><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"/>'), 'SAML_DECRYPTION_FAILED', 'decrypt'],
      ['an unsigned decrypted assertion inside an unsigned response', () => encrypted(unsigned), 'SAML_SIGNATURE_MISSING', 'signature-present'],
      ['a decrypted assertion signed by an unknown key', () => encrypted({ ...assertionSigned, key: 'attacker' }), 'SAML_SIGNATURE_UNTRUSTED', 'signature-verify'],
      [
        'a decrypted assertion changed after it was signed',
        async () => {
          const signedXml = buildResponse(spec(assertionSigned)).xml;
          const forged = editXml(signedXml, (response) => {
            const nameId = assertionIn(response).getElementsByTagNameNS(NS.assertion, 'NameID')[0] as Element;
            nameId.textContent = EVIL_NAME_ID;
          });
          return withEncryptedContent(signedXml, serialize(assertionIn(new DOMParser().parseFromString(forged, 'text/xml').documentElement as Element)));
        },
        'SAML_SIGNATURE_INVALID',
        'signature-verify',
      ],
      [
        'another EncryptedAssertion swapped into a Response signed over the first (XSW around EncryptedAssertion)',
        async () => {
          const unsignedEvil = buildResponse({ ...spec(unsigned), nameId: EVIL_NAME_ID }).xml;
          const evilAssertion = serialize(assertionIn(new DOMParser().parseFromString(unsignedEvil, 'text/xml').documentElement as Element));
          return withEncryptedContent(await encrypted(responseSigned), evilAssertion);
        },
        'SAML_SIGNATURE_INVALID',
        'signature-verify',
      ],
      [
        'two EncryptedAssertions',
        async () => {
          const xml = await encrypted();
          return editXml(xml, (response) => {
            const e = response.getElementsByTagNameNS(NS.assertion, 'EncryptedAssertion')[0] as Element;
            response.appendChild(e.cloneNode(true));
          });
        },
        'SAML_ASSERTION_COUNT',
        'assertion-count',
      ],
      [
        'an EncryptedAssertion beside a plain Assertion',
        async () => {
          const plain = buildResponse(spec(assertionSigned)).xml;
          const xml = await encrypted();
          return editXml(xml, (response, doc) => {
            response.appendChild(doc.importNode(assertionIn(new DOMParser().parseFromString(plain, 'text/xml').documentElement as Element), true));
          });
        },
        'SAML_ASSERTION_COUNT',
        'assertion-count',
      ],
      [
        'an EncryptedAssertion that is not a direct child of the Response',
        async () =>
          editXml(await encrypted(), (response, doc) => {
            const e = response.getElementsByTagNameNS(NS.assertion, 'EncryptedAssertion')[0] as Element;
            const wrapper = doc.createElementNS(NS.protocol, 'samlp:Extensions');
            response.replaceChild(wrapper, e);
            wrapper.appendChild(e);
          }),
        'SAML_ASSERTION_COUNT',
        'assertion-count',
      ],
    ];
    for (const [name, xml, code, at, over] of rejected) {
      it(`${name}: ${code}`, async () => {
        assertRejected(await validate(await xml(), over), code, at);
      });
    }

    it('refuses AES-CBC content behind a decoy EncryptionMethod in another namespace when only RSA 1.5 is allowed', async () => {
      const xml = editEncrypted(await cbcEncrypted(), ({ doc, data, dataMethod }) => {
        dataMethod.setAttribute('Algorithm', XMLENC.aes256Gcm);
        data.insertBefore(decoy(doc, 'EncryptionMethod', XMLENC.aes256Cbc), dataMethod);
      });
      const r = assertRejected(await validate(xml, rsa15Only), 'SAML_ENCRYPTION_SHAPE', 'decrypt');
      assert.match(r.error.details.received ?? '', /EncryptionMethod in urn:decoy/);
    });

    describe('an EncryptedAssertion whose decryptor could use other elements than the checked ones: SAML_ENCRYPTION_SHAPE', () => {
      const shapes: [string, (p: EncryptedParts) => void, Partial<ResponseExpectations>?][] = [
        ['a decoy key EncryptionMethod naming RSA 1.5 before the RSA-OAEP one', ({ doc, key, keyMethod }) => key.insertBefore(decoy(doc, 'EncryptionMethod', XMLENC.rsa15), keyMethod), cbcOnly],
        ['a decoy key EncryptionMethod after the real one', ({ doc, key }) => key.appendChild(decoy(doc, 'EncryptionMethod', XMLENC.rsaOaepMgf1p))],
        ['two xenc:EncryptionMethod in the EncryptedData', ({ data, dataMethod }) => data.insertBefore(dataMethod.cloneNode(true), dataMethod)],
        ['two xenc:EncryptionMethod in the EncryptedKey', ({ key, keyMethod }) => key.insertBefore(keyMethod.cloneNode(true), keyMethod)],
        [
          'a decoy CipherData before the EncryptedData one',
          ({ doc, data, dataMethod }) => {
            const cipher = decoy(doc, 'CipherData');
            cipher.appendChild(decoy(doc, 'CipherValue')).appendChild(doc.createTextNode('AAAA'));
            data.insertBefore(cipher, dataMethod.nextSibling);
          },
        ],
        ['a second xenc:CipherData in the EncryptedKey', ({ key }) => key.appendChild(childPath(key, [NS.xenc, 'CipherData'])?.cloneNode(true) as Node)],
        ['a second xenc:CipherValue in the EncryptedData CipherData', ({ data }) => childPath(data, [NS.xenc, 'CipherData'])?.appendChild(childPath(data, [NS.xenc, 'CipherData'], [NS.xenc, 'CipherValue'])?.cloneNode(true) as Node)],
        [
          'a decoy EncryptedKey in KeyInfo before the real one',
          ({ doc, key }) => {
            const other = decoy(doc, 'EncryptedKey');
            other.appendChild(decoy(doc, 'EncryptionMethod', XMLENC.rsa15));
            key.parentNode?.insertBefore(other, key);
          },
        ],
        ['a second xenc:EncryptedKey beside the EncryptedData', ({ encrypted: e, key }) => e.appendChild(key.cloneNode(true))],
        [
          'a decoy EncryptedData nested in the KeyInfo, naming AES-CBC',
          ({ doc, key }) => {
            const other = decoy(doc, 'EncryptedData');
            other.appendChild(decoy(doc, 'EncryptionMethod', XMLENC.aes256Cbc));
            key.parentNode?.insertBefore(other, key);
          },
        ],
        ['a KeyInfo in another namespace', ({ doc, data }) => data.insertBefore(decoy(doc, 'KeyInfo'), data.firstChild)],
        ['a decoy DigestMethod in the key EncryptionMethod', ({ doc, keyMethod }) => keyMethod.insertBefore(decoy(doc, 'DigestMethod', 'http://www.w3.org/2001/04/xmlenc#sha512'), keyMethod.firstChild)],
        ['an EncryptionMethod without Algorithm', ({ dataMethod }) => dataMethod.removeAttribute('Algorithm')],
        ['an EncryptedData of another Type', ({ data }) => data.setAttribute('Type', 'http://www.w3.org/2001/04/xmlenc#Content')],
      ];
      for (const [name, edit, over] of shapes) {
        it(`refuses ${name}`, async () => {
          assertRejected(await validate(editEncrypted(await encrypted(), edit), over), 'SAML_ENCRYPTION_SHAPE', 'decrypt');
        });
      }
    });

    it('refuses RSA 1.5 even when allowed, on a Node without PKCS#1 v1.5 decryption, with the same generic answer', async () => {
      const r = await validate(await encrypted(assertionSigned, toSp({ keyTransport: 'rsa-1_5' })), {
        decryption: { key: keys.spEnc.privateKey, allowRsa15: true, allowCbc: false },
      });
      // Node 20.11.1+ refuses RSA_PKCS1_PADDING private decryption (CVE-2023-46809) unless
      // started with --security-revert; a runtime that has implicit rejection decrypts.
      if (r.ok) return;
      const failed = assertRejected(r, 'SAML_DECRYPTION_FAILED', 'decrypt');
      assert.match(String(failed.error.cause), /RSA_PKCS1_PADDING|padding|decrypt/i);
    });

    it('answers every decryption failure with the same message, expected and received (no oracle), the reason only in `cause`', async () => {
      const cbc = { decryption: { key: keys.spEnc.privateKey, allowRsa15: false, allowCbc: true } };
      const failures = await Promise.all([
        validate(flipCiphertextByte(await encrypted(), (n) => Math.floor(n / 2))),
        validate(await encrypted(assertionSigned, toSp({ certificate: keys.attacker.certificate }))),
        validate(flipCiphertextByte(await encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes256-cbc' })), (n) => n - 1), cbc),
        validate(flipCiphertextByte(await encrypted(assertionSigned, toSp({ dataAlgorithm: 'aes256-cbc' })), (n) => 20), cbc),
        validate(await withEncryptedContent(buildResponse(spec(assertionSigned)).xml, '<x:Other xmlns:x="urn:x"/>')),
      ]);
      const shown = failures.map((r) => {
        const failed = assertRejected(r, 'SAML_DECRYPTION_FAILED', 'decrypt');
        return JSON.stringify({ ...failed.error.toJSON(), check: failed.checks.find((c) => c.verdict === 'fail') });
      });
      assert.equal(new Set(shown).size, 1, shown.join('\n'));
      const causes = failures.map((r) => (r.ok ? '' : String(r.error.cause)));
      assert.ok(causes.every((c) => c.length > 0 && !shown[0]?.includes(c)), causes.join('\n'));
      assert.ok(new Set(causes).size > 1, 'the trace detail says what went wrong');
    });

    it('refuses a plaintext past the XML limits before parsing it, with the same generic answer and the limit in `cause`', async () => {
      const nested = `${'<saml:e xmlns:q="urn:q">'.repeat(2_000)}${'</saml:e>'.repeat(2_000)}`;
      const deep = `<saml:Assertion xmlns:saml="${NS.assertion}" ID="_deep" Version="2.0" IssueInstant="2026-11-24T10:00:00Z">${nested}</saml:Assertion>`;
      const r = await validate(await withEncryptedContent(buildResponse(spec(assertionSigned)).xml, deep));
      const failed = assertRejected(r, 'SAML_DECRYPTION_FAILED', 'decrypt');
      assert.match(String(failed.error.cause), /namespace declarations in scope, past the limit of 24/);
    });

    it('names the accepted algorithms when it refuses one', async () => {
      const r = assertRejected(await validate(await encrypted(assertionSigned, toSp({ keyTransport: 'rsa-1_5' }))), 'SAML_ENCRYPTION_ALGORITHM', 'decrypt');
      assert.equal(r.error.details.received, XMLENC.rsa15);
      assert.match(r.error.details.expected ?? '', /rsa-oaep-mgf1p/);
      assert.doesNotMatch(r.error.details.expected ?? '', /rsa-1_5/);
    });
  });
});
