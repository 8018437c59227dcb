// The response answers an AuthnRequest this SP account sent and has not seen answered
// (row 33): InResponseTo, read from signed bytes only, names an outstanding request of this
// account, which is then used up. Without one, the response is unsolicited (IdP-initiated) and
// refused unless the account allows that. This check changes server state, so it runs after
// every check that reads the response: a tampered or otherwise bad response never uses up the
// genuine request (the node-saml pitfall in library-notes).
import { HarnessError } from '../../errors.js';
import { attr } from '../dom.js';
import { bearerConfirmations } from './bearer-confirmations.js';
import { responseForClaims, signedAssertion } from './context.js';
import type { Check } from './types.js';
import { describeTime } from './xs-datetime.js';

function mismatch(message: string, expected: string, received: string): never {
  throw new HarnessError('SAML_IN_RESPONSE_TO', message, { expected, received });
}

export const inResponseTo: Check = {
  id: 'in-response-to',
  title: 'InResponseTo names an outstanding AuthnRequest of this account, used once (rows 29, 33)',
  async run(ctx) {
    const fromData = bearerConfirmations(signedAssertion(ctx))
      .map((b) => attr(b.data, 'InResponseTo'))
      .filter((v): v is string => v !== undefined);
    const signedResponse = ctx.signedResponse;
    const fromResponse = attr(responseForClaims(ctx), 'InResponseTo');
    const all = [...new Set([...fromData, ...(fromResponse === undefined ? [] : [fromResponse])])];
    if (all.length > 1) {
      mismatch('the Response and its SubjectConfirmationData name different requests', 'one InResponseTo value', all.join(' vs '));
    }
    const id = fromData[0] ?? (signedResponse ? fromResponse : undefined);
    if (id === undefined && fromResponse !== undefined) {
      // Only the unsigned Response names a request: anyone could have added it.
      mismatch(
        'InResponseTo is only on the unsigned Response, where no signature covers it',
        'InResponseTo on the signed SubjectConfirmationData or on a signed Response',
        `InResponseTo="${fromResponse}" on an unsigned Response`,
      );
    }
    if (id === undefined) {
      if (ctx.expect.allowUnsolicited) return 'unsolicited (IdP-initiated), allowed for this account';
      throw new HarnessError('SAML_UNSOLICITED', 'the response answers no AuthnRequest (IdP-initiated login)', {
        expected: 'InResponseTo naming the AuthnRequest this SP sent (SP-initiated login)',
        received: 'no InResponseTo',
      });
    }
    const expected = `the ID of an outstanding AuthnRequest of account ${ctx.expect.requestScope} (single use)`;
    const request = await ctx.state.takeRequest(id);
    if (!request) mismatch(`InResponseTo ${id} is not an outstanding request`, expected, `${id} (unknown, expired or already answered)`);
    if (request.scope !== ctx.expect.requestScope) {
      mismatch(`InResponseTo ${id} is a request of another account`, expected, `${id}, sent for account ${request.scope}`);
    }
    if (request.expiresAtMs <= ctx.expect.nowMs) {
      mismatch(`InResponseTo ${id} names an expired request`, expected, `${id}, expired at ${describeTime(request.expiresAtMs)}`);
    }
    ctx.result.inResponseTo = id;
    ctx.result.request = request;
    return `answers AuthnRequest ${id}`;
  },
};
