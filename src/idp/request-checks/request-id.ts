// The IdP has not served this request ID from this SP before: it is remembered per SP
// until its IssueInstant could no longer pass the time check. Runs last, as it changes state:
// only a request that passed every other check (its signature included) is remembered, so
// requests nobody signed cannot fill the memory of a signing SP; a memory full of live IDs
// refuses (STORE_FULL) rather than forget one. Stops a captured request being served again.
import { HarnessError } from '../../errors.js';
import { describeTime, parseSamlTime } from '../../saml/validate/xs-datetime.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

export const requestId: RequestCheck = {
  id: 'request-id',
  title: 'The request ID was not served before for this SP (single use)',
  async run(ctx) {
    const request = requestOf(ctx);
    const { maxAgeMs, allowedClockSkewSec } = ctx.expect;
    const until = parseSamlTime(request.issueInstant, 'AuthnRequest/@IssueInstant') + maxAgeMs + allowedClockSkewSec * 1000;
    if (!(await ctx.state.rememberRequest(request.issuer, request.id, until))) {
      throw new HarnessError('IDP_REQUEST_REPLAY', `AuthnRequest ${request.id} from ${request.issuer} was already served`, {
        expected: 'a request ID this IdP has not served for this SP',
        received: `${request.id}, served before`,
      });
    }
    return `${request.id} remembered until ${describeTime(until)}`;
  },
};
