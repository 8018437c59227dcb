// The Response goes to an ACS the SP metadata lists with HTTP-POST: the requested one
// (by URL or index) when listed, else the default (SAML profiles §4.1.4.1). Never an unlisted
// URL: stops an assertion being sent to an attacker's endpoint.
import { HarnessError } from '../../errors.js';
import type { ParsedAuthnRequest } from '../../saml/authn-request.js';
import { BINDING } from '../../saml/urn.js';
import type { AcsEndpoint, IdpApp } from '../model.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

/** The HTTP-POST ACS a response to this request goes to; throws IDP_ACS_NOT_ALLOWED when none fits. */
export function pickAcs(app: IdpApp, request: Pick<ParsedAuthnRequest, 'acsUrl' | 'acsIndex'>): AcsEndpoint {
  const listed = app.sp.acs.filter((a) => a.binding === BINDING.post);
  if (request.acsUrl !== undefined) {
    const match = listed.find((a) => a.url === request.acsUrl);
    if (!match) {
      throw new HarnessError('IDP_ACS_NOT_ALLOWED', 'the requested AssertionConsumerServiceURL is not in the SP metadata', {
        expected: listed.map((a) => a.url).join(', ') || '(no HTTP-POST ACS configured)',
        received: request.acsUrl,
      });
    }
    return match;
  }
  if (request.acsIndex !== undefined) {
    const match = listed.find((a) => a.index === request.acsIndex);
    if (!match) {
      throw new HarnessError('IDP_ACS_NOT_ALLOWED', `no HTTP-POST ACS with index ${request.acsIndex}`, {
        expected: listed.map((a) => String(a.index)).join(', '),
        received: String(request.acsIndex),
      });
    }
    return match;
  }
  const chosen = listed.find((a) => a.isDefault) ?? listed[0];
  if (!chosen) throw new HarnessError('IDP_ACS_NOT_ALLOWED', 'the application has no HTTP-POST ACS URL');
  return chosen;
}

export const acs: RequestCheck = {
  id: 'acs',
  title: 'The requested ACS (URL or index) is listed in the SP metadata with HTTP-POST',
  run(ctx) {
    ctx.acs = pickAcs(ctx.expect.app, requestOf(ctx));
    return ctx.acs.url;
  },
};
