// At least one bearer SubjectConfirmation whose SubjectConfirmationData has a
// Recipient equal to this ACS URL (row 32) and a NotOnOrAfter still in the future, and no
// NotBefore (row 35, saml-profiles §4.1.4.2). A bearer assertion without these limits could be
// replayed at another SP or long after the login.
import { HarnessError, isHarnessError } from '../../errors.js';
import { attr, childElements } from '../dom.js';
import { CONFIRMATION_METHOD, NS } from '../urn.js';
import { bearerConfirmations, subjectOf, type BearerConfirmation } from './bearer-confirmations.js';
import { signedAssertion } from './context.js';
import type { Check, ResponseExpectations } from './types.js';
import { describeTime, parseSamlTime } from './xs-datetime.js';

function unconfirmed(message: string, received: string): never {
  throw new HarnessError('SAML_SUBJECT_CONFIRMATION', message, {
    expected: `a bearer SubjectConfirmationData with Recipient and NotOnOrAfter, without NotBefore`,
    received,
  });
}

/** Returns NotOnOrAfter (ms) when this confirmation is acceptable; throws why it is not. */
function confirm({ data }: BearerConfirmation, expect: ResponseExpectations): number {
  if (!data) unconfirmed('the bearer SubjectConfirmation has no SubjectConfirmationData', 'SubjectConfirmation without data');
  if (attr(data, 'NotBefore') !== undefined) {
    unconfirmed('the bearer SubjectConfirmationData has a NotBefore', `NotBefore="${attr(data, 'NotBefore')}"`);
  }
  const recipient = attr(data, 'Recipient');
  const notOnOrAfter = attr(data, 'NotOnOrAfter');
  if (recipient === undefined || notOnOrAfter === undefined) {
    unconfirmed(
      'the bearer SubjectConfirmationData lacks Recipient or NotOnOrAfter',
      `Recipient ${recipient === undefined ? 'missing' : 'present'}, NotOnOrAfter ${notOnOrAfter === undefined ? 'missing' : 'present'}`,
    );
  }
  const until = parseSamlTime(notOnOrAfter, 'SubjectConfirmationData/@NotOnOrAfter');
  if (recipient !== expect.acsUrl) {
    throw new HarnessError('SAML_RECIPIENT', `the assertion is meant for ${recipient || '(empty)'}, not for this ACS URL`, {
      expected: expect.acsUrl,
      received: recipient || 'an empty Recipient',
    });
  }
  if (expect.nowMs - expect.allowedClockSkewSec * 1000 >= until) {
    throw new HarnessError('SAML_EXPIRED', 'the bearer confirmation has expired (SubjectConfirmationData NotOnOrAfter)', {
      expected: `now (${describeTime(expect.nowMs)}) before NotOnOrAfter + ${expect.allowedClockSkewSec} s skew`,
      received: `NotOnOrAfter=${notOnOrAfter}`,
    });
  }
  return until;
}

export const subjectConfirmation: Check = {
  id: 'subject-confirmation',
  title: 'A bearer SubjectConfirmation for this ACS URL, not expired (rows 32, 35)',
  run(ctx) {
    const assertion = signedAssertion(ctx);
    const bearers = bearerConfirmations(assertion);
    if (bearers.length === 0) {
      const subject = subjectOf(assertion);
      const methods = subject ? childElements(subject, NS.assertion, 'SubjectConfirmation').map((c) => attr(c, 'Method') ?? '(no Method)') : [];
      throw new HarnessError('SAML_SUBJECT_CONFIRMATION', 'the assertion has no bearer SubjectConfirmation', {
        expected: `a SubjectConfirmation with Method="${CONFIRMATION_METHOD.bearer}"`,
        received: !subject ? 'no Subject' : methods.length === 0 ? 'no SubjectConfirmation' : methods.join(', '),
      });
    }
    let firstError: unknown;
    for (const bearer of bearers) {
      try {
        const until = confirm(bearer, ctx.expect);
        ctx.result.notOnOrAfterMs = until;
        return `bearer, Recipient ${ctx.expect.acsUrl}, valid until ${describeTime(until)}`;
      } catch (err) {
        if (!isHarnessError(err)) throw err;
        firstError ??= err;
      }
    }
    throw firstError;
  },
};
