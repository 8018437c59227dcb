// The request was meant for this IdP: its Destination is the SSO URL it arrived at
// (compared exactly whenever present, even empty), and a signed request must have one (SAML
// bindings §3.4.5.2, §3.5.5.2). Stops a request signed for another IdP being served here.
import { HarnessError } from '../../errors.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

export const destination: RequestCheck = {
  id: 'destination',
  title: 'Destination is this SSO URL (required when the request is signed)',
  run(ctx) {
    const request = requestOf(ctx);
    const { ssoUrls } = ctx.expect;
    const expected = ssoUrls.join(' or ');
    // An enveloped signature counts as signed even on the Redirect binding (which ignores it).
    const signed = ctx.signed === true || request.hasEnvelopedSignature;
    if (request.destination === undefined) {
      if (!signed) return 'absent on an unsigned request';
      throw new HarnessError('IDP_REQUEST_DESTINATION', 'the signed AuthnRequest has no Destination', {
        expected,
        received: 'no Destination attribute',
      });
    }
    if (!ssoUrls.includes(request.destination)) {
      throw new HarnessError('IDP_REQUEST_DESTINATION', `the AuthnRequest was sent to ${request.destination || '(empty)'}, not to this SSO URL`, {
        expected,
        received: request.destination || 'an empty Destination',
      });
    }
    return request.destination;
  },
};
