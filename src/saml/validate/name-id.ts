// The signed assertion names its subject: Subject holds one NameID with a value (SAML
// core §1.3.1: a string value is never empty; §8.3.2: an emailAddress NameID is an addr-spec).
// A NameID that is empty or only whitespace would open a session for "" (every such login the
// same user, and no NameID for a LogoutRequest to name); an emailAddress NameID that is no address
// is a broken IdP mapping that would otherwise surface later as a wrong or missing email.
import { HarnessError } from '../../errors.js';
import { attr, childElements, textContentOf } from '../dom.js';
import { NAMEID_FORMAT, NS } from '../urn.js';
import { subjectOf } from './bearer-confirmations.js';
import { signedAssertion } from './context.js';
import type { Check } from './types.js';

const EXPECTED = 'one saml:NameID in the assertion Subject, with a non-empty value (an email address for the emailAddress format)';

/**
 * The shape of an addr-spec as IdPs send it: local@domain, no whitespace, no display name or
 * angle brackets, a domain of non-empty dot-separated labels. Deliberately looser than a mailbox
 * validator, so an unusual but real address from a peer is not refused.
 */
const ADDR_SPEC = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:.]+(\.[^\s@<>()[\]",;:.]+)*$/u;

function refuse(message: string, received: string): never {
  throw new HarnessError('SAML_NAME_ID', message, { expected: EXPECTED, received });
}

export const nameId: Check = {
  id: 'name-id',
  title: 'The assertion Subject has one NameID with a value, an address for the emailAddress format (SAML core §1.3.1, §8.3.2)',
  run(ctx) {
    const subject = subjectOf(signedAssertion(ctx));
    const nameIds = subject ? childElements(subject, NS.assertion, 'NameID') : [];
    const [element] = nameIds;
    if (!subject) refuse('the assertion has no Subject, so no NameID', 'no Subject');
    if (nameIds.length !== 1 || !element) {
      const encrypted = childElements(subject, NS.assertion, 'EncryptedID').length > 0;
      refuse(
        nameIds.length === 0 ? 'the assertion Subject has no NameID' : 'the assertion Subject has more than one NameID',
        encrypted ? 'an EncryptedID (this SP does not decrypt identifiers)' : `${nameIds.length} NameID elements`,
      );
    }
    const value = textContentOf(element).trim();
    const format = attr(element, 'Format');
    if (value === '') {
      refuse('the NameID is empty', textContentOf(element) ? 'a NameID of whitespace only' : 'an empty NameID');
    }
    if (format === NAMEID_FORMAT.emailAddress && !ADDR_SPEC.test(value)) {
      refuse('the NameID has the emailAddress format but its value is not an email address', `"${value}" (Format ${format})`);
    }
    return `${value}${format ? ` (${format})` : ''}`;
  },
};
