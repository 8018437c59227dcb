// At least one signature covers the assertion: on the Assertion itself or on the
// Response around it. Stops signature exclusion (row 1): "no signature" is never "nothing to
// verify".
import { HarnessError } from '../../errors.js';
import { signaturesOf } from './context.js';
import type { Check } from './types.js';

export const signaturePresent: Check = {
  id: 'signature-present',
  title: 'A signature covers the assertion: Assertion or Response signed (row 1: signature exclusion)',
  run(ctx) {
    const levels = signaturesOf(ctx).map((s) => s.level);
    if (levels.length === 0) {
      throw new HarnessError('SAML_SIGNATURE_MISSING', 'neither the assertion nor the response is signed', {
        expected: 'a ds:Signature on the Assertion, on the Response, or both',
        received: 'no ds:Signature',
      });
    }
    return `${levels.join(' and ')} signed`;
  },
};
