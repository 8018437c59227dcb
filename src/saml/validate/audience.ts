// The assertion is addressed to this SP (row 30, saml-core §2.5.1.4): at least one
// AudienceRestriction, and each one lists this SP's entity ID (audiences within one restriction
// are alternatives; separate restrictions must all hold). Stops an assertion issued for another
// SP of the same IdP being replayed here.
import { HarnessError } from '../../errors.js';
import { childElements, textOf } from '../dom.js';
import { NS } from '../urn.js';
import { signedAssertion } from './context.js';
import type { Check } from './types.js';

export const audience: Check = {
  id: 'audience',
  title: 'AudienceRestriction names this SP entity ID (row 30: token recipient confusion)',
  run(ctx) {
    const sp = ctx.expect.spEntityId;
    const restrictions = childElements(signedAssertion(ctx), NS.assertion, 'Conditions').flatMap((c) =>
      childElements(c, NS.assertion, 'AudienceRestriction'),
    );
    if (restrictions.length === 0) {
      throw new HarnessError('SAML_AUDIENCE', 'the assertion has no AudienceRestriction', {
        expected: `an AudienceRestriction with Audience ${sp}`,
        received: 'no AudienceRestriction',
      });
    }
    for (const r of restrictions) {
      const audiences = childElements(r, NS.assertion, 'Audience').map((a) => textOf(a) ?? '');
      if (!audiences.includes(sp)) {
        throw new HarnessError('SAML_AUDIENCE', 'the assertion is addressed to another service provider', {
          expected: sp,
          received: audiences.length === 0 ? 'an empty AudienceRestriction' : audiences.join(', '),
        });
      }
    }
    return sp;
  },
};
