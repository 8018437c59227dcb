// Exactly one saml:Assertion in the whole document, and it is a direct child of the
// Response. Stops the wrapping attacks that add a second assertion somewhere a naive reader
// looks first: XSW1-8 (rows 2-9), assertions in SubjectConfirmationData or Advice (row 10),
// concealed duplicates (row 21) and assertion-after-first (row 22). An EncryptedAssertion is
// refused by name when the account does not decrypt, so the administrator knows to turn
// assertion encryption off at the IdP; when it does, the EncryptedAssertion takes the place of
// the Assertion and the same rule holds (row 38: no wrapping around an EncryptedAssertion).
import { HarnessError } from '../../errors.js';
import { attr, descendants } from '../dom.js';
import { NS } from '../urn.js';
import { parsedDocument, receivedResponse } from './context.js';
import { pathOf } from './dom-path.js';
import type { Check } from './types.js';

/** With decryption on: exactly one EncryptedAssertion, a direct child of the Response, and no plain Assertion anywhere. */
function oneEncryptedAssertion(response: Element, encrypted: Element[], assertions: Element[]): string {
  const first = encrypted[0];
  if (encrypted.length !== 1 || assertions.length > 0 || !first || first.parentNode !== response) {
    throw new HarnessError(
      'SAML_ASSERTION_COUNT',
      encrypted.length === 1 && assertions.length === 0
        ? `the EncryptedAssertion is not a direct child of the Response (${pathOf(encrypted[0] as Element)})`
        : `the response holds ${encrypted.length} EncryptedAssertion and ${assertions.length} Assertion elements`,
      {
        expected: 'exactly one saml:EncryptedAssertion (or one saml:Assertion), at Response/EncryptedAssertion',
        received: [...encrypted, ...assertions].map(pathOf).join(', '),
      },
    );
  }
  return `one EncryptedAssertion at ${pathOf(first)} (decrypted next)`;
}

export const assertionCount: Check = {
  id: 'assertion-count',
  title: 'Exactly one Assertion, a direct child of the Response (rows 2-10, 21, 22: wrapping)',
  run(ctx) {
    const doc = parsedDocument(ctx);
    const response = receivedResponse(ctx);
    const encrypted = descendants(doc, NS.assertion, 'EncryptedAssertion');
    if (encrypted.length > 0 && !ctx.expect.decryption) {
      throw new HarnessError('SAML_ENCRYPTED_ASSERTION', 'the response carries an EncryptedAssertion', {
        expected: 'a plain saml:Assertion (assertion encryption off at the IdP)',
        received: encrypted.map(pathOf).join(', '),
      });
    }
    const assertions = descendants(doc, NS.assertion, 'Assertion');
    if (encrypted.length > 0) return oneEncryptedAssertion(response, encrypted, assertions);
    const first = assertions[0];
    if (assertions.length !== 1 || !first || first.parentNode !== response) {
      throw new HarnessError(
        'SAML_ASSERTION_COUNT',
        assertions.length === 1
          ? `the assertion is not a direct child of the Response (${pathOf(assertions[0] as Element)})`
          : `the response holds ${assertions.length} assertions`,
        {
          expected: 'exactly one saml:Assertion, at Response/Assertion',
          received: assertions.length === 0 ? 'no assertion' : assertions.map(pathOf).join(', '),
        },
      );
    }
    if (!attr(first, 'ID')) {
      throw new HarnessError('SAML_ASSERTION_COUNT', 'the response holds no usable assertion: its Assertion has no ID', {
        expected: 'one saml:Assertion with an ID',
        received: 'an Assertion without ID',
      });
    }
    return `one assertion at ${pathOf(first)}`;
  },
};
