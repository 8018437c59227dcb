// The bearer SubjectConfirmations of an assertion (saml-profiles §4.1.4.2), read by direct
// child walks: Assertion/Subject/SubjectConfirmation[@Method=bearer]/SubjectConfirmationData.
import { attr, childElements, firstChild } from '../dom.js';
import { CONFIRMATION_METHOD, NS } from '../urn.js';

export interface BearerConfirmation {
  confirmation: Element;
  data: Element | undefined;
}

export function subjectOf(assertion: Element): Element | undefined {
  return firstChild(assertion, NS.assertion, 'Subject');
}

export function bearerConfirmations(assertion: Element): BearerConfirmation[] {
  const subject = subjectOf(assertion);
  if (!subject) return [];
  return childElements(subject, NS.assertion, 'SubjectConfirmation')
    .filter((c) => attr(c, 'Method') === CONFIRMATION_METHOD.bearer)
    .map((confirmation) => ({ confirmation, data: firstChild(confirmation, NS.assertion, 'SubjectConfirmationData') }));
}
