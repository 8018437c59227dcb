// The assertion was not used before (row 29): its ID is remembered until it could no
// longer pass the time checks (NotOnOrAfter + skew). Runs just before in-response-to: the two
// change server state, so they come after every other check. A cache full of live IDs refuses
// (STORE_FULL) rather than forget one.
import { HarnessError } from '../../errors.js';
import type { Check } from './types.js';
import { describeTime } from './xs-datetime.js';

export const replay: Check = {
  id: 'replay',
  title: 'The assertion ID was not used before (row 29: replay)',
  async run(ctx) {
    const { assertionId, notOnOrAfterMs } = ctx.result;
    if (assertionId === undefined || notOnOrAfterMs === undefined) {
      throw new HarnessError('INTERNAL', 'validation pipeline order: assertion ID or lifetime unknown');
    }
    const until = notOnOrAfterMs + ctx.expect.allowedClockSkewSec * 1000;
    if (!(await ctx.state.rememberAssertion(assertionId, until))) {
      throw new HarnessError('SAML_REPLAY', `assertion ${assertionId} was already used`, {
        expected: 'an assertion this SP has not accepted before',
        received: `assertion ${assertionId}, seen before`,
      });
    }
    return `assertion ${assertionId} remembered until ${describeTime(until)}`;
  },
};
