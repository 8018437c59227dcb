// The assertion is inside its validity window (row 34): Conditions NotBefore (with
// skew) has come, Conditions NotOnOrAfter (exclusive, with skew) has not, and the SP session
// limit (AuthnStatement SessionNotOnOrAfter) has not passed. A malformed time is refused, never
// read as "no limit". Time is `expect.nowMs`, injected.
import { HarnessError } from '../../errors.js';
import { attr, childElements } from '../dom.js';
import { NS } from '../urn.js';
import { signedAssertion } from './context.js';
import type { Check, ResponseExpectations } from './types.js';
import { describeTime, parseSamlTime } from './xs-datetime.js';

function timeOf(e: Element, name: string, where: string): number | undefined {
  const value = attr(e, name);
  return value === undefined ? undefined : parseSamlTime(value, `${where}/@${name}`);
}

function expired(what: string, limitMs: number, expect: ResponseExpectations): never {
  throw new HarnessError('SAML_EXPIRED', `${what} has passed`, {
    expected: `now (${describeTime(expect.nowMs)}) before ${what} + ${expect.allowedClockSkewSec} s skew`,
    received: `${what}=${describeTime(limitMs)}`,
  });
}

export const timeWindow: Check = {
  id: 'time-window',
  title: 'Conditions NotBefore/NotOnOrAfter and SessionNotOnOrAfter hold, with clock skew (row 34)',
  run(ctx) {
    const { nowMs, allowedClockSkewSec } = ctx.expect;
    const allowedSkewMs = allowedClockSkewSec * 1000;
    const assertion = signedAssertion(ctx);
    timeOf(assertion, 'IssueInstant', 'Assertion');
    let until = ctx.result.notOnOrAfterMs;
    for (const conditions of childElements(assertion, NS.assertion, 'Conditions')) {
      const notBefore = timeOf(conditions, 'NotBefore', 'Conditions');
      const notOnOrAfter = timeOf(conditions, 'NotOnOrAfter', 'Conditions');
      if (notBefore !== undefined && nowMs + allowedSkewMs < notBefore) {
        throw new HarnessError('SAML_NOT_YET_VALID', 'the assertion is not valid yet (Conditions NotBefore)', {
          expected: `now (${describeTime(nowMs)}) at or after NotBefore - ${allowedClockSkewSec} s skew`,
          received: `NotBefore=${describeTime(notBefore)}`,
        });
      }
      if (notOnOrAfter !== undefined) {
        if (nowMs - allowedSkewMs >= notOnOrAfter) expired('Conditions NotOnOrAfter', notOnOrAfter, ctx.expect);
        until = until === undefined ? notOnOrAfter : Math.min(until, notOnOrAfter);
      }
    }
    for (const statement of childElements(assertion, NS.assertion, 'AuthnStatement')) {
      timeOf(statement, 'AuthnInstant', 'AuthnStatement');
      const session = timeOf(statement, 'SessionNotOnOrAfter', 'AuthnStatement');
      if (session !== undefined && nowMs - allowedSkewMs >= session) expired('AuthnStatement SessionNotOnOrAfter', session, ctx.expect);
    }
    if (until === undefined) {
      throw new HarnessError('INTERNAL', 'validation pipeline order: no NotOnOrAfter established');
    }
    ctx.result.notOnOrAfterMs = until;
    return `valid until ${describeTime(until)} (skew ${allowedClockSkewSec} s)`;
  },
};
