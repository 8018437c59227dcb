// The request is fresh by the IdP's clock: its IssueInstant is no later than now plus
// the skew, and no older than the maximum age plus the skew. Stops a captured request (signed
// requests included) being served long after it was made.
import { HarnessError } from '../../errors.js';
import { describeTime, parseSamlTime } from '../../saml/validate/xs-datetime.js';
import { requestOf } from './context.js';
import type { RequestCheck } from './types.js';

export const timeWindow: RequestCheck = {
  id: 'time-window',
  title: 'IssueInstant is within the maximum age, with clock skew, by the IdP clock',
  run(ctx) {
    const { nowMs, allowedClockSkewSec, maxAgeMs } = ctx.expect;
    const allowedSkewMs = allowedClockSkewSec * 1000;
    const request = requestOf(ctx);
    const issuedMs = parseSamlTime(request.issueInstant, 'AuthnRequest/@IssueInstant');
    if (issuedMs > nowMs + allowedSkewMs) {
      throw new HarnessError('IDP_REQUEST_NOT_YET_VALID', 'the AuthnRequest IssueInstant is in the future', {
        expected: `IssueInstant at or before now (${describeTime(nowMs)}) + ${allowedClockSkewSec} s skew`,
        received: `IssueInstant=${describeTime(issuedMs)}`,
      });
    }
    if (issuedMs + maxAgeMs + allowedSkewMs < nowMs) {
      throw new HarnessError('IDP_REQUEST_EXPIRED', 'the AuthnRequest is too old', {
        expected: `IssueInstant at or after now (${describeTime(nowMs)}) - ${maxAgeMs / 1000} s - ${allowedClockSkewSec} s skew`,
        received: `IssueInstant=${describeTime(issuedMs)}`,
      });
    }
    return `issued ${describeTime(issuedMs)} (max age ${maxAgeMs / 1000} s, skew ${allowedClockSkewSec} s)`;
  },
};
