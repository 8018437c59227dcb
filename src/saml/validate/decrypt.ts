// Right after assertion-count, when the account decrypts. The EncryptedAssertion has the shape
// the SP accepts, so the elements whose algorithms are checked are the ones the decryptor will
// use (a decoy EncryptionMethod in another namespace is refused), names only algorithms the
// account accepts (row 38: no RSA PKCS#1 v1.5 key transport, Bleichenbacher; no AES-CBC, padding
// oracle; unless allowed), is decrypted with the SP's key by xml-encryption, and its plaintext is
// one saml:Assertion under the same XML hygiene as the message. Every failure of the decryption
// itself answers with one code and one message, whatever went wrong, so the ACS is no decryption
// oracle; the reason goes to the trace only. The decrypted assertion then goes through every
// later check, its own signature included: an unsigned decrypted assertion in an unsigned
// Response fails signature-present.
import { HarnessError } from '../../errors.js';
import { attr, childElements, descendants, textContentOf } from '../dom.js';
import {
  checkAlgorithms,
  decryptAssertionXml,
  DecryptionFailure,
  EncryptionAlgorithmRefused,
  EncryptionShapeRefused,
  namedAlgorithms,
  type NamedAlgorithms,
} from '../encryption.js';
import { documentElement, parseXml } from '../parse.js';
import { DATA_ENCRYPTION_ALGORITHMS, KEY_TRANSPORT_ALGORITHMS, NS } from '../urn.js';
import { receivedResponse } from './context.js';
import type { Check, DecryptedAssertion } from './types.js';

/** The one answer to every decryption failure; `cause` carries the reason for the trace. */
function decryptionFailed(err: unknown): HarnessError {
  const error = new HarnessError('SAML_DECRYPTION_FAILED', 'the EncryptedAssertion cannot be decrypted', {
    expected: "an EncryptedAssertion encrypted to this SP's encryption certificate, holding one saml:Assertion",
    received: 'an EncryptedAssertion this SP cannot decrypt (the SP trace has the reason)',
  });
  error.cause = err instanceof DecryptionFailure ? err.detail : err instanceof Error ? err.message : String(err);
  return error;
}

/** The plaintext as one saml:Assertion, parsed with the message's hygiene rules. */
function plaintextAssertion(plaintext: string): Element {
  let root: Element;
  try {
    root = documentElement(parseXml(plaintext));
  } catch (err) {
    throw new DecryptionFailure(`the plaintext is not usable XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (root.namespaceURI !== NS.assertion || root.localName !== 'Assertion') {
    throw new DecryptionFailure(`the plaintext is ${root.localName} in ${root.namespaceURI ?? 'no namespace'}, not a saml:Assertion`);
  }
  return root;
}

function nameOf(urn: string): string {
  const all: Record<string, { urn: string }> = { ...DATA_ENCRYPTION_ALGORITHMS, ...KEY_TRANSPORT_ALGORITHMS };
  return Object.entries(all).find(([, a]) => a.urn === urn)?.[0] ?? urn;
}

export const decrypt: Check = {
  id: 'decrypt',
  title: 'An EncryptedAssertion uses accepted algorithms and decrypts with the SP key to one Assertion (row 38: encryption oracles)',
  async run(ctx) {
    const encrypted = childElements(receivedResponse(ctx), NS.assertion, 'EncryptedAssertion')[0];
    if (!encrypted) return 'no EncryptedAssertion: nothing to decrypt';
    const decryption = ctx.expect.decryption;
    if (!decryption) throw new HarnessError('INTERNAL', 'validation pipeline order: an EncryptedAssertion reached decrypt without a decryption key');
    let algorithms: NamedAlgorithms;
    let assertion: Element;
    try {
      algorithms = namedAlgorithms(encrypted);
      checkAlgorithms(algorithms, decryption);
      assertion = plaintextAssertion(await decryptAssertionXml(encrypted, decryption));
    } catch (err) {
      if (err instanceof EncryptionShapeRefused) {
        throw new HarnessError('SAML_ENCRYPTION_SHAPE', err.message, {
          expected: 'one xenc:EncryptedData and one xenc:EncryptedKey, each with one EncryptionMethod and one CipherData/CipherValue, nothing of those names elsewhere or in another namespace',
          received: err.received,
        });
      }
      if (err instanceof EncryptionAlgorithmRefused) {
        throw new HarnessError('SAML_ENCRYPTION_ALGORITHM', err.message, { expected: err.accepted, received: err.received });
      }
      throw decryptionFailed(err);
    }
    const nested = [...descendants(assertion, NS.assertion, 'Assertion'), ...descendants(assertion, NS.assertion, 'EncryptedAssertion')];
    if (nested.length > 0) {
      throw new HarnessError('SAML_ASSERTION_COUNT', 'the decrypted assertion holds another assertion', {
        expected: 'one saml:Assertion, with no assertion inside it',
        received: `${nested.length} nested ${nested.map((e) => e.localName).join(', ')}`,
      });
    }
    const id = attr(assertion, 'ID');
    if (!id) {
      throw new HarnessError('SAML_ASSERTION_COUNT', 'the response holds no usable assertion: the decrypted Assertion has no ID', {
        expected: 'one saml:Assertion with an ID',
        received: 'an Assertion without ID',
      });
    }
    ctx.decrypted = { assertion, encrypted, algorithms };
    return `assertion ${id} decrypted (${nameOf(algorithms.data)}, key by ${nameOf(algorithms.keyTransport)})`;
  },
};

function cipherValues(encrypted: Element): string {
  return descendants(encrypted, NS.xenc, 'CipherValue')
    .map((c) => textContentOf(c).replace(/\s+/g, ''))
    .join('|');
}

/**
 * With a signed Response, the assertion its signature covers: the signed bytes must hold the
 * very EncryptedAssertion that was decrypted (same ciphertext), and the assertion is its
 * plaintext, taken from the assertion's own signed bytes when it was signed as well.
 */
export function assertionUnderResponseSignature(decrypted: DecryptedAssertion, signedResponse: Element, assertionBytes: string | undefined): Element {
  const signed = childElements(signedResponse, NS.assertion, 'EncryptedAssertion');
  if (signed.length !== 1 || cipherValues(signed[0] as Element) !== cipherValues(decrypted.encrypted)) {
    throw new HarnessError('SAML_SIGNATURE_SHAPE', 'the signed Response does not hold the EncryptedAssertion that was decrypted', {
      expected: 'the EncryptedAssertion covered by the Response signature',
      received: `${signed.length} EncryptedAssertion element(s) in the signed bytes, not the decrypted one`,
    });
  }
  return assertionBytes === undefined ? decrypted.assertion : documentElement(parseXml(assertionBytes));
}
