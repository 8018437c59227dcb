// The SP's response validation: one check per file, run in this order. Every check after
// signature-verify reads the signed bytes only. The two checks that change server state
// (replay, in-response-to) run last, so a response that fails anything else leaves the
// outstanding request usable and the assertion ID unrecorded. Replay goes first of the two: a
// replayed response is named as a replay (not as an unknown request, which its first use
// consumed), and it does not touch the outstanding requests.
import { HarnessError, type ErrorCode } from '../../errors.js';
import { DEFAULT_LIMITS, type MessageLimits } from '../encoding.js';
import { asCheckError, runInOrder } from './run-in-order.js';
import { assertionCount } from './assertion-count.js';
import { attributes } from './attributes.js';
import { audience } from './audience.js';
import { browserBinding } from './browser-binding.js';
import { decode } from './decode.js';
import { decrypt } from './decrypt.js';
import { destination } from './destination.js';
import { inResponseTo } from './in-response-to.js';
import { issuer } from './issuer.js';
import { message } from './message.js';
import { nameId } from './name-id.js';
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
  ReadCheck,
  ReadContext,
  ResponseExpectations,
  ValidatedAssertion,
  ValidationContext,
  ValidationResult,
  ValidationState,
} from './types.js';
import { xml } from './xml.js';

export { peekDocument, type PeekedResponse } from './peek.js';

/** The checks that need no account: the SP runs them first and picks the account from their DOM. */
export const READ_CHECKS: readonly ReadCheck[] = Object.freeze([decode, xml]);

export const RESPONSE_CHECKS: readonly Check[] = Object.freeze([
  ...READ_CHECKS,
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
  nameId,
  attributes,
  replay,
  inResponseTo,
  browserBinding,
  relayState,
]);

/** Code for an error a check did not expect (a library throwing on odd input, a store failing). */
function unexpectedCode(check: { id: string }): ErrorCode {
  if (check.id.startsWith('signature-')) return 'SAML_SIGNATURE_INVALID';
  if (check.id === inResponseTo.id || check.id === replay.id) return 'INTERNAL';
  return 'SAML_XML_MALFORMED';
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

function finish(ctx: ValidationContext, verdicts: CheckVerdict[], failed: HarnessError | undefined, last: Check): ValidationResult {
  let failure = failed;
  if (!failure) {
    try {
      return { ok: true, assertion: complete(ctx.result), checks: verdicts, xml: ctx.xml ?? '' };
    } catch (err) {
      failure = asCheckError(err, last, unexpectedCode(last));
    }
  }
  return { ok: false, error: failure, checks: verdicts, xml: ctx.xml };
}

/** Runs `checks` in order; never throws for bad input. */
export async function runChecks(
  checks: readonly Check[],
  encoded: string,
  expect: ResponseExpectations,
  state: ValidationState,
): Promise<ValidationResult> {
  const ctx: ValidationContext = { encoded, limits: expect.limits ?? DEFAULT_LIMITS, expect, state, result: {} };
  const verdicts: CheckVerdict[] = [];
  const failure = await runInOrder(checks, ctx, verdicts, unexpectedCode);
  return finish(ctx, verdicts, failure, checks[checks.length - 1] as Check);
}

export function validateResponse(
  encoded: string,
  expect: ResponseExpectations,
  state: ValidationState,
): Promise<ValidationResult> {
  return runChecks(RESPONSE_CHECKS, encoded, expect, state);
}

/** A response after the read phase: decoded and parsed once, or the check that refused it. */
export interface ReadResponse {
  readonly ctx: Readonly<ReadContext>;
  readonly checks: readonly CheckVerdict[];
  readonly error: HarnessError | undefined;
}

/**
 * The read phase alone (decode, xml), for an SP that must look at the issuer before it knows which
 * account's expectations apply; `validateRead` then runs the rest on the same parsed document.
 */
export async function readResponse(encoded: string, limits: MessageLimits = DEFAULT_LIMITS): Promise<ReadResponse> {
  const ctx: ReadContext = { encoded, limits };
  const checks: CheckVerdict[] = [];
  const error = await runInOrder(READ_CHECKS, ctx, checks, unexpectedCode);
  return { ctx, checks, error };
}

/** The checks after the read phase, on the document `readResponse` parsed. */
export async function validateRead(read: ReadResponse, expect: ResponseExpectations, state: ValidationState): Promise<ValidationResult> {
  const ctx: ValidationContext = { ...read.ctx, expect, state, result: {} };
  const verdicts = [...read.checks];
  const rest = RESPONSE_CHECKS.slice(READ_CHECKS.length);
  const failure = await runInOrder(rest, ctx, verdicts, unexpectedCode, read.error);
  return finish(ctx, verdicts, failure, rest[rest.length - 1] as Check);
}
