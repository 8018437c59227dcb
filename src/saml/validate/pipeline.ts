// The SP's response validation: one check per file, run in this order. Every check after
// signature-verify reads the signed bytes only. The two checks that change server state
// (replay, in-response-to) run last, so a response that fails anything else leaves the
// outstanding request usable and the assertion ID unrecorded. Replay goes first of the two: a
// replayed response is named as a replay (not as an unknown request, which its first use
// consumed), and it does not touch the outstanding requests.
import { HarnessError, isHarnessError, type ErrorCode } from '../../errors.js';
import { assertionCount } from './assertion-count.js';
import { attributes } from './attributes.js';
import { audience } from './audience.js';
import { decode } from './decode.js';
import { decrypt } from './decrypt.js';
import { destination } from './destination.js';
import { inResponseTo } from './in-response-to.js';
import { issuer } from './issuer.js';
import { message } from './message.js';
import { relayState } from './relay-state.js';
import { replay } from './replay.js';
import { signatureAlgorithm } from './signature-algorithm.js';
import { signaturePresent } from './signature-present.js';
import { signatureShape } from './signature-shape.js';
import { signatureVerify } from './signature-verify.js';
import { status } from './status.js';
import { subjectConfirmation } from './subject-confirmation.js';
import { timeWindow } from './time-window.js';
import type {
  Check,
  CheckVerdict,
  ResponseExpectations,
  ValidatedAssertion,
  ValidationContext,
  ValidationResult,
  ValidationState,
} from './types.js';
import { xml } from './xml.js';

export { peekResponse, type PeekedResponse } from './peek.js';

export const RESPONSE_CHECKS: readonly Check[] = Object.freeze([
  decode,
  xml,
  message,
  status,
  assertionCount,
  decrypt,
  signatureShape,
  signatureAlgorithm,
  signaturePresent,
  signatureVerify,
  issuer,
  destination,
  subjectConfirmation,
  audience,
  timeWindow,
  attributes,
  replay,
  inResponseTo,
  relayState,
]);

/** Code for an error a check did not expect (a library throwing on odd input, a store failing). */
function unexpectedCode(check: Check): ErrorCode {
  if (check.id.startsWith('signature-')) return 'SAML_SIGNATURE_INVALID';
  if (check === inResponseTo || check === replay) return 'INTERNAL';
  return 'SAML_XML_MALFORMED';
}

function asHarnessError(err: unknown, check: Check): HarnessError {
  if (isHarnessError(err)) return err;
  const original = err instanceof Error ? err.message : String(err);
  return new HarnessError(unexpectedCode(check), `${check.id}: ${original}`, {
    expected: check.title,
    received: original,
  });
}

function complete(r: Partial<ValidatedAssertion>): ValidatedAssertion {
  const { responseId, assertionId, issuer, nameId, attributes, email, notOnOrAfterMs, signed } = r;
  if (
    responseId === undefined ||
    assertionId === undefined ||
    issuer === undefined ||
    nameId === undefined ||
    attributes === undefined ||
    email === undefined ||
    notOnOrAfterMs === undefined ||
    signed === undefined
  ) {
    throw new HarnessError('INTERNAL', 'validation pipeline: a passing run left the result incomplete');
  }
  return {
    responseId,
    assertionId,
    issuer,
    nameId,
    nameIdFormat: r.nameIdFormat,
    sessionIndex: r.sessionIndex,
    attributes,
    email,
    number: r.number,
    inResponseTo: r.inResponseTo,
    request: r.request,
    notOnOrAfterMs,
    signed,
  };
}

/** Runs `checks` in order; never throws for bad input. */
export async function runChecks(
  checks: readonly Check[],
  encoded: string,
  expect: ResponseExpectations,
  state: ValidationState,
): Promise<ValidationResult> {
  const ctx: ValidationContext = { encoded, expect, state, result: {} };
  const verdicts: CheckVerdict[] = [];
  let failure: HarnessError | undefined;
  for (const check of checks) {
    const { id, title } = check;
    if (failure) {
      verdicts.push({ check: id, title, verdict: 'skip', detail: 'not run: an earlier check failed' });
      continue;
    }
    try {
      verdicts.push({ check: id, title, verdict: 'pass', detail: await check.run(ctx) });
    } catch (err) {
      failure = asHarnessError(err, check);
      verdicts.push({ check: id, title, verdict: 'fail', detail: failure.message, code: failure.code });
    }
  }
  if (!failure) {
    try {
      return { ok: true, assertion: complete(ctx.result), checks: verdicts, xml: ctx.xml ?? '' };
    } catch (err) {
      failure = asHarnessError(err, checks[checks.length - 1] as Check);
    }
  }
  return { ok: false, error: failure, checks: verdicts, xml: ctx.xml };
}

export function validateResponse(
  encoded: string,
  expect: ResponseExpectations,
  state: ValidationState,
): Promise<ValidationResult> {
  return runChecks(RESPONSE_CHECKS, encoded, expect, state);
}
