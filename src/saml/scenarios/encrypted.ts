// Row 38: a real saml:EncryptedAssertion, with the algorithms the encryption-oracle attacks need:
// AES-128-CBC (padding oracle, Jager & Somorovsky, CCS 2011) and the content key wrapped with
// RSA PKCS#1 v1.5 (Bleichenbacher, ESORICS 2012) to the SP's certificate. A strict SP refuses
// both algorithms; ours, by default, does not decrypt at all and answers SAML_ENCRYPTED_ASSERTION
// for any EncryptedAssertion, and an account that decrypts refuses both algorithms
// (SAML_ENCRYPTION_ALGORITHM) before decrypting anything, so neither offers an oracle.
import { constants, createCipheriv, publicEncrypt, randomBytes, type X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { signElement } from '../signature.js';
import { NS } from '../urn.js';
import { el, render } from '../xml-builder.js';
import { assertionIn, editXml } from './dom-edit.js';
import { genuine, reject, withSigning } from './spec-edit.js';
import type { ResponseScenario, ScenarioContext } from './types.js';

// Attack payload algorithms (the SP never accepts them), named from the XML Encryption namespace.
const ELEMENT_TYPE = `${NS.xenc}Element`;
const AES128_CBC = `${NS.xenc}aes128-cbc`;
const RSA_1_5 = `${NS.xenc}rsa-1_5`;

/** AES-128-CBC as XML Encryption lays it out: the IV, then the ciphertext (PKCS#7 padding). */
function aes128Cbc(key: Buffer, plaintext: string): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]);
}

/** The EncryptedAssertion holding `assertionXml`, its key wrapped to `recipient` with RSA PKCS#1 v1.5. */
export function encryptAssertion(assertionXml: string, recipient: X509Certificate): string {
  const key = randomBytes(16);
  const wrapped = publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
  const cipherData = (bytes: Buffer) => el('xenc:CipherData', {}, el('xenc:CipherValue', {}, bytes.toString('base64')));
  return render(
    el(
      'saml:EncryptedAssertion',
      { 'xmlns:saml': NS.assertion },
      el(
        'xenc:EncryptedData',
        { 'xmlns:xenc': NS.xenc, Type: ELEMENT_TYPE },
        el('xenc:EncryptionMethod', { Algorithm: AES128_CBC }),
        el(
          'ds:KeyInfo',
          { 'xmlns:ds': NS.dsig },
          el('xenc:EncryptedKey', {}, el('xenc:EncryptionMethod', { Algorithm: RSA_1_5 }), cipherData(wrapped)),
        ),
        cipherData(aes128Cbc(key, assertionXml)),
      ),
    ),
  );
}

/** The genuine response with its signed assertion encrypted; the Response signed after, if the application signs it. */
function encryptedResponse(ctx: ScenarioContext): string {
  const { spec } = ctx;
  const recipient = ctx.spCertificate ?? ctx.attackerKey.certificate;
  let responseId = '';
  const xml = editXml(genuine(withSigning(spec, { assertion: true, response: false })), (response, doc) => {
    responseId = response.getAttribute('ID') ?? '';
    const assertion = assertionIn(response);
    const encrypted = encryptAssertion(new XMLSerializer().serializeToString(assertion), recipient);
    response.replaceChild(doc.importNode(new DOMParser().parseFromString(encrypted, 'text/xml').documentElement, true), assertion);
  });
  if (!spec.signing.response) return xml;
  return signElement(xml, { key: spec.signing.key, algorithm: spec.signing.algorithm, id: responseId, after: 'Issuer' });
}

export const ENCRYPTED_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'encrypted-assertion',
    title: 'The signed assertion encrypted with AES-128-CBC, its key wrapped with RSA PKCS#1 v1.5 (oracle-prone algorithms)',
    row: 38,
    kind: 'attack',
    expect: reject('SAML_ENCRYPTED_ASSERTION'),
    build: (ctx) => ({ xml: encryptedResponse(ctx) }),
  },
];
