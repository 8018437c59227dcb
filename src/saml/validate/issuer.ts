// The signed assertion's Issuer (and the Response's, when it has one) is the IdP
// entity ID imported from the metadata (row 36): a response from another IdP whose certificate
// happens to be pinned too (a shared key) is still refused.
import { HarnessError } from '../../errors.js';
import { attr, firstChild, textOf } from '../dom.js';
import { NAMEID_FORMAT, NS } from '../urn.js';
import { responseForClaims, signedAssertion } from './context.js';
import type { Check } from './types.js';

function checkIssuer(parent: Element, what: string, idpEntityId: string, required: boolean): string | undefined {
  const issuer = firstChild(parent, NS.assertion, 'Issuer');
  if (!issuer) {
    if (!required) return undefined;
    throw new HarnessError('SAML_ISSUER', `the ${what} has no Issuer`, { expected: idpEntityId, received: 'no saml:Issuer' });
  }
  const value = textOf(issuer) ?? '';
  if (value !== idpEntityId) {
    throw new HarnessError('SAML_ISSUER', `the ${what} was issued by ${value || '(empty)'}, not by the IdP in the metadata`, {
      expected: idpEntityId,
      received: value || 'an empty Issuer',
    });
  }
  const format = attr(issuer, 'Format');
  if (format !== undefined && format !== NAMEID_FORMAT.entity) {
    throw new HarnessError('SAML_ISSUER', `the ${what} Issuer has Format ${format}`, {
      expected: `no Format, or ${NAMEID_FORMAT.entity}`,
      received: format,
    });
  }
  return value;
}

export const issuer: Check = {
  id: 'issuer',
  title: 'Assertion (and Response) Issuer is the IdP entity ID from the metadata (row 36)',
  run(ctx) {
    const idp = ctx.expect.idpEntityId;
    const fromAssertion = checkIssuer(signedAssertion(ctx), 'assertion', idp, true) as string;
    const fromResponse = checkIssuer(responseForClaims(ctx), 'response', idp, false);
    ctx.result.issuer = fromAssertion;
    return `${fromAssertion}${fromResponse ? ' (assertion and response)' : ' (assertion; the response names none)'}`;
  },
};
