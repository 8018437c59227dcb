// Response/@Destination is this SP's ACS URL (row 31): required on a signed Response
// (saml-bindings §3.5.5.2), compared exactly whenever present, even empty, signed or not.
import { HarnessError } from '../../errors.js';
import { attr } from '../dom.js';
import { responseForClaims } from './context.js';
import type { Check } from './types.js';

export const destination: Check = {
  id: 'destination',
  title: 'Response Destination is this ACS URL (required when the Response is signed) (row 31)',
  run(ctx) {
    const acs = ctx.expect.acsUrl;
    const signed = ctx.signedResponse !== undefined;
    const value = attr(responseForClaims(ctx), 'Destination');
    if (value === undefined) {
      if (!signed) return 'absent on an unsigned Response (Recipient is checked instead)';
      throw new HarnessError('SAML_DESTINATION', 'the signed Response has no Destination', {
        expected: acs,
        received: 'no Destination attribute',
      });
    }
    if (value !== acs) {
      throw new HarnessError('SAML_DESTINATION', `the Response was sent to ${value || '(empty)'}, not to this ACS URL`, {
        expected: acs,
        received: value || 'an empty Destination',
      });
    }
    return value;
  },
};
